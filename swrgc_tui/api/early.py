"""The first page of GC history, asked for before the TUI has loaded.

Importing Textual and the TUI takes a few hundred milliseconds; the first page
takes a round trip or two. Asked for on a thread as the program starts, the
page is usually waiting by the time there is a screen to show it on.

Only the standard library is used here: httpx is among what is loading
meanwhile, and the thread must not wait for it. The request is the one
:class:`~swrgc_tui.api.client.SwrClient` would send for the page, signed the
same way.

It is only ever a head start. Anything unusual (an error status, a redirect,
a body that does not read as a page, a setting this module does not
reproduce) drops it, and the listing asks again through the client, which
reports the problem as it reports any other.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import threading
import time
from collections.abc import Mapping
from concurrent.futures import Future
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit

from swrgc_tui import __version__
from swrgc_tui.api.signing import canonical_query, compute_signature, format_date
from swrgc_tui.api.tasks import GcTask, TaskShapeError

if TYPE_CHECKING:
    import ssl

log = logging.getLogger(__name__)

#: Proxies are httpx's business; with one set, no head start.
_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy")
_PLAIN_ID = re.compile(r"[A-Za-z0-9_.-]+")
TIMEOUT = 10.0
#: Bytes read at most: a page of 100 tasks is some 40 KB.
MAX_BYTES = 4 * 1024 * 1024
#: Seconds after which the page is too old to show as the listing's start
#: (the first screen was something else, say a failed connection retried).
MAX_AGE = 20.0
_clock = time.monotonic

#: The tasks of a page and its next marker.
Page = tuple[list[GcTask], str | None]


class PageRequest(NamedTuple):
    """Which first page to ask for, and how to sign the request.

    ``token`` is an IAM token; without one, ``ak`` and ``sk`` sign. A named
    tuple: creating a dataclass would cost the start-up several times as much.
    """

    endpoint: str
    project_id: str
    instance_id: str
    status: str | None
    limit: int
    ak: str = ""
    sk: str = ""
    security_token: str | None = None
    token: str = ""

    def __repr__(self) -> str:
        return f"PageRequest({self.endpoint}, {self.instance_id}, {self.status})"


def can_ask_early(request: PageRequest, environ: Mapping[str, str]) -> bool:
    """Whether this module can send the request exactly as the client would."""
    names = {name.lower() for name in environ if environ[name]}
    if names.intersection(_PROXY_VARIABLES):
        return False
    if urlsplit(request.endpoint).scheme not in ("http", "https"):
        return False
    ids = (request.project_id, request.instance_id)
    return all(_PLAIN_ID.fullmatch(value) for value in ids)


class EarlyPage:
    """A first page being fetched on a thread; started on construction."""

    def __init__(self, request: PageRequest) -> None:
        self.request = request
        self._asked_at = _clock()
        self._result: Future[Page | None] = Future()
        threading.Thread(target=self._run, name="early-page", daemon=True).start()

    def answers(self, instance_id: str, status: str | None, limit: int) -> bool:
        """Whether this is the first page of that listing, and fresh."""
        wanted = self.request
        if _clock() - self._asked_at > MAX_AGE:
            return False
        return (wanted.instance_id, wanted.status, wanted.limit) == (
            instance_id,
            status,
            limit,
        )

    async def page(self) -> Page | None:
        """The page, or None if it could not be had; the caller asks again."""
        import asyncio

        return await asyncio.wrap_future(self._result)

    def _run(self) -> None:
        try:
            page = _fetch(self.request)
        except Exception as error:  # whatever it was, the client will meet it too
            log.debug("no early first page: %s", type(error).__name__)
            page = None
        self._result.set_result(page)


def _fetch(request: PageRequest) -> Page | None:
    url = urlsplit(request.endpoint)
    host = url.hostname or ""
    path = (
        f"{url.path.rstrip('/')}/v2/{request.project_id}"
        f"/instances/{request.instance_id}/system/gc"
    )
    pairs = [("limit", str(request.limit))]
    if request.status:
        pairs.append(("status", request.status))
    query = canonical_query(pairs)
    headers = _headers(request, url.netloc, path, pairs)
    answer = _get(url.scheme, host, url.port, f"{path}?{query}", headers)
    if answer is None:
        return None
    status, body = answer
    if status != 200:
        log.debug("no early first page: HTTP %d", status)
        return None
    return _read_page(body)


def _get(
    scheme: str, host: str, port: int | None, target: str, headers: dict[str, str]
) -> tuple[int, bytes] | None:
    """Status and body of one GET, or None for an answer this does not read.

    A plain socket, not http.client: that module and the email package it
    loads would cost the start-up more CPU than the request itself. The body
    must come framed by ``Content-Length``; chunked or compressed answers
    are left to the client.
    """
    lines = [f"GET {target} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items())]
    lines += ["Accept-Encoding: identity", "Connection: close", "", ""]
    # An ASCII name goes as bytes, which getaddrinfo takes as well (typeshed
    # lists str only): a str would load the IDNA codec and unicodedata just
    # to spell the name the same way.
    name = host.encode("ascii") if host.isascii() else host
    address = (name, port or (443 if scheme == "https" else 80))
    with socket.create_connection(address, timeout=TIMEOUT) as raw:  # type: ignore[arg-type]
        stream = raw
        if scheme == "https":
            stream = _tls_context(os.environ).wrap_socket(raw, server_hostname=host)
        stream.sendall("\r\n".join(lines).encode("latin-1"))
        return _read_answer(stream)


def _read_answer(stream: socket.socket) -> tuple[int, bytes] | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = stream.recv(65536)
        if not chunk or len(data) > MAX_BYTES:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *field_lines = head.split(b"\r\n")
    parts = status_line.split()
    fields = {}
    for line in field_lines:
        name, _, value = line.partition(b":")
        fields[name.strip().lower()] = value.strip().lower()
    length = fields.get(b"content-length", b"")
    plain = fields.get(b"content-encoding", b"identity") == b"identity"
    framed = plain and length.isdigit() and b"transfer-encoding" not in fields
    if len(parts) < 2 or not parts[1].isdigit() or not framed:
        return None
    size = int(length)
    if size > MAX_BYTES:
        return None
    chunks = [body]
    while (received := sum(map(len, chunks))) < size:
        chunk = stream.recv(min(65536, size - received))
        if not chunk:
            return None  # closed before the whole body came
        chunks.append(chunk)
    return int(parts[1]), b"".join(chunks)[:size]


def _tls_context(environ: Mapping[str, str]) -> ssl.SSLContext:
    """The authorities httpx would trust: the environment's, else certifi's."""
    import ssl

    if environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=environ["SSL_CERT_FILE"])
    if environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=environ["SSL_CERT_DIR"])
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def _headers(
    request: PageRequest, netloc: str, path: str, pairs: list[tuple[str, str]]
) -> dict[str, str]:
    headers = {
        "Host": netloc.rsplit("@", 1)[-1],
        "Content-Type": "application/json",
        "User-Agent": f"swrgc-tui/{__version__}",
    }
    if request.token:
        headers["X-Auth-Token"] = request.token
        return headers
    headers["X-Sdk-Date"] = format_date(datetime.now(UTC))
    headers["X-Project-Id"] = request.project_id
    if request.security_token:
        headers["X-Security-Token"] = request.security_token
    parts = compute_signature(
        secret_key=request.sk,
        method="GET",
        path=path,
        query=pairs,
        headers=headers,
        body=b"",
    )
    headers["Authorization"] = parts.authorization(request.ak)
    return headers


def _read_page(body: bytes) -> Page | None:
    data: Any = json.loads(body)
    if not isinstance(data, dict):
        return None
    raw, info = data.get("tasks") or [], data.get("page_info") or {}
    if not isinstance(raw, list) or not isinstance(info, dict):
        return None
    tasks = []
    for entry in raw:
        try:
            tasks.append(GcTask.from_wire(entry))
        except TaskShapeError:
            return None  # the client skips it, and logs why
    marker = info.get("next_marker")
    return tasks, (str(marker) if marker not in (None, "") else None)
