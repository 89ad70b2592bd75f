"""Whole sessions: what reaches the terminal and what reaches the log file."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from swrgc_tui.credentials import Credentials
from swrgc_tui.logs import setup_logging, stop_logging

from .helpers import make_app, open_main, screen_lines

if TYPE_CHECKING:
    from swrgc_tui.emulator import EmulatorServer


async def test_copy_writes_osc52_with_the_task_id(
    emulator_session: EmulatorServer,
) -> None:
    app = make_app(emulator_session, instance=emulator_session.main_instance_id)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_main(pilot)
        written: list[str] = []
        driver = app._driver
        assert driver is not None
        original = driver.write
        driver.write = lambda data: (written.append(data), original(data))[1]  # type: ignore[method-assign]
        await pilot.press("j", "y")
        task_id = screen.current_task_id()

    sequences = [w for w in written if w.startswith("\x1b]52;c;")]
    assert len(sequences) == 1
    payload = sequences[0].removeprefix("\x1b]52;c;").removesuffix("\a")
    assert base64.b64decode(payload).decode() == str(task_id)


async def test_sixteen_colour_theme_keeps_statuses_as_words(
    emulator_session: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "xterm")
    app = make_app(
        emulator_session,
        instance=emulator_session.main_instance_id,
        theme="ansi-dark",
    )
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_main(pilot, rows=10)
        shown = "\n".join(screen_lines(screen))
        theme = app.theme
        notices = [str(n.message) for n in app._notifications]

    assert theme == "ansi-dark", notices
    assert "Success" in shown and "Error" in shown


@pytest.mark.parametrize("kind", ["aksk", "token"])
async def test_a_debug_session_leaves_no_secret_in_the_log(
    emulator: EmulatorServer, tmp_path: Path, kind: str
) -> None:
    if kind == "aksk":
        credentials = Credentials(
            kind="aksk", source="test", ak=emulator.ak, sk=emulator.sk
        )
        secrets = [emulator.sk]
    else:
        token = emulator.issue_token()
        credentials = Credentials(kind="token", source="test", token=token)
        secrets = [token]
    log_file = setup_logging(debug=True, path=tmp_path / "swrgc-tui.log")
    try:
        app = make_app(
            emulator,
            credentials=credentials,
            instance=emulator.main_instance_id,
            refresh=0.2,
        )
        async with app.run_test(size=(100, 40)) as pilot:
            await open_main(pilot, rows=10)
            await pilot.press("G", "escape", "2", "0", "j", "r")
            await pilot.pause(0.8)
    finally:
        stop_logging()

    text = log_file.read_text()
    assert "GET" in text or "page" in text, "the session logged nothing to search"
    for secret in secrets:
        assert secret not in text
    assert "Signature=" not in text
