"""Build the official Kreis datasets (kreis_data/datasets/<AGS>/) from raw public files.

Sources: BKG Verwaltungsgebiete VG250 (geometry) and the Destatis Gemeindeverzeichnis
(names, Verwaltungen, Einwohner). Entry point: ``build.build_kreis_dataset``.
"""
