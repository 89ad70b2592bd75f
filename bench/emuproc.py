"""The emulator in a process of its own, so it never shares a GIL with a measurement.

``python -m bench.emuproc --tasks N --latency MS`` starts
:class:`swrgc_tui.emulator.EmulatorServer`, prints one JSON line describing
it (endpoint, project, demo credentials, instance ids, newest task) and
serves until its standard input closes. :class:`EmulatorProcess` is the side
the benchmarks use.
"""

from __future__ import annotations

import argparse
import json
import select
import subprocess
import sys
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from bench.procs import REPO_ROOT

STARTUP_TIMEOUT = 120.0


@dataclass(frozen=True)
class EmulatorInfo:
    """How to reach a running emulator and what it serves."""

    endpoint: str
    project_id: str
    region: str
    ak: str
    sk: str
    main_instance_id: str
    small_instance_id: str
    newest_task_id: int
    newest_task_name: str


def _newest_task(emu: Any) -> dict[str, Any]:
    import httpx

    url = f"{emu.endpoint}/v2/{emu.project_id}/instances/{emu.main_instance_id}"
    headers = {"X-Auth-Token": emu.issue_token(), "Content-Type": "application/json"}
    reply = httpx.get(f"{url}/system/gc", params={"limit": 1}, headers=headers)
    reply.raise_for_status()
    task: dict[str, Any] = reply.json()["tasks"][0]
    return task


def _describe(emu: Any) -> EmulatorInfo:
    newest = _newest_task(emu)
    return EmulatorInfo(
        endpoint=emu.endpoint,
        project_id=emu.project_id,
        region=emu.region,
        ak=emu.ak,
        sk=emu.sk,
        main_instance_id=emu.main_instance_id,
        small_instance_id=emu.small_instance_id,
        newest_task_id=int(newest["id"]),
        newest_task_name=str(newest.get("job_name") or ""),
    )


def serve(tasks: int, latency_ms: float, seed: int) -> None:
    """Serves an emulator until standard input closes."""
    from swrgc_tui.emulator import EmulatorConfig, EmulatorServer

    config = EmulatorConfig(seed=seed, tasks=tasks, latency_ms=0.0)
    with EmulatorServer(config, host="127.0.0.1", port=0) as emu:
        info = _describe(emu)
        # Latency is switched on only after the description was read, so
        # asking for the newest task does not pay it.
        emu.faults.latency_ms = latency_ms
        sys.stdout.write(json.dumps(info.__dict__) + "\n")
        sys.stdout.flush()
        sys.stdin.read()


class EmulatorProcess:
    """Starts ``bench.emuproc`` as a child and stops it on exit.

    Args:
        tasks: history size of the main instance.
        latency_ms: latency the emulator adds to every request.
        seed: seed of the generated data.
    """

    def __init__(self, tasks: int, latency_ms: float = 0.0, seed: int = 7) -> None:
        self._argv = [
            sys.executable,
            "-m",
            "bench.emuproc",
            f"--tasks={tasks}",
            f"--latency={latency_ms}",
            f"--seed={seed}",
        ]
        self._proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> EmulatorInfo:
        self._proc = subprocess.Popen(
            self._argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO_ROOT,
        )
        assert self._proc.stdout is not None
        ready, _, _ = select.select([self._proc.stdout], [], [], STARTUP_TIMEOUT)
        line = self._proc.stdout.readline() if ready else ""
        if not line:
            self._stop()
            raise RuntimeError("the emulator did not start: " + " ".join(self._argv))
        return EmulatorInfo(**json.loads(line))

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop()

    def _stop(self) -> None:
        if self._proc is None:
            return
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._proc = None


def main(argv: list[str] | None = None) -> None:
    """Parses the child's command line and serves."""
    parser = argparse.ArgumentParser(prog="python -m bench.emuproc")
    parser.add_argument("--tasks", type=int, default=400)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    serve(args.tasks, args.latency, args.seed)


if __name__ == "__main__":
    main()
