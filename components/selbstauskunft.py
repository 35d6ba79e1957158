"""The Selbstauskunft form: every Merkmal of one Verwaltung in the selected quarter, built on
components.formular (success, refusal and the stale-write conflict shown like every form).

The form as loaded (values and the versions seen) is kept until it is saved or reloaded, or
another Verwaltung or quarter is chosen, so a save by someone else in between is refused by
``bewertungen.schreiben.speichere_formular`` (``fehler.Veraltet``) instead of overwritten.
"""
from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from components import data, formular
from components.auswahl import Auswahl, verwaltung_waehlen
from components.text import md
from kreis_data import scales
from kreis_data.arbeitseinheit import Aenderung
from kreis_data.bewertungen.lesen import Formular, Wert, format_zeitpunkt, lade_formular
from kreis_data.bewertungen.regeln import BEMERKUNG_MAX
from kreis_data.bewertungen.schreiben import speichere_formular
from kreis_data.konten.regeln import Benutzer
from kreis_data.quartal import Quartal

KEY = "dp_selbstauskunft"  # the form's key in components.formular
KEINE = "— keine —"
_GELADEN, _FORMULAR = "dp_formular_key", "dp_formular"


def neu_laden() -> None:
    """Show the stored values again (e.g. after the Excel template wrote this quarter)."""
    formular.neu_laden(KEY)


def _formular(vk: str, quartal: str) -> Formular:
    """The form as loaded, kept until saved or reloaded (``formular.runde`` changes)."""
    if st.session_state.get(_GELADEN, ())[:2] != (vk, quartal):
        formular.neu_laden(KEY)  # another Verwaltung or quarter: fresh fields
    if st.session_state.get(_GELADEN) != (vk, quartal, formular.runde(KEY)):
        st.session_state[_FORMULAR] = lade_formular(data.engine(), vk, quartal)
        st.session_state[_GELADEN] = (vk, quartal, formular.runde(KEY))
    return st.session_state[_FORMULAR]


def _stufen_hilfe(merkmal: scales.Merkmal) -> str:
    zeilen = [f"- **{md(merkmal.kurzlabel(s))}**" for s in merkmal.werte]
    zeilen.append(f"- **{scales.KEINE_ANGABE}**: nichts bekannt (nicht dasselbe wie Stufe 0)")
    return (md(merkmal.beschreibung) + "\n\n" if merkmal.beschreibung else "") + "\n".join(zeilen)


def _felder(form: Formular, runde: int) -> dict[str, Wert]:
    """One row of widgets per Merkmal (inside the form); returns the entered values."""
    eingaben: dict[str, Wert] = {}
    for zeile in form.zeilen:
        m, w, k = zeile.merkmal, zeile.wert, f"dp_{runde}_{zeile.merkmal.key}"
        st.markdown(f"**{md(m.name)}**" + (" (Pflicht)" if m.pflicht else ""))
        if zeile.vorbefuellt_aus:
            st.caption(f"Vorschlag aus dem {Quartal.parse(zeile.vorbefuellt_aus).label} – "
                       "bitte prüfen.")
        c1, c2, c3, c4 = st.columns([3, 2, 2, 3])
        stufen = [None, *m.werte]
        stufe = c1.selectbox("Stufe", stufen, index=stufen.index(w.stufe),
                             format_func=m.kurzlabel, key=f"{k}_stufe", help=_stufen_hilfe(m))
        quellen = [None, *scales.QUELLEN]
        quelle = c2.selectbox("Quelle", quellen,
                              index=quellen.index(w.quelle) if w.quelle in quellen else 0,
                              format_func=lambda x: KEINE if x is None else x,
                              key=f"{k}_quelle",
                              help="Leer: beim Speichern wird „Selbstauskunft“ eingetragen.")
        stand = c3.date_input("Stand", value=w.stand, format="DD.MM.YYYY", key=f"{k}_stand")
        # never shorter than the stored text: a limit below it would cut it on "Speichern"
        bemerkung = c4.text_input("Bemerkung", value=w.bemerkung or "",
                                  max_chars=max(BEMERKUNG_MAX, len(w.bemerkung or "")),
                                  key=f"{k}_bemerkung")
        eingaben[m.key] = Wert(stufe, quelle, stand, bemerkung.strip() or None)
    return eingaben


def erfolg_text(aenderungen: list[Aenderung], merkmale: Mapping[str, str], was: str) -> str:
    """ "Gespeichert (Belm, 3. Quartal 2026): E-Akte, Scannen geändert – im Änderungsprotokoll
    vermerkt." (Merkmal names instead of field names)."""
    geaendert = [a for a in aenderungen or [] if a.geaendert]
    if not geaendert:
        return formular.erfolg_text(None, was)
    namen = [merkmale.get(a.schluessel.split("/")[1], a.schluessel) for a in geaendert]
    return (f"Gespeichert ({md(was)}): {md(', '.join(namen))} geändert – im "
            "Änderungsprotokoll vermerkt.")


def selbstauskunft(benutzer: Benutzer, eigene: list[str], namen: Mapping[str, str],
                   auswahl: Auswahl) -> None:
    """Choose one of the person's Verwaltungen and edit its values in the selected quarter."""
    if not eigene:
        st.info("Ihre Rolle erlaubt keine Änderungen – Sie können das Änderungsprotokoll und die "
                "Qualitätshinweise lesen.")
        return
    vk = verwaltung_waehlen(eigene, lambda k: f"{namen[k]} ({k})")
    quartal = auswahl.quartal
    form = _formular(vk, quartal)
    if form.zuletzt_von:
        st.caption(f"Zuletzt gespeichert von **{md(form.zuletzt_von)}** am "
                   f"{format_zeitpunkt(form.zuletzt_am)}.")
    else:
        st.caption("Im Änderungsprotokoll ist für diese Verwaltung und dieses Quartal noch keine "
                   "Speicherung verzeichnet.")
    if any(z.vorbefuellt_aus for z in form.zeilen):
        st.info("Felder ohne Wert in diesem Quartal sind mit dem letzten bekannten Wert "
                "vorausgefüllt. Mit „Speichern“ bestätigen Sie sie für dieses Quartal.")
    was = f"{namen[vk]}, {auswahl.label}"
    merkmale = {z.merkmal.key: z.merkmal.name for z in form.zeilen}
    formular.bearbeiten(
        KEY, felder=lambda runde: _felder(form, runde),
        # the versions seen are those of the kept form (see the module docstring)
        speichern=lambda werte, _version: speichere_formular(
            data.engine(), benutzer, vk, quartal, werte, form.gesehene_versionen),
        erfolg=lambda aenderungen: erfolg_text(aenderungen, merkmale, was),
        titel=f"Selbstauskunft **{md(namen[vk])}** für das **{auswahl.label}** (Quartal in "
              "der Seitenleiste wählen)")
