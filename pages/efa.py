"""EfA-Nachnutzung: Nachnutzungs-Chancen, Anbindungsmatrix, EfA-Quote, Hindernisse, Katalog and
the tab "Bearbeiten" (one Anbindung, one catalog entry, Excel exchange: components.efa_pflege).
Only the open tab runs (st.tabs with state).

Editing needs a login (components.anmeldung); presentation mode has no tab "Bearbeiten". The
cached reads refresh after every write by themselves (data version).
"""
import streamlit as st

from components import data, efa_auswertung, efa_chancen, efa_pflege, layout
from components.anmeldung import bearbeiter_oder_hinweis
from components.auswahl import auswahl, verwaltung_waehlen
from components.download import tabelle_herunterladen
from components.praesentation import ist_praesentation
from components.shell import ensure_app_shell, seite_beenden
from components.text import md
from kreis_data import formatting, scales
from kreis_data.efa import lesen as efa

ensure_app_shell()  # must run first: see components/shell.py

GANZER_KREIS = "kreis"
ALLE_THEMENFELDER = "alle Themenfelder"

a = auswahl()
quartal, q = a.quartal, a.q
kreis = data.kreis()
st.title("EfA-Nachnutzung")
if kreis is None:
    st.info("Für diesen Kreis sind noch keine Daten erfasst.")
    seite_beenden()

demo = " (Demo-Daten, fiktiv)" if data.ist_demo() else ""
QUELLE = f"Anbindungsmeldungen der Verwaltungen an den Kreis{demo}"
STAND = f"{formatting.datum(q.ende)} ({q.label})"
gebiet = data.gebiet()
verwaltungen = data.verwaltungen().set_index("key", drop=False)
namen = verwaltungen["name"].to_dict()
keys = sorted(verwaltungen.index, key=lambda k: (bool(verwaltungen.at[k, "kreisverwaltung"]),
                                                 namen[k].lower()))
katalog = data.cached(efa.leistungen)

st.markdown(
    f"Welche „Einer für Alle“-Onlinedienste (EfA) laufen im **{q.label}** schon bei wem – und "
    "wer könnte sie von einem Nachbarn nachnutzen? Gezählt wird nur, wofür eine Verwaltung "
    f"zuständig ist. {gebiet.zustaendigkeit_satz}")
if quartal not in data.cached(efa.anbindung_quartale):
    st.info(f"Für das {q.label} sind noch keine Anbindungen erfasst; alle zuständigen "
            "Verwaltungen gelten als „nicht angebunden“.")

# Tab labels stay the same whatever the data, so the open tab survives a rerun after a write;
# only the open tab runs. Presentation mode has no edit tab.
bearbeiten = not ist_praesentation()
TABS = ["Nachnutzungs-Chancen", "Anbindungsmatrix", "EfA-Quote", "Hindernisse", "Katalog",
        *(["Bearbeiten"] if bearbeiten else [])]
tabs = st.tabs(TABS, key="efa_ansicht", on_change="rerun")

with tabs[0]:
    if tabs[0].open:
        gewaehlt = verwaltung_waehlen(
            [GANZER_KREIS, *keys], lambda k: "ganzer Kreis" if k == GANZER_KREIS else namen[k],
            default=GANZER_KREIS)
        eine = None if gewaehlt == GANZER_KREIS else gewaehlt
        efa_chancen.chancen_bereich(
            data.cached(efa.chancen, quartal, eine), quartal, q.label, gebiet,
            name=None if eine is None else namen[eine],
            kreisverwaltung=eine is not None and bool(verwaltungen.at[eine, "kreisverwaltung"]),
            quelle=f"{QUELLE}; Nachbarschaft aus amtlichen Gemeindegrenzen (BKG VG250); "
                   "Ansprechpersonen und Portale: Angaben der Verwaltungen", stand=STAND)

with tabs[1]:
    if tabs[1].open:
        themen = [t for t in scales.OZG_THEMENFELDER if t in set(katalog["themenfeld"])]
        themenfeld = st.selectbox("Themenfeld", [ALLE_THEMENFELDER, *themen],
                                  key="efa_themenfeld")
        matrix = data.cached(efa.anbindungsmatrix, quartal,
                             None if themenfeld == ALLE_THEMENFELDER else themenfeld)
        st.markdown(f"Im {q.label} sind im Kreis {data.cached(efa.efa_quote_kreis, quartal).text}."
                    " Zeilen: Verwaltungen, Spalten: Leistungen; jede Zelle nennt den Status in "
                    "Worten.")
        efa_auswertung.anbindungsmatrix(matrix)
        if ohne := data.cached(efa.leistungen_ohne_vollzug):
            st.warning("Ohne festgelegten Vollzug (zählen für niemanden, bitte im Katalog "
                       f"ergänzen): {md(', '.join(ohne))}")
        quelle = (f"{QUELLE}; Vollzug: Landesrecht {kreis['land']} und Festlegungen des Kreises "
                  "(Katalog)")
        tabelle_herunterladen(matrix, f"EfA-Anbindungsmatrix {formatting.quartal(quartal)}",
                              quelle=quelle, stand=STAND, key="efa_matrix")
        layout.quelle_stand(quelle, STAND)

with tabs[2]:
    if tabs[2].open:
        kreis_quote = data.cached(efa.efa_quote_kreis, quartal)
        delta = (None if kreis_quote.delta_pp is None else
                 f"{formatting.delta(kreis_quote.delta_pp, 'Prozentpunkte', 1)} zum Vorquartal")
        st.metric("EfA-Quote des Kreises", formatting.prozent(kreis_quote.quote), delta=delta,
                  delta_color="normal" if delta else "off")
        st.markdown(f"{kreis_quote.text}; EfA-Quote = live ÷ zuständige Leistungen, "
                    f"{gebiet.quote_basis}.")
        st.dataframe(efa.quote_tabelle(data.cached(efa.efa_quote, quartal)), hide_index=True,
                     width="stretch")
        layout.quelle_stand(QUELLE, STAND)
        if not (golives := data.cached(efa.go_lives)).empty:
            efa_auswertung.go_lives(golives)
            layout.quelle_stand(QUELLE, STAND)

with tabs[3]:
    if tabs[3].open:
        if (hindernisse := data.cached(efa.hindernisse, quartal)).empty:
            st.info(f"Im {q.label} ist bei keiner offenen Anbindung ein Hindernis genannt.")
        else:
            st.markdown("Genannte Hindernisse bei zuständigen, noch nicht live geschalteten "
                        f"Anbindungen im {q.label}:")
            efa_auswertung.hindernisse(hindernisse)
        layout.quelle_stand(QUELLE, STAND)

with tabs[4]:
    if tabs[4].open:
        st.markdown(f"{len(katalog)} EfA-Leistungen. Den Vollzug (Gemeinde oder Kreis) bestimmt "
                    f"das Landesrecht ({kreis['land']}); der Kreis kann abweichen.")
        efa_auswertung.katalog(katalog)
        layout.quelle_stand(f"öffentliche Quellen je Leistung (Spalte Quelle); Reifegrade{demo}",
                            STAND)

if bearbeiten:  # only signed in; kreis_data.efa.schreiben checks the rights again
    with tabs[5]:
        if tabs[5].open and (bearbeiter := bearbeiter_oder_hinweis()) is not None:
            efa_pflege.bearbeiten(bearbeiter, a, keys, namen, katalog, kreis)
