"""Kooperationen: regeln (formats, quadrants, warnings, network, checks), schreiben (create,
change, end), lesen (register and views, incl. the register as a table for people; its
downloads go through kreis_data.io.export)."""
