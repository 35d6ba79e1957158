"""EfA-Leistungen and their Anbindungen: regeln (pure rules), schreiben (write services),
lesen (read views), austausch (Excel/CSV import and export), katalog (the reference catalog
and Vollzug per Land, loaded into every new workspace)."""
