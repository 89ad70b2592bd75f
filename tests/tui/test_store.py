"""The task store: ordering, merging, round trips, search and its footprint."""

from __future__ import annotations

import sys
import tracemalloc
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from swrgc_tui.api.tasks import GcTask
from swrgc_tui.tui.store import TaskStore

NOW = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def make_task(task_id: int, **changes: Any) -> GcTask:
    """A finished scheduled run, one hour older per id step below 1000."""
    created = NOW - timedelta(hours=1000 - task_id)
    data: dict[str, Any] = {
        "id": task_id,
        "job_name": f"gc-{task_id}",
        "job_kind": "SCHEDULE",
        "job_status": "Success",
        "creation_time": created.isoformat(),
        "update_time": (created + timedelta(seconds=185)).isoformat(),
        "job_parameters": {
            "delete_untagged": False,
            "workers": 3,
            "dry_run": False,
            "purged_blobs": 12,
            "purged_manifests": 4,
            "freed_space": 3 * 1024**3,
        },
    }
    data.update(changes)
    return GcTask.from_wire(data)


def ids(store: TaskStore) -> list[int]:
    return [store.task_id(index) for index in range(len(store))]


def test_extend_appends_and_skips_known_ids() -> None:
    store = TaskStore()
    assert store.extend([make_task(9), make_task(8), make_task(8)]) == 2
    assert store.extend([make_task(8), make_task(7)]) == 1
    assert ids(store) == [9, 8, 7]
    assert store.index_of(7) == 2 and store.index_of(6) is None


def test_merge_newer_inserts_new_tasks_on_top_newest_first() -> None:
    store = TaskStore()
    store.extend([make_task(10), make_task(9)])
    revision = store.revision
    fresh = [make_task(12), make_task(11), make_task(10, job_status="Error")]
    assert store.merge_newer(fresh) == 2
    assert ids(store) == [12, 11, 10, 9]
    assert store.status(2) == "Error"
    assert store.merge_newer([make_task(14), make_task(13), make_task(12)]) == 2
    assert ids(store) == [14, 13, 12, 11, 10, 9]
    assert [store.index_of(i) for i in (14, 11, 9)] == [0, 3, 5]
    assert store.revision != revision
    store.extend([make_task(8)])
    assert ids(store)[-2:] == [9, 8] and store.index_of(8) == 6


def test_update_replaces_values_in_place() -> None:
    store = TaskStore()
    store.extend([make_task(5, job_status="Running"), make_task(4)])
    assert store.active_ids() == [5]
    revision = store.revision
    assert store.update(make_task(5, job_status="Success")) == 0
    assert store.status(0) == "Success" and store.active_ids() == []
    assert store.status_counts()["Success"] == 2
    assert store.revision != revision
    assert store.update(make_task(99)) is None


def test_task_round_trips_the_model() -> None:
    original = make_task(7)
    store = TaskStore()
    store.extend([original])
    assert store.task(0) == original
    assert store.task(0).job_parameters == original.job_parameters


@pytest.mark.parametrize(
    "changes",
    [
        {"job_parameters": "{not json"},  # kept raw
        {"job_parameters": '{"workers": 2, "freed_space": 10}'},  # a JSON string
        {"job_parameters": None, "creation_time": None, "update_time": None},
        {"job_status": "Cancelling", "job_kind": "WEBHOOK"},
        {"extra_field": {"nested": [1, 2]}},
        {"creation_time": "2024-01-20T10:00:00.250Z"},
        {"job_parameters": {"freed_space": 2**70, "workers": 9000}},
        {"job_parameters": {"surprise": True}},
        {"job_parameters": {"workers": 0}},
        {"id": 2**64},
    ],
)
def test_task_round_trips_messy_data(changes: dict[str, Any]) -> None:
    original = make_task(3, **changes)
    store = TaskStore()
    store.extend([make_task(4), original, make_task(2)])
    rebuilt = store.task(1)
    assert rebuilt == original
    assert rebuilt.job_parameters_raw == original.job_parameters_raw
    assert rebuilt.extra == original.extra
    assert store.task_id(1) == original.id


