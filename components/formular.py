"""The one edit form every page uses: load, validate, save, conflict, success, audit reference.

    bearbeiten(
        "efa_anbindung", felder=lambda runde: {...widgets...},
        speichern=lambda werte, version: efa_schreiben.set_anbindung(..., version=version),
        version=zeile.version, knopf="Anbindung speichern")

* The version the editor started from is kept until the save succeeds or the person reloads, so
  a save by someone else in between is refused (``fehler.Veraltet``) instead of overwritten.
* Every refusal of the write services (``fehler.Abgelehnt``) is shown the same way: what was
  not saved and why – each message of ``Ungueltig`` as a list item; ``Veraltet`` with a
  "Neu laden" button.
* Success names what changed and that it is in the Änderungsprotokoll; "nothing changed" says
  so. Messages survive the rerun that shows the saved data.
* ``felder(runde)`` renders the widgets inside ``st.form`` and returns their values; ``runde``
  changes after every save or reload – use it in widget keys so the fields show the stored
  values again.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import streamlit as st

from components.text import md
from kreis_data.arbeitseinheit import Aenderung
from kreis_data.fehler import Abgelehnt, Ungueltig, Veraltet

Ergebnis = Aenderung | Iterable[Aenderung] | None


def _schluessel(key: str, teil: str) -> str:
    return f"_formular_{key}_{teil}"


def runde(key: str) -> int:
    """Changes after every save and reload of the form `key`."""
    return st.session_state.get(_schluessel(key, "runde"), 0)


def neu_laden(key: str) -> None:
    """Forget what the editor started from: the form shows the stored values again."""
    st.session_state.pop(_schluessel(key, "version"), None)
    st.session_state[_schluessel(key, "runde")] = runde(key) + 1


def nachricht(key: str, art: str, text: str) -> None:
    """A message for the form `key`, shown on the next run (after st.rerun)."""
    st.session_state[_schluessel(key, "nachricht")] = (art, text)


def nachricht_zeigen(key: str) -> None:
    art, text = st.session_state.pop(_schluessel(key, "nachricht"), (None, None))
    if art == "success":
        st.success(text)
    elif art == "info":
        st.info(text)
    elif art == "veraltet":
        st.warning(text)
        st.button("Neu laden", key=_schluessel(key, "neu_laden"), on_click=neu_laden,
                  args=(key,), type="primary")
    elif art == "error":
        st.error(text)


def ablehnung_text(fehler: Abgelehnt) -> str:
    """How every form shows a refusal (Markdown, user text escaped)."""
    if isinstance(fehler, Ungueltig) and len(fehler.fehler) > 1:
        return "Nicht gespeichert:\n\n" + "\n".join(f"- {md(f)}" for f in fehler.fehler)
    return f"Nicht gespeichert: {md(fehler)}"


def erfolg_text(ergebnis: Ergebnis, was: str = "",
                feldnamen: Mapping[str, str] | None = None) -> str:
    """ "Gespeichert: Status, Hindernis geändert – im Änderungsprotokoll vermerkt."; field
    keys are shown by their German names from `feldnamen`."""
    aenderungen = ([] if ergebnis is None else [ergebnis] if isinstance(ergebnis, Aenderung)
                   else list(ergebnis))
    geaendert = [a for a in aenderungen if a.geaendert]
    wo = f" ({md(was)})" if was else ""
    if not geaendert:
        return f"Keine Änderung{wo} – nichts gespeichert."
    if len(geaendert) == 1 and geaendert[0].aktion == "geändert":
        felder = ", ".join((feldnamen or {}).get(f, f) for f in geaendert[0].felder)
        return f"Gespeichert{wo}: {md(felder)} geändert – im Änderungsprotokoll vermerkt."
    anzahl = len(geaendert)
    return (f"Gespeichert{wo}: {anzahl} {'Eintrag' if anzahl == 1 else 'Einträge'} angelegt "
            "oder geändert – im Änderungsprotokoll vermerkt.")


def ausfuehren(key: str, speichern: Callable[[], Ergebnis], was: str = "",
               erfolg: Callable[[Ergebnis], str] | None = None) -> Ergebnis | None:
    """Run a write (a form's or a button's) and record the message the same way for all:
    success, or the refusal. Returns the result (None when refused)."""
    try:
        ergebnis = speichern()
    except Veraltet as exc:
        nachricht(key, "veraltet", ablehnung_text(exc))
        return None
    except Abgelehnt as exc:
        nachricht(key, "error", ablehnung_text(exc))
        return None
    nachricht(key, "success" if ergebnis is not None else "info",
              (erfolg or (lambda e: erfolg_text(e, was)))(ergebnis))
    return ergebnis


def bearbeiten(key: str, *, felder: Callable[[int], dict], speichern: Callable[[dict, int | None],
               Ergebnis], version: int | None = None, knopf: str = "Speichern",
               was: str = "", erfolg: Callable[[Ergebnis], str] | None = None,
               titel: str | None = None) -> None:
    """The edit form `key` (see the module docstring)."""
    nachricht_zeigen(key)
    version_key = _schluessel(key, "version")
    if version is not None:
        st.session_state.setdefault(version_key, version)
    gesehen = st.session_state.get(version_key, version)
    with st.form(f"{key}_{runde(key)}"):
        if titel:
            st.markdown(titel)
        werte = felder(runde(key))
        gesendet = st.form_submit_button(knopf, type="primary")
    if gesendet:
        ergebnis = ausfuehren(key, lambda: speichern(werte, gesehen), was, erfolg)
        if ergebnis is not None or st.session_state.get(_schluessel(key, "nachricht"),
                                                        ("",))[0] != "veraltet":
            if ergebnis is not None:
                neu_laden(key)
        st.rerun()
