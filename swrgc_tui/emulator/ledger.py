"""The GC side of one Running instance: history, live runs and the schedule."""

from __future__ import annotations

import random
import time
from typing import Any

from .cron import Cron
from .errors import bad_parameter, task_not_found
from .history import SchedulePlan, figures
from .lifecycle import GcWorker, LiveTask
from .tasks import MANUAL, PENDING, SCHEDULE, TaskColumns, TaskRow

#: Scheduled runs created at once when the clock jumps far ahead; older
#: missed runs are skipped, as a scheduler that was down skips them.
_MAX_CATCH_UP = 200
#: (kind, queued how many seconds before the start, run seconds, parameters)
#: of the runs already under way when the emulator starts.
_UNDER_WAY: tuple[tuple[int, float, float, dict[str, Any]], ...] = (
    (MANUAL, 40.0, 120.0, {"delete_untagged": True, "workers": 4, "dry_run": False}),
    (MANUAL, 15.0, 45.0, {"delete_untagged": False, "workers": 2, "dry_run": True}),
)


def _format_time(moment: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment))


class GcLedger:
    """GC tasks and schedule of one instance, settled lazily to a time.

    Args:
        columns: the finished history, ids ascending.
        plan: the schedule the history followed, kept as the current one.
        parameters: the schedule's GcParameters.
        rng: decides durations and figures of runs created from now on.
        now: emulator time at creation.
    """

    def __init__(
        self,
        columns: TaskColumns,
        plan: SchedulePlan,
        parameters: dict[str, Any],
        rng: random.Random,
        now: float,
    ) -> None:
        self.columns = columns
        self._rng = random.Random(rng.getrandbits(64))
        finished = columns.updated[-1] if len(columns) else now
        self._worker = GcWorker(columns, free_at=finished)
        self._plan_name = plan.name
        self._cron: Cron | None = Cron.parse(plan.cron)
        self._parameters = parameters
        self._next_fire = self._cron.next_after(now)
        self._next_id = (columns.ids[-1] + 1) if len(columns) else 1

    def start_runs_under_way(self, count: int, now: float) -> None:
        """Queues up to two runs begun just before ``now``: one Running,
        one Pending behind it."""
        for kind, age, duration, parameters in _UNDER_WAY[:count]:
            self._enqueue(kind, now - age, duration, parameters, name=0)
        self._worker.settle(now)

    def settle(self, now: float) -> None:
        """Fires due scheduled runs and brings every live task up to ``now``."""
        fired = 0
        while self._cron and self._next_fire is not None and self._next_fire <= now:
            if fired == _MAX_CATCH_UP:
                self._next_fire = self._cron.next_after(now)
                break
            duration = self._rng.uniform(90, 150)
            self._enqueue(SCHEDULE, self._next_fire, duration, self._parameters)
            fired += 1
            self._next_fire = self._cron.next_after(self._next_fire)
        self._worker.settle(now)

    def execute(self, parameters: dict[str, Any], now: float) -> int:
        """Starts a manual run; returns its id."""
        self.settle(now)
        return self._enqueue(MANUAL, now, self._rng.uniform(25, 55), parameters, 0)

    def stop(self, task_id: int, now: float) -> None:
        """Stops a Pending or Running task; 400 if it ended, 404 if unknown."""
        self.settle(now)
        pos = self._position(task_id)
        if not self._worker.stop(pos, now):
            raise bad_parameter(f"GC task {task_id} has already finished")

    def task_json(self, task_id: int, now: float) -> str:
        """One task as ShowGcTask returns it."""
        self.settle(now)
        return self.columns.to_json(self._position(task_id))

    def page(
        self, *, before_id: int | None, status: int | None, limit: int, now: float
    ) -> tuple[list[str], int | None]:
        """Tasks newest first, and the id to continue before (None at the end)."""
        self.settle(now)
        positions, more = self.columns.newest_first(
            before_id=before_id, status=status, limit=limit
        )
        tasks = [self.columns.to_json(pos) for pos in positions]
        last = self.columns.ids[positions[-1]] if positions and more else None
        return tasks, last

    def schedule_json(self, now: float) -> dict[str, Any]:
        """The body of ShowGcSchedule."""
        self.settle(now)
        custom = self._cron is not None
        upcoming = self._cron.next_after(now) if self._cron else None
        return {
            "schedule": {
                "type": "Custom" if custom else "None",
                "cron": self._cron.expression if self._cron else "",
                "next_scheduled_time": _format_time(upcoming) if upcoming else "",
            },
            "parameters": dict(self._parameters),
        }

    def update_schedule(
        self, cron: Cron | None, parameters: dict[str, Any], now: float
    ) -> None:
        """Replaces the schedule; None stops scheduled runs."""
        self.settle(now)
        self._cron, self._parameters = cron, parameters
        self._next_fire = cron.next_after(now) if cron else None

    def _position(self, task_id: int) -> int:
        pos = self.columns.position(task_id)
        if pos is None:
            raise task_not_found(task_id)
        return pos

    def _enqueue(
        self,
        kind: int,
        created: float,
        duration: float,
        parameters: dict[str, Any],
        name: int | None = None,
    ) -> int:
        task_id, self._next_id = self._next_id, self._next_id + 1
        row = TaskRow(
            task_id=task_id,
            created=int(created),
            updated=int(created),
            status=PENDING,
            kind=kind,
            name=self._plan_name if name is None else name,
            workers=parameters["workers"],
            delete_untagged=parameters["delete_untagged"],
            dry_run=parameters["dry_run"],
        )
        pos = self.columns.append(row)
        pickup = 2.0 if kind == SCHEDULE else 4.0
        live = LiveTask(pos, created, created + pickup, duration, figures(self._rng))
        self._worker.add(live)
        return task_id
