"""Command line of the benchmark runner and the sizes each mode uses."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

#: Every figure the runner knows, in the order the table lists them.
FIGURES: tuple[str, ...] = (
    "first-row",
    "headless-first-page",
    "full-listing",
    "append-cost",
    "key-latency",
    "memory",
    "stalls",
    "filter-switch",
)

#: Not a figure: whether the headless commands keep Textual and the server
#: stack out. Runs with every full run, or alone with ``--only imports``.
IMPORTS = "imports"

DEFAULT_JSON = Path("bench/results/latest.json")


@dataclass(frozen=True)
class Sizes:
    """How big each experiment is; ``--quick`` shrinks all of them."""

    listing_tasks: int = 20_000
    table_rows: int = 100_000
    append_small: int = 1_000
    key_small: int = 100
    stall_tasks: int = 5_000
    stall_rate: float = 30.0
    stall_latency_ms: float = 100.0
    filter_latency_ms: float = 50.0
    filter_switches: int = 6


QUICK_SIZES = Sizes(listing_tasks=2_000, table_rows=10_000, stall_tasks=600)


@dataclass(frozen=True)
class Options:
    """What one run of the benchmarks measures and where it writes."""

    figures: tuple[str, ...]
    repeat: int
    quick: bool
    check_imports: bool
    json_path: Path
    sizes: Sizes


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    """Returns the parser of ``python -m bench``."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure swrgc-tui's speed figures against the emulator, "
        "each side by side with its reference, and print a table of medians.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small sizes and 3 repeats: a smoke run of the whole harness",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=(*FIGURES, IMPORTS),
        metavar="FIGURE",
        help="measure only this figure (repeatable); one of: "
        + ", ".join((*FIGURES, IMPORTS)),
    )
    parser.add_argument(
        "--repeat",
        type=_positive,
        default=None,
        help="runs of each figure (default 5, or 3 with --quick)",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=DEFAULT_JSON,
        metavar="PATH",
        help=f"where to write the results as JSON (default {DEFAULT_JSON})",
    )
    return parser


def parse_options(argv: Sequence[str] | None = None) -> Options:
    """Parses the command line into :class:`Options`."""
    args = build_parser().parse_args(argv)
    chosen = set(args.only or FIGURES)
    repeat = args.repeat if args.repeat is not None else (3 if args.quick else 5)
    return Options(
        figures=tuple(name for name in FIGURES if name in chosen),
        repeat=repeat,
        quick=args.quick,
        check_imports=args.only is None or IMPORTS in args.only,
        json_path=args.json,
        sizes=QUICK_SIZES if args.quick else Sizes(),
    )
