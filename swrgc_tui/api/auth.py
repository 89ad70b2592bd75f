"""Authentication of requests as ``httpx.Auth`` flows.

Two ways to prove who is asking, as Huawei Cloud's gateway accepts them:

- :class:`TokenAuth` sends an IAM token in ``X-Auth-Token``;
- :class:`AkSkAuth` signs each request with SDK-HMAC-SHA256, the way the
  official SDKs do, so the gateway can check it against the secret key.

Neither object shows its secret in ``repr()``, so one can be logged or shown in
a traceback without leaking anything.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from datetime import UTC, datetime
from urllib.parse import parse_qsl

import httpx

from swrgc_tui.api.signing import canonical_query, compute_signature, format_date

#: Headers left out of a signature: the HTTP stack adds them (or a proxy may
#: rewrite them) after signing. The official SDK does not sign them either.
UNSIGNED_HEADERS = frozenset(
    {
        "authorization",
        "accept",
        "accept-encoding",
        "connection",
        "content-length",
        "expect",
        "keep-alive",
        "te",
        "transfer-encoding",
        "upgrade",
    }
)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class TokenAuth(httpx.Auth):
    """Sends an IAM token in ``X-Auth-Token``.

    Args:
        token: the value IAM returned in ``X-Subject-Token``.
    """

    def __init__(self, token: str) -> None:
        if not token.strip():
            raise ValueError("the token is empty")
        self._token = token.strip()

    def __repr__(self) -> str:
        return "TokenAuth(token=<hidden>)"

    def auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["X-Auth-Token"] = self._token
        yield request


class AkSkAuth(httpx.Auth):
    """Signs requests with an access key and secret key (SDK-HMAC-SHA256).

    Each request gets ``X-Sdk-Date`` (from ``clock``), ``X-Project-Id`` and
    ``X-Security-Token`` when given, and an ``Authorization`` header over every
    header it carries except :data:`UNSIGNED_HEADERS` and names with ``_``.
    The query string is rewritten to its canonical form first, so the server
    receives exactly the string that was signed.

    Args:
        ak: the access key id.
        sk: the secret access key.
        security_token: the token that comes with temporary credentials.
        project_id: the project the requests act in.
        clock: where the signing time comes from; the system clock by default.
    """

    requires_request_body = True

    def __init__(
        self,
        ak: str,
        sk: str,
        *,
        security_token: str | None = None,
        project_id: str | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        if not ak.strip() or not sk.strip():
            raise ValueError("both the access key and the secret key are needed")
        self.ak = ak.strip()
        self._sk = sk.strip()
        self._security_token = security_token or None
        self.project_id = project_id or None
        self._clock = clock or _utc_now

    def __repr__(self) -> str:
        temporary = ", temporary" if self._security_token else ""
        return f"AkSkAuth(ak={self.ak!r}, sk=<hidden>{temporary})"

    def with_project_id(self, project_id: str) -> AkSkAuth:
        """A copy of these credentials that acts in another project."""
        return AkSkAuth(
            self.ak,
            self._sk,
            security_token=self._security_token,
            project_id=project_id,
            clock=self._clock,
        )

    def auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        self.sign(request)
        yield request

    def sign(self, request: httpx.Request) -> None:
        """Adds the signing headers and ``Authorization`` to ``request``."""
        pairs = parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True)
        query = canonical_query(pairs).encode("ascii")
        if query != request.url.query:
            request.url = request.url.copy_with(query=query or None)

        request.headers.pop("Authorization", None)
        request.headers["X-Sdk-Date"] = format_date(self._clock())
        if self.project_id:
            request.headers["X-Project-Id"] = self.project_id
        if self._security_token:
            request.headers["X-Security-Token"] = self._security_token

        parts = compute_signature(
            secret_key=self._sk,
            method=request.method,
            path=request.url.raw_path.split(b"?", 1)[0].decode("ascii"),
            query=pairs,
            headers=signable_headers(request.headers),
            body=request.content,
        )
        request.headers["Authorization"] = parts.authorization(self.ak)


def signable_headers(headers: httpx.Headers) -> dict[str, str]:
    """The headers of a request that take part in its signature, by name."""
    return {
        name: value
        for name, value in headers.items()
        if name not in UNSIGNED_HEADERS and "_" not in name
    }
