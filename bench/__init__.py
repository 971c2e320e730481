"""Benchmarks behind `make bench` (`python -m bench`).

Every module named `bench_*.py` in this package offers `benchmarks()`: a list of `Benchmark`s
(`bench.runner`). The runner measures each on a throwaway database, prints a table (name, n,
median seconds, peak memory) and writes `bench/results/latest.json`. Speed and memory are judged
from these figures, never by timing assertions in tests.
"""
