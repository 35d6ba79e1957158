"""`python -m kreis_data report`: the quarterly report as a file (kreis_data.cli.bericht)."""
from __future__ import annotations

from kreis_data.cli import main

QUARTAL = "2026-Q3"


def test_cli_report_writes_file_and_refuses_bad_input(demo_url, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("IKZ_DATABASE_URL", demo_url)
    ziel = tmp_path / "bericht.pdf"
    assert main(["report", "--quartal", QUARTAL, "--out", str(ziel)]) == 0
    assert ziel.read_bytes().startswith(b"%PDF")
    assert "Quartalsbericht 3. Quartal 2026 als PDF geschrieben" in capsys.readouterr().out
    assert main(["report", "--quartal", "2027-Q1", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "Für 2027-Q1 gibt es keine Bewertungen" in capsys.readouterr().err
    assert main(["report", "--quartal", QUARTAL, "--out", str(tmp_path / "x.docx")]) == 2
    assert "Format „docx“ wird nicht unterstützt" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "x.docx").exists()
