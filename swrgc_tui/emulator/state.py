"""The whole emulated account: instances, their GC ledgers, and the operations
the routes call. No HTTP here: inputs are typed, errors are Rejections."""

from __future__ import annotations

import random
import threading
from typing import Any

from .clock import Clock
from .config import EmulatorConfig
from .data import Account, make_account, make_instances
from .errors import instance_not_found, not_running
from .history import generate_history, main_schedule, small_schedule
from .ledger import GcLedger
from .params import read_execute_body, read_marker, read_schedule_body, write_marker
from .tasks import STATUS_CODES

#: Tasks of the small instance.
SMALL_HISTORY = 12
#: The history ends this long before the start, leaving room for live runs.
_QUIET_BEFORE_START = 300.0


class EmulatorState:
    """Instances and GC ledgers generated from a config, driven by a clock.

    Every operation on GC tasks takes the state's lock: the server thread
    and a test thread may both call in.
    """

    def __init__(self, config: EmulatorConfig, clock: Clock) -> None:
        self.clock = clock
        rng = random.Random(config.seed)
        self.account: Account = make_account(rng, config.region)
        start = clock.time()
        listed = make_instances(rng, self.account, start)
        ids = [str(instance["id"]) for instance in listed]
        self.instances: dict[str, dict[str, Any]] = dict(zip(ids, listed, strict=True))
        self.main_instance_id, self.small_instance_id = ids[0], ids[1]
        self.unavailable_instance_id, self.creating_instance_id = ids[2], ids[3]
        self._ledgers = {
            self.main_instance_id: self._main_ledger(rng, config.tasks, start),
            self.small_instance_id: self._small_ledger(rng, start),
        }
        self._lock = threading.RLock()

    @staticmethod
    def _main_ledger(rng: random.Random, tasks: int, start: float) -> GcLedger:
        under_way = min(2, tasks)
        plan = main_schedule(tasks, start)
        history = generate_history(
            rng,
            tasks - under_way,
            plan=plan,
            before=start - _QUIET_BEFORE_START,
            first_id=1000 + rng.randint(0, 500),
            messy=True,
        )
        parameters = {"delete_untagged": True, "workers": 3, "dry_run": False}
        ledger = GcLedger(history, plan, parameters, rng, start)
        ledger.start_runs_under_way(under_way, start)
        return ledger

    @staticmethod
    def _small_ledger(rng: random.Random, start: float) -> GcLedger:
        plan = small_schedule(start)
        history = generate_history(
            rng,
            SMALL_HISTORY,
            plan=plan,
            before=start - _QUIET_BEFORE_START,
            first_id=101,
            messy=False,
        )
        parameters = {"delete_untagged": False, "workers": 1, "dry_run": False}
        return GcLedger(history, plan, parameters, rng, start)

    def list_instances(
        self,
        *,
        offset: int,
        limit: int,
        status: str | None,
        enterprise_project: str | None,
    ) -> dict[str, Any]:
        """ListInstance: one offset page and the total that matched."""
        matched = [
            instance
            for instance in self.instances.values()
            if status in (None, instance["status"])
            and enterprise_project in (None, instance["enterprise_project_id"])
        ]
        return {"instances": matched[offset : offset + limit], "total": len(matched)}

    def show_instance(self, instance_id: str) -> dict[str, Any]:
        """ShowInstance; 404 for an unknown id."""
        instance = self.instances.get(instance_id)
        if instance is None:
            raise instance_not_found(instance_id)
        return instance

    def list_tasks(
        self, instance_id: str, *, marker: str | None, limit: int, status: str | None
    ) -> str:
        """ListGcTasks as a JSON body: newest first, continued by a marker."""
        before_id = read_marker(marker, status) if marker else None
        code = STATUS_CODES[status] if status else None
        with self._lock:
            tasks, last_id = self.ledger(instance_id).page(
                before_id=before_id, status=code, limit=limit, now=self.clock.time()
            )
        page_info = (
            f'{{"next_marker":"{write_marker(last_id, status)}"}}'
            if last_id is not None
            else "{}"
        )
        return f'{{"page_info":{page_info},"tasks":[{",".join(tasks)}]}}'

    def show_task(self, instance_id: str, gc_id: int) -> str:
        """ShowGcTask as a JSON body; 404 for an unknown task."""
        with self._lock:
            return self.ledger(instance_id).task_json(gc_id, self.clock.time())

    def stop_task(self, instance_id: str, gc_id: int) -> None:
        """StopGcTask: a Pending or Running task becomes Stopped."""
        with self._lock:
            self.ledger(instance_id).stop(gc_id, self.clock.time())

    def execute(self, instance_id: str, body: object) -> int:
        """ExecuteGcSchedule: queues a manual run and returns its id."""
        with self._lock:
            ledger = self.ledger(instance_id)
            parameters = read_execute_body(body)
            return ledger.execute(parameters, self.clock.time())

    def show_schedule(self, instance_id: str) -> dict[str, Any]:
        """ShowGcSchedule."""
        with self._lock:
            return self.ledger(instance_id).schedule_json(self.clock.time())

    def update_schedule(self, instance_id: str, body: object) -> None:
        """UpdateGcSchedule; 400 for a bad type, cron or parameters."""
        with self._lock:
            ledger = self.ledger(instance_id)
            cron, parameters = read_schedule_body(body)
            ledger.update_schedule(cron, parameters, self.clock.time())

    def ledger(self, instance_id: str) -> GcLedger:
        """The GC ledger of a Running instance; 404 or 409 otherwise."""
        instance = self.show_instance(instance_id)
        ledger = self._ledgers.get(instance_id)
        if ledger is None or instance["status"] != "Running":
            raise not_running(instance_id, str(instance["status"]))
        return ledger
