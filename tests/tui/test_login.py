"""The IAM login dialog, driven by keys against the emulator's IAM over TCP."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.widgets import Input, Static

from swrgc_tui.api.auth import TokenAuth
from swrgc_tui.api.client import SwrClient
from swrgc_tui.config import Settings
from swrgc_tui.credentials import Credentials
from swrgc_tui.emulator import EmulatorServer
from swrgc_tui.tui.screens.login import TOKEN_EXPIRED, LoginScreen

from .helpers import make_app, open_main, screen_lines, wait_until

_NO_RESULT = object()


@pytest.fixture
def emu(emulator_session: EmulatorServer) -> EmulatorServer:
    return emulator_session  # a login only adds a token: the shared one will do


def settings_for(iam_endpoint: str, region: str = "cn-north-4") -> Settings:
    return Settings(
        endpoint=iam_endpoint,
        iam_endpoint=iam_endpoint,
        region=region,
        sources={"iam_endpoint": "option"},
    )


class Host(App[None]):
    """A bare app that opens the dialog and keeps what it returns."""

    def __init__(self, screen: LoginScreen) -> None:
        super().__init__()
        self.dialog = screen
        self.result: object = _NO_RESULT

    def on_mount(self) -> None:
        self.push_screen(self.dialog, callback=self._done)

    def _done(self, result: Credentials | None) -> None:
        self.result = result


def fill(dialog: LoginScreen, **values: str) -> None:
    for name, value in values.items():
        dialog.query_one(f"#{name}", Input).value = value


def message(dialog: LoginScreen) -> str:
    return str(dialog.query_one("#login-message", Static).render())


async def test_right_password_returns_a_working_token(emu: EmulatorServer) -> None:
    dialog = LoginScreen(settings_for(emu.endpoint), reason=TOKEN_EXPIRED)
    app = Host(dialog)
    async with app.run_test() as pilot:
        assert TOKEN_EXPIRED in str(dialog.query_one("#login-reason", Static).render())
        fill(dialog, user=emu.iam_user, domain=emu.iam_domain)
        dialog.query_one("#password", Input).focus()
        await pilot.press(*emu.iam_password)
        assert emu.iam_password not in app.export_screenshot()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert isinstance(app.result, Credentials)
    assert app.result.kind == "token"
    assert app.result.project_id == emu.project_id
    assert app.result.source == f"IAM login as {emu.iam_user}@{emu.iam_domain}"
    assert app.result.token not in repr(app.result)
    auth = TokenAuth(app.result.token)
    async with SwrClient(emu.endpoint, emu.project_id, auth) as client:
        instance = await client.show_instance(emu.main_instance_id)
    assert instance.id == emu.main_instance_id


async def test_wrong_password_shows_iams_error_and_keeps_the_form(
    emu: EmulatorServer,
) -> None:
    dialog = LoginScreen(settings_for(emu.endpoint))
    app = Host(dialog)
    async with app.run_test() as pilot:
        fill(dialog, user=emu.iam_user, password="not-it", domain=emu.iam_domain)
        dialog.query_one("#region", Input).focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()

        shown = message(dialog)
        assert "refused the login" in shown
        assert "IAM.0101" in shown and "username or password is wrong" in shown
        assert "request id " in shown
        assert dialog.query_one("#user", Input).value == emu.iam_user
        assert dialog.query_one("#domain", Input).value == emu.iam_domain
        assert dialog.query_one("#region", Input).value == "cn-north-4"
        password = dialog.query_one("#password", Input)
        assert password.value == "" and password.has_focus
        assert app.screen is dialog and app.result is _NO_RESULT


async def test_escape_cancels_with_none(emu: EmulatorServer) -> None:
    app = Host(LoginScreen(settings_for(emu.endpoint)))
    async with app.run_test() as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


async def test_enter_with_a_gap_points_at_it_and_sends_nothing(
    emu: EmulatorServer,
) -> None:
    dialog = LoginScreen(settings_for(emu.endpoint), user="ops")
    app = Host(dialog)
    async with app.run_test() as pilot:
        assert dialog.query_one("#password", Input).has_focus
        fill(dialog, password="secret", domain="")
        before = emu.requests
        await pilot.press("enter")
        await pilot.pause()

        assert message(dialog) == "Fill in the account name."
        assert dialog.query_one("#domain", Input).has_focus
        assert emu.requests == before and app.result is _NO_RESULT


async def test_unreachable_iam_is_named(unused_tcp_port: int) -> None:
    endpoint = f"http://127.0.0.1:{unused_tcp_port}"
    dialog = LoginScreen(settings_for(endpoint), user="ops", domain="acme")
    app = Host(dialog)
    async with app.run_test() as pilot:
        fill(dialog, password="secret")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert message(dialog).startswith(f"Cannot reach IAM at {endpoint}.")
        assert dialog.query_one("#password", Input).value == "secret"


async def test_expired_token_brings_the_login_back_to_the_same_view(
    emulator: EmulatorServer,
) -> None:
    emu = emulator
    token = Credentials(kind="token", source="test", token=emu.issue_token())
    app = make_app(emu, credentials=token, instance=emu.main_instance_id, refresh=0.1)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_main(pilot)
        await pilot.press("1")  # Success only
        await wait_until(pilot, lambda: screen.listing.started, "Success listing")
        await pilot.press("j", "j", "j")
        watched, rows = screen.current_task_id(), len(screen.store)
        live = screen.live.refresher
        assert live is not None and watched is not None

        emu.revoke_tokens()
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen), "login")
        dialog = app.screen
        assert isinstance(dialog, LoginScreen)
        await wait_until(
            pilot,
            lambda: "Your token has expired" in " ".join(screen_lines(dialog)),
            "the reason for the login",
        )
        fill(dialog, user=emu.iam_user, password=emu.iam_password)
        fill(dialog, domain=emu.iam_domain)
        await pilot.press("enter")

        await wait_until(pilot, lambda: app.screen is screen, "the same view")
        before = emu.requests
        await wait_until(pilot, lambda: emu.requests > before + 1, "polling again")
        assert not live.needs_login and screen.live.refresher is live
        assert screen.listing.status == "Success"
        assert screen.current_task_id() == watched
        assert len(screen.store) == rows
        assert app.credentials is not None
        assert app.credentials.source.startswith("IAM login as")


async def test_a_cancelled_login_leaves_a_key_to_log_in_later(
    emulator: EmulatorServer,
) -> None:
    emu = emulator
    token = Credentials(kind="token", source="test", token=emu.issue_token())
    app = make_app(emu, credentials=token, instance=emu.main_instance_id, refresh=0.1)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_main(pilot)
        await wait_until(pilot, lambda: screen.live.refresher is not None, "refresh")
        assert "l Log in" not in screen_lines(screen)[-1]

        emu.revoke_tokens()
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen), "login")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "back to the list")
        await pilot.pause()
        assert "refresh stopped: l logs in again" in screen.status_line.plain
        assert "l Log in" in screen_lines(screen)[-1]

        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen), "login")
        dialog = app.screen
        assert isinstance(dialog, LoginScreen)
        fill(dialog, user=emu.iam_user, password=emu.iam_password)
        fill(dialog, domain=emu.iam_domain)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen, "the same view")
        await wait_until(pilot, lambda: not screen.needs_login, "refreshing again")
        await pilot.pause()
        assert "l Log in" not in screen_lines(screen)[-1]
