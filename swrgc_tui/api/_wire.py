"""A lean HTTP/1.1 transport for httpx: kept-alive connections on asyncio streams.

httpx's own transport (httpcore on anyio, with h11 handling every event in
Python) spends about a millisecond of CPU on each request: more than the
emulator takes to answer a page of 100 tasks, on every page of a listing
that is hundreds of pages long. An API answer comes in one of three
framings, which byte operations in C read in microseconds, so this
transport speaks just that much HTTP/1.1 and leaves everything else (URLs,
headers, auth, content decoding) to httpx.

What it does not do, the caller avoids: proxies (:func:`direct_transport`
hands those endpoints to httpx's own transport), HTTP/2, upgrades.
"""

from __future__ import annotations

import asyncio
import re
import time
import urllib.request
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    import ssl

Origin = tuple[str, str, int]
Pairs = list[tuple[bytes, bytes]]

_PORTS = {"http": 80, "https": 443}
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})
_NO_BODY = frozenset({204, 304})
_LINE_BREAKS = re.compile(rb"[\r\n\0]")
_HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")
_TIMEOUTS: dict[str, type[httpx.TimeoutException]] = {
    "connect": httpx.ConnectTimeout,
    "write": httpx.WriteTimeout,
    "read": httpx.ReadTimeout,
}
_FAILURES: dict[str, type[httpx.TransportError]] = {
    "connect": httpx.ConnectError,
    "write": httpx.WriteError,
    "read": httpx.ReadError,
}


class _Unanswered(httpx.RemoteProtocolError):
    """The connection ended before a single byte of the answer came."""


@dataclass
class _Head:
    """Status line and headers of an answer."""

    version: bytes
    status: int
    reason: bytes
    headers: Pairs

    def tokens(self, name: bytes) -> list[bytes]:
        """Comma-separated values of a header, lower-cased, over all its lines."""
        found = (value for key, value in self.headers if key.lower() == name)
        return [t.strip().lower() for v in found for t in v.split(b",") if t.strip()]


