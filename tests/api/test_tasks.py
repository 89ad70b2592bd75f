"""Reading GC runs as servers really send them, and writing them back."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone

import pytest

from swrgc_tui.api.tasks import GcTask, JobParameters, TaskShapeError

RUN = {
    "id": 42,
    "job_name": "gc-nightly",
    "job_kind": "SCHEDULE",
    "job_status": "Success",
    "creation_time": "2024-05-01T02:00:00Z",
    "update_time": "2024-05-01T02:03:05Z",
    "job_parameters": {
        "delete_untagged": True,
        "workers": 3,
        "dry_run": False,
        "purged_blobs": 120,
        "purged_manifests": 7,
        "freed_space": 5368709120,
    },
}


def test_a_documented_run_reads_field_by_field() -> None:
    task = GcTask.from_wire(RUN)

    assert (task.id, task.job_name, task.job_kind) == (42, "gc-nightly", "SCHEDULE")
    assert task.creation_time == datetime(2024, 5, 1, 2, 0, tzinfo=UTC)
    assert task.job_parameters == JobParameters(
        delete_untagged=True,
        workers=3,
        dry_run=False,
        purged_blobs=120,
        purged_manifests=7,
        freed_space=5368709120,
    )
    assert not task.is_active and not task.parameters_unreadable


def test_parameters_as_a_json_string_are_read_like_an_object() -> None:
    task = GcTask.from_wire(
        {**RUN, "job_parameters": json.dumps(RUN["job_parameters"])}
    )

    assert task.job_parameters == GcTask.from_wire(RUN).job_parameters


@pytest.mark.parametrize("garbage", ["{not json", "[1, 2]", "42"])
def test_unreadable_parameters_are_kept_raw(garbage: str) -> None:
    task = GcTask.from_wire({**RUN, "job_parameters": garbage})

    assert task.job_parameters is None
    assert task.job_parameters_raw == garbage
    assert task.parameters_unreadable
    assert task.to_wire()["job_parameters"] == garbage


def test_odd_values_become_none_and_numbers_in_text_are_read() -> None:
    params = {"workers": "4", "freed_space": "lots", "dry_run": "true", "x": [1]}
    task = GcTask.from_wire(
        {"id": "7", "job_status": None, "job_parameters": params, "creation_time": 5}
    )

    assert task.id == 7 and task.job_status == "" and task.creation_time is None
    assert task.job_parameters is not None
    assert task.job_parameters.workers == 4
    assert task.job_parameters.freed_space is None
    assert task.job_parameters.dry_run is True
    assert task.job_parameters.extra == {"x": [1]}


def test_a_naive_time_is_utc_and_an_offset_is_kept() -> None:
    task = GcTask.from_wire(
        {
            **RUN,
            "creation_time": "2024-05-01T02:00:00",
            "update_time": "2024-05-01T10:00:00+08:00",
        }
    )

    assert task.creation_time == datetime(2024, 5, 1, 2, 0, tzinfo=UTC)
    assert task.update_time is not None
    assert task.update_time.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize("bad", [None, "abc", True, 1.5, {"n": 1}])
def test_a_run_without_a_usable_id_is_refused(bad: object) -> None:
    with pytest.raises(TaskShapeError, match="integer id"):
        GcTask.from_wire({**RUN, "id": bad})


def test_unknown_fields_survive_a_round_trip() -> None:
    sent = {**RUN, "trigger": {"by": "cron"}}
    sent["job_parameters"] = {**RUN["job_parameters"], "retain": 3}

    back = GcTask.from_wire(sent).to_wire()

    assert back == sent
    assert GcTask.from_wire(back) == GcTask.from_wire(sent)


def test_times_are_written_as_the_service_writes_them() -> None:
    east = timezone(timedelta(hours=8))
    task = GcTask(
        id=1,
        creation_time=datetime(2024, 5, 1, 2, 0, tzinfo=UTC),
        update_time=datetime(2024, 5, 1, 10, 0, 0, 500000, tzinfo=east),
    )

    wire = task.to_wire()

    assert wire["creation_time"] == "2024-05-01T02:00:00Z"
    assert wire["update_time"] == "2024-05-01T10:00:00.500000+08:00"
    assert wire["job_parameters"] is None


def test_reading_runs_does_not_import_pydantic() -> None:
    code = (
        "import sys; import swrgc_tui.api.tasks, swrgc_tui.api.client;"
        "print('pydantic' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
