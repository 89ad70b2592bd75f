"""The log file: where it goes, what it holds, and what it never holds."""

from __future__ import annotations

import logging
import os
import stat
import sys
from pathlib import Path

import pytest

from swrgc_tui import logs, paths
from swrgc_tui.credentials import Credentials
from swrgc_tui.logs import MAX_BYTES, redact, register_secret, setup_logging

SK = "Zq8vSecretAccessKey0123456789abcdefGHIJ"
TOKEN = "MIIPAgYJKoZIhvcNAQcCoIIO8zCCDu8CAQExDTALBglghkgBZQMEAgEwgg"
SECURITY_TOKEN = "gQpzb2NrZXQtc2Vzc2lvbi10b2tlbi12YWx1ZQ"
PASSWORD = "Tr0ub4dor&3-horse"
REGISTERED = "registered-only-secret-42"


@pytest.fixture(autouse=True)
def no_secrets_of_other_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other tests register throwaway secrets such as "t"; masking every "t"
    would make the expected text here unreadable."""
    monkeypatch.setattr(logs, "_secrets", set())


def read_log(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_every_secret_form_is_scrubbed(tmp_path: Path) -> None:
    path = setup_logging(False, tmp_path / "logs" / "swrgc.log")
    register_secret(REGISTERED)
    log = logging.getLogger("swrgc_tui.test")

    log.info("Authorization: SDK-HMAC-SHA256 Access=HPUA, Signature=%s", SK)
    log.info("headers %s", {"X-Auth-Token": TOKEN, "X-Security-Token": SECURITY_TOKEN})
    log.info("X-Subject-Token: %s", TOKEN)
    log.info("signing with ak=HPUA sk=%s", SK)
    log.info('body {"auth": {"password": "%s"}}', PASSWORD)
    log.info("password=%s", PASSWORD)
    log.warning("bare value %s in a sentence", REGISTERED)
    log.info("kept: 12 tasks loaded")

    text = read_log(path)

    for secret in (SK, TOKEN, SECURITY_TOKEN, PASSWORD, REGISTERED):
        assert secret not in text
    assert text.count("***") >= 8
    assert "kept: 12 tasks loaded" in text


def test_credentials_register_their_secrets(tmp_path: Path) -> None:
    path = setup_logging(False, tmp_path / "swrgc.log")
    credentials = Credentials(
        kind="aksk", source="test", ak="HPUA0000000000000001", sk=SK
    )

    logging.getLogger("x").info("about to use %s with %s", credentials, credentials.sk)

    text = read_log(path)
    assert SK not in text
    assert "AK/SK (AK HPUA…0001) from test" in text


def test_tracebacks_are_scrubbed_too(tmp_path: Path) -> None:
    path = setup_logging(False, tmp_path / "swrgc.log")
    register_secret(TOKEN)
    try:
        raise ValueError(f"bad token {TOKEN}")
    except ValueError:
        logging.getLogger("x").exception("request failed")

    text = read_log(path)
    assert "ValueError: bad token ***" in text
    assert TOKEN not in text


def test_http_libraries_stay_quiet_unless_debugging(tmp_path: Path) -> None:
    path = setup_logging(False, tmp_path / "swrgc.log")
    logging.getLogger("httpx").info("HTTP Request: GET /v2/x")
    logging.getLogger("swrgc_tui").debug("fine detail")
    assert read_log(path) == ""

    setup_logging(True, path)
    logging.getLogger("httpx").info("HTTP Request: GET /v2/y")
    logging.getLogger("swrgc_tui").debug("fine detail")
    assert "GET /v2/y" in read_log(path)
    assert "fine detail" in read_log(path)


def test_nothing_goes_to_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_logging(False, tmp_path / "swrgc.log")
    logging.getLogger("swrgc_tui").error("something broke")

    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "")
    assert all(
        getattr(h, "stream", None) not in (sys.stderr, sys.stdout)
        for h in logging.getLogger().handlers
    )


def test_default_file_is_private_and_rotates(isolated: Path) -> None:
    path = setup_logging(False)

    assert path == paths.log_file()
    assert path.is_relative_to(isolated)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    chunk = "x" * 1000
    for _ in range(MAX_BYTES // 1000 + 10):
        logging.getLogger("swrgc_tui").info(chunk)
    assert path.with_name(path.name + ".1").exists()


def test_redact_leaves_ordinary_text_alone() -> None:
    text = "APIGW.0301: Incorrect IAM authentication information: token expires"

    assert redact(text) == text
