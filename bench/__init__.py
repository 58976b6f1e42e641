"""Benchmarks of kilocloud: `python -m bench <name> [options]`, one module per service."""
