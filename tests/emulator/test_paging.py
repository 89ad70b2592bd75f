"""Marker paging: the whole history exactly once, newest first."""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Callable

import pytest

from swrgc_tui.emulator import EmulatorServer
from swrgc_tui.emulator.params import GC_STATUSES

from .helpers import Api


def test_walk_covers_every_task_once_newest_first(api: Api) -> None:
    tasks = api.walk(limit=37)
    ids = [task["id"] for task in tasks]

    assert len(ids) == 400
    assert len(set(ids)) == 400
    assert ids == sorted(ids, reverse=True)


@pytest.mark.parametrize("status", GC_STATUSES)
def test_filtered_walk_matches_the_full_history(api: Api, status: str) -> None:
    everything = [t["id"] for t in api.walk() if t["job_status"] == status]

    filtered = api.walk(status=status, limit=7)

    assert [t["id"] for t in filtered] == everything
    assert {t["job_status"] for t in filtered} <= {status}


def test_history_has_every_outcome_in_believable_shares(api: Api) -> None:
    counts = Counter(task["job_status"] for task in api.walk())

    assert counts["Running"] == counts["Pending"] == 1
    assert counts["Success"] > 300
    assert 5 <= counts["Error"] <= 60
    assert 5 <= counts["Stopped"] <= 60


def test_last_page_has_no_marker_even_when_full(api: Api) -> None:
    pages = []
    query: dict[str, object] = {"limit": 100}
    while True:
        page = api.list_tasks(**query).json()
        pages.append(page)
        if "next_marker" not in page["page_info"]:
            break
        query["marker"] = page["page_info"]["next_marker"]

    assert [len(page["tasks"]) for page in pages] == [100, 100, 100, 100]


def test_markers_are_opaque_url_safe_text(api: Api) -> None:
    marker = api.list_tasks(limit=3, status="Success").json()["page_info"][
        "next_marker"
    ]

    assert set(marker) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_="
    )
    assert base64.urlsafe_b64decode(marker)  # decodable, yet clients never need to


def test_new_tasks_do_not_disturb_a_walk_in_progress(frozen: Api) -> None:
    first = frozen.list_tasks(limit=50).json()
    frozen.emu.clock.advance(600)
    for _ in range(3):
        assert frozen.execute().status_code == 202
    rest = frozen.walk()
    rest_after_marker = []
    query = {"limit": 100, "marker": first["page_info"]["next_marker"]}
    while True:
        page = frozen.list_tasks(**query).json()
        rest_after_marker += page["tasks"]
        if "next_marker" not in page["page_info"]:
            break
        query["marker"] = page["page_info"]["next_marker"]

    ids = [t["id"] for t in first["tasks"] + rest_after_marker]
    assert len(ids) == len(set(ids)) == 400
    assert len(rest) == 403


def test_long_histories_page_to_the_end(
    make_emulator: Callable[..., EmulatorServer],
) -> None:
    client = Api(make_emulator(tasks=20_000, clock_speed=0.0))

    errors = client.walk(status="Error")
    ids = [task["id"] for task in client.walk()]

    assert len(ids) == len(set(ids)) == 20_000
    assert ids == sorted(ids, reverse=True)
    assert errors and {t["job_status"] for t in errors} == {"Error"}


def test_tiny_and_empty_histories(make_emulator: Callable[..., EmulatorServer]) -> None:
    empty = Api(make_emulator(tasks=0, clock_speed=0.0))
    single = Api(make_emulator(tasks=1, clock_speed=0.0))

    assert empty.list_tasks().json() == {"page_info": {}, "tasks": []}
    assert [t["job_status"] for t in single.walk()] == ["Running"]
