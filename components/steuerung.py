"""Maßnahmen and Sitzungen of the Steuerungsgruppe: the Steckbrief of a Maßnahme, its edit form
(Kreis-Administration only; through components.formular) and the minutes of a Sitzung."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from components import data, formular
from components.text import md
from kreis_data import formatting, scales
from kreis_data.konten import regeln as rechte
from kreis_data.quartal import Quartal, bereich, quartal_range
from kreis_data.steuerung import schreiben
from kreis_data.steuerung.regeln import FELDER


def _label(quartal: str) -> str:
    return Quartal.parse(quartal).label


def steckbrief(m) -> None:
    """The nine fields of a Maßnahme (a row of kreis_data.steuerung.lesen.massnahmen)."""
    meilensteine = "; ".join(
        f"{_label(s['quartal'])}: {md(s['titel'])} ({'erledigt' if s['erledigt'] else 'offen'})"
        for s in m.meilensteine) or "keine"
    begruendung = f" – {md(m.status_begruendung)}" if m.status_begruendung else ""
    st.markdown(
        f"1. **Beschreibung und Ziel:** {md(m.beschreibung)}  \n  Ziel: {md(m.ziel)}\n"
        f"2. **Verantwortlich:** {md(m.verantwortlich)}\n"
        f"3. **Beteiligte:** {md(m.beteiligte)}\n"
        f"4. **Finanzierung:** {md(m.finanzierung)}\n"
        f"5. **Priorität:** {md(m.prioritaet)} – {md(m.prioritaet_begruendung)}\n"
        f"6. **Start und Dauer:** {_label(m.start_quartal)}, {m.dauer_quartale} Quartale "
        f"(bis {_label(m.end_quartal)})\n"
        f"7. **Status:** {md(m.status)}{begruendung}\n"
        f"8. **Erfolgsindikator:** {md(m.erfolgsindikator)}\n"
        f"9. **Meilensteine:** {meilensteine}")


def _auswahl(spalte, label: str, optionen: tuple[str, ...], wert: str, key: str) -> str:
    return spalte.selectbox(label, optionen, key=key,
                            index=optionen.index(wert) if wert in optionen else 0)


def _planquartale(wert: str) -> list[str]:
    """The quarters a plan may start in (quartal.bereich), shown as "3. Quartal 2026"; the
    stored value stays choosable even if it lies outside."""
    grenzen = bereich(planung=True)
    optionen = [str(q) for q in quartal_range(grenzen.von, grenzen.bis)]
    return optionen if wert in optionen else sorted([*optionen, wert])


def bearbeiten(m, benutzer: rechte.Benutzer) -> None:
    """The edit form of a Maßnahme (the write service checks right, version and fields)."""
    key = f"massnahme_{m.id}"

    def felder(runde: int) -> dict:
        k = f"{key}_{runde}"
        c1, c2 = st.columns(2)
        return {
            "titel": c1.text_input("Titel", m.titel, key=f"{k}_titel"),
            "verantwortlich": c2.text_input("Verantwortlich", m.verantwortlich, key=f"{k}_ver"),
            "beschreibung": c1.text_area("Beschreibung", m.beschreibung, key=f"{k}_besch"),
            "ziel": c2.text_area("Ziel", m.ziel, key=f"{k}_ziel"),
            "beteiligte": c1.text_area("Beteiligte", m.beteiligte, key=f"{k}_bet"),
            "erfolgsindikator": c2.text_area("Erfolgsindikator", m.erfolgsindikator,
                                             key=f"{k}_erf"),
            "finanzierung": _auswahl(c1, "Finanzierung", scales.FINANZIERUNG, m.finanzierung,
                                     f"{k}_fin"),
            "prioritaet": _auswahl(c2, "Priorität", scales.PRIORITAETEN, m.prioritaet,
                                   f"{k}_prio"),
            "prioritaet_begruendung": c1.text_input(
                "Begründung der Priorität", m.prioritaet_begruendung, key=f"{k}_priob"),
            "start_quartal": c2.selectbox("Start (Quartal)", _planquartale(m.start_quartal),
                                          format_func=formatting.quartal, key=f"{k}_start",
                                          index=_planquartale(m.start_quartal).index(
                                              m.start_quartal)),
            "dauer_quartale": c1.number_input("Dauer (Quartale)", min_value=1, max_value=40,
                                              value=int(m.dauer_quartale), key=f"{k}_dauer"),
            "status": _auswahl(c2, "Status", scales.MASSNAHME_STATUS, m.status, f"{k}_status"),
            "status_begruendung": st.text_input(
                "Begründung des Status (Pflicht bei „verzögert“ und „gestoppt“)",
                m.status_begruendung or "", key=f"{k}_statusb"),
        }

    was = f"Maßnahme „{m.titel}“"
    formular.bearbeiten(
        key, felder=felder, version=int(m.version), knopf="Speichern",
        titel="**Maßnahme bearbeiten**", erfolg=lambda e: formular.erfolg_text(e, was, FELDER),
        speichern=lambda werte, version: schreiben.update_massnahme(
            data.engine(), benutzer, int(m.id), werte, version=version))


def massnahmen(massnahmen_: pd.DataFrame, ueberfaellig: set[int], benutzer, *,
               praesentieren: bool) -> None:
    """One expander per Maßnahme (overdue ones open), with the edit form for the
    Kreis-Administration (never in presentation mode)."""
    darf = rechte.darf_kreisweit(benutzer)
    if benutzer is not None and not darf:
        st.caption("Maßnahmen bearbeitet die Kreis-Administration.")
    for m in massnahmen_.itertuples():
        kopf = f"{md(m.titel)} – {md(m.status)}" + (" – überfällig" if m.id in ueberfaellig else "")
        with st.expander(kopf, expanded=m.id in ueberfaellig and not praesentieren):
            steckbrief(m)
            if darf and not praesentieren:
                bearbeiten(m, benutzer)


def sitzung(eintrag: dict, offen: bool) -> None:
    """Minutes of one Sitzung: Teilnehmende, Beschlüsse, Aufgaben."""
    with st.expander(f"Sitzung vom {formatting.datum(eintrag['datum'])} "
                     f"({_label(eintrag['quartal'])})", expanded=offen):
        st.markdown(f"**Teilnehmende:** {md(formatting.namensliste(eintrag['teilnehmende']))}")
        st.markdown("**Beschlüsse:**\n" + "\n".join(f"- {md(b)}" for b in eintrag["beschluesse"]))
        if eintrag["aufgaben"]:
            st.markdown("**Aufgaben:**\n" + "\n".join(
                f"- {md(a['titel'])} – {md(a['verantwortlich'])}, fällig "
                f"{_label(a['faellig_quartal'])} ({'erledigt' if a['erledigt'] else 'offen'})"
                for a in eintrag["aufgaben"]))


def offene_aufgaben(offen: pd.DataFrame) -> None:
    st.dataframe(offen.assign(
        Fällig=[_label(q) for q in offen["faellig_quartal"]],
        Sitzung=[formatting.datum(x) for x in offen["sitzung_datum"]],
        Überfällig=["ja" if u else "nein" for u in offen["ueberfaellig"]]).rename(
        columns={"titel": "Aufgabe", "verantwortlich": "Verantwortlich"})[
        ["Aufgabe", "Verantwortlich", "Fällig", "Sitzung", "Überfällig"]], hide_index=True)
