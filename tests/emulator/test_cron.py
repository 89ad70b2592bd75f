"""Six-field cron expressions: parsing and the next run time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from swrgc_tui.emulator.cron import Cron, CronError


def _next(expression: str, after: datetime) -> datetime:
    found = Cron.parse(expression).next_after(after.timestamp())
    assert found is not None
    return datetime.fromtimestamp(found, UTC)


@pytest.mark.parametrize(
    ("expression", "after", "expected"),
    [
        ("0 0 2 * * *", datetime(2024, 1, 20, 1, 0), datetime(2024, 1, 20, 2, 0)),
        ("0 0 2 * * *", datetime(2024, 1, 20, 2, 0), datetime(2024, 1, 21, 2, 0)),
        (
            "0 */15 * * * *",
            datetime(2024, 1, 20, 10, 7, 3),
            datetime(2024, 1, 20, 10, 15),
        ),
        ("30 59 23 31 12 *", datetime(2024, 6, 1), datetime(2024, 12, 31, 23, 59, 30)),
        ("0 0 0 29 2 *", datetime(2025, 1, 1), datetime(2028, 2, 29)),
        ("0 15 3 * * 6", datetime(2024, 1, 20, 4, 0), datetime(2024, 1, 27, 3, 15)),
        ("0 0 9 * * 1-5", datetime(2024, 1, 19, 10, 0), datetime(2024, 1, 22, 9, 0)),
        ("0 0 0 * * 7", datetime(2024, 1, 20), datetime(2024, 1, 21)),
        # Both day fields restricted: either one matches, as in classic cron.
        ("0 0 0 1 * 1", datetime(2024, 1, 2), datetime(2024, 1, 8)),
        ("0 0 8,20 * * *", datetime(2024, 1, 20, 9, 0), datetime(2024, 1, 20, 20, 0)),
    ],
)
def test_next_run(expression: str, after: datetime, expected: datetime) -> None:
    assert _next(expression, after.replace(tzinfo=UTC)) == expected.replace(tzinfo=UTC)


def test_impossible_date_never_runs() -> None:
    assert Cron.parse("0 0 0 31 2 *").next_after(0) is None


@pytest.mark.parametrize(
    "expression",
    ["", "0 0 * * *", "0 0 0 * * * *", "60 * * * * *", "* * 24 * * *", "* * * 0 * *",
     "* * * * 13 *", "* * * * * 8", "*/0 * * * * *", "5-1 * * * * *", "a * * * * *"],
)  # fmt: skip
def test_malformed_expressions_are_refused(expression: str) -> None:
    with pytest.raises(CronError):
        Cron.parse(expression)
