"""The installed ``swrgc-tui`` program, run as a separate process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from swrgc_tui.emulator import EmulatorServer

PROGRAM = Path(sys.executable).parent / "swrgc-tui"
# Textual (and the TUI) and the emulator's server stack; rich alone is fine.
HEAVY = ("textual", "starlette", "uvicorn", "swrgc_tui.emulator", "swrgc_tui.tui")
# Runs the command line in a child and reports which heavy modules it imported.
PROBE = """
import json, sys
from swrgc_tui.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
heavy = sorted({m.split(".")[0] if not m.startswith("swrgc_tui") else m
                for m in sys.modules if m.startswith(%r)})
sys.stderr.write(json.dumps({"code": code, "heavy": heavy}) + "\\n")
"""


def environment(emu: EmulatorServer, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()}
    env.update(
        SWRGC_ENDPOINT=emu.endpoint,
        SWRGC_IAM_ENDPOINT=emu.endpoint,
        SWRGC_INSTANCE=emu.main_instance_id,
        HUAWEICLOUD_SDK_AK=emu.ak,
        HUAWEICLOUD_SDK_SK=emu.sk,
        HUAWEICLOUD_SDK_PROJECT_ID=emu.project_id,
        **extra,
    )
    return env


def test_console_script_lists_every_task(
    make_emulator: Callable[..., EmulatorServer],
) -> None:
    frozen = make_emulator(tasks=300, clock_speed=0)
    done = subprocess.run(
        [str(PROGRAM), "tasks", "--format", "json"],
        env=environment(frozen),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert (done.returncode, done.stderr) == (0, "")
    ids = [task["id"] for task in json.loads(done.stdout)]
    assert len(ids) == len(set(ids)) == 300


@pytest.mark.parametrize(
    "argv",
    [["tasks", "--max", "2"], ["--help"], ["tasks", "--help"], ["config", "path"]],
)
def test_headless_paths_import_no_ui_and_no_server(
    emulator_session: EmulatorServer, argv: list[str]
) -> None:
    probe = PROBE % (HEAVY,)
    done = subprocess.run(
        [sys.executable, "-c", probe, *argv],
        env=environment(emulator_session),
        capture_output=True,
        text=True,
        timeout=60,
    )

    report = json.loads(done.stderr.splitlines()[-1])
    assert report == {"code": 0, "heavy": []}


# Imports what the command line needs before the TUI starts, resolves the
# settings of a profile and reads the remembered state, then tells whether
# any of it brought in pydantic.
START_PROBE = """
import argparse, os, sys
from pathlib import Path
import swrgc_tui.cli, swrgc_tui.config, swrgc_tui.state
from swrgc_tui.config import resolve_settings
from swrgc_tui.state import load_state
settings = resolve_settings(argparse.Namespace(), os.environ)
state = load_state(Path(sys.argv[1]))
assert (settings.region, settings.page_size) == ("ap-southeast-1", 50), settings
assert (state.instance, state.time_mode) == ("inst-9", "utc"), state
print("pydantic" in sys.modules)
"""


def test_start_up_and_settings_do_not_import_pydantic(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        'default_profile = "prod"\n[keys]\nquit = "q"\n'
        '[profiles.prod]\nregion = "ap-southeast-1"\npage_size = 50\n',
        encoding="utf-8",
    )
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"instance": "inst-9", "time_mode": "utc"}))
    done = subprocess.run(
        [sys.executable, "-c", START_PROBE, str(state)],
        env={**os.environ, "SWRGC_CONFIG": str(config)},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert (done.returncode, done.stderr, done.stdout) == (0, "", "False\n")


def test_a_reader_that_leaves_early_ends_the_listing_quietly(
    make_emulator: Callable[..., EmulatorServer],
) -> None:
    emu = make_emulator(tasks=3000)
    child = subprocess.Popen(
        [str(PROGRAM), "tasks", "--format", "jsonl"],
        env=environment(emu),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None

    first = child.stdout.readline()
    child.stdout.close()
    code = child.wait(timeout=60)

    assert json.loads(first)["id"] > 0
    assert code == 0
    assert child.stderr.read() == b""
    assert emu.requests < 3000 // 100


def test_ctrl_c_exits_130_without_a_traceback(
    make_emulator: Callable[..., EmulatorServer],
) -> None:
    emu = make_emulator(tasks=50)
    emu.faults.latency_ms = 10_000
    child = subprocess.Popen(
        [str(PROGRAM), "tasks"],
        env=environment(emu),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while emu.requests == 0 and time.monotonic() < deadline:
        time.sleep(0.02)

    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=30)

    assert child.returncode == 130
    assert b"Traceback" not in err
