"""Credentials from each source, in order, with secrets kept out of sight."""

from __future__ import annotations

import argparse
from pathlib import Path

import httpx
import pytest

from swrgc_tui.api.auth import AkSkAuth, TokenAuth
from swrgc_tui.api.errors import CredentialsError
from swrgc_tui.config import Settings, resolve_settings
from swrgc_tui.credentials import Credentials, load_credentials

from .helpers import write_private

AK = "HPUAEXAMPLEKEY000001"
SK = "sk-secret-0123456789abcdefghij"
TOKEN = "MIIexampletokenvalue0123456789"


def settings(auth_method: str = "auto") -> Settings:
    options = argparse.Namespace()
    env = {"SWRGC_AUTH_METHOD": auth_method}
    return resolve_settings(options, env, Path("/nonexistent/config.toml"))


def ini(home: Path, text: str, mode: int = 0o600) -> Path:
    return write_private(home / ".huaweicloud" / "credentials", text, mode)


def test_nothing_found_means_login(isolated: Path) -> None:
    assert load_credentials(settings(), {}, home=isolated) is None


def test_aksk_from_the_sdk_environment(isolated: Path) -> None:
    env = {
        "HUAWEICLOUD_SDK_AK": AK,
        "HUAWEICLOUD_SDK_SK": SK,
        "HUAWEICLOUD_SDK_SECURITY_TOKEN": "session",
    }

    found = load_credentials(settings(), env, home=isolated)

    assert found is not None
    assert (found.kind, found.ak, found.sk, found.security_token) == (
        "aksk",
        AK,
        SK,
        "session",
    )
    assert found.describe() == (
        "temporary AK/SK (AK HPUA…0001) from environment HUAWEICLOUD_SDK_AK/SK"
    )


def test_aksk_from_the_sample_code_variables(isolated: Path) -> None:
    env = {"CLOUD_SDK_AK": AK, "CLOUD_SDK_SK": SK}

    found = load_credentials(settings(), env, home=isolated)

    assert found is not None
    assert found.source == "environment CLOUD_SDK_AK/SK"


def test_half_a_pair_is_an_error(isolated: Path) -> None:
    with pytest.raises(CredentialsError) as caught:
        load_credentials(settings(), {"HUAWEICLOUD_SDK_SK": SK}, home=isolated)

    assert (
        str(caught.value) == "HUAWEICLOUD_SDK_SK is set but HUAWEICLOUD_SDK_AK is not"
    )


def test_sdk_ini_file_basic_section(isolated: Path) -> None:
    ini(isolated, f"[basic]\nak = {AK}\nsk = {SK}\nproject_id = p-42\n")

    found = load_credentials(settings(), {}, home=isolated)

    assert found is not None
    assert (found.ak, found.sk, found.project_id) == (AK, SK, "p-42")
    assert found.source == "~/.huaweicloud/credentials [basic]"


def test_ini_path_from_the_sdk_variable(isolated: Path, tmp_path: Path) -> None:
    path = write_private(tmp_path / "creds.ini", f"[basic]\nak={AK}\nsk={SK}\n")

    env = {"HUAWEICLOUD_SDK_CREDENTIALS_FILE": str(path)}
    found = load_credentials(settings(), env, home=isolated)

    assert found is not None
    assert found.source == f"{path} [basic]"


def test_ini_with_an_open_mode_is_refused_like_ssh(isolated: Path) -> None:
    path = ini(isolated, f"[basic]\nak = {AK}\nsk = {SK}\n", mode=0o644)

    with pytest.raises(CredentialsError) as caught:
        load_credentials(settings(), {}, home=isolated)

    message = str(caught.value)
    assert str(path) in message
    assert "0644" in message
    assert f"chmod 600 {path}" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"ak = {AK}\nsk = {SK}\n", "is not a valid INI file (line 1)"),
        (f"[other]\nak = {AK}\n", "has no [basic] section"),
        (f"[basic]\nak = {AK}\n", "[basic] needs both ak and sk"),
    ],
)
def test_bad_ini_files_are_explained_without_their_secrets(
    isolated: Path, text: str, expected: str
) -> None:
    ini(isolated, text)

    with pytest.raises(CredentialsError) as caught:
        load_credentials(settings(), {}, home=isolated)

    assert expected in str(caught.value)
    assert SK not in str(caught.value)


