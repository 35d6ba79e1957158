"""Issue #18, point 1: text a user or a dataset typed is shown as plain text on every page.

A private copy of the demo database gets a Markdown/HTML payload appended to every free text
field of every domain (Maßnahme, Kooperation, Sitzung, Aufgabe, Meilenstein, Bemerkungen,
Leistung and product names, Ansprechpersonen, account names in the audit log) and to every name
from a dataset (Kreis, Verwaltung, Gemeinde, gemeindefreies Gebiet). Every page of the registry
and every one of its tabs is then run (anonymous and as Kreis-Administration with a payload
account name), and every string of every element the app sends is checked: wherever Streamlit
renders Markdown or HTML (markdown, captions, alerts, headings, widget labels and help, tab,
expander and metric labels, radio options, HTML blocks, Plotly text) the payload's markup must
not appear unescaped. The visible (unescaped) text must show up, so the check is not vacuous."""
from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from components import anmeldung, deutsch
from components.seiten import SEITEN
from kreis_data.konten import regeln
from tests.pages.apptest_helpers import open_page, sichtbar

# Every markup the payload tries: bold, link, image, raw HTML image/link/script, LaTeX, a
# heading, Streamlit's colour directive and a Material icon.
PAYLOAD = ("**fett** [Link](http://evil.example/x) ![b](http://evil.example/i.png) "
           "<img src=http://evil.example/h.png> <a href=http://evil.example/a>a</a> "
           "$$x$$ # Titel <script>alert(1)</script> :red[rot] :material/home:")

# Raw fragments that would render as markup where Streamlit reads Markdown or HTML ("://evil":
# a bare URL is a GFM autolink, whatever is escaped inside it).
ROH = ("**fett**", "](http://evil", "![b]", "<img", "<a href", "$$x$$", "<script", ":red[rot]",
       ":material/home:", "://evil")
# In Plotly text only its HTML subset is live (<a href>, <b>, <br> …); Markdown is not read.
ROH_PLOTLY = ("<a href", "<img", "<script")

# Free text columns (table -> columns) that get the payload appended.
FELDER: dict[str, tuple[str, ...]] = {
    "kreis": ("name",),
    "verwaltung": ("name",),
    "gemeinde": ("name",),
    "gemeindefreies_gebiet": ("name",),
    "bewertung": ("erfasst_von", "bemerkung"),
    "kontakt": ("name", "rolle", "email", "telefon"),
    "produkt": ("name", "hersteller"),
    "leistung": ("name", "efa_dienst", "federfuehrung"),
    "anbindung": ("bemerkung",),
    "kooperation": ("name", "ansprechperson", "anschluss", "was_funktioniert", "was_nicht"),
    "kooperation_mitglied": ("extern_name",),
    "massnahme": ("titel", "beschreibung", "ziel", "verantwortlich", "beteiligte",
                  "prioritaet_begruendung", "status_begruendung", "erfolgsindikator"),
    "meilenstein": ("titel",),
    "sitzung": ("teilnehmende", "beschluesse"),
    "aufgabe": ("titel", "verantwortlich"),
    "audit_log": ("benutzer", "kontext", "alt", "neu"),
}
KONTO = f"admin {PAYLOAD}"  # an account name

# Elements the browser shows as plain text, except for the fields listed here (labels, help):
# inputs and select boxes (their options and values are plain text), tables (cells and
# headers), code. The map component is checked in the browser (tests/e2e/test_nutzertext.py).
NUR_BESCHRIFTUNG = {"Selectbox": {"label", "help"}, "MultiSelect": {"label", "help"},
                    "TextInput": {"label", "help"}, "TextArea": {"label", "help"},
                    "NumberInput": {"label", "help"}, "DateInput": {"label", "help"},
                    "Arrow": set(), "Dataframe": set(), "Text": set(), "Code": set(),
                    "Json": set(), "ComponentInstance": set()}

pytestmark = pytest.mark.nur_sqlite  # writes the payload through SQLite directly



def payload_einfuegen(url: str) -> None:
    """Append the payload to every free text field of the database at `url` (non-empty values;
    empty optional fields get it, too, so each shows up once)."""
    pfad = url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(pfad)) as db, db:
        for tabelle, spalten in FELDER.items():
            for spalte in spalten:
                db.execute(f"UPDATE {tabelle} SET {spalte} = "  # noqa: S608 (fixed names)
                           f"COALESCE({spalte}, '') || ' ' || ?", (PAYLOAD,))


