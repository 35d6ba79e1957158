"""Safe text for Markdown: user-entered names and remarks must never become markup."""
from __future__ import annotations

import re


def md(text: object) -> str:
    """Escape Markdown and HTML special characters in text from the database."""
    return re.sub(r"([\\`*_{}\[\]<>()#+!|~$])", r"\\\1", str(text))
