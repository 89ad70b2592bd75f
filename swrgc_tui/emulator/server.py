"""``EmulatorServer``: the emulator on a loopback port, in a daemon thread."""

from __future__ import annotations

import logging
import signal
import socket
import sys
import threading
from types import TracebackType
from typing import TextIO

import uvicorn

from .app import EmulatorApp
from .auth import Gatekeeper, KeyStore, TokenStore
from .clock import Clock
from .config import EmulatorConfig, Faults
from .state import EmulatorState

_START_TIMEOUT = 10.0
_STOP_TIMEOUT = 5.0

# Records go wherever the host program sends its logs, and nowhere else: with
# no handler at all, Python would print them on the terminal a TUI draws on.
for _name in ("uvicorn", "swrgc_tui.emulator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


class EmulatorServer:
    """A real HTTP server speaking SWR Enterprise's and IAM's APIs.

    Data is generated on construction; ``start()`` (or ``with``) binds the
    port and serves from a daemon thread until ``stop()``.

    Args:
        config: seed, history size, latency and clock settings.
        host: address to bind; loopback by default.
        port: port to bind; 0 picks a free one.
    """

    def __init__(
        self,
        config: EmulatorConfig | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.config = config or EmulatorConfig()
        self.host, self.port = host, port
        self.clock = Clock(self.config.start, self.config.clock_speed)
        self.state = EmulatorState(self.config, self.clock)
        self.faults = Faults(latency_ms=self.config.latency_ms, seed=self.config.seed)
        self.tokens = TokenStore(self.clock)
        self.keys = KeyStore(self.state.account, self.clock)
        gatekeeper = Gatekeeper(self.state.account, self.keys, self.tokens)
        self.app = EmulatorApp(self.state, self.tokens, gatekeeper, self.faults)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # Where and who.

    @property
    def endpoint(self) -> str:
        """Base URL of SWR and IAM alike, e.g. ``http://127.0.0.1:8123``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def region(self) -> str:
        return self.config.region

    @property
    def project_id(self) -> str:
        return self.state.account.project_id

    @property
    def ak(self) -> str:
        return self.state.account.ak

    @property
    def sk(self) -> str:
        return self.state.account.sk

    @property
    def iam_user(self) -> str:
        return self.state.account.user_name

    @property
    def iam_password(self) -> str:
        return self.state.account.password

    @property
    def iam_domain(self) -> str:
        return self.state.account.domain_name

    @property
    def main_instance_id(self) -> str:
        """Running, with ``config.tasks`` GC tasks, two of them under way."""
        return self.state.main_instance_id

    @property
    def small_instance_id(self) -> str:
        """Running, with a dozen finished GC tasks."""
        return self.state.small_instance_id

    @property
    def unavailable_instance_id(self) -> str:
        """Unavailable: its GC calls answer 409."""
        return self.state.unavailable_instance_id

    @property
    def creating_instance_id(self) -> str:
        """Still Creating: its GC calls answer 409."""
        return self.state.creating_instance_id

    # Test hooks.

    @property
    def requests(self) -> int:
        """Requests answered so far, errors included."""
        return self.app.requests

    @property
    def request_log(self) -> list[tuple[str, str, dict[str, str]]]:
        """(method, path, query) of recent requests, oldest first."""
        return self.app.request_log

    def issue_token(self, ttl_seconds: float = 86400) -> str:
        """A token for the demo project, valid ``ttl_seconds`` of emulator time."""
        token, _ = self.tokens.issue(self.project_id, ttl_seconds)
        return token

    def issue_temporary_credentials(
        self, ttl_seconds: float = 3600
    ) -> tuple[str, str, str]:
        """(AK, SK, security token) of temporary credentials for the demo
        project, valid ``ttl_seconds`` of emulator time."""
        return self.keys.issue_temporary(ttl_seconds)

    def revoke_tokens(self) -> None:
        """Every token issued so far is refused from now on."""
        self.tokens.revoke_all()

    # Life cycle.

    def start(self) -> EmulatorServer:
        """Binds the port and serves in a daemon thread; returns self."""
        if self._thread is not None:
            raise RuntimeError("the emulator is already running")
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # Naming the protocol matters: asyncio turns Nagle off only on
        # sockets whose proto is TCP, and with Nagle on, every answer written
        # in two parts waits out the client's delayed ACK (~40 ms).
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        server = uvicorn.Server(self._uvicorn_config())
        thread = threading.Thread(
            target=server.run,
            kwargs={"sockets": [sock]},
            name="swr-emulator",
            daemon=True,
        )
        thread.start()
        self._server, self._thread = server, thread
        self._wait_started(server, thread)
        return self

    def stop(self) -> None:
        """Stops serving and waits for the thread; safe to call twice."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.should_exit = True
        thread.join(_STOP_TIMEOUT)
        if thread.is_alive():
            server.force_exit = True
            thread.join(_STOP_TIMEOUT)
        self._server = self._thread = None

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _uvicorn_config(self) -> uvicorn.Config:
        # No log config: uvicorn must not attach handlers that write to the
        # terminal a TUI draws on; its loggers propagate to whatever the host
        # program set up, at WARNING.
        return uvicorn.Config(
            self.app.asgi,
            log_config=None,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=1,
        )

    def _wait_started(self, server: uvicorn.Server, thread: threading.Thread) -> None:
        deadline = _START_TIMEOUT
        step = 0.005
        while not server.started and deadline > 0:
            if not thread.is_alive():
                raise RuntimeError("the emulator failed to start")
            thread.join(step)
            deadline -= step
        if not server.started:
            self.stop()
            raise RuntimeError("the emulator did not start in time")


def describe(emu: EmulatorServer) -> str:
    """What a user needs to point a client at a running emulator."""
    lines = [
        f"SWR Enterprise emulator listening on {emu.endpoint}",
        f"  region      {emu.region}",
        f"  project id  {emu.project_id}",
        "",
        "Demo credentials (fake, for this emulator only):",
        f"  AK            {emu.ak}",
        f"  SK            {emu.sk}",
        f"  IAM user      {emu.iam_user}",
        f"  IAM password  {emu.iam_password}",
        f"  IAM account   {emu.iam_domain}",
        "",
        "Instances:",
    ]
    for instance in emu.state.instances.values():
        lines.append(f"  {instance['id']}  {instance['name']:<12} {instance['status']}")
    lines += [
        "",
        "For a client in another shell:",
        f"  export HUAWEICLOUD_SDK_AK={emu.ak}",
        f"  export HUAWEICLOUD_SDK_SK={emu.sk}",
        f"  export HUAWEICLOUD_SDK_PROJECT_ID={emu.project_id}",
        f"  export HUAWEICLOUD_SDK_IAM_ENDPOINT={emu.endpoint}",
        f"  export SWRGC_ENDPOINT={emu.endpoint}",
        f"  export SWRGC_REGION={emu.region}",
        "  swrgc-tui",
        "",
        "Press Ctrl-C to stop.",
    ]
    return "\n".join(lines)


def serve(
    config: EmulatorConfig,
    host: str = "127.0.0.1",
    port: int = 0,
    out: TextIO = sys.stdout,
) -> None:
    """Serves the emulator until interrupted (Ctrl-C) or terminated, after
    printing how to reach it. Warnings go to standard error unless logging
    is set up."""
    logging.basicConfig(level=logging.WARNING)
    stopped = threading.Event()
    # Terminated (by a service manager, say) it stops as on Ctrl-C: the
    # server closes its connections and the exit status says all went well.
    signal.signal(signal.SIGTERM, lambda _number, _frame: stopped.set())
    with EmulatorServer(config, host=host, port=port) as emu:
        print(describe(emu), file=out, flush=True)
        try:
            stopped.wait()
        except KeyboardInterrupt:
            pass
