"""One request, sent with care: timeouts, retries with backoff, logging.

:class:`Sender` is what :class:`~swrgc_tui.api.client.SwrClient` and the IAM
calls stand on. It retries what is safe to retry and turns every failure into
an exception from :mod:`swrgc_tui.api.errors` (see :mod:`._answers`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from swrgc_tui import __version__
from swrgc_tui.api._answers import error_from_response, one_line, request_id_of
from swrgc_tui.api._wire import direct_transport
from swrgc_tui.api.errors import (
    ApiError,
    ProtocolError,
    ThrottledError,
    TransportError,
)
from swrgc_tui.api.signing import canonical_query

logger = logging.getLogger("swrgc_tui.api")
USER_AGENT = f"swrgc-tui/{__version__}"


Sleep = Callable[[float], Awaitable[None]]
Params = Mapping[str, str | int | None] | None

#: Failures after which the request may not have reached the server at all, so
#: sending it again cannot run an operation twice.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
#: Failures worth another try of a request that is safe to repeat.
_TRANSIENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
#: 501 means "never", not "not now".
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Timeouts:
    """How long to wait, in seconds, for a connection and for an answer."""

    connect: float = 5.0
    read: float = 30.0

    def as_httpx(self) -> httpx.Timeout:
        """The same limits in httpx's terms (writing counts as reading)."""
        return httpx.Timeout(
            connect=self.connect, read=self.read, write=self.read, pool=self.read
        )


@dataclass(frozen=True)
class RetryPolicy:
    """How often to try a request and how long to wait between tries.

    Attributes:
        attempts: tries in all, the first included.
        base_delay: the first backoff ceiling; it doubles with each try.
        max_delay: the largest pause; a ``Retry-After`` beyond it is not
            waited for, the error is raised at once instead.
    """

    attempts: int = 4
    base_delay: float = 0.25
    max_delay: float = 8.0

    def backoff(self, attempt: int, draw: Callable[[], float] = random.random) -> float:
        """Pause after failed try number ``attempt`` (1-based): full jitter."""
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return ceiling * draw()


def check_endpoint(endpoint: str) -> str:
    """The endpoint without a trailing ``/``; ValueError when it is no URL.

    A user name or password in the URL is refused: httpx would send it as
    Basic credentials, and it would show wherever the endpoint is shown.
    """
    shown = endpoint.rsplit("@", 1)[-1]  # never echo a password
    problem = f"the endpoint must look like https://host[:port], not {shown!r}"
    try:
        url = httpx.URL(endpoint.strip())
    except httpx.InvalidURL:
        raise ValueError(problem) from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(problem)
    if url.userinfo:
        raise ValueError("the endpoint must not hold a user name or password")
    if url.query or url.fragment:
        raise ValueError(
            f"the endpoint must not have a query or fragment: {endpoint!r}"
        )
    return str(url).rstrip("/")


def _describe_failure(exc: httpx.TransportError, timeouts: Timeouts) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"no connection within {timeouts.connect:g} s"
    if isinstance(exc, httpx.ReadTimeout):
        return f"no answer within {timeouts.read:g} s"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "the endpoint must start with http:// or https://"
    detail = one_line(str(exc), 160) or type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect: {detail}"
    return f"connection failed: {detail}"


