"""Benchmarks of issue #14 (`make bench`, `python -m bench`); see bench/README.md."""
