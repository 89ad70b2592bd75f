"""Remembered UI state: round trip, and never a crash on a bad file."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from swrgc_tui import paths
from swrgc_tui.state import UiState, load_state, save_state


def test_saved_state_comes_back(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "state.json"
    state = UiState(
        profile="prod",
        instance="inst-1",
        status_filter="Error",
        time_mode="utc",
        show_detail=False,
        raw_json=True,
    )

    save_state(state, target)

    assert load_state(target) == state
    assert [p.name for p in target.parent.iterdir()] == ["state.json"]


def test_default_location_is_the_user_state_dir(isolated: Path) -> None:
    save_state(UiState(instance="abc"))

    assert paths.state_file() == isolated / "state" / "swrgc-tui" / "state.json"
    assert load_state().instance == "abc"


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_state(tmp_path / "nothing.json") == UiState()


def test_corrupt_file_gives_defaults(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    target.write_bytes(b'{"instance": "abc", "time_mo')

    assert load_state(target) == UiState()


def test_invalid_values_are_dropped_one_by_one(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    target.write_text(
        json.dumps({"instance": "abc", "time_mode": "sideways", "show_detail": "maybe"})
    )

    state = load_state(target)

    assert state.instance == "abc"
    assert (state.time_mode, state.show_detail) == ("relative", True)


def test_a_non_object_file_gives_defaults(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    target.write_text("[1, 2, 3]")

    assert load_state(target) == UiState()


def test_overwrite_replaces_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    save_state(UiState(instance="a" * 500), target)
    save_state(UiState(instance="b"), target)

    assert json.loads(target.read_text())["instance"] == "b"


def test_unwritable_place_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")

    save_state(UiState(instance="x"), blocker / "state.json")

    assert blocker.read_text() == ""


def test_values_of_the_wrong_type_are_dropped_with_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    target = tmp_path / "state.json"
    target.write_text(
        json.dumps(
            {
                "profile": "prod",
                "instance": 42,
                "raw_json": "true",
                "show_detail": False,
                "time_mode": "local",
                "someday": "ignored",
            }
        )
    )

    with caplog.at_level(logging.WARNING, logger="swrgc_tui.state"):
        state = load_state(target)

    assert state == UiState(profile="prod", show_detail=False, time_mode="local")
    assert [r.getMessage() for r in caplog.records] == [
        f"state file {target}: dropped invalid instance, raw_json"
    ]


def test_saved_file_is_indented_json_with_every_field(tmp_path: Path) -> None:
    target = tmp_path / "state.json"

    save_state(UiState(instance="инст"), target)

    assert target.read_text(encoding="utf-8") == (
        '{\n  "profile": null,\n  "instance": "инст",\n  "status_filter": null,\n'
        '  "time_mode": "relative",\n  "show_detail": true,\n  "raw_json": false\n}'
    )
