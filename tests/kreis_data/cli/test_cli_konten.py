"""`python -m kreis_data konto anlegen|liste` (kreis_data.cli.konten)."""
from __future__ import annotations

from kreis_data.cli import build_parser
from kreis_data.cli import konten as cli_konten
from kreis_data.konten import kontodatei, regeln

BELM = "034590008"

def test_cli_konto_prompts_twice_and_refuses_mismatch(tmp_path, monkeypatch, capsys):
    datei = tmp_path / "konten.toml"
    antworten = iter(["Erstes-Passwort-1", "Anderes-Passwort-2"])
    monkeypatch.setattr(cli_konten.getpass, "getpass", lambda prompt="": next(antworten))
    monkeypatch.delenv(cli_konten.PASSWORT_ENV, raising=False)
    assert cli_konten.cli_konto("anlegen", "admin", regeln.ADMIN, datei=datei) == 2
    assert "stimmen nicht überein" in capsys.readouterr().err
    assert not datei.exists()
    monkeypatch.setenv(cli_konten.PASSWORT_ENV, "Env-Passwort-2026")
    assert cli_konten.cli_konto("anlegen", "admin", regeln.ADMIN, datei=datei) == 0
    assert kontodatei.anmelden(datei, "admin", "Env-Passwort-2026").ist_admin


def test_cli_parser_creates_a_redaktion_account(tmp_path, monkeypatch, capsys):
    parser = build_parser()
    datei = tmp_path / "k.toml"
    monkeypatch.setenv(cli_konten.PASSWORT_ENV, "Redaktion-Belm-1")
    args = parser.parse_args(["konto", "anlegen", "r.belm", "--rolle", "Redaktion",
                              "--verwaltung", BELM, "--datei", str(datei)])
    assert args.func(args) == 0
    assert kontodatei.anmelden(datei, "r.belm", "Redaktion-Belm-1").verwaltungen == {BELM}
    args = parser.parse_args(["konto", "liste", "--datei", str(datei)])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "r.belm\tRedaktion\t034590008\tPasswort" in out and "$argon2" not in out