@pytest.fixture(scope="module")
def payload_url(tmp_path_factory, demo_url) -> str:
    ziel = tmp_path_factory.mktemp("nutzertext") / "payload.sqlite"
    with closing(sqlite3.connect(demo_url.removeprefix("sqlite:///"))) as quelle, \
            closing(sqlite3.connect(ziel)) as kopie:
        quelle.backup(kopie)
    url = f"sqlite:///{ziel}"
    payload_einfuegen(url)
    return url


@pytest.fixture
def payload_env(payload_url, app_env, monkeypatch) -> str:
    monkeypatch.setenv("IKZ_DATABASE_URL", payload_url)
    return payload_url


def _strings(message: Message, typ: str) -> Iterator[tuple[str, str, str]]:
    """(message type, field, text) for every string in a proto message, recursively."""
    for feld, wert in message.ListFields():
        werte = wert if feld.is_repeated else [wert]
        for w in werte:
            if isinstance(w, Message):
                # inside a plain-text element everything counts as that element
                yield from _strings(w, typ if typ in NUR_BESCHRIFTUNG else type(w).__name__)
            elif isinstance(w, str):
                yield typ, feld.name, w


def _json_strings(wert) -> Iterator[str]:
    if isinstance(wert, str):
        yield wert
    elif isinstance(wert, dict):
        for k, v in wert.items():
            yield from _json_strings(k)
            yield from _json_strings(v)
    elif isinstance(wert, list):
        for v in wert:
            yield from _json_strings(v)


def _elemente(knoten) -> Iterator:
    yield knoten
    for kind in getattr(knoten, "children", {}).values():
        yield from _elemente(kind)


def befunde(at: AppTest) -> tuple[list[str], str]:
    """Unescaped payload markup in the run's elements, and all their text (for the visibility
    check)."""
    gefunden, alles = [], []
    for knoten in _elemente(at._tree):
        proto = getattr(knoten, "proto", None)
        if not isinstance(proto, Message):
            continue
        if type(proto).__name__ == "Html" and (
                proto.body == deutsch.BLOCK or anmeldung.ist_cookie_block(proto.body)):
            continue  # the app's own fixed scripts (lang="de", uploader texts, login cookie)
        for typ, feld, text in _strings(proto, type(proto).__name__):
            alles.append(text)
            if feld in ("id", "form_id") or feld not in NUR_BESCHRIFTUNG.get(typ, {feld}):
                continue
            if typ == "PlotlyChart":  # its JSON escapes "<" as \u003c: check the strings
                roh, gelesen = ROH_PLOTLY, "\n".join(_json_strings(json.loads(text))) \
                    if feld == "spec" else text
                alles.append(gelesen)
            else:  # Markdown: a backslash-escaped character is text
                roh, gelesen = ROH, re.sub(r"\\.", "\0", text)
            for fragment in roh:
                if fragment in gelesen:
                    stelle = gelesen.index(fragment)
                    gefunden.append(f"{typ}.{feld}: {fragment!r} in …"
                                    f"{text[max(0, stelle - 80):stelle + 60]!r}")
    for tabelle in at.table:  # st.table renders Markdown in its cells (Arrow data, not strings)
        frame = tabelle.value
        zellen = [*map(str, frame.columns), *map(str, frame.index),
                  *(w for w in frame.to_numpy().ravel() if isinstance(w, str))]
        for text in zellen:
            alles.append(text)
            gelesen = re.sub(r"\\.", "\0", text)
            gefunden += [f"Table: {fragment!r} in …{text[:120]!r}"
                         for fragment in ROH if fragment in gelesen]
    return gefunden, "\n".join(alles)


def lesbar(text: str) -> str:
    """What the reader sees of escaped text (backslash escapes, character references and the
    invisible word joiner undone)."""
    return sichtbar(text)


