"""The HTTP face of the emulator: SWR's routes behind a gateway, and IAM's.

Every answer carries a fresh ``X-Request-Id``. Each SWR request passes the
gateway's steps in order: injected latency, authentication, the project in
the path, throttling and injected server errors, then the operation.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from .auth import Gatekeeper, Principal, TokenStore
from .config import HTML_FAILURE, Faults
from .errors import (
    Rejection,
    bad_parameter,
    for_status,
    internal,
    no_such_api,
    throttled,
)
from .iam import list_projects, password_login
from .params import GC_STATUSES, INSTANCE_STATUSES, read_choice, read_int
from .state import EmulatorState

_log = logging.getLogger(__name__)
Endpoint = Callable[[Request], Awaitable[Response]]
_JSON = "application/json"
_PROXY_PAGE = (
    "<html><head><title>502 Bad Gateway</title></head><body>"
    "<center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>"
    "</body></html>"
)
#: Older entries of the request log are dropped past this many.
_LOG_LIMIT = 20_000
_ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
_INSTANCE = "/v2/{project_id}/instances/{instance_id}"


def _json(body: str | dict[str, Any], status: int = 200) -> Response:
    if isinstance(body, str):
        return Response(body, status, media_type=_JSON)
    return JSONResponse(body, status)


def _empty(status: int = 200) -> Response:
    return Response(b"", status, media_type=_JSON)


async def _json_body(request: Request) -> object:
    try:
        return json.loads(await request.body())
    except ValueError:
        raise bad_parameter("the request body is not valid JSON") from None


def _gc_id(request: Request) -> int:
    text = request.path_params["gc_id"]
    try:
        return int(text)
    except ValueError:
        raise bad_parameter(f"gc_id {text!r} is not an integer") from None


class EmulatorApp:
    """The ASGI application and the request counters tests read.

    Args:
        state: instances and GC ledgers.
        tokens: tokens issued by the emulated IAM.
        gatekeeper: authenticates SWR and IAM calls.
        faults: switches read on every request.
    """

    def __init__(
        self,
        state: EmulatorState,
        tokens: TokenStore,
        gatekeeper: Gatekeeper,
        faults: Faults,
    ) -> None:
        self.state = state
        self.tokens = tokens
        self.gatekeeper = gatekeeper
        self.faults = faults
        self.requests = 0
        # Raw query strings, parsed only when the log is read: parsing each
        # one as it came cost more than answering some requests.
        self._log: list[tuple[str, str, bytes]] = []
        self.asgi = Starlette(routes=self._routes())
        self.asgi.router.redirect_slashes = False

    def _routes(self) -> list[Route]:
        swr, gc_list = self._swr, self._gc_list
        return [
            Route("/v3/auth/tokens", self._open(self.login), methods=["POST"]),
            Route("/v3/projects", self._signed(self.projects), methods=["GET"]),
            Route("/v2/{project_id}/instances", swr(self.instances), methods=["GET"]),
            Route(_INSTANCE, swr(self.instance), methods=["GET"]),
            Route(_INSTANCE + "/system/gc", gc_list(self.gc_tasks), methods=["GET"]),
            Route(
                _INSTANCE + "/system/gc/schedule",
                swr(self.gc_schedule),
                methods=["GET", "PUT", "POST"],
            ),
            Route(
                _INSTANCE + "/system/gc/{gc_id}",
                swr(self.gc_task),
                methods=["GET", "PUT"],
            ),
            Route("/{path:path}", self._open(self.no_route), methods=_ALL_METHODS),
        ]

    # The pipeline: each wrapper adds its steps around an operation.

    def _open(self, operation: Endpoint) -> Endpoint:
        async def endpoint(request: Request) -> Response:
            request_id = uuid.uuid4().hex
            self._record(request)
            try:
                await self._sleep(self.faults.latency_ms + self._extra_delay(request))
                response = await operation(request)
            except Rejection as rejection:
                response = self._rejected(rejection, request_id)
            except ClientDisconnect:
                # The client gave up (a cancelled page, say): nobody reads this.
                return Response(status_code=499)
            except Exception:
                # A fault of the emulator itself still gets the service's
                # answer, so clients exercise their 5xx path, not a hang.
                _log.exception("failed to answer %s %s", request.method, request.url)
                response = self._rejected(internal(), request_id)
            response.headers["X-Request-Id"] = request_id
            return response

        return endpoint

    def _signed(self, operation: Endpoint) -> Endpoint:
        async def authenticated(request: Request) -> Response:
            await self._authenticate(request)
            return await operation(request)

        return self._open(authenticated)

    def _swr(self, operation: Endpoint) -> Endpoint:
        async def checked(request: Request) -> Response:
            principal = await self._authenticate(request)
            principal.require_project(request.path_params["project_id"])
            if self.faults.roll(self.faults.throttle_rate):
                raise throttled()
            if self.faults.roll(self.faults.error_rate):
                raise internal()
            return await operation(request)

        return self._open(checked)

    def _gc_list(self, operation: Endpoint) -> Endpoint:
        async def failing(request: Request) -> Response:
            failure = self.faults.take_failure()
            if failure == HTML_FAILURE:
                return HTMLResponse(_PROXY_PAGE, 502)
            if isinstance(failure, int):
                raise for_status(failure, request.path_params["instance_id"])
            return await operation(request)

        return self._swr(failing)

    async def _authenticate(self, request: Request) -> Principal:
        raw_path = request.scope.get("raw_path") or request.url.path.encode()
        return self.gatekeeper.authenticate(
            method=request.method,
            path=raw_path.decode("utf-8", "replace"),
            raw_query=request.scope.get("query_string", b""),
            headers=request.headers,
            body=await request.body(),
        )

    @property
    def request_log(self) -> list[tuple[str, str, dict[str, str]]]:
        """(method, path, query) of recent requests, oldest first."""
        return [
            (
                method,
                path,
                dict(parse_qsl(query.decode("latin-1"), keep_blank_values=True)),
            )
            for method, path, query in self._log
        ]

    def _record(self, request: Request) -> None:
        self.requests += 1
        if len(self._log) >= _LOG_LIMIT:
            del self._log[: _LOG_LIMIT // 2]
        scope = request.scope
        self._log.append((request.method, scope["path"], scope["query_string"]))

    def _extra_delay(self, request: Request) -> float:
        faults = self.faults
        if not (faults.slow_marker_ms or faults.status_latency_ms):
            return 0.0
        if not request.scope["path"].endswith("/system/gc"):
            return 0.0
        query = request.query_params
        return self.faults.list_delay_ms(
            has_marker=bool(query.get("marker")), status=query.get("status") or None
        )

    @staticmethod
    async def _sleep(milliseconds: float) -> None:
        if milliseconds > 0:
            await asyncio.sleep(milliseconds / 1000)

    @staticmethod
    def _rejected(rejection: Rejection, request_id: str) -> Response:
        response = JSONResponse(rejection.body(request_id), rejection.status)
        response.headers.update(rejection.headers)
        return response

    # Operations.

    async def login(self, request: Request) -> Response:
        """IAM password login: 201 with the token in X-Subject-Token."""
        body = await _json_body(request)
        token, answer = password_login(body, self.state.account, self.tokens)
        response = _json(answer, 201)
        response.headers["X-Subject-Token"] = token
        return response

    async def projects(self, request: Request) -> Response:
        """IAM project lookup by name (the region)."""
        name = request.query_params.get("name")
        return _json(list_projects(name, self.state.account))

    async def instances(self, request: Request) -> Response:
        """ListInstance."""
        query = request.query_params
        page = self.state.list_instances(
            offset=read_int(
                "offset", query.get("offset"), default=0, low=0, high=10**9
            ),
            limit=read_int("limit", query.get("limit"), default=100, low=1, high=100),
            status=read_choice("status", query.get("status"), INSTANCE_STATUSES),
            enterprise_project=query.get("enterprise_project_id") or None,
        )
        return _json(page)

    async def instance(self, request: Request) -> Response:
        """ShowInstance."""
        return _json(self.state.show_instance(request.path_params["instance_id"]))

    async def gc_tasks(self, request: Request) -> Response:
        """ListGcTasks."""
        query = request.query_params
        body = self.state.list_tasks(
            request.path_params["instance_id"],
            marker=query.get("marker") or None,
            limit=read_int("limit", query.get("limit"), default=10, low=1, high=100),
            status=read_choice("status", query.get("status"), GC_STATUSES),
        )
        return _json(body)

    async def gc_task(self, request: Request) -> Response:
        """ShowGcTask (GET) and StopGcTask (PUT)."""
        instance_id, gc_id = request.path_params["instance_id"], _gc_id(request)
        if request.method == "PUT":
            self.state.stop_task(instance_id, gc_id)
            return _empty()
        return _json(self.state.show_task(instance_id, gc_id))

    async def gc_schedule(self, request: Request) -> Response:
        """ShowGcSchedule (GET), UpdateGcSchedule (PUT), ExecuteGcSchedule (POST)."""
        instance_id = request.path_params["instance_id"]
        if request.method == "GET":
            return _json(self.state.show_schedule(instance_id))
        body = await _json_body(request)
        if request.method == "PUT":
            self.state.update_schedule(instance_id, body)
            return _empty()
        return _json({"id": self.state.execute(instance_id, body)}, 202)

    async def no_route(self, request: Request) -> Response:
        """The gateway's answer for a path or method it does not publish."""
        raise no_such_api()
