"""Software and standards (Produkte, Standardunterstützung): regeln (Vereinheitlichungsgrad,
Insellösungen, Cluster, checks), schreiben (product and standard per Verwaltung), lesen (what
is in use, evaluations per Domäne), austausch (Excel/CSV import and export)."""
