"""Fault switches: latency, injected errors, throttling, queued failures."""

from __future__ import annotations

import time

from swrgc_tui.emulator import EmulatorServer

from .helpers import Api, error_of


def _timed(call: object) -> float:
    start = time.perf_counter()
    call()  # type: ignore[operator]
    return time.perf_counter() - start


def test_latency_delays_every_answer(emulator: EmulatorServer) -> None:
    api = Api(emulator)
    emulator.faults.latency_ms = 150

    slow = _timed(lambda: api.http.get(api.instances_path()))
    emulator.faults.latency_ms = 0
    fast = _timed(lambda: api.http.get(api.instances_path()))

    assert slow >= 0.15
    assert fast < slow


def test_slow_marker_pages_and_slow_status_filters(emulator: EmulatorServer) -> None:
    api = Api(emulator)
    marker = api.list_tasks(limit=5).json()["page_info"]["next_marker"]
    emulator.faults.slow_marker_ms = 200
    emulator.faults.status_latency_ms = {"Error": 200}

    first_page = _timed(lambda: api.list_tasks(limit=5))
    later_page = _timed(lambda: api.list_tasks(limit=5, marker=marker))
    errors = _timed(lambda: api.list_tasks(limit=5, status="Error"))
    successes = _timed(lambda: api.list_tasks(limit=5, status="Success"))

    assert later_page >= 0.2 and errors >= 0.2
    assert first_page < 0.2 and successes < 0.2


def test_error_rate_answers_internal_errors(emulator: EmulatorServer) -> None:
    api = Api(emulator)
    emulator.faults.error_rate = 1.0

    answer = api.list_tasks()

    assert error_of(answer) == (500, "SVCSTG.SWR.5000001")
    emulator.faults.error_rate = 0.3
    statuses = [api.list_tasks(limit=1).status_code for _ in range(40)]
    assert 3 <= statuses.count(500) <= 25
    assert set(statuses) == {200, 500}


def test_throttle_rate_answers_429_with_retry_after(emulator: EmulatorServer) -> None:
    api = Api(emulator)
    emulator.faults.throttle_rate = 1.0

    answer = api.http.get(api.instances_path())

    assert error_of(answer) == (429, "APIGW.0308")
    assert answer.headers["retry-after"] == "1"
    assert answer.json()["request_id"] == answer.headers["x-request-id"]


def test_fail_next_answers_queued_statuses_in_order(emulator: EmulatorServer) -> None:
    api = Api(emulator)
    emulator.faults.fail_next = [503, 401, 403, "html", 404]

    answers = [api.list_tasks() for _ in range(6)]

    assert [a.status_code for a in answers] == [503, 401, 403, 502, 404, 200]
    assert error_of(answers[0])[1].startswith("APIGW.")
    assert error_of(answers[1]) == (401, "APIGW.0307")
    assert error_of(answers[2]) == (403, "SVCSTG.SWR.4030170")
    assert answers[2].json()["encoded_authorization_message"]
    assert answers[3].headers["content-type"].startswith("text/html")
    assert "<h1>502 Bad Gateway</h1>" in answers[3].text
    assert answers[3].headers["x-request-id"]
    assert error_of(answers[4]) == (404, "SVCSTG.SWR.4040301")
    assert emulator.faults.fail_next == []


def test_fail_next_is_kept_for_gc_listings(emulator: EmulatorServer) -> None:
    api = Api(emulator)
    emulator.faults.fail_next.append(500)

    other_calls = [api.http.get(api.instances_path()), api.show(1)]
    listing = api.list_tasks()

    assert [a.status_code for a in other_calls] == [200, 404]
    assert error_of(listing) == (500, "SVCSTG.SWR.5000001")


def test_faults_reset_turns_everything_off(emulator: EmulatorServer) -> None:
    api = Api(emulator)
    faults = emulator.faults
    faults.error_rate = faults.throttle_rate = 1.0
    faults.fail_next = [500]
    faults.latency_ms = 1000

    faults.reset()

    assert _timed(lambda: api.list_tasks()) < 1.0
    assert api.list_tasks().status_code == 200


def test_requests_are_counted_and_logged(emulator: EmulatorServer) -> None:
    api = Api(emulator)
    before = emulator.requests

    api.list_tasks(limit=3, status="Error")
    api.http.get("/nowhere")

    assert emulator.requests == before + 2
    method, path, query = emulator.request_log[-2]
    assert (method, path) == ("GET", api.gc_path())
    assert query == {"limit": "3", "status": "Error"}
    assert emulator.request_log[-1][:2] == ("GET", "/nowhere")
