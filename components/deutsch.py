"""German for the few texts Streamlit draws in the browser itself (issue #15, point 2).

- The document's language: Streamlit's index.html says <html lang="en">, and Streamlit 1.x has
  no setting for it. A tiny inline script (st.html with JavaScript, not iframed, so `document` is
  the app's page; it loads nothing) sets document.documentElement.lang = "de" on every run, so
  screen readers pronounce the German text as German and the browser hyphenates German words.
  Patching the installed index.html is not done: it is lost on every update of Streamlit.
- The file uploader's dropzone ("Drag and drop file here", "Limit 10MB per file", "Upload"):
  Streamlit has no parameter for these texts. CSS hides the English text (visibility: hidden,
  which also hides it from screen readers) and shows the German text as generated content
  (::after, which browsers include in the accessibility tree and in the button's name). The
  button stays a real, focusable button; only its inner text is replaced. Selectors use
  Streamlit's data-testid attributes (stable test hooks), not its generated class names. The
  hidden file input's English aria-label ("file upload") is set to German by the same script
  whenever an uploader appears (a MutationObserver, installed once per browser tab).
"""
from __future__ import annotations

import streamlit as st

from kreis_data.io.tabelle import MAX_DATEI_MB

SPRACHE_SKRIPT = 'document.documentElement.lang = "de";'

_DROPZONE = '[data-testid="stFileUploaderDropzone"]'
_HINWEIS = '[data-testid="stFileUploaderDropzoneInstructions"]'
HOCHLADEN_CSS = f"""
{_DROPZONE} > div:not([data-testid]) > span {{ visibility: hidden; font-size: 0; }}
{_DROPZONE} > div:not([data-testid]) > span::after {{
  content: "Datei hierher ziehen"; visibility: visible; font-size: 1rem; }}
{_HINWEIS} span {{ visibility: hidden; font-size: 0; }}
{_HINWEIS} > div::after {{
  content: "höchstens {MAX_DATEI_MB} MB je Datei"; font-size: 0.875rem; }}
{_DROPZONE} button > * {{ visibility: hidden; font-size: 0; width: 0; margin: 0; }}
{_DROPZONE} button::after {{ content: "Datei auswählen"; visibility: visible; }}
"""

# One invisible block per run: the element container holding it is hidden, the script runs.
BLOCK = f"""<style>
.stElementContainer:has(#ikz-deutsch) {{ display: none; }}
{HOCHLADEN_CSS}</style>
<span id="ikz-deutsch" hidden></span>
<script>{SPRACHE_SKRIPT}
if (!window.ikzDeutsch) {{
  window.ikzDeutsch = true;
  const deutsch = () => document.querySelectorAll('input[type="file"][aria-label="file upload"]')
    .forEach((e) => e.setAttribute("aria-label", "Datei hochladen"));
  new MutationObserver(deutsch).observe(document.body, {{ childList: true, subtree: true }});
  deutsch();
}}</script>"""


def deutsch() -> None:
    """Call once per run (app.py): lang="de" on the document and the German uploader texts."""
    st.html(BLOCK, unsafe_allow_javascript=True)
