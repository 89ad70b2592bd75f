"""Tasks that are still changing: queued, running, stopped, finished.

An instance runs one GC job at a time, as Harbor does; later jobs wait as
Pending. Nothing ticks in the background: each request settles the queue
at the current emulator time, writing every live task's status and growing
figures into the task columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from .history import scaled
from .tasks import PENDING, RUNNING, STOPPED, SUCCESS, TaskColumns

_ACTIVE = (PENDING, RUNNING)


@dataclass
class LiveTask:
    """A task whose status still depends on time.

    Attributes:
        pos: its row in the task columns.
        created: when it was queued.
        ready_at: the earliest it can start (the job service's pick-up delay).
        duration: how long it runs when left alone.
        final: (purged_blobs, purged_manifests, freed_space) once complete.
        stopped_at: when a stop was asked for, if one was.
    """

    pos: int
    created: float
    ready_at: float
    duration: float
    final: tuple[int, int, int]
    stopped_at: float | None = None

    def never_ran(self, start: float) -> bool:
        """True when it was stopped while still waiting for the worker."""
        return self.stopped_at is not None and self.stopped_at <= start

    def state_at(self, now: float, start: float) -> tuple[int, int, float]:
        """(status, update time, share of the work done) at ``now``."""
        if self.never_ran(start):
            return STOPPED, int(self.stopped_at or start), 0.0
        if now < start:
            return PENDING, int(self.created), 0.0
        natural_end = start + self.duration
        end = self.end(start)
        done = min((min(now, end) - start) / self.duration, 1.0)
        if now < end:
            return RUNNING, int(now), done
        return (SUCCESS if end >= natural_end else STOPPED), int(end), done

    def end(self, start: float) -> float:
        """When the task frees the worker, given when it started."""
        natural = start + self.duration
        return natural if self.stopped_at is None else min(natural, self.stopped_at)

    def figures_at(self, done: float) -> tuple[int, int, int]:
        """The purge figures once ``done`` (0..1) of the work is through."""
        return scaled(self.final, done)


class GcWorker:
    """The one GC worker of an instance and its queue of live tasks.

    Args:
        columns: where task rows live; live rows are rewritten on settle.
        free_at: when the worker finished its last retired task.
    """

    def __init__(self, columns: TaskColumns, free_at: float) -> None:
        self._columns = columns
        self._free_at = free_at
        self._live: list[LiveTask] = []

    def add(self, task: LiveTask) -> None:
        """Queues a task behind every other live one."""
        self._live.append(task)

    def is_active(self, pos: int, now: float) -> bool:
        """True while the task at ``pos`` is Pending or Running."""
        self.settle(now)
        return self._columns.status[pos] in _ACTIVE

    def stop(self, pos: int, now: float) -> bool:
        """Stops a Pending or Running task; False if it has already ended."""
        if not self.is_active(pos, now):
            return False
        task = next(task for task in self._live if task.pos == pos)
        task.stopped_at = now
        self.settle(now)
        return True

    def settle(self, now: float) -> None:
        """Writes every live task's state at ``now``; forgets finished ones."""
        free_at = self._free_at
        keep: list[LiveTask] = []
        for task in self._live:
            start = max(task.ready_at, free_at)
            status, updated, done = task.state_at(now, start)
            self._columns.set_progress(task.pos, status, updated, task.figures_at(done))
            if not task.never_ran(start):
                free_at = task.end(start)
            if keep or status in _ACTIVE:
                keep.append(task)
            else:
                # Retired strictly in order, so later starts never look back.
                self._free_at = free_at
        self._live = keep
