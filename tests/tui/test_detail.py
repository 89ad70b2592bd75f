"""The detail pane, and server text that must be shown, never interpreted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from swrgc_tui.emulator import EmulatorServer
from swrgc_tui.formatting import exact_bytes, iec_bytes, local_time
from swrgc_tui.tui.screens.main import MainScreen

from .fake_swr import FakeSwr, fake_app, instance, task
from .helpers import (
    make_app,
    open_main,
    open_picker,
    screen_lines,
    table_lines,
    wait_until,
)

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from swrgc_tui.tui.app import SwrGcApp


def _one_task_app(monkeypatch: pytest.MonkeyPatch, **fields: Any) -> SwrGcApp:
    """The app over one instance holding one task, task 9 unless ``fields`` say."""
    fake = FakeSwr([instance("i1", "one")], [task(fields.pop("id", 9), **fields)])
    return fake_app(monkeypatch, fake, instance="i1")


async def _detail_shown(pilot: Pilot[Any]) -> MainScreen:
    """The main screen once its detail pane shows the highlighted task."""
    screen = await open_main(pilot)
    await wait_until(pilot, lambda: screen.detail.shown_task is not None, "detail")
    return screen


def _first(screen: MainScreen, wanted) -> int:  # type: ignore[no-untyped-def]
    return next(i for i in range(len(screen.store)) if wanted(screen.store.task(i)))


@pytest.mark.usefixtures("tz_utc")
async def test_detail_shows_the_highlighted_run(
    emulator_session: EmulatorServer,
) -> None:
    app = make_app(emulator_session, instance=emulator_session.main_instance_id)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await open_main(pilot, rows=100)
        index = _first(
            screen,
            lambda t: (
                not t.is_active
                and t.job_parameters
                and not t.job_parameters.dry_run
                and (t.job_parameters.freed_space or 0) > 2**30
            ),
        )
        screen.table.cursor_row = index
        task_ = screen.store.task(index)
        params = task_.job_parameters
        assert params is not None and params.freed_space is not None
        await wait_until(pilot, lambda: screen.detail.shown_task == task_, "detail")

        text = screen.detail.plain_text()
        assert f"Task {task_.id}" in text and task_.job_status in text
        assert task_.job_name in text and task_.job_kind in text
        assert task_.creation_time is not None
        assert local_time(task_.creation_time) in text and "ago" in text
        assert f"Workers          {params.workers}" in text
        assert f"Freed space      {iec_bytes(params.freed_space)}" in text
        assert "GiB" in iec_bytes(params.freed_space)
        assert exact_bytes(params.freed_space) in text
        assert "estimate" not in text


async def test_a_dry_run_is_marked_as_an_estimate(
    emulator_session: EmulatorServer,
) -> None:
    app = make_app(emulator_session, instance=emulator_session.main_instance_id)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await open_main(pilot, rows=100)
        index = _first(
            screen, lambda t: t.job_parameters is not None and t.job_parameters.dry_run
        )
        screen.table.cursor_row = index
        task_ = screen.store.task(index)
        assert task_.job_parameters is not None
        await wait_until(pilot, lambda: screen.detail.shown_task == task_, "detail")
        text = screen.detail.plain_text()
        assert "Estimates" in text and "Results" not in text
        freed = task_.job_parameters.freed_space
        assert f"~{iec_bytes(freed)}  estimate" in text


async def test_detail_keeps_up_with_a_held_down_key(
    emulator_session: EmulatorServer,
) -> None:
    app = make_app(emulator_session, instance=emulator_session.main_instance_id)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_main(pilot)
        await pilot.press(*["j"] * 40)
        await pilot.pause(0.1)
        shown = screen.detail.shown_task
        assert shown is not None and shown.id == screen.current_task_id()
        assert screen.table.cursor_row == 40


async def test_v_shows_the_task_as_json_and_back(
    emulator_session: EmulatorServer,
) -> None:
    app = make_app(emulator_session, instance=emulator_session.main_instance_id)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await open_main(pilot)
        task_id = screen.current_task_id()
        await pilot.press("v")
        text = screen.detail.plain_text()
        assert f'"id": {task_id}' in text and '"job_parameters": {' in text
        assert app.ui_state.raw_json is True
        await pilot.press("v")
        assert f"Task {task_id}" in screen.detail.plain_text()


HOSTILE = "[bold red]boom[/] \x1b[31mred\x1b[0m \x9b2J[link=x]y[/link]"
SHOWN = "[bold red]boom[/] red [link=x]y[/link]"
BROKEN = '{"delete_untagged":true,"dry_run":true,"workers":3}"'


async def test_unreadable_parameters_get_a_note_with_the_raw_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = _one_task_app(monkeypatch, id=7, job_parameters=BROKEN)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await _detail_shown(pilot)
        text = screen.detail.plain_text()
        assert "job_parameters could not be read" in text
        assert BROKEN in text.replace("\n", "")
        await pilot.press("v")
        raw = screen.detail.plain_text().replace("\n", "")
        assert '"job_parameters": "{\\"delete_untagged\\":true' in raw


async def test_server_text_is_shown_literally_never_as_markup_or_escapes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = FakeSwr(
        [instance("i1", HOSTILE), instance("i2", "two")],
        [task(7, job_name=HOSTILE, job_status=HOSTILE)],
    )
    app = fake_app(monkeypatch, fake)
    async with app.run_test(size=(160, 40)) as pilot:
        await open_picker(pilot)
        await pilot.pause(0.1)
        assert SHOWN in "\n".join(screen_lines(app.screen))
        await pilot.press("enter")
        screen = await open_main(pilot)
        await wait_until(pilot, lambda: screen.detail.shown_task is not None, "detail")
        row = table_lines(screen)[1]
        assert "[bold red]boom[/]" in row and "? [bold" in row
        detail = screen.detail.plain_text()
        assert f"Name     {SHOWN}" in detail and f"? {SHOWN}" in detail
        assert SHOWN in app.sub_title
        everything = "\n".join(screen_lines(screen))
        assert "\x1b" not in everything and "\x9b" not in everything
        await pilot.press("v")
        raw = screen.detail.plain_text()
        assert "\\u001b[31mred" in raw and "\\u009b2J" in raw


LONG_NAME = "gc-" + "very-long-name-" * 8


@pytest.mark.parametrize("size", [(60, 30), (90, 30), (150, 40)])
async def test_a_long_name_folds_under_its_value_and_nothing_is_cut(
    monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    app = _one_task_app(monkeypatch, job_name=LONG_NAME)
    async with app.run_test(size=size) as pilot:
        screen = await _detail_shown(pilot)
        await pilot.pause()
        lines = screen.detail.plain_text().splitlines()
        body_width = screen.detail.query_one("#detail-body").size.width

        start = next(i for i, line in enumerate(lines) if line.startswith("Name"))
        end = next(i for i, line in enumerate(lines) if line.startswith("Kind"))
        assert end - start > 1, "the name takes more than one line"
        assert all(line.startswith(" " * 9) for line in lines[start + 1 : end])
        # Beside the figures on a wide pane: the name is the first column.
        folded = "".join(line[9:].split()[0] for line in lines[start:end])
        assert folded == LONG_NAME
        assert all(len(line.rstrip()) <= body_width for line in lines)
        text = "\n".join(lines)
        for label in ("Delete untagged  no", "Purged manifests 3", "Freed space"):
            assert label in text


async def test_a_line_in_one_style_is_drawn_in_that_style(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = _one_task_app(monkeypatch, job_parameters=None)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await _detail_shown(pilot)
        await pilot.pause()
        body = screen.detail.query_one("#detail-body")
        lines = [line.plain for line in body.shown()]  # type: ignore[attr-defined]
        number = next(i for i, line in enumerate(lines) if line.startswith("No param"))
        muted = screen.detail.get_component_rich_style("detail--muted", partial=True)
        words = [s for s in body.render_line(number) if s.text.strip()]
        assert "".join(s.text for s in words).startswith("No parameters")
        assert muted.color is not None
        assert all(s.style and s.style.color == muted.color for s in words)


async def test_a_focused_pane_draws_its_lines_on_the_focus_background(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = _one_task_app(monkeypatch)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await _detail_shown(pilot)
        await pilot.pause()
        body = screen.detail.query_one("#detail-body")

        def backgrounds() -> tuple[object, object]:
            detail_start = list(body.render_line(0))[0]
            sidebar_start = list(screen.sidebar.render_line(2))[0]  # an entry
            return (bgcolor(detail_start.style), bgcolor(sidebar_start.style))

        def bgcolor(style: object) -> object:
            return getattr(style, "bgcolor", None)

        detail_before, sidebar_before = backgrounds()
        screen.detail.focus()
        await pilot.pause()
        detail_focused, _ = backgrounds()
        screen.sidebar.focus()
        await pilot.pause()
        detail_after, sidebar_focused = backgrounds()
        assert detail_before is not None
        assert detail_focused != detail_before
        assert detail_after == detail_before
        assert sidebar_focused != sidebar_before
