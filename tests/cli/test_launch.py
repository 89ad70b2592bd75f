"""What ``swrgc-tui`` hands the TUI, and the emulator subcommand as a process."""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import swrgc_tui.tui.app as tui_app
from swrgc_tui import paths
from swrgc_tui.cli import main
from swrgc_tui.state import UiState, save_state

PROGRAM = Path(sys.executable).parent / "swrgc-tui"


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Records each start of the TUI instead of drawing it."""
    calls: list[dict[str, Any]] = []

    def fake_run_tui(
        settings: Any,
        credentials: Any,
        state: Any,
        demo: Any = None,
        early_page: Any = None,
    ) -> int:
        calls.append(
            {
                "settings": settings,
                "credentials": credentials,
                "state": state,
                "demo": demo,
                "early_page": early_page,
            }
        )
        return 0

    monkeypatch.setattr(tui_app, "run_tui", fake_run_tui)
    return calls


def test_demo_points_the_tui_at_a_running_emulator(
    launched: list[dict[str, Any]],
) -> None:
    assert main(["--demo", "--refresh", "0"]) == 0

    (call,) = launched
    settings, credentials, demo = call["settings"], call["credentials"], call["demo"]
    assert settings.endpoint == settings.iam_endpoint == demo.endpoint
    assert (settings.project_id, settings.instance) == (
        demo.project_id,
        demo.main_instance_id,
    )
    assert (settings.refresh, settings.sources["refresh"]) == (0.0, "option")
    assert settings.sources["endpoint"] == "demo"
    assert (credentials.kind, credentials.ak) == ("aksk", demo.ak)


def test_remembered_state_and_found_credentials_are_passed(
    launched: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    save_state(UiState(instance="inst-9", status_filter="Error"))
    monkeypatch.setenv("SWRGC_AUTH_TOKEN", "MIItoken-for-the-tui")

    assert main(["--profile", "default"]) == 0

    (call,) = launched
    assert call["state"].status_filter == "Error"
    assert call["credentials"].describe() == "token from environment SWRGC_AUTH_TOKEN"
    assert call["demo"] is None
    assert call["early_page"] is None  # the project id is not known yet


def test_the_remembered_listing_is_asked_for_before_the_tui_loads(
    launched: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    save_state(UiState(profile="default", instance="inst-9", status_filter="Error"))
    monkeypatch.setenv("SWRGC_AUTH_TOKEN", "MIItoken-for-the-tui")
    monkeypatch.setenv("HUAWEICLOUD_SDK_PROJECT_ID", "proj-1")

    assert main(["--endpoint", "http://127.0.0.1:9", "--page-size", "40"]) == 0

    early = launched[0]["early_page"]
    assert early is not None and early.answers("inst-9", "Error", 40)
    assert (early.request.project_id, early.request.token) == (
        "proj-1",
        "MIItoken-for-the-tui",
    )


def test_without_credentials_the_tui_starts_for_a_login(
    launched: list[dict[str, Any]],
) -> None:
    assert main([]) == 0

    assert launched[0]["credentials"] is None


def test_config_warnings_are_left_to_the_tui(
    launched: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    paths.config_dir().mkdir(parents=True)
    paths.config_file().write_text('colour = "red"\n')

    assert main([]) == 0

    assert capsys.readouterr().err == ""
    assert "unknown setting 'colour'" in launched[0]["settings"].warnings[0]


def test_an_unsafe_credentials_file_stops_before_the_tui(
    launched: list[dict[str, Any]], isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secrets = isolated / ".huaweicloud" / "credentials"
    secrets.parent.mkdir()
    secrets.write_text("[basic]\nak = A\nsk = B\n")
    secrets.chmod(0o644)

    assert main([]) == 2

    assert launched == []
    assert f"chmod 600 {secrets}" in capsys.readouterr().err


def test_emulator_command_serves_until_interrupted() -> None:
    child = subprocess.Popen(
        [str(PROGRAM), "emulator", "--tasks", "30", "--seed", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert child.stdout is not None
    banner = [child.stdout.readline() for _ in range(12)]
    endpoint = banner[0].split()[-1]
    ak = next(line.split()[-1] for line in banner if line.strip().startswith("AK "))
    sk = next(line.split()[-1] for line in banner if line.strip().startswith("SK "))
    project = next(line.split()[-1] for line in banner if "project id" in line)
    try:
        listed = subprocess.run(
            [str(PROGRAM), "instances", "--format", "jsonl", "--endpoint", endpoint,
             "--project-id", project],
            env={**os.environ, "HUAWEICLOUD_SDK_AK": ak, "HUAWEICLOUD_SDK_SK": sk},
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    finally:
        child.send_signal(signal.SIGINT)
        child.wait(timeout=30)

    assert endpoint.startswith("http://127.0.0.1:")
    assert listed.returncode == 0, listed.stderr
    assert len([json.loads(line) for line in listed.stdout.splitlines()]) >= 3
    assert child.returncode == 0


def test_collections_run_again_once_a_command_is_done() -> None:
    assert main(["config", "path"]) == 0

    assert gc.isenabled()


def test_the_emulator_command_serves_with_collections_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from swrgc_tui import commands

    seen: list[bool] = []
    monkeypatch.setattr(commands, "run", lambda *_: seen.append(gc.isenabled()) or 0)

    assert main(["emulator"]) == 0

    assert seen == [True]
