"""Speed benchmarks of swrgc-tui against its own emulator.

Run ``python -m bench`` from the repository root (``--help`` lists the
options). Every figure is measured side by side with its reference in the
same run, repeated, and reported as medians; see :mod:`bench.runner`.
"""
