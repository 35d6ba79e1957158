"""The one rule for user text (issue #18): whatever a user or a dataset typed – names, remarks,
Maßnahme fields, account names – is shown as plain text, never as Markdown or HTML.

- md(text): for everything Streamlit reads as Markdown – st.markdown/caption/write/info/…,
  headings, widget labels and help=, tab, expander and metric labels, radio options.
- html_text(text): for text inside an HTML block (st.markdown(…, unsafe_allow_html=True)) and for
  HTML attributes; safe in Markdown, too (every special character becomes a character reference).
- plotly_text(text): for text, hover and tick labels of Plotly charts (Plotly reads a small HTML
  subset: <a href>, <b>, <br> …; it shows character references as the character).

No field of the app is rich text: there is no way to show an image a user typed, and the only
link is the declared one below (link_ziel: the source address of a Leistung, http/https only).
"""
from __future__ import annotations

import html as _html
import re

# Markdown and HTML special characters, incl. "-" and "." (list markers at a line start).
_MARKDOWN_ZEICHEN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")
# ":" before a letter starts Streamlit's directives (:red[…]), Material icons (:material/x:)
# and emoji shortcodes (:smile:). A backslash does not stop them (Streamlit rewrites
# ":material/" before parsing), a character reference does; "12:30" and "Quelle: X" stay.
_DIREKTIVE = re.compile(r":(?=[A-Za-z_/])")
# GFM autolinks ("http://a.b", "www.a.b", "a@b.c") are found in the text AFTER Markdown is
# parsed, so no escape stops them: a WORD JOINER (U+2060, invisible, no line break) right after
# "://", "www" and "@" does – the reader sees the same text, no link is made.
_AUTOLINK = re.compile(r"(?<=://)|(?<=[Ww]{3})(?=\.)|(?<=@)(?=[-\w])")
WORT_VERBINDER = "\u2060"
# Everything Markdown or HTML could read, as a numeric character reference.
_HTML_ZEICHEN = re.compile(r"[&<>\"'\\`*_{}\[\]()#+\-.!|~$:=]")


def md(text: object) -> str:
    """Escape Markdown and HTML special characters in text from the database."""
    text = _AUTOLINK.sub(WORT_VERBINDER, str(text))
    return _DIREKTIVE.sub("&#58;", _MARKDOWN_ZEICHEN.sub(r"\\\1", text))


def html_text(text: object) -> str:
    """Text for an HTML block or attribute: every character HTML or Markdown could read becomes
    a numeric character reference, so it shows as itself in both."""
    text = _AUTOLINK.sub(WORT_VERBINDER, str(text))
    return _HTML_ZEICHEN.sub(lambda m: f"&#{ord(m.group())};", text)


def plotly_text(text: object) -> str:
    """Text for a Plotly chart (labels, hover, ticks): its HTML subset escaped."""
    return _html.escape(str(text), quote=False)


# An e-mail address that can be a mailto: link as it is (no Markdown, no spaces, no brackets).
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def mailto_md(email: object) -> str:
    """A mailto: link for a plain e-mail address; anything else is shown as escaped text."""
    text = str(email).strip()
    if _EMAIL.fullmatch(text):
        return f"[{md(text)}](mailto:{text})"
    return md(text)


def tel_md(telefon: object) -> str:
    """A tel: link with the digits of a phone number (text escaped); no digits -> text only."""
    text = str(telefon).strip()
    nummer = re.sub(r"[^0-9+]", "", text)
    return f"[{md(text)}](tel:{nummer})" if re.search(r"[0-9]", nummer) else md(text)


def tabelle_md(tabelle):
    """A DataFrame for st.table, which renders Markdown in its cells: every text cell, the index
    and the column titles escaped with md() (numbers and dates stay as they are)."""
    def zelle(wert):
        return md(wert) if isinstance(wert, str) else wert

    ergebnis = tabelle.map(zelle)
    ergebnis.index = ergebnis.index.map(zelle)
    ergebnis.columns = ergebnis.columns.map(zelle)
    return ergebnis


# The one field shown as a link: the "Quelle" of a Leistung in the EfA catalog (a web address
# by definition; the write service accepts only http/https). A link loads nothing by itself;
# anything but a plain http(s) address (javascript:, data:, spaces) is not linked at all.
_LINK = re.compile(r"https?://[^\s<>\"'`\\]+", re.IGNORECASE)


def link_ziel(url: object) -> str | None:
    """`url` if it is a plain http(s) address, else None (the cell stays empty)."""
    if isinstance(url, str) and _LINK.fullmatch(url.strip()):
        return url.strip()
    return None
