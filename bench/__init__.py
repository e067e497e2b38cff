"""Benchmark of the hourly build: `make bench` (see bench/run.py)."""
