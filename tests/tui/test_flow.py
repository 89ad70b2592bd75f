"""From start to the task list: connecting, the picker, remembered state."""

from __future__ import annotations

from swrgc_tui.emulator import EmulatorServer
from swrgc_tui.state import UiState
from swrgc_tui.tui.screens.dialogs import ConfirmScreen
from swrgc_tui.tui.screens.home import HomeScreen
from swrgc_tui.tui.screens.instances import InstancesScreen

from .helpers import make_app, open_main, open_picker, screen_lines, wait_until


def _picker_rows(screen: InstancesScreen) -> list[str]:
    table = screen.query_one("#instances-table")
    return [
        " ".join(str(cell) for cell in table.get_row_at(i))  # type: ignore[attr-defined]
        for i in range(table.row_count)  # type: ignore[attr-defined]
    ]


async def test_picker_lists_instances_and_opens_the_one_typed(
    emulator_session: EmulatorServer,
) -> None:
    app = make_app(emulator_session)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_picker(pilot)
        picker = app.screen
        assert isinstance(picker, InstancesScreen)
        await wait_until(pilot, lambda: _picker_rows(picker), "instance rows")
        rows = _picker_rows(picker)
        assert len(rows) == 4
        assert any("swr-prod" in row and "Running" in row for row in rows)
        assert any("⚠ Unavailable" in row for row in rows)

        await pilot.press(*"staging")
        assert [r.split()[0] for r in _picker_rows(picker)] == ["swr-staging"]
        await pilot.press("enter")

        screen = await open_main(pilot)
        assert screen.instance_id == emulator_session.small_instance_id
        assert "swr-staging" in app.sub_title
        assert app.ui_state.instance == emulator_session.small_instance_id


async def test_filter_that_matches_nothing_says_so(
    emulator_session: EmulatorServer,
) -> None:
    app = make_app(emulator_session)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_picker(pilot)
        picker = app.screen
        assert isinstance(picker, InstancesScreen)
        await wait_until(pilot, lambda: _picker_rows(picker), "instance rows")
        await pilot.press(*"zzz")
        assert _picker_rows(picker) == []
        assert picker.message == "No instance matches “zzz” (4 in all)."


async def test_opening_an_unavailable_instance_asks_first(
    emulator_session: EmulatorServer,
) -> None:
    app = make_app(emulator_session)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_picker(pilot)
        await pilot.press(*"legacy", "enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ConfirmScreen), "question"
        )
        text = "\n".join(screen_lines(app.screen))
        assert "swr-legacy is Unavailable" in text
        assert "GC history may be unavailable" in text

        await pilot.press("n")
        await open_picker(pilot)

        await pilot.press("enter", "y")
        await wait_until(
            pilot, lambda: type(app.screen).__name__ == "MainScreen", "main screen"
        )
        screen = app.screen
        await wait_until(pilot, lambda: screen.listing.error is not None, "error")  # type: ignore[attr-defined]
        await pilot.pause()
        tail = "\n".join(screen_lines(screen))
        assert "SVCSTG.SWR" in tail and "request id" in tail


async def test_instance_option_skips_the_picker(
    emulator_session: EmulatorServer,
) -> None:
    app = make_app(emulator_session, instance=emulator_session.main_instance_id)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_main(pilot)
        assert [type(s).__name__ for s in app.screen_stack] == [
            "HomeScreen",
            "MainScreen",
        ]
        assert screen.instance_id == emulator_session.main_instance_id
        await wait_until(pilot, lambda: "swr-prod" in app.sub_title, "instance name")


async def test_remembered_instance_and_filter_come_back(
    emulator_session: EmulatorServer,
) -> None:
    state = UiState(
        profile="default",
        instance=emulator_session.main_instance_id,
        status_filter="Error",
        time_mode="utc",
    )
    app = make_app(emulator_session, state=state)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_main(pilot)
        assert screen.listing.status == "Error"
        assert {screen.store.status(i) for i in range(len(screen.store))} == {"Error"}
        assert screen.table.time_mode == "utc"
        await pilot.press("1", "d")
    assert state.status_filter == "Success"
    assert state.show_detail is False


async def test_i_goes_to_the_picker_and_escape_comes_back(
    emulator_session: EmulatorServer,
) -> None:
    app = make_app(emulator_session, instance=emulator_session.main_instance_id)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_main(pilot)
        loaded = len(screen.store)
        await pilot.press("i")
        await open_picker(pilot)
        await pilot.press("escape")
        assert app.screen is screen
        assert len(screen.store) == loaded


async def test_unknown_instance_goes_back_to_the_picker_with_a_reason(
    emulator_session: EmulatorServer,
) -> None:
    app = make_app(emulator_session, instance="no-such-instance")
    async with app.run_test(size=(120, 30)) as pilot:
        await open_picker(pilot)
        await wait_until(
            pilot, lambda: "Pick" in "".join(screen_lines(app.screen)), "why"
        )
        notice = "\n".join(screen_lines(app.screen))
        assert "Instance no-such-instance is not known" in notice
        assert "request id" in notice
        assert "Pick another instance" in notice


async def test_wrong_secret_key_explains_which_credential_and_hides_it(
    emulator_session: EmulatorServer,
) -> None:
    from .helpers import credentials_for

    wrong = "not-the-secret-key-0123456789"
    app = make_app(
        emulator_session, credentials=credentials_for(emulator_session, sk=wrong)
    )
    async with app.run_test(size=(120, 30)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        await wait_until(pilot, lambda: home.problem is not None, "the problem")
        text = home.status_text
        assert "Authentication failed" in text
        assert "APIGW.0301" in text and "request id" in text
        assert "AK/SK (AK " in text and "environment HUAWEICLOUD_SDK_AK/SK" in text
        assert "15 minutes" in text
        assert wrong not in "\n".join(screen_lines(app.screen))
        assert emulator_session.ak not in text


async def test_unreachable_endpoint_says_so_and_offers_a_retry(
    emulator_session: EmulatorServer,
) -> None:
    app = make_app(emulator_session, endpoint="http://127.0.0.1:9")
    async with app.run_test(size=(120, 30)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        await wait_until(pilot, lambda: home.problem is not None, "the problem", 15)
        assert "Cannot reach http://127.0.0.1:9" in home.status_text
        assert "R retries" in home.status_text
        await pilot.press("R")
        assert home.problem is None and "Cannot reach" not in home.status_text
        await wait_until(pilot, lambda: home.problem is not None, "the retry", 15)
        assert "Cannot reach http://127.0.0.1:9" in home.status_text


async def test_the_demo_leaves_the_remembered_instance_alone(
    emulator_session: EmulatorServer,
) -> None:
    state = UiState(profile="prod", instance="real-instance")
    app = make_app(
        emulator_session,
        state=state,
        instance=emulator_session.main_instance_id,
        demo=True,
    )
    async with app.run_test(size=(120, 30)) as pilot:
        await open_main(pilot)
        await pilot.press("5")
    assert (state.profile, state.instance) == ("prod", "real-instance")
    assert state.status_filter == "Error"
