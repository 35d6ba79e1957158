"""EfA-Nachnutzung: Nachnutzungs-Chancen, Anbindungsmatrix, EfA-Quote, Hindernisse, Katalog and
the tab "Bearbeiten" (one Anbindung, one catalog entry, Excel exchange: components.efa_pflege).

Editing needs a login (components.anmeldung); presentation mode shows no edit controls. The
cached reads refresh after every write by themselves (data version).
"""
import streamlit as st

from components import data, efa_auswertung, efa_pflege, layout
from components.anmeldung import bearbeiter_oder_hinweis
from components.auswahl import auswahl, verwaltung_waehlen
from components.download import tabelle_herunterladen
from components.efa_chancen import chancen_karten, chancen_tabelle
from components.praesentation import ist_praesentation
from components.shell import ensure_app_shell, seite_beenden
from components.text import md
from kreis_data import formatting, scales
from kreis_data.efa import lesen as efa
from kreis_data.efa import regeln

ensure_app_shell()  # must run first: see components/shell.py

GANZER_KREIS = "kreis"
ALLE_THEMENFELDER = "alle Themenfelder"
TOP = 10

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

tab_chancen, tab_matrix, tab_quote, tab_hindernisse, tab_katalog, tab_pflege = st.tabs(
    ["Nachnutzungs-Chancen", "Anbindungsmatrix", "EfA-Quote", "Hindernisse", "Katalog",
     "Bearbeiten"])

with tab_chancen:
    gewaehlt = verwaltung_waehlen(
        [GANZER_KREIS, *keys], lambda k: "ganzer Kreis" if k == GANZER_KREIS else namen[k],
        default=GANZER_KREIS)
    eine = None if gewaehlt == GANZER_KREIS else gewaehlt
    chancen = data.cached(efa.chancen, quartal, eine)
    quelle = (f"{QUELLE}; Nachbarschaft aus amtlichen Gemeindegrenzen (BKG VG250); "
              "Ansprechpersonen und Portale: Angaben der Verwaltungen")
    if chancen.empty and eine is not None and verwaltungen.at[eine, "kreisverwaltung"]:
        st.info("Die Kreisverwaltung ist im Kreis die einzige Zuständige für Leistungen der "
                "Kreisebene – Nachnutzer dafür gibt es nur in anderen Kreisen, die hier nicht "
                "erfasst sind.")
    elif chancen.empty:
        st.info(f"Im {q.label} keine Nachnutzungs-Chancen: Was bei anderen Verwaltungen live "
                "ist, ist hier schon live oder nicht in der Zuständigkeit.")
    else:
        wer = "im ganzen Kreis" if eine is None else f"für {md(namen[eine])}"
        st.markdown(f"**{len(chancen)} Nachnutzungs-Chancen {wer}** – die besten "
                    f"{min(TOP, len(chancen))}, geordnet nach Score (Berechnung siehe unten). "
                    "Der erste Schritt ist ein Anruf bei der genannten Verwaltung.")
        chancen_karten(chancen, TOP, mit_verwaltung=eine is None)
        chancen_tabelle(chancen, quartal, quelle=quelle, stand=STAND)
    layout.quelle_stand(quelle, STAND)
    with st.expander("Wie der Score berechnet wird"):
        st.markdown(regeln.methodik_text(arten_text=gebiet.arten_text, kreisfrei=gebiet.kreisfrei))

with tab_matrix:
    themen = [t for t in scales.OZG_THEMENFELDER if t in set(katalog["themenfeld"])]
    themenfeld = st.selectbox("Themenfeld", [ALLE_THEMENFELDER, *themen], key="efa_themenfeld")
    matrix = data.cached(efa.anbindungsmatrix, quartal,
                         None if themenfeld == ALLE_THEMENFELDER else themenfeld)
    kreis_quote = data.cached(efa.efa_quote_kreis, quartal)
    st.markdown(f"Im {q.label} sind im Kreis {kreis_quote.text}. Zeilen: Verwaltungen, "
                "Spalten: Leistungen; jede Zelle nennt den Status in Worten.")
    efa_auswertung.anbindungsmatrix(matrix)
    if ohne := data.cached(efa.leistungen_ohne_vollzug):
        st.warning("Ohne festgelegten Vollzug (zählen für niemanden, bitte im Katalog "
                   f"ergänzen): {md(', '.join(ohne))}")
    quelle = (f"{QUELLE}; Vollzug: Landesrecht {kreis['land']} und Festlegungen des Kreises "
              "(Katalog)")
    tabelle_herunterladen(matrix, f"EfA-Anbindungsmatrix {quartal}", quelle=quelle, stand=STAND,
                          key="efa_matrix")
    layout.quelle_stand(quelle, STAND)

with tab_quote:
    delta = (None if kreis_quote.delta_pp is None
             else f"{formatting.delta(kreis_quote.delta_pp, 'Prozentpunkte', 1)} zum Vorquartal")
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

with tab_hindernisse:
    hindernisse = data.cached(efa.hindernisse, quartal)
    if hindernisse.empty:
        st.info(f"Im {q.label} ist bei keiner offenen Anbindung ein Hindernis genannt.")
    else:
        st.markdown("Genannte Hindernisse bei zuständigen, noch nicht live geschalteten "
                    f"Anbindungen im {q.label}:")
        efa_auswertung.hindernisse(hindernisse)
    layout.quelle_stand(QUELLE, STAND)

with tab_katalog:
    st.markdown(f"{len(katalog)} EfA-Leistungen. Den Vollzug (Gemeinde oder Kreis) bestimmt das "
                f"Landesrecht ({kreis['land']}); der Kreis kann abweichen.")
    efa_auswertung.katalog(katalog)
    layout.quelle_stand(f"öffentliche Quellen je Leistung (Spalte Quelle); Reifegrade{demo}",
                        STAND)

with tab_pflege:  # only signed in; kreis_data.efa.schreiben checks the rights again
    if ist_praesentation():
        st.info("Im Präsentationsmodus ist das Bearbeiten ausgeblendet.")
    elif (bearbeiter := bearbeiter_oder_hinweis()) is not None:
        efa_pflege.bearbeiten(bearbeiter, a, keys, namen, katalog, kreis)
