"""Quarterly briefing exports: PDF (A4 landscape) and PowerPoint, built server-side, offline.

    build_pdf(engine, "2026-Q3") -> bytes
    build_pptx(engine, "2026-Q3") -> bytes
"""
from __future__ import annotations

from kreis_data.reports.pdf import build_pdf
from kreis_data.reports.pptx import build_pptx

__all__ = ["build_pdf", "build_pptx"]
