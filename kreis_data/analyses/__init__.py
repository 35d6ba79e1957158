"""Analyses on top of the read side: index, key figures, deltas, chances, standardisation."""
