"""Dependencies point one way: pages -> components -> kreis_data."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(folder: str, root: Path = ROOT) -> dict[Path, set[str]]:
    result = {}
    for path in (root / folder).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        result[path] = names
    return result


def test_kreis_data_never_imports_streamlit_components_or_pages():
    offenders = {str(p.relative_to(ROOT)): n & {"streamlit", "streamlit_folium", "components",
                                                 "pages"}
                 for p, n in imported_modules("kreis_data").items()}
    assert {p: n for p, n in offenders.items() if n} == {}


def test_components_never_import_pages():
    offenders = {str(p.relative_to(ROOT)) for p, n in imported_modules("components").items()
                 if "pages" in n}
    assert offenders == set()


def test_check_sees_a_forbidden_import(tmp_path):
    # The scan itself must be able to fail (probe in a temporary copy, not in the package).
    (tmp_path / "kreis_data").mkdir()
    probe = tmp_path / "kreis_data" / "probe.py"
    probe.write_text("import streamlit as st\nfrom components import data\n", encoding="utf-8")
    assert imported_modules("kreis_data", tmp_path)[probe] >= {"streamlit", "components"}
