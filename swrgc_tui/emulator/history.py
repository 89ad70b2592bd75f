"""Deterministic GC history: when runs happened, how they ended, what they freed.

Scheduled runs fall on the schedule's slots, manual ones between them; most
succeed, some fail or were stopped, some were dry runs that only estimated.
Generation is column-friendly and cheap: 100,000 runs take well under a second.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime

from .tasks import (
    ERROR,
    MANUAL,
    SCHEDULE,
    STOPPED,
    SUCCESS,
    Quirk,
    TaskColumns,
    TaskRow,
)

_DAY = 86400
#: History spans at most this long; longer histories run GC more often.
_MAX_SPAN = 540 * _DAY
#: Schedule intervals to choose from, with the cron expression of each.
_INTERVALS: tuple[tuple[int, str], ...] = (
    (_DAY, "0 0 {hour} * * *"),
    (_DAY // 2, "0 0 */12 * * *"),
    (_DAY // 4, "0 0 */6 * * *"),
    (_DAY // 6, "0 0 */4 * * *"),
    (_DAY // 12, "0 0 */2 * * *"),
    (3600, "0 0 * * * *"),
    (1800, "0 */30 * * * *"),
    (900, "0 */15 * * * *"),
    (600, "0 */10 * * * *"),
    (300, "0 */5 * * * *"),
)
# Freed space is log-distributed between 1 byte and 400 GiB, peaking at 1 GiB.
_LOG_FREED_MAX = math.log(400 * 2**30)
_LOG_FREED_MODE = math.log(2**30)
_MODE_SHARE = _LOG_FREED_MODE / _LOG_FREED_MAX
# Average blob size of a run, log-uniform between 1 MiB and 60 MiB.
_LOG_BLOB_MIN = math.log(2**20)
_LOG_BLOB_SPAN = math.log(60)
_BYTES_PER_WORKER_SECOND = 150 * 2**20
_MANUAL_NAMES = (0, 0, 0, 2, 3, 4)


@dataclass(frozen=True)
class SchedulePlan:
    """A GC schedule: its cron and where its runs fall in time.

    Attributes:
        cron: the six-field expression.
        interval: seconds between two runs.
        offset: seconds from the epoch's slot boundaries to a run.
        name: job-name code of the runs it starts.
    """

    cron: str
    interval: int
    offset: int
    name: int

    def last_run_before(self, moment: float) -> int:
        """The latest run time at or before ``moment``."""
        slot = math.floor((moment - self.offset) / self.interval)
        return slot * self.interval + self.offset


def main_schedule(task_count: int, start: float) -> SchedulePlan:
    """A schedule dense enough that ``task_count`` runs fit in ~18 months.

    A daily run lands at the hour opposite the start time, so a short
    session never sees it fire unless the clock is advanced.
    """
    fitting = (pair for pair in _INTERVALS if task_count * pair[0] <= _MAX_SPAN)
    interval, cron = next(fitting, _INTERVALS[-1])
    if interval == _DAY:
        hour = (datetime.fromtimestamp(start, UTC).hour + 12) % 24
        return SchedulePlan(cron.format(hour=hour), _DAY, hour * 3600, 0)
    return SchedulePlan(cron, interval, 0, 0)


def small_schedule(start: float) -> SchedulePlan:
    """A daily run at half past the hour, 14 hours from the start time."""
    hour = (datetime.fromtimestamp(start, UTC).hour + 14) % 24
    return SchedulePlan(f"0 30 {hour} * * *", _DAY, hour * 3600 + 1800, 1)


def run_times(
    rng: random.Random, plan: SchedulePlan, count: int, before: float
) -> list[tuple[int, int]]:
    """(time, kind) of ``count`` runs ending before ``before``, oldest first.

    Scheduled runs fall on the plan's slots; now and then an operator
    started one by hand between two slots.
    """
    draw = rng.random
    runs: list[tuple[int, int]] = []
    slot = plan.last_run_before(before)
    while len(runs) < count:
        manual_at = slot + int(plan.interval * (0.1 + 0.8 * draw()))
        if draw() < 0.12 and manual_at < before:
            runs.append((manual_at, MANUAL))
        if len(runs) < count:
            runs.append((slot + int(draw() * 4), SCHEDULE))
        slot -= plan.interval
    runs.reverse()
    return runs


def _log_freed(u: float) -> float:
    """Inverse CDF of the triangular distribution of log(freed bytes)."""
    if u < _MODE_SHARE:
        return math.sqrt(u * _LOG_FREED_MAX * _LOG_FREED_MODE)
    tail = _LOG_FREED_MAX - _LOG_FREED_MODE
    return _LOG_FREED_MAX - math.sqrt((1 - u) * _LOG_FREED_MAX * tail)


def figures(rng: random.Random) -> tuple[int, int, int]:
    """(purged_blobs, purged_manifests, freed_space) of one complete run."""
    draw = rng.random
    if draw() < 0.05:
        return 0, 0, 0
    freed = int(math.exp(_log_freed(draw())))
    blobs = int(freed / math.exp(_LOG_BLOB_MIN + draw() * _LOG_BLOB_SPAN)) or 1
    manifests = blobs // (2 + int(draw() * 8)) or 1
    return blobs, manifests, freed


def scaled(full: tuple[int, int, int], share: float) -> tuple[int, int, int]:
    """The figures of a run that got through ``share`` (0..1) of its work.

    Space freed means at least one blob went.
    """
    blobs, manifests, freed = full
    freed = int(freed * share)
    if not freed:
        return 0, 0, 0
    return max(1, int(blobs * share)), int(manifests * share), freed


def _outcome(roll: float, manual: bool) -> int:
    if roll < 0.06:
        return ERROR
    if roll < (0.12 if manual else 0.09):
        return STOPPED
    return SUCCESS


def _duration(natural: float, gap: int) -> int:
    """A run's length, at least 3 s, ending well before the next run."""
    longest = 0.8 * gap
    return max(3, int(natural if natural < longest else longest))