def _faelle() -> list[tuple[str, str | None, str | None]]:
    """(page, tab key, tab label) for every page and every tab of it."""
    tabs = {
        "pages/karte.py": ("karte_ansicht", ["Karte", "Tabelle zur Karte"]),
        "pages/verwaltung.py": ("verwaltung_ansicht", ["Wer kann helfen?", "Verlauf",
                                                       "Software und Kooperationen"]),
        "pages/kooperationen.py": ("koop_ansicht", ["Meine Verwaltung", "Matrix und Detail",
                                                    "Register", "Netzwerk", "Hinweise",
                                                    "Bundesvergleich",
                                                    "Anlegen und bearbeiten"]),
        "pages/efa.py": ("efa_ansicht", ["Nachnutzungs-Chancen", "Anbindungsmatrix",
                                         "EfA-Quote", "Hindernisse", "Katalog", "Bearbeiten"]),
        "pages/standardisierung.py": ("standardisierung_ansicht", [
            "Produkte", "Wer nutzt was?", "Standards", "Bundesvergleich", "Daten pflegen"]),
        "pages/quartalsreview.py": ("review_ansicht", [
            "Digitalisierungsstand", "Einzelne Veränderungen", "EfA und Kooperationen",
            "Kontakte und Datenstand", "Maßnahmen", "Sitzungen", "Bericht"]),
    }
    faelle: list[tuple[str, str | None, str | None]] = []
    for seite in SEITEN:
        if seite.datei in tabs:
            key, labels = tabs[seite.datei]
            faelle += [(seite.datei, key, label) for label in labels]
        else:
            faelle.append((seite.datei, None, None))
    return faelle


FAELLE = _faelle()
# A Verwaltung chosen by URL: Karte shows its short profile (contact, Gemeinden) beside the map.
ARTLAND = {"verwaltung": "034595401"}
# The admin of these runs has a plain name: account names are checked on their own below.
ADMIN = regeln.Benutzer("admin.nutzertext", regeln.ADMIN)
ADMIN_MIT_PAYLOAD = regeln.Benutzer(KONTO, regeln.ADMIN)


def _pruefen(at: AppTest) -> None:
    gefunden, alles = befunde(at)
    assert not gefunden, "\n".join(gefunden)
    assert PAYLOAD in lesbar(alles)  # the payload reached the page, as text


@pytest.mark.parametrize("angemeldet", [False, True], ids=["anonym", "admin"])
@pytest.mark.parametrize(("seite", "key", "tab"), FAELLE,
                         ids=[f"{s.removeprefix('pages/')}-{t or ''}" for s, _, t in FAELLE])
def test_nutzertext_wird_nie_markup(payload_env, seite, key, tab, angemeldet):
    _pruefen(open_page(seite, ARTLAND, session={key: tab} if key else None,
                       login=ADMIN if angemeldet else None))


@pytest.mark.parametrize("seite", ["pages/karte.py", "pages/lagebild.py"])
def test_kurzprofil_einer_verwaltung(payload_env, seite):
    """The short profile beside the map (Verwaltung, Gemeinden, Ansprechperson, mailto link)."""
    at = open_page(seite, ARTLAND)
    _pruefen(at)


@pytest.mark.parametrize("seite", ["pages/lagebild.py", "pages/datenpflege.py"])
def test_kontoname_wird_nie_markup(payload_env, seite):
    """The signed-in account's name (sidebar, Datenpflege caption) is plain text."""
    _pruefen(open_page(seite, login=ADMIN_MIT_PAYLOAD))


def test_payload_steht_in_jedem_feld(payload_url):
    """The workspace really carries the payload in every listed field."""
    with closing(sqlite3.connect(payload_url.removeprefix("sqlite:///"))) as db:
        for tabelle, spalten in FELDER.items():
            for spalte in spalten:
                (ohne,) = db.execute(f"SELECT COUNT(*) FROM {tabelle} "  # noqa: S608
                                     f"WHERE {spalte} NOT LIKE ?", (f"%{PAYLOAD}",)).fetchone()
                assert ohne == 0, f"{tabelle}.{spalte}"


def test_befunde_erkennt_markup():
    """The checker itself: raw payload in markdown, a label and a st.table cell is found, the
    escaped one (components.text) is not."""
    def run(code: str) -> list[str]:
        script = Path(__file__).parent / "_nutzertext_probe.py"
        script.write_text("import pandas as pd\nimport streamlit as st\n"
                          "from components.text import md, tabelle_md\n"
                          f"P = {PAYLOAD!r}\n{code}\n", encoding="utf-8")
        try:
            at = AppTest.from_file(str(script)).run()
        finally:
            script.unlink()
        assert not at.exception, at.exception
        return befunde(at)[0]

    assert run("st.markdown(P)")
    assert not run("st.markdown(md(P))")
    assert run("st.expander(P)")
    assert not run("st.expander(md(P))")
    assert run("st.table(pd.DataFrame({'Wert': [P]}))")
    assert not run("st.table(tabelle_md(pd.DataFrame({'Wert': [P]})))")
