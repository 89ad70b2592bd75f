"""Runs moving over emulator time: under way, executed, stopped, scheduled."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from swrgc_tui.api.tasks import GcTask

from .helpers import Api, error_of


def _newest(api: Api, count: int = 2) -> list[GcTask]:
    page = api.list_tasks(limit=count).json()
    return [GcTask.from_wire(task) for task in page["tasks"]]


def test_runs_under_way_at_start(frozen: Api) -> None:
    pending, running = _newest(frozen)

    assert (running.job_status, pending.job_status) == ("Running", "Pending")
    assert pending.id > running.id
    assert running.job_parameters is not None
    assert running.job_parameters.freed_space
    assert pending.job_parameters is not None
    assert pending.job_parameters.freed_space == 0


def test_running_task_grows_then_succeeds_and_the_pending_one_starts(
    frozen: Api,
) -> None:
    pending, running = _newest(frozen)
    assert running.job_parameters is not None
    freed = [running.job_parameters.freed_space]

    frozen.emu.clock.advance(30)
    later = GcTask.from_wire(frozen.task(running.id))
    assert later.job_status == "Running"
    assert later.job_parameters is not None
    freed.append(later.job_parameters.freed_space)

    frozen.emu.clock.advance(60)
    done = GcTask.from_wire(frozen.task(running.id))
    started = GcTask.from_wire(frozen.task(pending.id))

    assert done.job_status == "Success"
    assert done.job_parameters is not None
    freed.append(done.job_parameters.freed_space)
    assert freed == sorted(freed) and freed[0] < freed[-1]
    assert done.update_time is not None and done.creation_time is not None
    assert (done.update_time - done.creation_time).total_seconds() >= 120
    assert started.job_status == "Running"


def test_executed_run_goes_pending_running_success(frozen: Api) -> None:
    frozen.emu.clock.advance(600)  # let the runs under way finish
    answer = frozen.execute(workers=5, delete_untagged=True)
    gc_id = answer.json()["id"]
    statuses = [frozen.task(gc_id)["job_status"]]

    frozen.emu.clock.advance(10)
    statuses.append(frozen.task(gc_id)["job_status"])
    frozen.emu.clock.advance(60)
    final = GcTask.from_wire(frozen.task(gc_id))

    assert answer.status_code == 202
    assert gc_id == _newest(frozen, 1)[0].id
    assert statuses == ["Pending", "Running"]
    assert final.job_status == "Success"
    assert final.job_kind == "MANUAL"
    assert final.job_parameters is not None
    assert (final.job_parameters.workers, final.job_parameters.delete_untagged) == (
        5,
        True,
    )


def test_execute_queues_behind_the_runs_under_way(frozen: Api) -> None:
    gc_id = frozen.execute().json()["id"]

    frozen.emu.clock.advance(120)
    assert frozen.task(gc_id)["job_status"] == "Pending"

    frozen.emu.clock.advance(200)
    assert frozen.task(gc_id)["job_status"] == "Success"


def test_stop_running_and_pending_tasks(frozen: Api) -> None:
    pending, running = _newest(frozen)

    stop_running = frozen.stop(running.id)
    stop_pending = frozen.stop(pending.id)
    frozen.emu.clock.advance(600)
    stopped_running = GcTask.from_wire(frozen.task(running.id))
    stopped_pending = GcTask.from_wire(frozen.task(pending.id))

    assert (stop_running.status_code, stop_running.content) == (200, b"")
    assert stop_pending.status_code == 200
    assert stopped_running.job_status == "Stopped"
    assert stopped_running.job_parameters is not None
    assert (
        0
        < (stopped_running.job_parameters.freed_space or 0)
        < (running.job_parameters.freed_space or 0) * 10
    )
    assert stopped_pending.job_status == "Stopped"
    assert stopped_pending.job_parameters is not None
    assert stopped_pending.job_parameters.freed_space == 0


def test_stopping_the_running_task_starts_the_next_at_once(frozen: Api) -> None:
    pending, running = _newest(frozen)

    frozen.stop(running.id)
    frozen.emu.clock.advance(5)

    assert frozen.task(pending.id)["job_status"] == "Running"


def test_stop_finished_or_unknown_task(frozen: Api) -> None:
    finished = frozen.list_tasks(status="Success", limit=1).json()["tasks"][0]

    again = frozen.stop(finished["id"])
    unknown = frozen.stop(1)

    assert error_of(again) == (400, "SVCSTG.SWR.4000014")
    assert "already finished" in again.json()["error_msg"]
    assert error_of(unknown) == (404, "SVCSTG.SWR.4040302")


def test_execute_validates_its_body(frozen: Api) -> None:
    path = frozen.gc_path(suffix="/schedule")
    good = {"workers": 2}
    bodies = [
        {"schedule": {"type": "Custom"}, "parameters": good},
        {"schedule": {"type": "Manual"}, "parameters": {"workers": 0}},
        {"schedule": {"type": "Manual"}, "parameters": {"workers": 6}},
        {"schedule": {"type": "Manual"}, "parameters": {"workers": "2"}},
        {"schedule": {"type": "Manual"}, "parameters": {"workers": 2, "dry_run": "y"}},
        {"schedule": {"type": "Manual"}},
        [1, 2],
    ]
    before = len(frozen.walk())

    for body in bodies:
        assert error_of(frozen.http.post(path, json=body)) == (
            400,
            "SVCSTG.SWR.4000014",
        )
    not_json = frozen.http.post(path, content=b"{workers: 2")

    assert error_of(not_json) == (400, "SVCSTG.SWR.4000014")
    assert len(frozen.walk()) == before


def test_update_schedule_shows_the_new_cron_and_next_time(frozen: Api) -> None:
    path = frozen.gc_path(suffix="/schedule")
    body = {
        "schedule": {"type": "Custom", "cron": "0 15 3 * * 6"},
        "parameters": {"workers": 5, "delete_untagged": False, "dry_run": True},
    }

    answer = frozen.http.put(path, json=body)
    shown = frozen.http.get(path).json()

    assert (answer.status_code, answer.content) == (200, b"")
    assert shown["schedule"]["cron"] == "0 15 3 * * 6"
    upcoming = datetime.strptime(
        shown["schedule"]["next_scheduled_time"], "%Y-%m-%dT%H:%M:%SZ"
    ).replace(tzinfo=UTC)
    assert (upcoming.weekday(), upcoming.hour, upcoming.minute) == (5, 3, 15)
    assert 0 < (upcoming - frozen.emu.clock.now()).total_seconds() <= 7 * 86400
    assert shown["parameters"] == body["parameters"]


def test_schedule_fires_when_its_time_comes(frozen: Api) -> None:
    path = frozen.gc_path(suffix="/schedule")
    upcoming = frozen.http.get(path).json()["schedule"]["next_scheduled_time"]
    fire_at = datetime.strptime(upcoming, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    newest_before = _newest(frozen, 1)[0].id

    frozen.emu.clock.advance((fire_at - frozen.emu.clock.now()).total_seconds() + 5)
    fired = _newest(frozen, 1)[0]

    assert fired.id > newest_before
    assert fired.job_kind == "SCHEDULE"
    assert fired.creation_time == fire_at
    assert fired.job_status == "Running"


def test_schedule_of_type_none_stops_firing(frozen: Api) -> None:
    path = frozen.gc_path(suffix="/schedule")
    body = {"schedule": {"type": "None"}, "parameters": {"workers": 1}}
    frozen.http.put(path, json=body)
    count = len(frozen.walk())

    frozen.emu.clock.advance(3 * 86400)
    shown = frozen.http.get(path).json()

    assert shown["schedule"] == {"type": "None", "cron": "", "next_scheduled_time": ""}
    assert len(frozen.walk()) == count


def test_update_schedule_validates_type_cron_and_workers(frozen: Api) -> None:
    path = frozen.gc_path(suffix="/schedule")
    bodies = [
        {
            "schedule": {"type": "Weekly", "cron": "0 0 0 * * *"},
            "parameters": {"workers": 1},
        },
        {
            "schedule": {"type": "Custom", "cron": "0 0 * * *"},
            "parameters": {"workers": 1},
        },
        {
            "schedule": {"type": "Custom", "cron": "0 61 0 * * *"},
            "parameters": {"workers": 1},
        },
        {"schedule": {"type": "Custom"}, "parameters": {"workers": 1}},
        {
            "schedule": {"type": "Custom", "cron": "0 0 0 * * *"},
            "parameters": {"workers": 9},
        },
        {"parameters": {"workers": 1}},
    ]
    before = frozen.http.get(path).json()

    for body in bodies:
        assert error_of(frozen.http.put(path, json=body)) == (400, "SVCSTG.SWR.4000014")

    assert frozen.http.get(path).json() == before


def test_each_missed_scheduled_run_appears_once_after_a_long_advance(
    frozen: Api,
) -> None:
    before = {task["id"] for task in frozen.walk()}

    frozen.emu.clock.advance(3 * 86400 + 60)
    new = [task for task in frozen.walk() if task["id"] not in before]

    assert [task["job_kind"] for task in new] == ["SCHEDULE"] * 3
    assert {task["job_status"] for task in new} == {"Success"}
    created = sorted(datetime.fromisoformat(task["creation_time"]) for task in new)
    gaps = {(b - a).total_seconds() for a, b in itertools.pairwise(created)}
    assert gaps == {86400.0}
