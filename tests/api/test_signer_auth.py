"""TokenAuth and AkSkAuth as they shape real requests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

import httpx
import pytest

from swrgc_tui.api.auth import AkSkAuth, TokenAuth
from swrgc_tui.api.signing import compute_signature, parse_authorization

AK = "HPUAEXAMPLEAK0000001"
SK = "exampleSecretKey0123456789abcdefEXAMPLE0"
PROJECT = "0123456789abcdef0123456789abcdef"
INSTANCE = "5d6e1c5e-2c3f-4a7e-9d0c-111122223333"
MOMENT = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def capture(auth: httpx.Auth, method: str, url: str, **kwargs: object) -> httpx.Request:
    """Sends one request through ``auth`` to a fake server; returns what arrived."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    with httpx.Client(transport=httpx.MockTransport(handler), auth=auth) as client:
        client.request(method, url, **kwargs)  # type: ignore[arg-type]
    return seen[0]


def verify(request: httpx.Request, sk: str = SK) -> bool:
    """Checks a signature the way the gateway does, from what it received."""
    parsed = parse_authorization(request.headers["Authorization"])
    assert parsed is not None
    _, signed, signature = parsed
    path, _, query = request.url.raw_path.decode().partition("?")
    expected = compute_signature(
        secret_key=sk,
        method=request.method,
        path=path,
        query=parse_qsl(query, keep_blank_values=True),
        headers=dict(request.headers),
        body=request.content,
        signed_headers=signed,
    )
    return expected.signature == signature


def test_token_auth_sends_the_token_and_hides_it() -> None:
    request = capture(TokenAuth("tok-secret-123"), "GET", "https://swr.example/v2")

    assert request.headers["X-Auth-Token"] == "tok-secret-123"
    assert "tok-secret-123" not in repr(TokenAuth("tok-secret-123"))


def test_token_auth_refuses_an_empty_token() -> None:
    with pytest.raises(ValueError, match="empty"):
        TokenAuth("  ")


def test_aksk_reproduces_the_official_signers_vector() -> None:
    auth = AkSkAuth(AK, SK, project_id=PROJECT, clock=lambda: MOMENT)
    url = (
        "https://swr-api.cn-north-4.myhuaweicloud.com"
        f"/v2/{PROJECT}/instances/{INSTANCE}/system/gc"
    )
    headers = {
        "User-Agent": "huaweicloud-usdk-python/3.0; test",
        "Content-Type": "application/json",
    }
    params = [("limit", "10"), ("status", "Success"), ("marker", "a b/c~d")]

    request = capture(auth, "GET", url, params=params, headers=headers)

    assert request.headers["Authorization"] == (
        f"SDK-HMAC-SHA256 Access={AK}, "
        "SignedHeaders=content-type;host;user-agent;x-project-id;x-sdk-date, "
        "Signature=a07840d3fb0d2b3c6509ec3e736a0529c26804502e0b2bf44593d0742e7d02ca"
    )
    assert request.url.query == b"limit=10&marker=a%20b%2Fc~d&status=Success"


def test_aksk_adds_date_host_with_port_project_and_security_token() -> None:
    auth = AkSkAuth(
        AK, SK, security_token="sts-token-xyz", project_id=PROJECT, clock=lambda: MOMENT
    )

    request = capture(auth, "GET", "http://127.0.0.1:8443/v2/x")

    assert request.headers["X-Sdk-Date"] == "20240102T030405Z"
    assert request.headers["Host"] == "127.0.0.1:8443"
    assert request.headers["X-Project-Id"] == PROJECT
    assert request.headers["X-Security-Token"] == "sts-token-xyz"
    signed = request.headers["Authorization"].split("SignedHeaders=")[1].split(",")[0]
    assert signed.split(";") == [
        "host",
        "user-agent",
        "x-project-id",
        "x-sdk-date",
        "x-security-token",
    ]
    assert verify(request)


def test_aksk_signature_fails_with_another_secret_key() -> None:
    request = capture(AkSkAuth(AK, SK), "GET", "http://127.0.0.1:8443/v2/x")

    assert verify(request)
    assert not verify(request, sk=SK + "x")


def test_aksk_wire_query_is_the_canonical_one() -> None:
    params = [("tag", "b"), ("marker", "a b+c"), ("tag", "a"), ("empty", "")]

    request = capture(AkSkAuth(AK, SK), "GET", "http://h/v2", params=params)

    assert request.url.query == b"empty=&marker=a%20b%2Bc&tag=a&tag=b"
    assert verify(request)


def test_aksk_signs_the_body_and_skips_transport_and_underscore_headers() -> None:
    body = b'{"schedule": {"type": "Manual"}}'
    headers = {"Content-Type": "application/json", "X_Custom": "skipped"}

    request = capture(
        AkSkAuth(AK, SK), "POST", "http://h/v2", content=body, headers=headers
    )

    signed = request.headers["Authorization"].split("SignedHeaders=")[1].split(",")[0]
    assert signed == "content-type;host;user-agent;x-sdk-date"
    assert request.content == body
    assert verify(request)


def test_aksk_signs_again_with_a_fresh_date_on_each_send() -> None:
    moments = iter([MOMENT, MOMENT + timedelta(seconds=7)])
    auth = AkSkAuth(AK, SK, clock=lambda: next(moments))
    request = httpx.Request("GET", "http://h/v2?b=2&a=1")

    auth.sign(request)
    first = request.headers["Authorization"]
    auth.sign(request)

    assert request.headers["X-Sdk-Date"] == "20240102T030412Z"
    assert request.headers["Authorization"] != first
    assert "authorization" not in request.headers["Authorization"]
    assert verify(request)


def test_aksk_repr_hides_secrets() -> None:
    auth = AkSkAuth(AK, SK, security_token="sts-token-xyz", project_id=PROJECT)

    assert SK not in repr(auth)
    assert "sts-token-xyz" not in repr(auth)
    assert AK in repr(auth)


def test_aksk_copy_for_another_project_keeps_the_keys() -> None:
    auth = AkSkAuth(AK, SK, clock=lambda: MOMENT).with_project_id(PROJECT)

    request = capture(auth, "GET", "http://h/v2")

    assert request.headers["X-Project-Id"] == PROJECT
    assert verify(request)


@pytest.mark.parametrize(("ak", "sk"), [("", SK), (AK, ""), (" ", " ")])
def test_aksk_refuses_missing_keys(ak: str, sk: str) -> None:
    with pytest.raises(ValueError, match="access key and the secret key"):
        AkSkAuth(ak, sk)


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://swr.example:443/v2", "swr.example"),
        ("http://swr.example:80/v2", "swr.example"),
        ("https://swr.example:8443/v2", "swr.example:8443"),
    ],
)
def test_the_signed_host_is_the_one_sent(url: str, host: str) -> None:
    request = capture(AkSkAuth(AK, SK), "GET", url)

    assert request.headers["Host"] == host
    assert verify(request)
