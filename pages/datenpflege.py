"""Datenpflege: quarterly self-assessment form, Excel template, audit log, quality flags."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from components import data
from components.anmeldung import anmeldebox
from components.praesentation import ist_praesentation
from components.selection import current_quartal
from components.shell import ensure_app_shell, seite_beenden
from components.text import md
from kreis_data import auth, scales
from kreis_data.io.tabelle import DateiFehler
from kreis_data.quartal import Quartal
from kreis_data.selbstauskunft import (
    KonfliktError,
    Wert,
    format_zeitpunkt,
    lade_formular,
    protokoll,
    protokoll_personen,
    qualitaet,
    speichere_formular,
    tabelle_csv,
)
from kreis_data.vorlage import pruefe_vorlage, schreibe_vorlage, vorlage_xlsx

ensure_app_shell()  # must run first: see components/shell.py

KEINE = "— keine —"

st.title("Datenpflege")
praesentation = ist_praesentation()
quartal = current_quartal()
verwaltungen = data.verwaltungen()
namen = dict(zip(verwaltungen["key"], verwaltungen["name"], strict=True))


def _quartal_label(q: str) -> str:
    return Quartal.parse(q).label


def _flash(key: str) -> None:
    """Show a message stored before a rerun."""
    if (nachricht := st.session_state.pop(key, None)) is not None:
        art, text = nachricht
        getattr(st, art)(text)


# --- Qualität (also readable without login) ------------------------------------------------------
def zeige_qualitaet() -> None:
    if quartal is None:
        st.info("Noch keine Bewertungen erfasst.")
        return
    flags = data.cached(qualitaet, quartal)
    st.markdown(f"Hinweise zur Datenqualität für das **{_quartal_label(quartal)}**: veraltete "
                "Werte (Stand vor Quartalsbeginn), Werte ohne Stand oder Quelle und Verwaltungen "
                "ohne Meldung.")
    if flags.empty:
        st.success("Keine Auffälligkeiten.")
        return
    zaehlung = flags["Hinweis"].value_counts()
    spalten = st.columns(len(zaehlung))
    for spalte, (hinweis, anzahl) in zip(spalten, zaehlung.items(), strict=True):
        spalte.metric(hinweis, f"{anzahl:n}")
    st.dataframe(flags, hide_index=True, width="stretch")
    st.download_button("Hinweise als CSV", tabelle_csv(flags), f"qualitaet-{quartal}.csv",
                       mime="text/csv", key="dp_qualitaet_csv")


if praesentation:
    st.info("Im Präsentationsmodus ist die Datenpflege ausgeblendet; angezeigt werden nur die "
            "Hinweise zur Datenqualität.")
    zeige_qualitaet()
    seite_beenden()

benutzer = anmeldebox()
if benutzer is None:
    if auth.lesen_ohne_anmeldung():
        st.subheader("Datenqualität")
        zeige_qualitaet()
    seite_beenden()

eigene = auth.bearbeitbare_verwaltungen(benutzer, namen)
tab_form, tab_excel, tab_protokoll, tab_qualitaet = st.tabs(
    ["Selbstauskunft", "Excel-Vorlage", "Änderungsprotokoll", "Qualität"])


# --- Selbstauskunft ------------------------------------------------------------------------------
def _quartal_optionen() -> list[str]:
    quartale = data.quartale()
    if not quartale:
        return [str(Quartal.of_date(dt.date.today()))]
    return [*quartale, str(Quartal.parse(quartale[-1]).next())]


def _stufen_hilfe(merkmal: scales.Merkmal) -> str:
    zeilen = [f"- **{merkmal.kurzlabel(s)}**" for s in merkmal.werte]
    zeilen.append(f"- **{scales.KEINE_ANGABE}**: nichts bekannt (nicht dasselbe wie Stufe 0)")
    return (merkmal.beschreibung + "\n\n" if merkmal.beschreibung else "") + "\n".join(zeilen)


def _formular_laden(vk: str, q: str):
    """The form as loaded (with the versions seen), kept until saved or reloaded."""
    schluessel = (vk, q)
    if st.session_state.get("dp_formular_key") != schluessel:
        st.session_state["dp_formular"] = lade_formular(data.engine(), vk, q)
        st.session_state["dp_formular_key"] = schluessel
        st.session_state["dp_formular_nr"] = st.session_state.get("dp_formular_nr", 0) + 1
    return st.session_state["dp_formular"]


def _neu_laden() -> None:
    st.session_state.pop("dp_formular_key", None)
    st.session_state.pop("dp_konflikt", None)


def zeige_selbstauskunft() -> None:
    if not eigene:
        st.info("Ihre Rolle erlaubt keine Änderungen – Sie können das Änderungsprotokoll und die "
                "Qualitätshinweise lesen.")
        return
    links, rechts = st.columns(2)
    vk = links.selectbox("Verwaltung", eigene, format_func=lambda k: f"{namen[k]} ({k})",
                         key="dp_verwaltung")
    optionen = _quartal_optionen()
    q = rechts.selectbox("Quartal", optionen, key="dp_quartal", format_func=_quartal_label,
                         index=optionen.index(quartal) if quartal in optionen else 0)
    formular = _formular_laden(vk, q)
    nr = st.session_state["dp_formular_nr"]
    if formular.zuletzt_von:
        st.caption(f"Zuletzt gespeichert von **{formular.zuletzt_von}** am "
                   f"{format_zeitpunkt(formular.zuletzt_am)}.")
    else:
        st.caption("Im Änderungsprotokoll ist für diese Verwaltung und dieses Quartal noch keine "
                   "Speicherung verzeichnet.")
    if any(z.vorbefuellt_aus for z in formular.zeilen):
        st.info("Felder ohne Wert in diesem Quartal sind mit dem letzten bekannten Wert "
                "vorausgefüllt. Mit „Speichern“ bestätigen Sie sie für dieses Quartal.")
    _flash("dp_form_nachricht")
    if (konflikt := st.session_state.get("dp_konflikt")) is not None:
        st.error(konflikt)
        st.button("Neu laden", key="dp_neu_laden", on_click=_neu_laden, type="primary")

    with st.form(f"dp_form_{nr}"):
        eingaben: dict[str, Wert] = {}
        for zeile in formular.zeilen:
            m, w = zeile.merkmal, zeile.wert
            st.markdown(f"**{m.name}**" + (" (Pflicht)" if m.pflicht else ""))
            if zeile.vorbefuellt_aus:
                st.caption(f"Vorschlag aus dem {_quartal_label(zeile.vorbefuellt_aus)} – "
                           "bitte prüfen.")
            c1, c2, c3, c4 = st.columns([3, 2, 2, 3])
            stufen = [None, *m.werte]
            stufe = c1.selectbox("Stufe", stufen, index=stufen.index(w.stufe),
                                 format_func=m.kurzlabel, key=f"dp_{nr}_{m.key}_stufe",
                                 help=_stufen_hilfe(m))
            quellen = [None, *scales.QUELLEN]
            quelle = c2.selectbox("Quelle", quellen,
                                  index=quellen.index(w.quelle) if w.quelle in quellen else 0,
                                  format_func=lambda x: KEINE if x is None else x,
                                  key=f"dp_{nr}_{m.key}_quelle",
                                  help="Leer: beim Speichern wird „Selbstauskunft“ eingetragen.")
            stand = c3.date_input("Stand", value=w.stand, format="DD.MM.YYYY",
                                  key=f"dp_{nr}_{m.key}_stand")
            bemerkung = c4.text_input("Bemerkung", value=w.bemerkung or "", max_chars=2000,
                                      key=f"dp_{nr}_{m.key}_bemerkung")
            eingaben[m.key] = Wert(stufe, quelle, stand, bemerkung.strip() or None)
        gespeichert = st.form_submit_button("Speichern", type="primary")
    if gespeichert:
        try:
            aenderungen = speichere_formular(data.engine(), vk, q, eingaben,
                                             formular.gesehene_versionen, benutzer)
        except KonfliktError as exc:
            st.session_state["dp_konflikt"] = str(exc)
            st.rerun()
        except (PermissionError, ValueError) as exc:
            st.error(str(exc))
            return
        anzahl = len(aenderungen)
        st.session_state["dp_form_nachricht"] = (
            "success", f"Gespeichert: {anzahl} Merkmal(e) geändert." if anzahl
            else "Keine Änderungen – nichts zu speichern.")
        _neu_laden()
        st.rerun()


# --- Excel-Vorlage -------------------------------------------------------------------------------
def zeige_excel() -> None:
    if not eigene:
        st.info("Ihre Rolle erlaubt keine Änderungen.")
        return
    if quartal is None:
        st.info("Noch keine Bewertungen erfasst.")
        return
    st.markdown(f"Vorlage für das **{_quartal_label(quartal)}** (Quartal in der Seitenleiste "
                "wählen): eine Zeile je Verwaltung, eine Spalte je Merkmal, Auswahllisten mit "
                "den erlaubten Stufen und ein Blatt „Hinweise“ mit der Skala.")
    auswahl = None if benutzer.ist_admin else eigene
    st.download_button(
        "Vorlage herunterladen (.xlsx)",
        data=lambda: vorlage_xlsx(data.engine(), quartal, auswahl),
        file_name=f"ikz-vorlage-{quartal}.xlsx", icon=":material/download:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="dp_vorlage_download")
    # A new key after each save empties the uploader, so the saved file is not checked again.
    datei = st.file_uploader("Ausgefüllte Vorlage hochladen", type=["xlsx"],
                             key=f"dp_vorlage_upload_{st.session_state.get('dp_upload_nr', 0)}")
    _flash("dp_vorlage_nachricht")
    if datei is None:
        st.session_state.pop("dp_vorschau", None)
        return
    kennung = (datei.file_id, quartal)
    if st.session_state.get("dp_vorschau_key") != kennung:
        quelle = "Kreis-Erhebung" if benutzer.ist_admin else "Selbstauskunft"
        try:
            vorschau = pruefe_vorlage(data.engine(), datei.getvalue(), datei.name, quartal,
                                      benutzer, quelle=quelle)
        except DateiFehler as exc:
            st.error(str(exc))
            return
        st.session_state["dp_vorschau"] = vorschau
        st.session_state["dp_vorschau_key"] = kennung
    vorschau = st.session_state.get("dp_vorschau")
    if vorschau is None:
        return
    if vorschau.fehler:
        st.error(f"Die Datei enthält {len(vorschau.fehler)} Fehler – es wird nichts gespeichert. "
                 "Bitte korrigieren Sie die Datei und laden Sie sie erneut hoch.")
        st.markdown("\n".join(f"- {md(m)}" for m in vorschau.meldungen()))
        return
    if not vorschau.aenderungen:
        st.success("Die Datei ist fehlerfrei und enthält keine Änderungen.")
        return
    st.markdown(f"**Vorschau: {len(vorschau.aenderungen)} Änderung(en)** – noch nichts "
                "gespeichert.")
    st.dataframe(vorschau.aenderungen, hide_index=True, width="stretch")
    if st.button("Änderungen übernehmen", type="primary", key="dp_vorlage_bestaetigen"):
        try:
            aenderungen = schreibe_vorlage(data.engine(), vorschau, benutzer)
        except (KonfliktError, PermissionError, ValueError) as exc:
            st.error(str(exc))
            st.session_state.pop("dp_vorschau_key", None)  # next run: check again
            return
        st.session_state["dp_vorlage_nachricht"] = (
            "success", f"{len(aenderungen)} Änderung(en) aus {vorschau.datei} gespeichert.")
        st.session_state.pop("dp_vorschau_key", None)
        st.session_state.pop("dp_formular_key", None)
        st.session_state["dp_upload_nr"] = st.session_state.get("dp_upload_nr", 0) + 1
        st.rerun()


# --- Änderungsprotokoll --------------------------------------------------------------------------
def zeige_protokoll() -> None:
    merkmale = {m.key: m.name for m in data.merkmale()}
    c1, c2, c3, c4 = st.columns(4)
    vk = c1.selectbox("Verwaltung", [None, *namen], key="dp_p_verwaltung",
                      format_func=lambda k: "alle" if k is None else namen[k])
    mk = c2.selectbox("Merkmal", [None, *merkmale], key="dp_p_merkmal",
                      format_func=lambda k: "alle" if k is None else merkmale[k])
    person = c3.selectbox("Person", [None, *data.cached(protokoll_personen)], key="dp_p_person",
                          format_func=lambda p: "alle" if p is None else p)
    zeitraum = c4.date_input("Zeitraum", value=(), format="DD.MM.YYYY", key="dp_p_zeitraum")
    von = zeitraum[0] if len(zeitraum) > 0 else None
    bis = zeitraum[1] if len(zeitraum) > 1 else von
    tabelle = data.cached(protokoll, vk, mk, person, von, bis)
    st.caption(f"{len(tabelle):n} Einträge, neueste zuerst; Zeiten in UTC.")
    st.dataframe(tabelle, hide_index=True, width="stretch")
    st.download_button("Änderungsprotokoll als CSV", tabelle_csv(tabelle),
                       "aenderungsprotokoll.csv", mime="text/csv", key="dp_protokoll_csv")


with tab_form:
    zeige_selbstauskunft()
with tab_excel:
    zeige_excel()
with tab_protokoll:
    zeige_protokoll()
with tab_qualitaet:
    zeige_qualitaet()