class Sender:
    """Sends requests through one transport with retries.

    Only requests that are safe to repeat (GET) are retried after an answer
    or a dropped connection; any request is retried when it never left.

    Args:
        client: the ``httpx.AsyncClient`` that owns ``transport``: its
            headers and timeouts go with every request, and closing it
            closes the connections.
        transport: what carries the requests.
        timeouts: the limits the client was made with, named in failures.
        retry: how often to try and how long to wait in between.
        sleep: what waits between tries (tests pass a fake).
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        transport: httpx.AsyncBaseTransport,
        *,
        timeouts: Timeouts,
        retry: RetryPolicy,
        sleep: Sleep | None = None,
    ) -> None:
        self.client = client
        self.timeouts = timeouts
        self.retry = retry
        self._transport = transport
        self._timeout = client.timeout.as_dict()
        self._sleep = sleep or asyncio.sleep
        self._base = str(client.base_url).rstrip("/")

    @classmethod
    def open(
        cls,
        endpoint: str,
        *,
        timeouts: Timeouts,
        retry: RetryPolicy,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep | None = None,
    ) -> Sender:
        """A sender with its own connections to ``endpoint``.

        Without a ``transport``, requests go out on kept-alive connections
        of :class:`~swrgc_tui.api._wire.KeepAliveTransport`, or through
        httpx's own transport to the proxy the environment names.

        Raises:
            ValueError: the endpoint is not a usable base URL.
        """
        base_url = check_endpoint(endpoint)
        if transport is None:
            transport = direct_transport(base_url)
        client = httpx.AsyncClient(
            base_url=base_url,
            headers={"User-Agent": USER_AGENT, "Content-Type": "application/json"},
            timeout=timeouts.as_httpx(),
            follow_redirects=False,
            transport=transport,
        )
        return cls(client, transport, timeouts=timeouts, retry=retry, sleep=sleep)

    async def send(
        self,
        method: str,
        path: str,
        *,
        auth: httpx.Auth | None = None,
        params: Params = None,
        body: bytes = b"",
    ) -> httpx.Response:
        """Sends until a success, a final failure or the last attempt.

        Returns:
            A 2xx response with its body read.

        Raises:
            ApiError: (or a subclass) for an error status.
            TransportError: when no answer came.
        """
        url = httpx.URL(self.url_for(path, params))
        attempts = max(1, self.retry.attempts)
        for attempt in range(1, attempts + 1):
            request = httpx.Request(
                method,
                url,
                headers=self.client.headers,
                content=body,
                extensions={"timeout": self._timeout},
            )
            outcome = await self._try(request, auth, attempt, attempt == attempts)
            if isinstance(outcome, httpx.Response):
                return outcome
            await self._sleep(outcome)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def url_for(self, path: str, params: Params = None) -> str:
        """The absolute URL of ``path`` with its query in canonical form.

        Built here as one string, so httpx parses it once, and in the form an
        AK/SK signature needs, so signing has nothing to rewrite.
        """
        query = canonical_query(
            (key, str(value))
            for key, value in (params or {}).items()
            if value is not None
        )
        return self._base + path + (f"?{query}" if query else "")

    async def _try(
        self, request: httpx.Request, auth: httpx.Auth | None, attempt: int, last: bool
    ) -> httpx.Response | float:
        """One attempt: the response, or how long to wait before the next."""
        started = time.perf_counter()
        try:
            response = await self._exchange(request, auth)
        except httpx.TransportError as exc:
            return self._after_failure(request, exc, attempt, last)
        except httpx.DecodingError:
            where = f"{request.method} {_place(request.url)}"
            raise ProtocolError(f"{where}: the answer's encoding is broken") from None
        _log_exchange(request, response, started)
        if response.is_success:
            return response
        return self._after_error(request, error_from_response(response), attempt, last)

    async def _exchange(
        self, request: httpx.Request, auth: httpx.Auth | None
    ) -> httpx.Response:
        """Signs ``request``, sends it and reads the answer, as
        ``httpx.AsyncClient.send`` does but for its cookie, redirect and
        event-hook layers: none of them is used here, and together they cost
        each request about as much CPU as the transport itself."""
        if auth is None:
            return await self._round_trip(request)
        flow = auth.async_auth_flow(request)
        try:
            request = await flow.__anext__()
            while True:
                response = await self._round_trip(request)
                try:
                    request = await flow.asend(response)
                except StopAsyncIteration:
                    return response
        finally:
            await flow.aclose()

    async def _round_trip(self, request: httpx.Request) -> httpx.Response:
        response = await self._transport.handle_async_request(request)
        response.request = request
        try:
            await response.aread()
        finally:
            await response.aclose()
        return response

    def _after_failure(
        self,
        request: httpx.Request,
        exc: httpx.TransportError,
        attempt: int,
        last: bool,
    ) -> float:
        retryable = isinstance(exc, _NEVER_SENT) or (
            request.method in _IDEMPOTENT and isinstance(exc, _TRANSIENT)
        )
        reason = _describe_failure(exc, self.timeouts)
        if last or not retryable:
            tries = f" (after {attempt} attempts)" if attempt > 1 else ""
            where = f"{request.method} {_place(request.url)}"
            raise TransportError(f"{where}: {reason}{tries}") from exc
        delay = self.retry.backoff(attempt)
        _log_retry(request, reason, delay, attempt)
        return delay

    def _after_error(
        self, request: httpx.Request, error: ApiError, attempt: int, last: bool
    ) -> float:
        retryable = request.method in _IDEMPOTENT and error.status in _RETRY_STATUSES
        if last or not retryable:
            raise error
        delay = self.retry.backoff(attempt)
        if isinstance(error, ThrottledError) and error.retry_after is not None:
            if error.retry_after > self.retry.max_delay:
                raise error  # waiting that long is the caller's decision
            delay = error.retry_after
        _log_retry(request, f"HTTP {error.status}", delay, attempt)
        return delay


def _place(url: httpx.URL) -> str:
    """Host, port and path of a URL: where a failure happened, no query."""
    return f"{url.netloc.decode('ascii', 'replace')}{url.path}"


def _log_exchange(
    request: httpx.Request, response: httpx.Response, started: float
) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "%s %s -> %d in %.1f ms (request id %s)",
            request.method,
            request.url.path,
            response.status_code,
            (time.perf_counter() - started) * 1000,
            request_id_of(response) or "-",
        )


def _log_retry(request: httpx.Request, reason: str, delay: float, attempt: int) -> None:
    logger.info(
        "%s %s: %s; try %d again in %.2f s",
        request.method,
        request.url.path,
        reason,
        attempt + 1,
        delay,
    )


def json_body(value: Any) -> bytes:
    """Compact JSON bytes of a request body."""
    return json.dumps(value, separators=(",", ":")).encode()
