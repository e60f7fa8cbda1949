"""Benchmarks (not tests): synthetic catalogues and timing scripts. See bench/README.md."""