class _Connection:
    """One TCP (or TLS) connection and when it was last handed back."""

    def __init__(
        self, origin: Origin, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.origin = origin
        self.reader = reader
        self.writer = writer
        self.idle_since = time.monotonic()

    def reusable(self, now: float, expiry: float) -> bool:
        """Whether it may carry another request: open, quiet, not too old."""
        return (
            now - self.idle_since < expiry
            and not self.reader.at_eof()
            and not self.writer.is_closing()
        )

    def close(self) -> None:
        self.writer.close()


class KeepAliveTransport(httpx.AsyncBaseTransport):
    """Sends each request on a kept-alive HTTP/1.1 connection to its origin.

    Concurrent requests each get a connection of their own; up to
    ``max_idle`` connections per origin wait for the next request, each
    for ``idle_expiry`` seconds (a little under the common server-side
    five). A GET whose reused connection turns out closed by the server
    is sent again once on a new one, before any error is raised.

    Args:
        verify: whether to check the server's TLS certificate (https only).
        max_idle: connections kept open per origin between requests.
        idle_expiry: seconds an idle connection is trusted to stay open.
    """

    def __init__(
        self, *, verify: bool = True, max_idle: int = 8, idle_expiry: float = 4.0
    ) -> None:
        self._verify = verify
        self._max_idle = max_idle
        self._idle_expiry = idle_expiry
        self._tls: ssl.SSLContext | None = None
        self._idle: dict[Origin, list[_Connection]] = {}
        self._open: set[_Connection] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Sends ``request`` and reads the whole answer."""
        origin = _origin(request.url)
        payload = _request_head(request) + await _request_body(request)
        timeouts: Mapping[str, float | None] = request.extensions.get("timeout", {})
        connection = self._checkout(origin)
        if connection is not None:
            try:
                return await self._exchange(connection, request, payload, timeouts)
            except _Unanswered:
                if request.method not in _IDEMPOTENT:
                    raise
        connection = await self._connect(origin, request, timeouts.get("connect"))
        return await self._exchange(connection, request, payload, timeouts)

    async def aclose(self) -> None:
        """Closes every connection, idle or not."""
        connections, self._open = self._open, set()
        self._idle.clear()
        for connection in connections:
            connection.close()
        for connection in connections:
            with suppress(OSError, TimeoutError):
                async with asyncio.timeout(1.0):
                    await connection.writer.wait_closed()

    def _checkout(self, origin: Origin) -> _Connection | None:
        idle = self._idle.get(origin)
        now = time.monotonic()
        while idle:
            connection = idle.pop()
            if connection.reusable(now, self._idle_expiry):
                return connection
            self._drop(connection)
        return None

    def _checkin(self, connection: _Connection) -> None:
        idle = self._idle.setdefault(connection.origin, [])
        if len(idle) >= self._max_idle:
            self._drop(connection)
            return
        connection.idle_since = time.monotonic()
        idle.append(connection)

    def _drop(self, connection: _Connection) -> None:
        self._open.discard(connection)
        connection.close()

    async def _connect(
        self, origin: Origin, request: httpx.Request, seconds: float | None
    ) -> _Connection:
        scheme, host, port = origin
        tls = self._tls_context() if scheme == "https" else None
        async with _phase("connect", request, seconds):
            reader, writer = await asyncio.open_connection(
                host, port, ssl=tls, server_hostname=host if tls else None
            )
        connection = _Connection(origin, reader, writer)
        self._open.add(connection)
        return connection

    def _tls_context(self) -> ssl.SSLContext:
        # Made on the first https connection only: loading the CA bundle
        # takes a tenth of a second that a plain-http endpoint never needs.
        if self._tls is None:
            self._tls = httpx.create_ssl_context(verify=self._verify)
            self._tls.set_alpn_protocols(["http/1.1"])
        return self._tls

    async def _exchange(
        self,
        connection: _Connection,
        request: httpx.Request,
        payload: bytes,
        timeouts: Mapping[str, float | None],
    ) -> httpx.Response:
        try:
            head, body, framed = await _converse(connection, request, payload, timeouts)
        except BaseException:
            # Cancelled or failed halfway: what is left on the wire is unknown.
            self._drop(connection)
            raise
        if framed and _keeps_alive(head, request):
            self._checkin(connection)
        else:
            self._drop(connection)
        return httpx.Response(
            head.status,
            headers=head.headers,
            stream=httpx.ByteStream(body),
            extensions={"http_version": head.version, "reason_phrase": head.reason},
        )


def direct_transport(endpoint: str) -> httpx.AsyncBaseTransport:
    """The transport to reach ``endpoint`` by: a :class:`KeepAliveTransport`,
    or httpx's own one to the proxy the environment names for it."""
    url = httpx.URL(endpoint)
    proxies = urllib.request.getproxies()
    proxy = proxies.get(url.scheme) or proxies.get("all")
    if not proxy or urllib.request.proxy_bypass(url.host):
        return KeepAliveTransport()
    # The rule httpx applies to proxy settings without a scheme.
    proxy = proxy if "://" in proxy else f"http://{proxy}"
    return httpx.AsyncHTTPTransport(proxy=proxy)


def _origin(url: httpx.URL) -> Origin:
    if url.scheme not in _PORTS:
        raise httpx.UnsupportedProtocol(f"unsupported URL scheme {url.scheme!r}")
    return url.scheme, url.host, url.port or _PORTS[url.scheme]


def _request_head(request: httpx.Request) -> bytes:
    lines = [
        request.method.encode("ascii") + b" " + request.url.raw_path + b" HTTP/1.1"
    ]
    for name, value in request.headers.raw:
        # A line break in a header would start a header (or request) of its own.
        if _LINE_BREAKS.search(name) or _LINE_BREAKS.search(value):
            raise httpx.LocalProtocolError(f"the header {name!r} holds a line break")
        lines.append(name + b": " + value)
    return b"\r\n".join(lines) + b"\r\n\r\n"


async def _request_body(request: httpx.Request) -> bytes:
    body = await request.aread()
    if "Transfer-Encoding" not in request.headers:
        return body
    chunk = b"%x\r\n%s\r\n" % (len(body), body) if body else b""
    return chunk + b"0\r\n\r\n"


@asynccontextmanager
async def _phase(
    name: str, request: httpx.Request, seconds: float | None
) -> AsyncIterator[None]:
    """Turns what goes wrong while connecting, writing or reading into the
    exception httpx raises for it, with the time limit of that phase."""
    try:
        async with asyncio.timeout(seconds):
            yield
    except TimeoutError:
        raise _TIMEOUTS[name](f"{name} timed out", request=request) from None
    except asyncio.IncompleteReadError as exc:
        message = "the server closed the connection in the middle of its answer"
        raise httpx.RemoteProtocolError(message, request=request) from exc
    except asyncio.LimitOverrunError as exc:
        message = "a line of the answer, or its headers, is too long"
        raise httpx.RemoteProtocolError(message, request=request) from exc
    except OSError as exc:
        detail = str(exc) or type(exc).__name__
        raise _FAILURES[name](detail, request=request) from exc


async def _converse(
    connection: _Connection,
    request: httpx.Request,
    payload: bytes,
    timeouts: Mapping[str, float | None],
) -> tuple[_Head, bytes, bool]:
    """Writes the request and reads the answer: head, body, and whether the
    body's end was marked (else the connection ended it and is spent)."""
    async with _phase("write", request, timeouts.get("write")):
        try:
            connection.writer.write(payload)
            await connection.writer.drain()
        except (BrokenPipeError, ConnectionResetError) as exc:
            raise _Unanswered(str(exc), request=request) from exc
    async with _phase("read", request, timeouts.get("read")):
        head = await _read_head(connection.reader, request)
        body, framed = await _read_body(connection.reader, head, request.method)
    return head, body, framed


async def _read_head(reader: asyncio.StreamReader, request: httpx.Request) -> _Head:
    while True:
        try:
            raw = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionResetError) as exc:
            partial = getattr(exc, "partial", b"")
            if partial:
                raise
            message = "the server closed the connection without answering"
            raise _Unanswered(message, request=request) from exc
        head = _parse_head(raw, request)
        # Interim answers (100 Continue, 103 Early Hints) precede the real one.
        if not 100 <= head.status < 200:
            return head
        if head.status == 101:
            message = "the server switched protocols"
            raise httpx.RemoteProtocolError(message, request=request)


