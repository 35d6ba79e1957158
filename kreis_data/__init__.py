"""IKZ-Monitor core: domain model, database, geometry, analyses, import/export, reports, CLI.

This package never imports streamlit (guarded by tests/test_architecture.py).
"""