def test_unparseable_parameters_show_as_missing_values() -> None:
    store = TaskStore()
    store.extend([make_task(3, job_parameters="garbage", job_status="Weird")])
    cells = store.row_cells(0, "relative", NOW)
    assert cells.status == "? Weird"
    assert (cells.freed, cells.dry) == ("—", "")
    assert store.status_counts()["Weird"] == 1


def test_blank_names_and_kinds_read_as_missing() -> None:
    store = TaskStore()
    store.extend([make_task(3, job_name=None, job_kind="\x07")])
    cells = store.row_cells(0, "relative", NOW)
    assert (cells.name, cells.kind) == ("—", "—")
    assert store.task(0).job_name == ""


def test_row_cells_read_like_the_table() -> None:
    store = TaskStore()
    dry = {"dry_run": True, "freed_space": 1536}
    store.extend(
        [
            make_task(999, job_parameters=dry, job_name="\x1b[31mred[/]"),
            make_task(998, job_status="Running", update_time=None),
        ]
    )
    first = store.row_cells(0, "utc", NOW)
    assert first.task_id == "999" and first.name == "red[/]"
    assert (first.freed, first.dry) == ("~1.5 KiB", "dry")
    assert first.created == "2024-03-01 11:00:00Z"
    assert first.duration == "3m 05s"
    running = store.row_cells(1, "relative", NOW)
    assert running.status == "● Running" and running.active
    assert (running.created, running.duration) == ("2h ago", "2h 00m…")


def test_status_counts_and_active_ids_follow_changes() -> None:
    store = TaskStore()
    statuses = ["Success", "Running", "Pending", "Error", "Success", "Odd"]
    store.extend(make_task(100 - i, job_status=s) for i, s in enumerate(statuses))
    counts = store.status_counts()
    assert counts == {
        "Success": 2,
        "Running": 1,
        "Pending": 1,
        "Stopped": 0,
        "Error": 1,
        "Odd": 1,
    }
    store.merge_newer([make_task(101, job_status="Pending")])
    assert store.active_ids() == [101, 99, 98]
    store.clear()
    assert len(store) == 0 and store.status_counts()["Success"] == 0


def test_find_matches_names_and_ids_and_wraps_around() -> None:
    store = TaskStore()
    names = ["nightly", "Manual-Cleanup", "nightly", "weekly"]
    store.extend(make_task(500 - i, job_name=n) for i, n in enumerate(names))
    assert store.find("manual", 0) == 1
    assert store.find("NIGHTLY", 1) == 2
    assert store.find("nightly", 3) == 0  # wrapped
    assert store.find("nightly", 1, forward=False) == 0
    assert store.find("nightly", 0, forward=False) == 0
    assert store.find("weekly", 0, forward=False) == 3
    assert store.find("498", 0) == 2
    assert store.find("#49", 1) == 1  # id prefix
    assert store.find("nothing", 0) is None
    assert store.find("   ", 0) is None
    assert TaskStore().find("x", 0) is None


def test_many_unknown_statuses_stay_exact() -> None:
    store = TaskStore()
    store.extend(make_task(1000 - i, job_status=f"S{i}") for i in range(300))
    assert store.status(299) == "S299"
    assert store.task(299).job_status == "S299"
    assert store.status_counts()["S299"] == 1


def test_memory_per_row_is_small() -> None:
    template = make_task(1)
    tasks = [
        template._replace(id=100_000 + i, job_name=f"gc-job-{i:06d}")
        for i in range(20_000)
    ]
    store = TaskStore()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for start in range(0, len(tasks), 100):
            store.extend(tasks[start : start + 100])
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # The names were made before tracing began; the store keeps them alive.
    grown += sum(sys.getsizeof(task.job_name) for task in tasks)
    assert len(store) == 20_000
    assert grown / 20_000 < 400, f"{grown / 20_000:.0f} bytes per row"