def _parse_head(raw: bytes, request: httpx.Request) -> _Head:
    status_line, *lines = raw[:-4].split(b"\r\n")
    version, _, rest = status_line.partition(b" ")
    code, _, reason = rest.partition(b" ")
    if not version.startswith(b"HTTP/1.") or len(code) != 3 or not code.isdigit():
        message = f"not an HTTP/1.1 answer: {status_line[:80]!r}"
        raise httpx.RemoteProtocolError(message, request=request)
    headers: Pairs = []
    for line in lines:
        name, colon, value = line.partition(b":")
        if not colon or not name or name.strip() != name:
            message = f"a malformed header line: {line[:80]!r}"
            raise httpx.RemoteProtocolError(message, request=request)
        headers.append((name, value.strip(b" \t")))
    return _Head(version, int(code), reason, headers)


async def _read_body(
    reader: asyncio.StreamReader, head: _Head, method: str
) -> tuple[bytes, bool]:
    if method == "HEAD" or head.status in _NO_BODY:
        return b"", True
    codings = head.tokens(b"transfer-encoding")
    if codings:
        if codings != [b"chunked"]:
            shown = b", ".join(codings)[:80]
            raise httpx.RemoteProtocolError(f"unsupported transfer coding {shown!r}")
        return await _read_chunks(reader), True
    lengths = set(head.tokens(b"content-length"))
    if not lengths:
        return await reader.read(), False
    length = lengths.pop()
    if lengths or not length.isdigit():
        raise httpx.RemoteProtocolError("the answer's Content-Length is not a number")
    return await reader.readexactly(int(length)), True


async def _read_chunks(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while True:
        line = await reader.readuntil(b"\r\n")
        size = line.split(b";", 1)[0].strip()
        if not _HEX.fullmatch(size):
            raise httpx.RemoteProtocolError(f"a malformed chunk size: {size[:20]!r}")
        if size.strip(b"0") == b"":
            break
        parts.append(await reader.readexactly(int(size, 16)))
        if await reader.readexactly(2) != b"\r\n":
            raise httpx.RemoteProtocolError("a chunk does not end where it said")
    while await reader.readuntil(b"\r\n") != b"\r\n":
        pass  # trailer fields: nothing here uses them
    return b"".join(parts)


def _keeps_alive(head: _Head, request: httpx.Request) -> bool:
    if head.version != b"HTTP/1.1" or b"close" in head.tokens(b"connection"):
        return False
    return "close" not in request.headers.get("Connection", "").lower()
