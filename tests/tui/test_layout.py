"""The main screen at 80x24, at a common size and on a wide terminal."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.color import Color

from swrgc_tui.emulator import EmulatorServer

from .helpers import make_app, open_main, screen_lines


async def test_80x24_puts_the_filter_in_a_bar_and_the_detail_below(
    emulator_session: EmulatorServer,
) -> None:
    app = make_app(emulator_session, instance=emulator_session.main_instance_id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_main(pilot)
        await pilot.pause()
        assert screen.has_class("-narrow") and screen.sidebar.bar
        table, detail, bar = (
            screen.table.region,
            screen.detail.region,
            screen.sidebar.region,
        )
        assert bar.height == 1 and bar.y < table.y < detail.y
        assert table.height >= 9 and detail.height >= 6
        for widget in (screen.table, screen.detail, screen.sidebar, screen.status_line):
            assert widget.region.right <= 80

        lines = screen_lines(screen)
        assert len(lines) == 24
        for word in ("All", "Success", "Running", "Pending", "Stopped", "Error"):
            assert word in lines[1]
        header = lines[2]
        assert all(column in header for column in ("ID", "Name", "Status", "Freed"))
        assert str(screen.store.task_id(0)) in lines[3]
        assert "tasks loaded" in lines[-2]
        for key in ("r Refresh", "/ Search", "q Quit", "? Help", "i Instances"):
            assert key in lines[-1]
        assert f"Task {screen.current_task_id()}" in "\n".join(lines[detail.y :])


async def test_d_hides_the_detail_and_the_table_takes_its_room(
    emulator_session: EmulatorServer,
) -> None:
    app = make_app(emulator_session, instance=emulator_session.main_instance_id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_main(pilot)
        before = screen.table.region.height
        await pilot.press("d")
        await pilot.pause()
        assert not screen.detail.display
        assert screen.table.region.height > before
        await pilot.press("enter")  # Enter on a row brings the pane back
        await pilot.pause()
        assert screen.detail.display and app.focused is screen.detail


async def test_common_size_has_a_sidebar_and_the_detail_below(
    emulator_session: EmulatorServer,
) -> None:
    app = make_app(emulator_session, instance=emulator_session.main_instance_id)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_main(pilot)
        await pilot.pause()
        assert not screen.sidebar.bar
        sidebar, table, detail = (
            screen.sidebar.region,
            screen.table.region,
            screen.detail.region,
        )
        assert sidebar.right <= table.x and sidebar.height > 6
        assert detail.y > table.y and detail.x == table.x
        lines = screen_lines(screen)
        assert "Status" in lines[1] and "1 ✔ Success" in lines[3]


async def test_wide_terminal_puts_the_detail_beside_the_table(
    emulator_session: EmulatorServer,
) -> None:
    app = make_app(emulator_session, instance=emulator_session.main_instance_id)
    async with app.run_test(size=(170, 45)) as pilot:
        screen = await open_main(pilot)
        await pilot.pause()
        table, detail = screen.table.region, screen.detail.region
        assert detail.x >= table.right and detail.y == table.y


@pytest.mark.parametrize("size", [(120, 36), (170, 45)])
async def test_search_opens_over_the_table_and_a_detail_beside_it(
    emulator_session: EmulatorServer, size: tuple[int, int]
) -> None:
    app = make_app(emulator_session, instance=emulator_session.main_instance_id)
    async with app.run_test(size=size) as pilot:
        screen = await open_main(pilot)
        await pilot.press("slash")
        await pilot.pause()
        search, table = screen.search.region, screen.table.region
        sidebar, detail = screen.sidebar.region, screen.detail.region
        assert app.focused is screen.search
        assert search.x == table.x == sidebar.right and search.bottom == table.y
        beside = detail.y == table.y
        assert search.right == (detail.right if beside else table.right)
        assert beside == (size[0] >= 140)


async def test_status_line_and_footer_span_the_screen_below_every_pane(
    emulator_session: EmulatorServer,
) -> None:
    app = make_app(emulator_session, instance=emulator_session.main_instance_id)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_main(pilot)
        await pilot.pause()
        lines = screen_lines(screen)
        status_line = screen.status_line.region
        assert status_line.width == 120 and status_line.y == 34
        assert screen.detail.region.bottom == screen.sidebar.region.bottom == 34
        assert "Quit" in lines[35]


async def test_tab_moves_between_filter_table_and_detail(
    emulator_session: EmulatorServer,
) -> None:
    app = make_app(emulator_session, instance=emulator_session.main_instance_id)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_main(pilot)
        assert app.focused is screen.table
        await pilot.press("tab")
        assert app.focused is screen.detail
        await pilot.press("tab")
        assert app.focused is screen.sidebar
        await pilot.press("down", "down", "down", "down", "down", "enter")
        await pilot.press("tab")
        assert app.focused is screen.table
        assert screen.listing.status == "Error"


async def test_theme_comes_from_the_settings_and_a_wrong_one_is_named(
    emulator_session: EmulatorServer,
) -> None:
    app = make_app(
        emulator_session,
        instance=emulator_session.main_instance_id,
        theme="textual-light",
    )
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_main(pilot)
        assert app.theme == "textual-light"
        assert screen.table.styles.background == _theme_colour(app, "surface")
    wrong = make_app(emulator_session, theme="no-such-theme")
    async with wrong.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        notices = [str(n.message) for n in wrong._notifications]
        assert any(n.startswith("Unknown theme “no-such-theme”") for n in notices)


async def test_a_theme_chosen_over_the_main_screen_shows_when_it_is_back(
    emulator_session: EmulatorServer,
) -> None:
    app = make_app(emulator_session, instance=emulator_session.main_instance_id)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_main(pilot)
        dark = screen.table.styles.background
        await pilot.press("question_mark")
        await pilot.pause()
        app.theme = "textual-light"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert screen.table.styles.background == _theme_colour(app, "surface")
        assert screen.table.styles.background != dark


def _theme_colour(app: App[object], name: str) -> Color:
    return Color.parse(app.get_css_variables()[name])


async def test_no_color_keeps_every_status_readable(
    emulator_session: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(emulator_session, instance=emulator_session.main_instance_id)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_main(pilot)
        await pilot.pause()
        assert app.no_color
        text = "\n".join(screen_lines(screen))
        for shown in ("✔ Success", "● Running", "… Pending", "■ Stopped", "✖ Error"):
            assert shown in text
        assert "▸0 ≡ All" in text  # the active filter is marked, not only coloured
