"""``python -m swrgc_tui.emulator``: serve the emulator from a shell."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from . import EmulatorConfig, serve


def build_parser() -> argparse.ArgumentParser:
    """Options of the emulator command."""
    parser = argparse.ArgumentParser(
        prog="python -m swrgc_tui.emulator",
        description="Serve an SWR Enterprise and IAM emulator with demo data.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind")
    parser.add_argument("--port", type=int, default=0, help="port (0: any free one)")
    parser.add_argument("--tasks", type=int, default=400, help="GC history size")
    parser.add_argument("--seed", type=int, default=7, help="seed of the demo data")
    parser.add_argument(
        "--latency", type=float, default=0.0, metavar="MS", help="delay per request"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Parses options and serves until Ctrl-C."""
    args = build_parser().parse_args(argv)
    config = EmulatorConfig(seed=args.seed, tasks=args.tasks, latency_ms=args.latency)
    serve(config, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
