"""Every shape of error answer becomes a typed exception with its details."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from swrgc_tui.api._answers import one_line, retry_after
from swrgc_tui.api.client import RetryPolicy
from swrgc_tui.api.errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    ProtocolError,
    ServerError,
    ThrottledError,
)
from swrgc_tui.api.models import GcParameters

from .fakes import INSTANCE, FakeServer, answer, make_client

NO_RETRY = RetryPolicy(attempts=1)

NGINX_502 = """<html>
<head><title>502 Bad Gateway</title><style>body { color: red }</style></head>
<body><center><h1>502 Bad Gateway</h1></center>
<script>alert("x")</script><!-- upstream: 10.0.0.7 -->
<hr><center>nginx</center></body></html>"""


async def failure(*answers: object, operation: str = "list") -> ApiError:
    """The error raised when the server answers a listing with ``answers``."""
    server = FakeServer(*answers)  # type: ignore[arg-type]
    async with make_client(server, retry=NO_RETRY) as client:
        with pytest.raises(ApiError) as caught:
            if operation == "execute":
                await client.execute_gc(INSTANCE, GcParameters())
            else:
                await client.list_gc_tasks(INSTANCE)
    return caught.value


async def test_swr_flat_error_body() -> None:
    body = {"error_code": "SVCSTG.SWR.4000014", "error_msg": "Invalid limit"}

    error = await failure(answer(400, body))

    assert isinstance(error, BadRequestError)
    assert (error.status, error.error_code, error.error_msg) == (
        400,
        "SVCSTG.SWR.4000014",
        "Invalid limit",
    )
    assert error.request_id == "req-0001"
    assert str(error) == (
        "SVCSTG.SWR.4000014: Invalid limit (HTTP 400, request id req-0001)"
    )


async def test_swr_errors_list_body() -> None:
    body = {
        "errors": [
            {"errorCode": "SVCSTG.SWR.4040011", "errorMessage": "instance not found"}
        ]
    }

    error = await failure(answer(404, body))

    assert isinstance(error, NotFoundError)
    assert (error.error_code, error.error_msg) == (
        "SVCSTG.SWR.4040011",
        "instance not found",
    )


async def test_gateway_body_gives_the_request_id_when_the_header_is_missing() -> None:
    body = {
        "error_code": "APIGW.0301",
        "error_msg": "Incorrect IAM authentication information: "
        "verify aksk signature fail",
        "request_id": "gw-42",
    }
    response = answer(401, body)
    del response.headers["X-Request-Id"]

    error = await failure(response)

    assert isinstance(error, AuthenticationError)
    assert error.request_id == "gw-42"
    assert error.error_msg.endswith("verify aksk signature fail")
    assert not error.token_expired


async def test_the_request_id_header_wins_over_the_body() -> None:
    body = {"error_code": "APIGW.0308", "error_msg": "throttled", "request_id": "gw-1"}

    error = await failure(answer(429, body, headers={"X-Request-Id": "hdr-1"}))

    assert isinstance(error, ThrottledError)
    assert error.request_id == "hdr-1"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("APIGW.0307", "The token must be updated."),
        ("APIGW.0301", "Incorrect IAM authentication information: token expires"),
    ],
)
async def test_an_expired_token_is_recognised(code: str, message: str) -> None:
    error = await failure(answer(401, {"error_code": code, "error_msg": message}))

    assert error.token_expired


async def test_permission_denied_keeps_the_encoded_message() -> None:
    body = {
        "error_code": "SVCSTG.SWR.4030170",
        "error_msg": "Insufficient permissions",
        "encoded_authorization_message": "eyJhY3Rpb24iOiJzd3I6In0=",
    }

    error = await failure(answer(403, body))

    assert isinstance(error, PermissionDeniedError)
    assert error.encoded_authorization_message == "eyJhY3Rpb24iOiJzd3I6In0="


async def test_an_html_page_from_a_proxy_becomes_a_short_excerpt() -> None:
    error = await failure(answer(502, text=NGINX_502))

    assert isinstance(error, ServerError)
    assert error.error_code == error.error_msg == ""
    assert error.excerpt == "502 Bad Gateway 502 Bad Gateway nginx"
    assert str(error) == (
        "unexpected answer: 502 Bad Gateway 502 Bad Gateway nginx "
        "(HTTP 502, request id req-0001)"
    )


async def test_a_long_page_is_cut_to_one_short_line() -> None:
    page = "<p>" + "word " * 500 + "</p>"

    error = await failure(answer(500, text=page))

    assert len(error.excerpt) <= 120
    assert error.excerpt.endswith("…")
    assert "\n" not in str(error)


async def test_an_empty_error_body_still_names_status_and_request_id() -> None:
    error = await failure(answer(503))

    assert (
        str(error) == "no error details in the answer (HTTP 503, request id req-0001)"
    )


async def test_json_without_error_fields_is_shown_as_an_excerpt() -> None:
    error = await failure(answer(500, {"unexpected": ["shape"]}))

    assert error.excerpt == '{"unexpected": ["shape"]}'


async def test_a_plain_message_field_is_taken_as_the_message() -> None:
    error = await failure(answer(500, {"message": "upstream timed out"}))

    assert error.error_msg == "upstream timed out"


async def test_a_redirect_is_not_followed_and_says_where_it_pointed() -> None:
    server = FakeServer(
        answer(302, headers={"Location": "https://login.example/sso?token=abc#x"})
    )
    async with make_client(server) as client:
        with pytest.raises(ApiError) as caught:
            await client.list_gc_tasks(INSTANCE)

    assert len(server.requests) == 1
    assert caught.value.status == 302
    assert "redirected to https://login.example/sso;" in str(caught.value)
    assert "token=abc" not in str(caught.value)


async def test_server_text_cannot_smuggle_escapes_or_line_breaks() -> None:
    body = {
        "error_code": "X\x1b[2J",
        "error_msg": "bad\x1b]52;c;ZXZpbA==\x07 thing\r\nhappened\u202e\x9b31m",
    }

    error = await failure(answer(400, body, headers={"X-Request-Id": "r\x1b[31m1"}))

    assert error.error_code == "X"
    assert error.error_msg == "bad thing happened"
    assert error.request_id == "r 1"
    assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in str(error))


async def test_a_success_that_is_not_json_is_a_protocol_error() -> None:
    server = FakeServer(answer(200, text="<html>Welcome to the portal</html>"))
    async with make_client(server) as client:
        with pytest.raises(ProtocolError) as caught:
            await client.show_instance(INSTANCE)

    assert caught.value.request_id == "req-0001"
    assert "not JSON: Welcome to the portal" in str(caught.value)
    assert str(caught.value).endswith("(request id req-0001)")


async def test_a_success_with_an_empty_body_is_a_protocol_error() -> None:
    server = FakeServer(answer(202))
    async with make_client(server) as client:
        with pytest.raises(ProtocolError, match="the answer is empty"):
            await client.execute_gc(INSTANCE, GcParameters())


async def test_a_success_of_the_wrong_shape_names_what_is_wrong() -> None:
    server = FakeServer(answer(200, {"name": "no id"}))
    async with make_client(server) as client:
        with pytest.raises(
            ProtocolError, match=r"unexpected answer \(id: Field required"
        ):
            await client.show_instance(INSTANCE)


async def test_throttling_keeps_the_servers_hint() -> None:
    body = {"error_code": "APIGW.0308", "error_msg": "throttled"}

    error = await failure(answer(429, body, headers={"Retry-After": "3"}))

    assert isinstance(error, ThrottledError)
    assert error.retry_after == 3.0


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("7", 7.0),
        ("0.5", 0.5),
        ("-3", 0.0),
        ("Sat, 20 Jan 2024 10:00:30 GMT", 30.0),
        ("Sat, 20 Jan 2024 09:00:00 GMT", 0.0),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_reads_seconds_and_http_dates(
    value: str | None, seconds: float | None
) -> None:
    now = datetime(2024, 1, 20, 10, 0, 0, tzinfo=UTC)

    assert retry_after(value, now) == seconds


def test_one_line_keeps_ordinary_text_and_cuts_long_text() -> None:
    assert one_line("  Zürich  registry\t01 ") == "Zürich registry 01"
    assert one_line("x" * 50, 10) == "x" * 9 + "…"


async def test_a_body_that_cannot_be_decompressed_is_a_protocol_error() -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"Content-Encoding": "gzip"}, content=b"not gzip at all"
        )

    server = FakeServer(broken)
    async with make_client(server) as client:
        with pytest.raises(ProtocolError, match="encoding is broken"):
            await client.show_instance(INSTANCE)
