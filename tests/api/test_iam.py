"""IAM: a token for a password, the project id of a region, endpoints."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from swrgc_tui.api.auth import AkSkAuth, TokenAuth
from swrgc_tui.api.errors import (
    AuthenticationError,
    CredentialsError,
    ProtocolError,
    TransportError,
)
from swrgc_tui.api.iam import (
    IssuedToken,
    find_project_id,
    get_token,
    iam_endpoint_for,
    swr_endpoint_for,
)

from .fakes import FakeServer, FakeSleep, answer

IAM = "https://iam.cn-north-4.myhuaweicloud.com"
TOKEN_BODY = {
    "token": {
        "expires_at": "2024-01-21T10:00:00.000000Z",
        "methods": ["password"],
        "project": {"id": "p-123", "name": "cn-north-4", "domain": {"name": "acme"}},
    }
}
ISSUED = answer(201, TOKEN_BODY, headers={"X-Subject-Token": "MIIsecret-token"})


async def login(server: FakeServer, **changes: str) -> IssuedToken:
    fields = {
        "user": "ops",
        "password": 'pa ss"word',
        "domain": "acme",
        "region": "cn-north-4",
    }
    fields.update(changes)
    return await get_token(IAM, transport=server.transport, **fields)


async def test_get_token_posts_the_password_body_and_reads_the_token() -> None:
    server = FakeServer(ISSUED)

    issued = await login(server)

    sent = server.last
    assert (sent.method, str(sent.url)) == ("POST", f"{IAM}/v3/auth/tokens")
    assert sent.headers["Content-Type"] == "application/json"
    assert json.loads(sent.content) == {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "name": "ops",
                        "password": 'pa ss"word',
                        "domain": {"name": "acme"},
                    }
                },
            },
            "scope": {"project": {"name": "cn-north-4"}},
        }
    }
    assert issued.token == "MIIsecret-token"
    assert issued.expires_at == datetime(2024, 1, 21, 10, tzinfo=UTC)
    assert (issued.project_id, issued.project_name) == ("p-123", "cn-north-4")


def test_an_issued_token_hides_itself_in_repr() -> None:
    issued = IssuedToken("MIIsecret-token", None, "p-1", "cn-north-4")

    assert "MIIsecret-token" not in repr(issued)
    assert "p-1" in repr(issued)


async def test_a_wrong_password_is_an_authentication_error() -> None:
    body = {
        "error": {
            "code": 401,
            "title": "Unauthorized",
            "message": "The username or password is wrong.",
        }
    }
    server = FakeServer(answer(401, body, headers={"X-IAM-Trace-Id": "trace-9"}))
    del server.answers[0].headers["X-Request-Id"]

    with pytest.raises(AuthenticationError) as caught:
        await login(server, password="wrong-password")

    assert caught.value.error_msg == "The username or password is wrong."
    assert caught.value.request_id == "trace-9"
    assert "wrong-password" not in str(caught.value)


async def test_iam_error_codes_are_kept() -> None:
    body = {"error_msg": "The account is locked.", "error_code": "IAM.0102"}
    server = FakeServer(answer(401, body))

    with pytest.raises(AuthenticationError, match="IAM.0102: The account is locked"):
        await login(server)


async def test_a_login_is_not_sent_twice_after_a_lost_answer() -> None:
    server = FakeServer(httpx.ReadTimeout("timed out"), ISSUED)

    with pytest.raises(TransportError, match="POST iam.cn-north-4"):
        await login(server)

    assert len(server.requests) == 1


async def test_a_success_without_the_token_header_is_a_protocol_error() -> None:
    server = FakeServer(answer(201, TOKEN_BODY))

    with pytest.raises(ProtocolError, match="X-Subject-Token"):
        await login(server)


@pytest.mark.parametrize("field", ["user", "password", "domain"])
async def test_every_login_field_is_needed(field: str) -> None:
    server = FakeServer(ISSUED)

    with pytest.raises(ValueError, match="all needed"):
        await login(server, **{field: " " if field != "password" else ""})

    assert server.requests == []


async def test_find_project_id_asks_iam_with_a_signed_request() -> None:
    projects = {"projects": [{"id": "p-123", "name": "cn-north-4"}]}
    server = FakeServer(answer(200, projects))
    auth = AkSkAuth("AK1", "SK1")

    found = await find_project_id(IAM, auth, "cn-north-4", transport=server.transport)

    assert found == "p-123"
    sent = server.last
    assert (sent.method, sent.url.path, sent.url.query) == (
        "GET",
        "/v3/projects",
        b"name=cn-north-4",
    )
    assert sent.headers["Authorization"].startswith("SDK-HMAC-SHA256 Access=AK1,")
    assert "x-project-id" not in sent.headers


async def test_find_project_id_picks_the_exact_name() -> None:
    projects = {
        "projects": [
            {"id": "p-sub", "name": "cn-north-4_dev"},
            {"id": "p-123", "name": "cn-north-4"},
        ]
    }
    server = FakeServer(answer(200, projects))

    found = await find_project_id(
        IAM, TokenAuth("t"), "cn-north-4", transport=server.transport
    )

    assert found == "p-123"


async def test_no_project_of_that_name_is_explained() -> None:
    server = FakeServer(answer(200, {"projects": []}))

    with pytest.raises(CredentialsError) as caught:
        await find_project_id(
            IAM, TokenAuth("t"), "xx-east-9", transport=server.transport
        )

    assert str(caught.value) == (
        "IAM knows no project named 'xx-east-9' for these credentials "
        "(request id req-0001); check the region, or set the project id "
        "(--project-id or HUAWEICLOUD_SDK_PROJECT_ID)"
    )


async def test_two_projects_of_one_name_must_be_chosen_between() -> None:
    projects = {
        "projects": [{"id": "p-1", "name": "r-1"}, {"id": "p-2", "name": "r-1"}]
    }
    server = FakeServer(answer(200, projects))

    with pytest.raises(CredentialsError, match=r"2 projects named 'r-1' \(p-1, p-2\)"):
        await find_project_id(IAM, TokenAuth("t"), "r-1", transport=server.transport)


async def test_refused_keys_surface_as_the_gateways_error() -> None:
    body = {"error_code": "APIGW.0301", "error_msg": "verify aksk signature fail"}
    server, sleep = FakeServer(answer(401, body)), FakeSleep()

    with pytest.raises(AuthenticationError, match="APIGW.0301"):
        await find_project_id(
            IAM,
            AkSkAuth("AK", "SK"),
            "cn-north-4",
            transport=server.transport,
            sleep=sleep,
        )

    assert len(server.requests) == 1


async def test_a_project_list_of_the_wrong_shape_is_a_protocol_error() -> None:
    server = FakeServer(answer(200, {"items": []}))

    with pytest.raises(ProtocolError, match="no projects field"):
        await find_project_id(
            IAM, TokenAuth("t"), "cn-north-4", transport=server.transport
        )


@pytest.mark.parametrize(
    ("region", "iam", "swr"),
    [
        (
            "cn-north-4",
            "https://iam.cn-north-4.myhuaweicloud.com",
            "https://swr-api.cn-north-4.myhuaweicloud.com",
        ),
        (
            "ap-southeast-1",
            "https://iam.ap-southeast-1.myhuaweicloud.com",
            "https://swr-api.ap-southeast-1.myhuaweicloud.com",
        ),
        (
            "eu-west-101",
            "https://iam.eu-west-101.myhuaweicloud.eu",
            "https://swr-api.eu-west-101.myhuaweicloud.eu",
        ),
    ],
)
def test_endpoints_of_a_region(region: str, iam: str, swr: str) -> None:
    assert (iam_endpoint_for(region), swr_endpoint_for(region)) == (iam, swr)


@pytest.mark.parametrize("region", ["", "CN-NORTH-4", "cn north", "evil.com/x", "cn"])
def test_a_region_that_is_no_region_name_is_refused(region: str) -> None:
    with pytest.raises(ValueError, match="not a region name"):
        swr_endpoint_for(region)
