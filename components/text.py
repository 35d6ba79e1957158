"""Safe text for Markdown: user-entered names and remarks must never become markup."""
from __future__ import annotations

import re

# Markdown and HTML special characters, incl. "-" and "." (list markers at a line start).
_MARKDOWN_ZEICHEN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def md(text: object) -> str:
    """Escape Markdown and HTML special characters in text from the database."""
    return _MARKDOWN_ZEICHEN.sub(r"\\\1", str(text))
