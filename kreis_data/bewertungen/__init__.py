"""Bewertungen (Digitalisierungsstand): regeln (values, validation, Digitalisierungsindex),
schreiben (upsert, self-assessment form), lesen (catalog, form, quality flags), austausch
(long Excel/CSV import and export), vorlage (the wide Excel template with preview)."""
