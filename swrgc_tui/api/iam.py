"""What swrgc-tui asks IAM: a token for a password, a project id for a region.

Endpoints here are passed in, not looked up: whoever calls decides between
the region's default and an override such as ``HUAWEICLOUD_SDK_IAM_ENDPOINT``.
The region's defaults, ``iam_endpoint_for`` and ``swr_endpoint_for``, live in
``swrgc_tui.api.endpoints`` and are importable from here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from swrgc_tui.api._answers import decode_json, one_line, request_id_of
from swrgc_tui.api._http import RetryPolicy, Sender, Sleep, Timeouts, json_body
from swrgc_tui.api.endpoints import iam_endpoint_for as iam_endpoint_for
from swrgc_tui.api.endpoints import swr_endpoint_for as swr_endpoint_for
from swrgc_tui.api.errors import CredentialsError, ProtocolError
from swrgc_tui.api.tasks import parse_timestamp


@dataclass(frozen=True)
class IssuedToken:
    """A token IAM issued, with what it is good for; ``repr`` hides the token."""

    token: str = field(repr=False)
    expires_at: datetime | None
    project_id: str
    project_name: str


def _sender(
    endpoint: str,
    transport: httpx.AsyncBaseTransport | None,
    timeouts: Timeouts,
    sleep: Sleep | None,
) -> Sender:
    return Sender.open(
        endpoint,
        timeouts=timeouts,
        retry=RetryPolicy(),
        transport=transport,
        sleep=sleep,
    )


def _password_body(user: str, password: str, domain: str, region: str) -> bytes:
    identity = {
        "methods": ["password"],
        "password": {
            "user": {"name": user, "password": password, "domain": {"name": domain}}
        },
    }
    scope = {"project": {"name": region}}
    return json_body({"auth": {"identity": identity, "scope": scope}})


async def get_token(
    iam_endpoint: str,
    *,
    user: str,
    password: str,
    domain: str,
    region: str,
    transport: httpx.AsyncBaseTransport | None = None,
    timeouts: Timeouts = Timeouts(),  # noqa: B008 - frozen, shared safely
    sleep: Sleep | None = None,
) -> IssuedToken:
    """Logs an IAM user in with a password; returns a token for the region.

    Args:
        iam_endpoint: IAM's base URL.
        user: the IAM user name.
        password: the user's password; sent once, kept nowhere.
        domain: the account (domain) the user belongs to.
        region: the project to scope the token to, named after its region.
        transport: an httpx transport to use instead of the network (tests).
        timeouts: connect and read limits in seconds.
        sleep: what waits between retries (tests pass a fake).

    Raises:
        AuthenticationError: IAM refused the user, password or account.
        ProtocolError: IAM answered success without a token.
        TransportError: IAM could not be reached.
    """
    if not (user.strip() and password and domain.strip()):
        raise ValueError("user name, password and account name are all needed")
    sender = _sender(iam_endpoint, transport, timeouts, sleep)
    async with sender.client:
        body = _password_body(user.strip(), password, domain.strip(), region)
        response = await sender.send("POST", "/v3/auth/tokens", body=body)
    return _issued_token(response)


def _issued_token(response: httpx.Response) -> IssuedToken:
    request_id = request_id_of(response)
    token = response.headers.get("X-Subject-Token", "").strip()
    if not token:
        raise ProtocolError(
            "IAM answered without an X-Subject-Token header", request_id=request_id
        )
    data = decode_json(response, "POST /v3/auth/tokens")
    details = _get(data, "token")
    project = _get(details, "project")
    return IssuedToken(
        token=token,
        expires_at=parse_timestamp(details.get("expires_at")),
        project_id=str(project.get("id") or ""),
        project_name=str(project.get("name") or ""),
    )


def _get(data: Any, key: str) -> dict[str, Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


async def find_project_id(
    iam_endpoint: str,
    auth: httpx.Auth,
    region: str,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    timeouts: Timeouts = Timeouts(),  # noqa: B008 - frozen, shared safely
    sleep: Sleep | None = None,
) -> str:
    """The id of the project named after ``region``, as IAM knows it.

    The official SDK finds the project id the same way when none is
    configured: ``GET /v3/projects?name={region}``, signed.

    Raises:
        CredentialsError: no project (or more than one) has that name.
        ApiError: IAM refused the request (bad keys, say).
        TransportError: IAM could not be reached.
    """
    sender = _sender(iam_endpoint, transport, timeouts, sleep)
    async with sender.client:
        response = await sender.send(
            "GET", "/v3/projects", auth=auth, params={"name": region}
        )
    data = decode_json(response, "GET /v3/projects")
    projects = data.get("projects") if isinstance(data, dict) else None
    if not isinstance(projects, list):
        raise ProtocolError(
            "IAM's project list has no projects field",
            request_id=request_id_of(response),
        )
    return _only_project(projects, region, request_id_of(response))


def _only_project(projects: list[Any], region: str, request_id: str) -> str:
    ids = [
        str(p["id"])
        for p in projects
        if isinstance(p, dict) and p.get("id") and p.get("name", region) == region
    ]
    trace = f" (request id {request_id})" if request_id else ""
    if not ids:
        raise CredentialsError(
            f"IAM knows no project named {one_line(region, 40)!r} for these "
            f"credentials{trace}; check the region, or set the project id "
            "(--project-id or HUAWEICLOUD_SDK_PROJECT_ID)"
        )
    if len(ids) > 1:
        raise CredentialsError(
            f"IAM has {len(ids)} projects named {region!r} ({', '.join(ids)}){trace}; "
            "choose one with --project-id or HUAWEICLOUD_SDK_PROJECT_ID"
        )
    return ids[0]
