"""Downloads arrive as real files: the Karte's table as CSV, the Quartalsreview's PDF and PPTX
reports (built on click)."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .helpers import assert_no_error, oeffne_tab, open_app, rerun

pytestmark = pytest.mark.e2e

GEMEINDEN = 34  # Gemeinden of the demo Kreis


def _download(page: Page, label: str, tmp_path: Path, timeout: float = 60_000) -> tuple[str, bytes]:
    button = page.get_by_test_id("stDownloadButton").filter(has_text=label)
    expect(button).to_have_count(1)
    with page.expect_download(timeout=timeout) as info:
        button.get_by_role("button").click()
    download = info.value
    assert download.failure() is None, f"{label}: {download.failure()}"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    return download.suggested_filename, target.read_bytes()


def test_karte_table_as_csv(page: Page, app_server: str, tmp_path: Path):
    open_app(page, f"{app_server}/karte?merkmal=e_akte")
    assert_no_error(page)
    oeffne_tab(page, "Tabelle zur Karte")
    name, content = _download(page, "“ als CSV", tmp_path)  # „Karte E-Akte 2026-Q3“ als CSV
    assert re.fullmatch(r"karte-e-akte-[1-4]-quartal-\d{4}\.csv", name), name
    text = content.decode("utf-8-sig")  # UTF-8 with BOM for German Excel
    lines = text.splitlines()
    rows = list(csv.reader(io.StringIO("\n".join(z for z in lines if not z.startswith("#"))),
                           delimiter=";"))
    header, data = rows[0], [r for r in rows[1:] if r]
    assert header[:2] == ["Gemeinde", "Verwaltung"], header
    assert {"Einwohner", "Stufe", "Stand", "Quelle"} <= set(header), header
    assert len(data) == GEMEINDEN, f"{len(data)} Datenzeilen statt {GEMEINDEN}"
    assert all(len(r) == len(header) for r in data), "Zeilen mit falscher Spaltenzahl"
    assert any(r[0] == "Melle" for r in data)
    assert any(z.startswith("# Quelle:") for z in lines), "Quelle/Stand fehlt am Ende"


def test_quartalsreview_reports(page: Page, app_server: str, tmp_path: Path):
    open_app(page, f"{app_server}/quartalsreview")
    assert_no_error(page)
    with rerun(page):  # the report has its own tab (only the open tab is rendered)
        page.get_by_role("tab", name="Bericht").click()
    name, pdf = _download(page, "PDF-Bericht", tmp_path)
    assert name.endswith(".pdf"), name
    assert pdf.startswith(b"%PDF"), pdf[:16]
    assert len(pdf) > 20_000, f"PDF nur {len(pdf)} Bytes"

    name, pptx = _download(page, "PowerPoint-Folien", tmp_path)
    assert name.endswith(".pptx"), name
    assert pptx.startswith(b"PK\x03\x04"), pptx[:16]
    assert b"ppt/presentation.xml" in pptx, "kein PowerPoint-Paket"
    assert_no_error(page)
