"""The shape of the code (issue #13): dependencies point one way (pages -> components ->
kreis_data), no import cycles, the CLI sits on top of the core, pages only read and compose."""
from __future__ import annotations

import ast
from pathlib import Path

from components.seiten import SEITEN

ROOT = Path(__file__).resolve().parent.parent
PAKETE = ("kreis_data", "components", "pages")
MAX_SEITENLAENGE = 150
# What a page must not import: writes, imports/exports and the refusal handling belong into
# components (components/formular.py, download.py, hochladen.py).
SCHREIBEN_ODER_IO = ("schreiben", "austausch", "vorlage", "arbeitseinheit", "fehler",
                     "kreis_data.io", "kreis_data.database", "kreis_data.workspace")


def _modulname(path: Path, root: Path) -> str:
    teile = list(path.relative_to(root).with_suffix("").parts)
    if teile[-1] == "__init__":
        teile.pop()
    return ".".join(teile)


def _ist_modul(name: str, root: Path) -> bool:
    pfad = root.joinpath(*name.split("."))
    return pfad.with_suffix(".py").exists() or (pfad / "__init__.py").exists()


def import_graph(root: Path = ROOT, pakete=PAKETE) -> dict[str, set[str]]:
    """module -> the project modules it imports (anywhere in the file, lazy imports included;
    ``from a import b`` is an edge to a.b when that is a module)."""
    graph: dict[str, set[str]] = {}
    for paket in pakete:
        for path in (root / paket).rglob("*.py"):
            name = _modulname(path, root)
            ist_paket = path.name == "__init__.py"
            kanten = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    kanten.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom):
                    basis = node.module or ""
                    if node.level:
                        teile = name.split(".")[: len(name.split(".")) - node.level + ist_paket]
                        basis = ".".join([*teile, *([basis] if basis else [])])
                    for alias in node.names:
                        voll = f"{basis}.{alias.name}"
                        kanten.add(voll if _ist_modul(voll, root) else basis)
            graph[name] = {k for k in kanten if k.split(".")[0] in pakete and k != name}
    return graph


def zyklen(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    tief: dict[str, int] = {}
    stapel: list[str] = []
    auf_stapel: set[str] = set()
    ergebnis: list[list[str]] = []

    def besuche(knoten: str) -> None:
        index[knoten] = tief[knoten] = len(index)
        stapel.append(knoten)
        auf_stapel.add(knoten)
        for ziel in graph.get(knoten, ()):
            if ziel not in index:
                besuche(ziel)
                tief[knoten] = min(tief[knoten], tief[ziel])
            elif ziel in auf_stapel:
                tief[knoten] = min(tief[knoten], index[ziel])
        if tief[knoten] == index[knoten]:
            komponente = []
            while True:
                oben = stapel.pop()
                auf_stapel.discard(oben)
                komponente.append(oben)
                if oben == knoten:
                    break
            if len(komponente) > 1:
                ergebnis.append(sorted(komponente))

    for knoten in sorted(graph):
        if knoten not in index:
            besuche(knoten)
    return ergebnis


GRAPH = import_graph()


def _importe(praefix: str) -> dict[str, set[str]]:
    return {m: z for m, z in GRAPH.items() if m == praefix or m.startswith(praefix + ".")}


def test_no_import_cycle_anywhere():
    assert zyklen(GRAPH) == []


def test_kreis_data_never_imports_streamlit_components_or_pages():
    fremd = {"streamlit", "streamlit_folium"}
    for path in (ROOT / "kreis_data").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        namen = {alias.name.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.Import) for alias in node.names}
        namen |= {node.module.split(".")[0] for node in ast.walk(tree)
                  if isinstance(node, ast.ImportFrom) and node.module and not node.level}
        assert not namen & (fremd | {"components", "pages"}), path
    assert all(not {z.split(".")[0] for z in ziele} & {"components", "pages"}
               for ziele in _importe("kreis_data").values())


def test_the_cli_sits_on_top_of_the_core():
    """Only the CLI itself and `python -m kreis_data` import kreis_data.cli."""
    nutzer = {m for m, ziele in GRAPH.items() if any(z.startswith("kreis_data.cli") for z in ziele)
              and not m.startswith("kreis_data.cli")}
    assert nutzer == {"kreis_data.__main__"}


def test_components_never_import_pages():
    assert {m for m, ziele in _importe("components").items()
            if any(z.startswith("pages") for z in ziele)} == set()


def test_pages_only_read_and_compose():
    verboten = {m: sorted(z for z in ziele if z.startswith("kreis_data") and any(
                    teil in z.split(".") or z.startswith(teil) for teil in SCHREIBEN_ODER_IO))
                for m, ziele in _importe("pages").items()}
    assert {m: z for m, z in verboten.items() if z} == {}


def test_pages_are_short():
    laengen = {p.name: len(p.read_text(encoding="utf-8").splitlines())
               for p in (ROOT / "pages").glob("*.py")}
    assert {name: n for name, n in laengen.items() if n > MAX_SEITENLAENGE} == {}


def test_every_page_is_registered_once_and_linked_through_the_registry():
    auf_der_platte = sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))
    assert sorted(s.datei for s in SEITEN) == auf_der_platte
    assert len({s.pfad for s in SEITEN}) == len({s.titel for s in SEITEN}) == len(SEITEN)
    literale = [str(p.relative_to(ROOT)) for ordner in ("components", "pages")
                for p in (ROOT / ordner).rglob("*.py") if p.name != "seiten.py"
                and '"pages/' in p.read_text(encoding="utf-8")]
    assert literale == [], "page paths belong into components/seiten.py"


def test_the_checks_can_fail(tmp_path):
    """The scans see a cycle, a streamlit import in the core and a write import in a page."""
    for paket in ("kreis_data", "pages"):
        (tmp_path / paket).mkdir()
        (tmp_path / paket / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "kreis_data" / "a.py").write_text("from kreis_data import b\n", encoding="utf-8")
    (tmp_path / "kreis_data" / "b.py").write_text("def f():\n    from kreis_data.a import x\n",
                                                  encoding="utf-8")
    (tmp_path / "pages" / "p.py").write_text("from kreis_data.efa import schreiben\n",
                                             encoding="utf-8")
    graph = import_graph(tmp_path, ("kreis_data", "pages"))
    assert zyklen(graph) == [["kreis_data.a", "kreis_data.b"]]
    assert "kreis_data.efa.schreiben" in graph["pages.p"] or "kreis_data.efa" in graph["pages.p"]
