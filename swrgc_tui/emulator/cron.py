"""Six-field cron expressions as Harbor's scheduler reads them.

``second minute hour day-of-month month day-of-week``, each field ``*``, a
number, a range ``a-b``, a step ``*/n`` or ``a-b/n``, or a list of those.
When both day fields are restricted a day matches either, as in classic cron.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

_BOUNDS = ((0, 59), (0, 59), (0, 23), (1, 31), (1, 12), (0, 7))
_NAMES = ("second", "minute", "hour", "day of month", "month", "day of week")
#: How far ahead a match is looked for; covers every Feb 29 rule.
_HORIZON_DAYS = 366 * 8


class CronError(ValueError):
    """The expression is not a six-field cron expression."""


def _parse_part(part: str, low: int, high: int) -> set[int]:
    body, _, step_text = part.partition("/")
    step = int(step_text) if step_text else 1
    if step < 1:
        raise ValueError(part)
    if body == "*":
        first, last = low, high
    elif "-" in body:
        first_text, last_text = body.split("-", 1)
        first, last = int(first_text), int(last_text)
    else:
        first = int(body)
        last = high if step_text else first
    if not low <= first <= last <= high:
        raise ValueError(part)
    return set(range(first, last + 1, step))


def _parse_field(text: str, index: int) -> tuple[int, ...]:
    low, high = _BOUNDS[index]
    values: set[int] = set()
    try:
        for part in text.split(","):
            values |= _parse_part(part, low, high)
    except ValueError:
        raise CronError(f"bad {_NAMES[index]} field {text!r}") from None
    return tuple(sorted(values))


@dataclass(frozen=True)
class Cron:
    """A parsed expression; build one with ``Cron.parse``."""

    expression: str
    seconds: tuple[int, ...]
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    days_restricted: bool
    weekdays_restricted: bool

    @classmethod
    def parse(cls, expression: str) -> Cron:
        """Reads an expression; raises CronError with the offending field."""
        fields = expression.split()
        if len(fields) != 6:
            raise CronError(f"expected 6 fields, got {len(fields)}")
        parsed = [_parse_field(text, i) for i, text in enumerate(fields)]
        # Sunday may be written 0 or 7; Python's weekday() counts Monday as 0.
        weekdays = frozenset((d - 1) % 7 for d in parsed[5])
        return cls(
            expression=" ".join(fields),
            seconds=parsed[0],
            minutes=parsed[1],
            hours=parsed[2],
            days=frozenset(parsed[3]),
            months=frozenset(parsed[4]),
            weekdays=weekdays,
            days_restricted=fields[3] != "*",
            weekdays_restricted=fields[5] != "*",
        )

    def next_after(self, moment: float) -> float | None:
        """The first matching time strictly after ``moment`` (epoch seconds)."""
        floor = datetime.fromtimestamp(int(moment) + 1, UTC)
        day = floor.date()
        for _ in range(_HORIZON_DAYS):
            if self._day_matches(day):
                found = self._first_in_day(day, floor)
                if found is not None:
                    return found.timestamp()
            day += timedelta(days=1)
            floor = datetime(day.year, day.month, day.day, tzinfo=UTC)
        return None

    def _day_matches(self, day: date) -> bool:
        if day.month not in self.months:
            return False
        by_date = day.day in self.days
        by_weekday = day.weekday() in self.weekdays
        if self.days_restricted and self.weekdays_restricted:
            return by_date or by_weekday
        return by_date and by_weekday

    def _first_in_day(self, day: date, floor: datetime) -> datetime | None:
        base = datetime(day.year, day.month, day.day, tzinfo=UTC)
        wanted = (floor.hour, floor.minute, floor.second)
        for hour in self.hours[bisect_left(self.hours, floor.hour) :]:
            for minute in self.minutes:
                if (hour, minute) < wanted[:2]:
                    continue
                for second in self.seconds:
                    if (hour, minute, second) >= wanted:
                        return base + timedelta(
                            hours=hour, minutes=minute, seconds=second
                        )
        return None
