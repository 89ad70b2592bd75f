"""The gateway's authentication: tokens, AK/SK signatures, projects."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from swrgc_tui.api.auth import AkSkAuth, TokenAuth
from swrgc_tui.api.signing import compute_signature, format_date
from swrgc_tui.emulator import EmulatorServer

from .helpers import Api, error_of


def _shifted(skew: timedelta) -> Callable[[], datetime]:
    """A signing clock that is ``skew`` off real time."""

    def clock() -> datetime:
        return datetime.now(UTC) + skew

    return clock


def _reason(answer: httpx.Response) -> str:
    message: str = answer.json()["error_msg"]
    return message


def test_missing_credentials_are_refused(api: Api) -> None:
    answer = httpx.get(f"{api.emu.endpoint}{api.instances_path()}")

    assert error_of(answer) == (401, "APIGW.0301")
    assert _reason(answer).endswith("x-auth-token not found")
    assert answer.json()["request_id"] == answer.headers["x-request-id"]


def test_unknown_token_is_refused(api: Api) -> None:
    client = Api(api.emu, TokenAuth("MIIforged"))

    answer = client.list_tasks()

    assert error_of(answer) == (401, "APIGW.0301")
    assert _reason(answer).endswith("decrypt token fail")


def test_token_expires_on_emulator_time(frozen: Api) -> None:
    emu = frozen.emu
    client = Api(emu, TokenAuth(emu.issue_token(ttl_seconds=60)))
    assert client.list_tasks().status_code == 200

    emu.clock.advance(61)
    answer = client.list_tasks()

    assert error_of(answer) == (401, "APIGW.0307")
    assert _reason(answer).endswith("token expires")


def test_revoked_tokens_are_refused_and_new_ones_work(emulator: EmulatorServer) -> None:
    old = Api(emulator)
    emulator.revoke_tokens()
    new = Api(emulator)

    answer = old.list_tasks()

    assert error_of(answer) == (401, "APIGW.0301")
    assert _reason(answer).endswith("token expires")
    assert new.list_tasks().status_code == 200


def test_aksk_signed_requests_pass_every_operation(frozen: Api) -> None:
    emu = frozen.emu
    client = Api(emu, AkSkAuth(emu.ak, emu.sk, project_id=emu.project_id))

    listed = client.list_tasks(limit=3, status="Success")
    started = client.execute(workers=3, dry_run=True)
    stopped = client.stop(started.json()["id"])

    assert listed.status_code == 200
    assert [t["job_status"] for t in listed.json()["tasks"]] == ["Success"] * 3
    assert started.status_code == 202
    assert stopped.status_code == 200


def test_aksk_without_project_header_acts_in_the_account_project(api: Api) -> None:
    client = Api(api.emu, AkSkAuth(api.emu.ak, api.emu.sk))

    assert client.list_tasks().status_code == 200


def test_wrong_secret_key_is_refused(api: Api) -> None:
    client = Api(api.emu, AkSkAuth(api.emu.ak, api.emu.sk[::-1]))

    answer = client.list_tasks()

    assert error_of(answer) == (401, "APIGW.0301")
    assert _reason(answer).endswith("verify aksk signature fail")


def test_unknown_access_key_is_refused(api: Api) -> None:
    client = Api(api.emu, AkSkAuth("HPUAUNKNOWNKEY000000", api.emu.sk))

    answer = client.list_tasks()

    assert error_of(answer) == (401, "APIGW.0301")
    assert "not exist" in _reason(answer)


@pytest.mark.parametrize("skew", [timedelta(minutes=16), timedelta(minutes=-16)])
def test_signing_date_far_from_the_gateway_clock_is_refused(
    api: Api, skew: timedelta
) -> None:
    client = Api(api.emu, AkSkAuth(api.emu.ak, api.emu.sk, clock=_shifted(skew)))

    answer = client.list_tasks()

    assert error_of(answer) == (401, "APIGW.0301")
    assert "15 minutes" in _reason(answer)


def test_signing_date_within_the_window_passes(api: Api) -> None:
    clock = _shifted(timedelta(minutes=-14))
    client = Api(api.emu, AkSkAuth(api.emu.ak, api.emu.sk, clock=clock))

    assert client.list_tasks().status_code == 200


def _signed_headers(
    emu: EmulatorServer, path: str, query: list[tuple[str, str]]
) -> dict[str, str]:
    host = emu.endpoint.removeprefix("http://")
    headers = {
        "Host": host,
        "Content-Type": "application/json",
        "X-Sdk-Date": format_date(datetime.now(UTC)),
    }
    parts = compute_signature(
        secret_key=emu.sk,
        method="GET",
        path=path,
        query=query,
        headers=headers,
        body=b"",
    )
    return {**headers, "Authorization": parts.authorization(emu.ak)}


def test_request_changed_after_signing_is_refused(api: Api) -> None:
    path = api.gc_path()
    headers = _signed_headers(api.emu, path, [("limit", "5")])
    url = f"{api.emu.endpoint}{path}"

    honest = httpx.get(url, params={"limit": "5"}, headers=headers)
    tampered = httpx.get(url, params={"limit": "50"}, headers=headers)

    assert honest.status_code == 200
    assert error_of(tampered) == (401, "APIGW.0301")
    assert _reason(tampered).endswith("verify aksk signature fail")


def test_missing_or_malformed_signing_date_is_refused(api: Api) -> None:
    path = api.gc_path()
    headers = _signed_headers(api.emu, path, [])
    url = f"{api.emu.endpoint}{path}"

    without = httpx.get(
        url, headers={k: v for k, v in headers.items() if k != "X-Sdk-Date"}
    )
    garbled = httpx.get(url, headers={**headers, "X-Sdk-Date": "yesterday"})

    assert _reason(without).endswith("x-sdk-date not found")
    assert _reason(garbled).endswith("x-sdk-date format error")


def test_other_project_in_path_or_header_is_forbidden(api: Api) -> None:
    other = "0" * 32
    token_client = Api(api.emu)
    aksk_client = Api(api.emu, AkSkAuth(api.emu.ak, api.emu.sk, project_id=other))

    by_path = token_client.http.get(f"/v2/{other}/instances")
    by_header = aksk_client.list_tasks()

    assert error_of(by_path) == (403, "APIGW.0302")
    assert error_of(by_header) == (403, "APIGW.0302")


def test_temporary_credentials_need_their_security_token(frozen: Api) -> None:
    emu = frozen.emu
    ak, sk, security_token = emu.issue_temporary_credentials(ttl_seconds=600)

    signed = Api(emu, AkSkAuth(ak, sk, security_token=security_token))
    without = Api(emu, AkSkAuth(ak, sk))
    wrong = Api(emu, AkSkAuth(ak, sk, security_token=security_token[:-2] + "xx"))

    assert signed.list_tasks().status_code == 200
    assert _reason(without.list_tasks()).endswith("x-security-token not found")
    assert _reason(wrong.list_tasks()).endswith("verify security token fail")
    emu.clock.advance(601)
    expired = signed.list_tasks()
    assert error_of(expired) == (401, "APIGW.0301")
    assert _reason(expired).endswith("security token expired")
