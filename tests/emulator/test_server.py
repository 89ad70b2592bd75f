"""Starting and stopping the server, and serving from the command line."""

from __future__ import annotations

import logging
import re
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from swrgc_tui.api.auth import AkSkAuth
from swrgc_tui.emulator import EmulatorConfig, EmulatorServer

from .helpers import Api, error_of


def test_port_zero_picks_a_free_port_and_stop_frees_it() -> None:
    first = EmulatorServer(EmulatorConfig(tasks=5)).start()
    second = EmulatorServer(EmulatorConfig(tasks=5)).start()
    try:
        assert first.port != second.port != 0
        assert first.endpoint == f"http://127.0.0.1:{first.port}"
        assert httpx.get(first.endpoint + "/x").status_code == 404
    finally:
        first.stop()
        second.stop()

    with pytest.raises(httpx.ConnectError):
        httpx.get(first.endpoint + "/x")
    first.stop()  # a second stop does nothing


def test_start_twice_is_refused() -> None:
    with EmulatorServer(EmulatorConfig(tasks=5)) as emu, pytest.raises(RuntimeError):
        emu.start()


def test_serving_writes_nothing_to_the_terminal(
    capfd: pytest.CaptureFixture[str], emulator: EmulatorServer
) -> None:
    api = Api(emulator)
    api.list_tasks()
    api.list_tasks(limit=500)
    api.http.get("/missing")

    emulator.stop()

    assert capfd.readouterr() == ("", "")
    assert logging.getLogger("uvicorn.error").handlers == []


def test_a_fault_of_the_emulator_is_an_internal_error_not_a_crash(
    capfd: pytest.CaptureFixture[str],
    emulator: EmulatorServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("bug")

    monkeypatch.setattr(emulator.state, "list_tasks", broken)

    answer = Api(emulator).list_tasks()

    assert error_of(answer) == (500, "SVCSTG.SWR.5000001")
    assert "RuntimeError: bug" in caplog.text
    assert capfd.readouterr() == ("", "")


def test_a_client_hanging_up_mid_request_is_not_an_error(
    emulator: EmulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    head = b"POST /v3/auth/tokens HTTP/1.1\r\nHost: x\r\nContent-Length: 99\r\n\r\n{"
    with socket.create_connection(("127.0.0.1", emulator.port)) as sock:
        sock.sendall(head)
        deadline = time.monotonic() + 5
        while emulator.requests == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
    time.sleep(0.2)  # the server notices the hang-up while reading the body

    assert emulator.requests == 1
    assert "failed to answer" not in caplog.text


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_command_prints_how_to_connect_and_stops_on_a_signal(stop: int) -> None:
    command = [
        sys.executable,
        "-m",
        "swrgc_tui.emulator",
        "--tasks",
        "30",
        "--seed",
        "3",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    lines = []
    try:
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("Press Ctrl-C"):
                break
        text = "\n".join(lines)
        endpoint = re.search(r"listening on (http://127\.0\.0\.1:\d+)", text)
        ak = re.search(r"HUAWEICLOUD_SDK_AK=(\S+)", text)
        sk = re.search(r"HUAWEICLOUD_SDK_SK=(\S+)", text)
        project = re.search(r"HUAWEICLOUD_SDK_PROJECT_ID=(\S+)", text)
        assert endpoint and ak and sk and project
        assert re.search(r"IAM password\s+Demo-\S+", text)

        auth = AkSkAuth(ak[1], sk[1], project_id=project[1])
        answer = httpx.get(f"{endpoint[1]}/v2/{project[1]}/instances", auth=auth)
        assert answer.json()["total"] == 4
    finally:
        process.send_signal(stop)
        code = process.wait(timeout=10)

    assert code == 0
