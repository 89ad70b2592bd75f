"""A loopback HTTP server that answers from a script, for tests of the wire."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

#: Script entries that are not bytes to send.
HANG = "hang"  # read the request, never answer
DROP = "drop"  # read the request, close the connection without answering

Reply = bytes | str
Answer = Callable[[bytes], Reply]


def server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    """A server's TLS context presenting ``certificate`` (cert, key)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def ok(body: bytes = b"ok", *extra: str) -> bytes:
    """A 200 answer framed by Content-Length."""
    headers = "".join(f"{line}\r\n" for line in extra)
    head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n{headers}\r\n"
    return head.encode() + body


@dataclass
class ScriptedServer:
    """Answers each request with the next entry of ``replies`` (or ``answer``).

    Records every request (head and body) and counts connections, so tests
    can tell which requests shared one.
    """

    replies: list[Reply] = field(default_factory=list)
    answer: Answer | None = None
    tls: ssl.SSLContext | None = None
    requests: list[bytes] = field(default_factory=list)
    connections: int = 0
    closed_by_client: int = 0
    url: str = ""
    _server: asyncio.Server | None = None

    async def __aenter__(self) -> ScriptedServer:
        self._server = await asyncio.start_server(
            self._serve, "127.0.0.1", 0, ssl=self.tls
        )
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"{'https' if self.tls else 'http'}://127.0.0.1:{port}"
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.connections += 1
        try:
            while await self._answer_one(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError):
            self.closed_by_client += 1
        finally:
            writer.close()

    async def _answer_one(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        head = await reader.readuntil(b"\r\n\r\n")
        body = await reader.readexactly(_content_length(head))
        self.requests.append(head + body)
        reply = self.answer(head) if self.answer else self.replies.pop(0)
        if reply == HANG:
            await asyncio.sleep(3600)
        if reply == DROP or isinstance(reply, str):
            return False
        writer.write(reply)
        await writer.drain()
        # An answer without a length ends with the connection, as does "close".
        if b"Connection: close" in reply:
            return False
        return b"Content-Length" in reply or b"chunked" in reply


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0