def history_row(
    rng: random.Random,
    task_id: int,
    run: tuple[int, int],
    gap: int,
    plan: SchedulePlan,
    quirk: int = Quirk.NONE,
) -> TaskRow:
    """One finished run; ``gap`` is the time until the next run began."""
    draw = rng.random
    when, kind = run
    manual = kind == MANUAL
    status = _outcome(draw(), manual)
    dry_run = draw() < (0.35 if manual else 0.02)
    workers = 1 + int(draw() * 5) if manual else 3
    blobs, manifests, freed = figures(rng)
    if status != SUCCESS:
        # A failed or stopped run got through part of the work.
        blobs, manifests, freed = scaled((blobs, manifests, freed), 0.8 * draw())
    speed = _BYTES_PER_WORKER_SECOND * workers * (4 if dry_run else 1)
    duration = _duration(6 + freed / speed + 20 * draw(), gap)
    name = _MANUAL_NAMES[int(draw() * 6)] if manual else plan.name
    untagged = draw() < 0.5 if manual else True
    return TaskRow(
        task_id, when, when + duration, status, kind, name, workers, untagged,
        dry_run, blobs, manifests, freed, quirk,
    )  # fmt: skip


def _quirks(rng: random.Random, count: int) -> dict[int, Quirk]:
    """Positions of the deliberately untidy tasks; at least one of each."""
    wanted = (
        (Quirk.PARAMETERS_AS_STRING, max(1, count // 16)),
        (Quirk.PARAMETERS_GARBLED, max(1, count // 300)),
        (Quirk.NO_UPDATE_TIME, max(1, count // 400)),
        (Quirk.NAIVE_TIMES, max(1, count // 400)),
    )
    total = sum(n for _, n in wanted)
    if count < total:
        return {}
    positions = iter(rng.sample(range(count), total))
    return {next(positions): quirk for quirk, n in wanted for _ in range(n)}


def generate_history(
    rng: random.Random,
    count: int,
    *,
    plan: SchedulePlan,
    before: float,
    first_id: int,
    messy: bool,
) -> TaskColumns:
    """``count`` finished GC runs, all ended before ``before``.

    Ids grow with small gaps, as ids shared with other job kinds do.
    With ``messy``, a few tasks carry the untidiness real servers show.
    """
    runs = run_times(rng, plan, count, before)
    quirks = _quirks(rng, count) if messy else {}
    ends = [when for when, _ in runs[1:]] + [int(before)]
    rows = []
    task_id = first_id
    for pos, run in enumerate(runs):
        quirk = quirks.get(pos, Quirk.NONE)
        rows.append(history_row(rng, task_id, run, ends[pos] - run[0], plan, quirk))
        draw = rng.random()
        task_id += 1 if draw < 0.85 else 2 + int(draw * 40) % 6
    columns = TaskColumns()
    columns.extend(rows)
    return columns
