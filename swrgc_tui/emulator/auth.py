"""The API gateway's checks: tokens from the emulated IAM and AK/SK signatures.

Signatures are verified with the same pure functions the client signs with,
over exactly the headers the caller declared, so a request signed by the
official SDK passes and any change to it after signing does not.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from swrgc_tui.api.signing import compute_signature, parse_authorization, parse_date

from .clock import Clock
from .data import Account
from .errors import not_authorised, token_expired, unauthenticated

#: The gateway refuses an X-Sdk-Date further than this from its own clock.
MAX_SKEW_SECONDS = 15 * 60


@dataclass
class _Token:
    project_id: str | None
    expires_at: float
    revoked: bool = False


@dataclass(frozen=True)
class Principal:
    """Who a request was authenticated as.

    Attributes:
        project_id: the project the credential may act in; None for a
            token scoped to the whole account.
        method: ``"token"`` or ``"aksk"``.
    """

    project_id: str | None
    method: str

    def require_project(self, project_id: str) -> None:
        """403 unless the credential may act in ``project_id``."""
        if self.project_id != project_id:
            raise not_authorised()


class TokenStore:
    """Tokens issued by the emulated IAM; expiry runs on emulator time."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._tokens: dict[str, _Token] = {}
        self._lock = threading.Lock()

    def issue(self, project_id: str | None, ttl_seconds: float) -> tuple[str, float]:
        """A new token and its expiry (epoch seconds, emulator time)."""
        token = "MII" + secrets.token_urlsafe(192)
        expires_at = self._clock.time() + ttl_seconds
        with self._lock:
            self._tokens[token] = _Token(project_id, expires_at)
        return token, expires_at

    def revoke_all(self) -> None:
        """Every token issued so far stops working."""
        with self._lock:
            for record in self._tokens.values():
                record.revoked = True

    def check(self, token: str) -> Principal:
        """The principal behind a token; 401 if unknown, revoked or expired."""
        with self._lock:
            record = self._tokens.get(token)
        if record is None:
            raise unauthenticated("decrypt token fail")
        if record.revoked:
            # The gateway cannot tell a revoked token from an expired one.
            raise unauthenticated("token expires")
        if self._clock.time() >= record.expires_at:
            raise token_expired()
        return Principal(record.project_id, "token")


@dataclass(frozen=True)
class _AccessKey:
    secret: str
    security_token: str | None = None
    expires_at: float = float("inf")


class KeyStore:
    """Access keys the gateway knows: the account's permanent AK/SK and
    temporary ones, which come with a security token and expire on
    emulator time."""

    def __init__(self, account: Account, clock: Clock) -> None:
        self._clock = clock
        self._keys = {account.ak: _AccessKey(account.sk)}
        self._lock = threading.Lock()

    def issue_temporary(self, ttl_seconds: float) -> tuple[str, str, str]:
        """A new (AK, SK, security token) valid for ``ttl_seconds``."""
        ak = "TMP" + secrets.token_hex(9).upper()
        sk = secrets.token_urlsafe(30)
        security_token = "gQ" + secrets.token_urlsafe(96)
        expires_at = self._clock.time() + ttl_seconds
        with self._lock:
            self._keys[ak] = _AccessKey(sk, security_token, expires_at)
        return ak, sk, security_token

    def secret_for(self, ak: str, security_token: str | None) -> str:
        """The SK that signs for ``ak``; a gateway 401 if the key is not good."""
        with self._lock:
            key = self._keys.get(ak)
        if key is None:
            raise unauthenticated(f"ak {ak[:8]}... not exist")
        if key.security_token is not None:
            if not security_token:
                raise unauthenticated("x-security-token not found")
            if not hmac.compare_digest(key.security_token, security_token):
                raise unauthenticated("verify security token fail")
            if self._clock.time() >= key.expires_at:
                raise unauthenticated("security token expired")
        return key.secret


def query_pairs(raw_query: bytes) -> list[tuple[str, str]]:
    """Decoded (key, value) pairs of a raw query string, in wire order."""
    pairs = []
    for part in raw_query.decode("utf-8", "replace").split("&"):
        if part:
            key, _, value = part.partition("=")
            pairs.append((unquote(key), unquote(value)))
    return pairs


class Gatekeeper:
    """Authenticates requests the way the API gateway in front of SWR does.

    Args:
        account: the demo account, whose project signed requests act in.
        keys: the access keys signatures are checked with.
        tokens: the token store shared with the emulated IAM.
        wall: the gateway's clock for X-Sdk-Date checks. Real time, not
            emulator time: advancing the emulator must not make every
            freshly signed request look stale.
    """

    def __init__(
        self,
        account: Account,
        keys: KeyStore,
        tokens: TokenStore,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._account = account
        self._keys = keys
        self._tokens = tokens
        self._wall = wall

    def authenticate(
        self,
        *,
        method: str,
        path: str,
        raw_query: bytes,
        headers: Mapping[str, str],
        body: bytes,
    ) -> Principal:
        """The caller behind a request; raises a gateway 401 if there is none."""
        token = headers.get("x-auth-token", "").strip()
        if token:
            return self._tokens.check(token)
        authorization = headers.get("authorization", "")
        if not authorization:
            raise unauthenticated("x-auth-token not found")
        parsed = parse_authorization(authorization)
        if parsed is None:
            raise unauthenticated("verify aksk signature fail")
        access_key, signed_headers, signature = parsed
        secret = self._keys.secret_for(access_key, headers.get("x-security-token"))
        self._check_date(headers.get("x-sdk-date"))
        expected = compute_signature(
            secret_key=secret,
            method=method,
            path=path,
            query=query_pairs(raw_query),
            headers=headers,
            body=body,
            signed_headers=signed_headers,
        )
        if not hmac.compare_digest(expected.signature, signature):
            raise unauthenticated("verify aksk signature fail")
        project = headers.get("x-project-id") or self._account.project_id
        return Principal(project, "aksk")

    def _check_date(self, value: str | None) -> None:
        if not value:
            raise unauthenticated("x-sdk-date not found")
        try:
            signed_at = parse_date(value).timestamp()
        except ValueError:
            raise unauthenticated("x-sdk-date format error") from None
        if abs(self._wall() - signed_at) > MAX_SKEW_SECONDS:
            raise unauthenticated(
                "x-sdk-date is more than 15 minutes off, check the local clock"
            )
