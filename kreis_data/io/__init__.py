"""Import/export building blocks: table reading and the Bewertungen validation core."""
