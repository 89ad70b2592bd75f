"""The benchmark harness parses its options and reports figures readably.

The benchmarks themselves are never run here: these checks only keep
``python -m bench`` from rotting while nobody runs it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

# bench/ is a folder of the repository, not part of the installed package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.imports import imported  # noqa: E402
from bench.options import FIGURES, QUICK_SIZES, Sizes, parse_options  # noqa: E402
from bench.procs import visible_text  # noqa: E402
from bench.results import Figure, Goal, render_table, write_json  # noqa: E402


def test_defaults_measure_every_figure_five_times() -> None:
    options = parse_options([])

    assert options.figures == FIGURES
    assert options.repeat == 5
    assert options.sizes == Sizes()
    assert options.sizes.listing_tasks == 20_000
    assert options.check_imports
    assert options.json_path == Path("bench/results/latest.json")


def test_quick_shrinks_sizes_and_repeats() -> None:
    options = parse_options(["--quick"])

    assert options.repeat == 3
    assert options.sizes == QUICK_SIZES
    assert options.sizes.table_rows < Sizes().table_rows


def test_only_keeps_table_order_and_skips_import_checks() -> None:
    options = parse_options(["--only", "memory", "--only", "first-row"])

    assert options.figures == ("first-row", "memory")
    assert not options.check_imports
    assert parse_options(["--only", "imports"]).figures == ()


@pytest.mark.parametrize("argv", [["--only", "nonsense"], ["--repeat", "0"]])
def test_bad_arguments_exit_with_usage_error(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        parse_options(argv)

    assert exited.value.code == 2
    assert "python -m bench" in capsys.readouterr().err


def _figures() -> list[Figure]:
    ratio = Figure(
        key="first-row",
        title="first row",
        unit="ms",
        goal=Goal("ratio", 1.3),
        reference_label="floor app",
        ours=[500.0, 520.0, 480.0],
        reference=[400.0, 410.0, 390.0],
    )
    absolute = Figure(
        key="memory",
        title="memory",
        unit="KiB",
        goal=Goal("absolute", 400, "KiB"),
        ours=[450.0, 460.0, 470.0],
        detail="total 45.0 MiB",
    )
    broken = Figure(
        key="stalls", title="stalls", unit="", goal=Goal("absolute", 0), error="boom"
    )
    return [ratio, absolute, broken]


def test_table_shows_medians_ratio_and_verdict() -> None:
    lines = render_table(_figures()).splitlines()

    assert lines[0].split("|")[1].strip() == "figure"
    first_row = [cell.strip() for cell in lines[2].split("|")[1:-1]]
    assert first_row == [
        "first row",
        "500 ms",
        "400 ms (floor app)",
        "1.25×",
        "≤ 1.3×",
        "yes",
    ]
    memory = [cell.strip() for cell in lines[3].split("|")[1:-1]]
    assert memory[1] == "460 KiB (total 45.0 MiB)"
    assert memory[4:] == ["≤ 400 KiB", "NO"]
    assert "failed: boom" in lines[4]
    assert len({len(line) for line in lines}) == 1


def test_json_holds_every_sample(tmp_path: Path) -> None:
    path = tmp_path / "out" / "latest.json"

    write_json(path, {"repeat": 3}, _figures())

    document = json.loads(path.read_text())
    assert document["meta"] == {"repeat": 3}
    first = document["figures"][0]
    assert first["ours"] == {"median": 500.0, "samples": [500.0, 520.0, 480.0]}
    assert first["ratio"] == pytest.approx(1.25)
    assert first["met"] is True
    assert document["figures"][2]["met"] is None


def test_terminal_output_is_matched_without_escape_sequences() -> None:
    raw = "\x1b[2J\x1b[3;1H\x1b[1;38;2;0;0;0m 1042\x1b[0m GARBAGE\x1b]0;title\x07"

    assert visible_text(raw) == " 1042 GARBAGE"


def test_import_report_names_each_module() -> None:
    report = (
        "import time: self [us] | cumulative | imported package\n"
        "import time:       120 |        120 |   _io\n"
        "import time:      2210 |      15000 | textual.app\r\n"
    )

    assert imported(report) == {"_io", "textual.app"}