def test_token_from_the_environment(isolated: Path) -> None:
    found = load_credentials(
        settings(), {"SWRGC_AUTH_TOKEN": f" {TOKEN}\n"}, home=isolated
    )

    assert found is not None
    assert (found.kind, found.token) == ("token", TOKEN)
    assert found.describe() == "token from environment SWRGC_AUTH_TOKEN"


def test_token_file(isolated: Path, tmp_path: Path) -> None:
    path = write_private(tmp_path / "token", TOKEN + "\n")

    found = load_credentials(settings(), {}, token_file=path, home=isolated)

    assert found is not None
    assert (found.token, found.source) == (TOKEN, f"token file {path}")


@pytest.mark.parametrize(
    ("text", "mode", "expected"),
    [
        (TOKEN, 0o640, "chmod 600"),
        ("", 0o600, "is empty"),
        (f"{TOKEN}\nsecond line", 0o600, "single token on one line"),
    ],
)
def test_bad_token_files_are_refused(
    isolated: Path, tmp_path: Path, text: str, mode: int, expected: str
) -> None:
    path = write_private(tmp_path / "token", text, mode)

    with pytest.raises(CredentialsError, match=expected):
        load_credentials(settings(), {}, token_file=path, home=isolated)


def test_missing_token_file(isolated: Path, tmp_path: Path) -> None:
    with pytest.raises(CredentialsError, match="does not exist"):
        load_credentials(settings(), {}, token_file=tmp_path / "no", home=isolated)


def test_auto_order_token_before_environment_aksk_before_ini(isolated: Path) -> None:
    ini(isolated, f"[basic]\nak = INIAK000000000000001\nsk = {SK}\n")
    env = {"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK}

    first = load_credentials(
        settings(), {**env, "SWRGC_AUTH_TOKEN": TOKEN}, home=isolated
    )
    second = load_credentials(settings(), env, home=isolated)
    third = load_credentials(settings(), {}, home=isolated)

    assert first is not None and first.kind == "token"
    assert second is not None and second.ak == AK
    assert third is not None and third.ak == "INIAK000000000000001"


def test_auth_method_restricts_the_sources(isolated: Path) -> None:
    env = {
        "HUAWEICLOUD_SDK_AK": AK,
        "HUAWEICLOUD_SDK_SK": SK,
        "SWRGC_AUTH_TOKEN": TOKEN,
    }

    aksk = load_credentials(settings("aksk"), env, home=isolated)
    token = load_credentials(settings("token"), env, home=isolated)

    assert aksk is not None and aksk.kind == "aksk"
    assert token is not None and token.kind == "token"
    assert load_credentials(settings("password"), env, home=isolated) is None
    with pytest.raises(CredentialsError, match="no token was found"):
        load_credentials(settings("token"), {}, home=isolated)
    with pytest.raises(CredentialsError, match="no AK/SK was found"):
        load_credentials(settings("aksk"), {}, home=isolated)


def test_repr_and_str_hide_every_secret() -> None:
    found = Credentials(
        kind="aksk", source="x", ak=AK, sk=SK, security_token="sess-secret-token"
    )
    token = Credentials(kind="token", source="y", token=TOKEN)

    for text in (repr(found), str(found), repr(token), str(token)):
        for secret in (SK, "sess-secret-token", TOKEN):
            assert secret not in text


def test_auth_flows_match_the_kind() -> None:
    aksk = Credentials(kind="aksk", source="x", ak=AK, sk=SK).auth("p-1")
    token = Credentials(kind="token", source="y", token=TOKEN).auth(None)

    assert isinstance(aksk, AkSkAuth)
    assert isinstance(token, TokenAuth)
    request = httpx.Request("GET", "https://swr.example/v2/p-1/instances")
    signed = next(token.auth_flow(request))
    assert signed.headers["X-Auth-Token"] == TOKEN
