"""SDK-HMAC-SHA256 request signing, byte-compatible with Huawei Cloud's SDKs.

Pure functions with no I/O, shared by the client (which signs) and the
emulator (which verifies). The rules, as the official signer applies them:

- canonical URI: percent-decode the path, re-encode each segment leaving only
  unreserved characters and ``~`` as they are, and end it with ``/``;
- canonical query: ``key=value`` pairs sorted by key then value, both parts
  encoded like path segments (a space is ``%20``); the wire query is this
  same string, so the server sees exactly what was signed;
- signed headers: every header whose name has no ``_``, lower-cased, sorted;
- string to sign: algorithm, ``X-Sdk-Date`` and the hex SHA-256 of the
  canonical request, one per line.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import NamedTuple
from urllib.parse import quote, unquote

ALGORITHM = "SDK-HMAC-SHA256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
EMPTY_BODY_HASH = hashlib.sha256(b"").hexdigest()


def _encode(text: str) -> str:
    return quote(text, safe="~")


def canonical_uri(path: str) -> str:
    """The path as signed: each decoded segment re-encoded, ending in ``/``."""
    encoded = "/".join(_encode(segment) for segment in unquote(path).split("/"))
    return encoded if encoded.endswith("/") else encoded + "/"


def canonical_query(params: Iterable[tuple[str, str]]) -> str:
    """The query as signed and as sent: sorted, encoded, joined by ``&``."""
    return "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(params))


def format_date(moment: datetime) -> str:
    """``X-Sdk-Date`` for a moment (UTC)."""
    return moment.astimezone(UTC).strftime(DATE_FORMAT)


def parse_date(value: str) -> datetime:
    """Reads an ``X-Sdk-Date`` value; raises ValueError on any other shape."""
    return datetime.strptime(value, DATE_FORMAT).replace(tzinfo=UTC)


def signed_header_names(headers: Iterable[str]) -> list[str]:
    """Lower-cased, sorted names of the headers that take part in a signature."""
    return sorted({name.lower() for name in headers if "_" not in name})


class SignatureParts(NamedTuple):
    """Everything a signature is computed from, kept for debugging and tests.

    A named tuple: it is defined on the way to the first request, and
    creating a dataclass costs start-up several times as much.
    """

    canonical_request: str
    string_to_sign: str
    signed_headers: list[str]
    signature: str

    def authorization(self, access_key: str) -> str:
        """The value of the ``Authorization`` header."""
        return (
            f"{ALGORITHM} Access={access_key}, "
            f"SignedHeaders={';'.join(self.signed_headers)}, "
            f"Signature={self.signature}"
        )


def compute_signature(
    *,
    secret_key: str,
    method: str,
    path: str,
    query: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    body: bytes,
    signed_headers: list[str] | None = None,
) -> SignatureParts:
    """Signs one request.

    Args:
        secret_key: the SK.
        method: HTTP method, any case.
        path: the URL path, encoded or not.
        query: decoded query pairs; repeated keys allowed.
        headers: the request's headers, which must include ``X-Sdk-Date``
            and ``Host``.
        body: the exact bytes sent.
        signed_headers: names to sign; by default every header without ``_``.
            A verifier passes the list the client declared.

    Returns:
        The canonical request, the string to sign and the signature.
    """
    lowered = {name.lower(): str(value).strip() for name, value in headers.items()}
    names = (
        signed_headers if signed_headers is not None else signed_header_names(headers)
    )
    header_block = "".join(f"{name}:{lowered.get(name, '')}\n" for name in names)
    payload_hash = hashlib.sha256(body).hexdigest() if body else EMPTY_BODY_HASH
    canonical_request = "\n".join(
        (
            method.upper(),
            canonical_uri(path),
            canonical_query(query),
            header_block,
            ";".join(names),
            payload_hash,
        )
    )
    request_hash = hashlib.sha256(canonical_request.encode()).hexdigest()
    string_to_sign = f"{ALGORITHM}\n{lowered['x-sdk-date']}\n{request_hash}"
    signature = hmac.new(
        secret_key.encode(), string_to_sign.encode(), hashlib.sha256
    ).hexdigest()
    return SignatureParts(canonical_request, string_to_sign, names, signature)


def parse_authorization(value: str) -> tuple[str, list[str], str] | None:
    """Splits an ``Authorization`` header into (access key, signed headers,
    signature); None when it is not an SDK-HMAC-SHA256 header."""
    scheme, _, rest = value.strip().partition(" ")
    if scheme != ALGORITHM:
        return None
    fields: dict[str, str] = {}
    for part in rest.split(","):
        key, sep, val = part.strip().partition("=")
        if sep:
            fields[key] = val
    try:
        return fields["Access"], fields["SignedHeaders"].split(";"), fields["Signature"]
    except KeyError:
        return None
