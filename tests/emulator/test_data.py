"""Generated data: repeatable, realistic, deliberately untidy, and cheap."""

from __future__ import annotations

import json
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from swrgc_tui.api.tasks import GcTask
from swrgc_tui.emulator import Clock, EmulatorConfig
from swrgc_tui.emulator.state import EmulatorState

from .helpers import Api

START = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


def _state(**config: Any) -> EmulatorState:
    settings = EmulatorConfig(**{"start": START, "clock_speed": 0.0, **config})
    return EmulatorState(settings, Clock(settings.start, settings.clock_speed))


def _listing(state: EmulatorState, instance_id: str) -> list[dict[str, Any]]:
    body = state.list_tasks(instance_id, marker=None, limit=100, status=None)
    tasks: list[dict[str, Any]] = json.loads(body)["tasks"]
    return tasks


def test_same_seed_same_data_other_seed_other_data() -> None:
    one, again, other = _state(seed=3), _state(seed=3), _state(seed=4)

    assert one.account == again.account
    assert one.instances == again.instances
    assert _listing(one, one.main_instance_id) == _listing(
        again, again.main_instance_id
    )
    assert one.account.sk != other.account.sk
    assert _listing(one, one.main_instance_id) != _listing(
        other, other.main_instance_id
    )


def test_history_looks_like_months_of_daily_runs(api: Api) -> None:
    tasks = [GcTask.from_wire(task) for task in api.walk()]
    scheduled = [t for t in tasks if t.job_kind == "SCHEDULE"]
    created = [t.creation_time for t in tasks if t.creation_time]

    assert 200 < (max(created) - min(created)).days < 540
    assert (
        len(
            {
                (t.creation_time.hour, t.creation_time.minute)
                for t in scheduled
                if t.creation_time
            }
        )
        == 1
    )
    assert 20 < len(tasks) - len(scheduled) < 120
    assert {t.job_name for t in scheduled} == {"GARBAGE_COLLECTION"}


def test_figures_spread_over_magnitudes_and_dry_runs_estimate(api: Api) -> None:
    parameters = [GcTask.from_wire(task).job_parameters for task in api.walk()]
    readable = [p for p in parameters if p is not None]
    freed = [p.freed_space for p in readable if p.freed_space]

    assert min(freed) < 2**20 and max(freed) > 50 * 2**30
    assert {p.workers for p in readable} == {1, 2, 3, 4, 5}
    dry = [p for p in readable if p.dry_run]
    assert len(dry) > 5 and any(p.freed_space for p in dry)
    assert all((p.purged_blobs == 0) == (p.freed_space == 0) for p in readable)


def test_main_history_carries_each_kind_of_untidiness(api: Api) -> None:
    raw = api.walk()
    as_string = [t for t in raw if isinstance(t["job_parameters"], str)]
    garbled = [t for t in as_string if not _is_json(t["job_parameters"])]
    parsed = [GcTask.from_wire(t) for t in raw]

    assert len(as_string) - len(garbled) >= 10
    assert garbled
    assert any("update_time" not in t for t in raw)
    assert any(not t["creation_time"].endswith("Z") for t in raw)
    assert sum(t.parameters_unreadable for t in parsed) == len(garbled)
    assert all(t.creation_time is not None and t.creation_time.tzinfo for t in parsed)


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def test_small_instance_is_tidy_and_short() -> None:
    state = _state()

    tasks = _listing(state, state.small_instance_id)

    assert len(tasks) == 12
    assert all(isinstance(t["job_parameters"], dict) for t in tasks)
    assert all(t["creation_time"].endswith("Z") and "update_time" in t for t in tasks)
    assert {t["job_status"] for t in tasks} <= {"Success", "Error", "Stopped"}


def test_large_histories_generate_fast_and_compactly() -> None:
    started = time.process_time()
    state = _state(tasks=100_000)
    elapsed = time.process_time() - started

    columns = state.ledger(state.main_instance_id).columns
    counts = Counter(columns.status)
    print(f"\n100,000 tasks generated in {elapsed:.2f} s of CPU time")
    assert len(columns) == 100_000
    assert elapsed < 3.0
    assert counts[0] > 80_000  # Success
    ids = columns.ids
    assert all(a < b for a, b in zip(ids, ids[1:], strict=False))
