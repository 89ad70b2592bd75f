"""Failures that need the user: rejected credentials, missing permissions,
an instance list that would not load."""

from __future__ import annotations

import pytest

from swrgc_tui.tui.screens.dialogs import ProblemScreen
from swrgc_tui.tui.screens.home import HomeScreen

from .fake_swr import FakeSwr, fake_app, instance, task
from .helpers import open_picker, screen_lines, wait_until

FORBIDDEN = {
    "error_code": "SVCSTG.SWR.4030170",
    "error_msg": "Insufficient permissions for garbage collection",
    "encoded_authorization_message": "ENC0DED-MESSAGE-1234",
}
TOKEN_REJECTED = {
    "error_code": "APIGW.0301",
    "error_msg": "Incorrect IAM authentication information: x-auth-token not found",
    "request_id": "gw-req-1",
}


def _fake(kind: str, status: int, body: dict[str, str]) -> FakeSwr:
    fake = FakeSwr([instance("i1", "one")], [task(5)])
    fake.failures[kind] = (status, body)
    return fake


async def test_forbidden_explains_and_copies_the_encoded_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = fake_app(monkeypatch, _fake("tasks", 403, FORBIDDEN), instance="i1")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ProblemScreen), "dialog")
        await pilot.pause()
        text = "\n".join(screen_lines(app.screen))
        assert "Permission denied" in text and "SVCSTG.SWR.4030170" in text
        assert "ENC0DED-MESSAGE-1234" in text and "decode-authorization-message" in text
        assert "Log in" not in text
        await pilot.press("c")
        assert app.clipboard == "ENC0DED-MESSAGE-1234"
        await pilot.press("escape")
        assert type(app.screen).__name__ == "MainScreen"


async def test_rejected_token_offers_a_login(monkeypatch: pytest.MonkeyPatch) -> None:
    from swrgc_tui.tui.screens.login import LoginScreen

    app = fake_app(monkeypatch, _fake("tasks", 401, TOKEN_REJECTED), instance="i1")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ProblemScreen), "dialog")
        await pilot.pause()
        text = "\n".join(screen_lines(app.screen))
        assert "Authentication failed" in text and "request id" in text
        assert "Credentials used: token from test." in text
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen), "login")


async def test_instance_list_failure_says_why_and_R_tries_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = {"error_code": "SVCSTG.SWR.5000001", "error_msg": "Internal error"}
    fake = _fake("instances", 500, body)
    fake.instances.append(instance("i2", "two"))
    app = fake_app(monkeypatch, fake)
    async with app.run_test(size=(100, 32)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        await wait_until(pilot, lambda: home.problem is not None, "the problem")
        assert "SVCSTG.SWR.5000001: Internal error" in home.status_text
        assert "request id 0f1e2d3c4b5a" in home.status_text
        del fake.failures["instances"]
        await pilot.press("R")
        await open_picker(pilot)
