"""Headless streaming and its output formats, against a scripted client."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Sequence
from typing import Any

import pytest
from rich.cells import cell_len

from swrgc_tui.api.client import TaskTexts
from swrgc_tui.api.errors import PagingError
from swrgc_tui.headless import normalize_task, stream_tasks, task_writer
from swrgc_tui.writers import JsonLinesWriter

Row = dict[str, Any]
TABLE_HEADER = "ID NAME KIND STATUS CREATED DURATION FREED DRY-RUN".split()


def compact(row: Row) -> str:
    return json.dumps(row, separators=(",", ":"))


def task(task_id: int, **extra: Any) -> Row:
    base: Row = {
        "id": task_id,
        "job_name": f"gc-{task_id}",
        "job_kind": "SCHEDULE",
        "job_status": "Success",
        "job_parameters": {"dry_run": False, "freed_space": 1536, "workers": 2},
        "creation_time": "2024-01-20T10:00:00Z",
        "update_time": "2024-01-20T10:03:05Z",
    }
    return {**base, **extra}


class ScriptedClient:
    """Answers list_gc_task_texts from a list of pages, recording each call.

    Each task comes with its compact JSON text, as the client reads it from
    a compact answer, unless ``texts`` is False.
    """

    def __init__(
        self,
        pages: list[tuple[list[Row], str | None]],
        *,
        slow_after: int = 99,
        texts: bool = True,
    ) -> None:
        self.pages = pages
        self.texts = texts
        self.text_of = compact
        self.calls: list[dict[str, Any]] = []
        self.slow_after = slow_after
        self.cancelled = 0

    async def list_gc_task_texts(
        self,
        instance_id: str,
        *,
        marker: str | None = None,
        limit: int = 100,
        status: str | None = None,
    ) -> TaskTexts:
        self.calls.append({"marker": marker, "limit": limit, "status": status})
        index = len(self.calls) - 1
        if index >= self.slow_after:
            try:
                await asyncio.sleep(60)
            except asyncio.CancelledError:
                self.cancelled += 1
                raise
        tasks, next_marker = self.pages[index]
        texts = [self.text_of(task) if self.texts else None for task in tasks]
        return TaskTexts(tasks, texts, next_marker)


async def run(client: ScriptedClient, fmt: str = "jsonl", **options: Any) -> str:
    out = io.StringIO()
    await stream_tasks(client, "inst", task_writer(fmt, out), **options)  # type: ignore[arg-type]
    return out.getvalue()


def test_parameters_as_a_json_string_become_an_object() -> None:
    raw = task(1, job_parameters='{"dry_run": true, "freed_space": 10}')

    assert normalize_task(raw)["job_parameters"] == {"dry_run": True, "freed_space": 10}
    assert "job_parameters_error" not in normalize_task(raw)


@pytest.mark.parametrize(
    ("value", "raw", "problem"),
    [
        ("{dry_run: yes", "{dry_run: yes", "not valid JSON"),
        ("[1, 2]", "[1, 2]", "expected a JSON object, got list"),
        (42, "42", "expected an object, got int"),
    ],
)
def test_unreadable_parameters_are_kept_raw_and_flagged(
    value: object, raw: str, problem: str
) -> None:
    normalized = normalize_task(task(1, job_parameters=value))

    assert normalized["job_parameters"] == raw
    assert problem in normalized["job_parameters_error"]


async def test_all_pages_follow_the_marker_chain() -> None:
    client = ScriptedClient([([task(3), task(2)], "m1"), ([task(1)], None)])

    out = await run(client, page_size=2)

    assert [json.loads(line)["id"] for line in out.splitlines()] == [3, 2, 1]
    assert [c["marker"] for c in client.calls] == [None, "m1"]
    assert {c["limit"] for c in client.calls} == {2}


async def test_max_asks_only_for_what_is_needed() -> None:
    client = ScriptedClient([([task(5), task(4)], "m1"), ([task(3)], "m2")])

    out = await run(client, max_tasks=3, page_size=2, status="Error")

    assert [json.loads(line)["id"] for line in out.splitlines()] == [5, 4, 3]
    assert [c["limit"] for c in client.calls] == [2, 1]
    assert client.calls[0]["status"] == "Error"


async def test_repeated_tasks_are_written_once() -> None:
    client = ScriptedClient([([task(3), task(2)], "m1"), ([task(2), task(1)], None)])

    out = await run(client)

    assert [json.loads(line)["id"] for line in out.splitlines()] == [3, 2, 1]


async def test_the_next_page_is_asked_for_before_this_one_is_written() -> None:
    client = ScriptedClient([([task(3)], "m1"), ([task(2)], "m2"), ([task(1)], None)])
    asked_when_written: list[int] = []

    class Spy(JsonLinesWriter):
        def texts(self, texts: Sequence[str]) -> None:
            asked_when_written.append(len(client.calls))
            super().texts(texts)

    await stream_tasks(client, "inst", Spy(io.StringIO()))  # type: ignore[arg-type]

    assert asked_when_written == [2, 3, 3]


async def test_a_reader_that_leaves_cancels_the_request_in_flight() -> None:
    client = ScriptedClient([([task(2)], "m1"), ([task(1)], None)], slow_after=1)

    class Gone(JsonLinesWriter):
        def texts(self, texts: Sequence[str]) -> None:
            raise BrokenPipeError

    with pytest.raises(BrokenPipeError):
        await stream_tasks(client, "inst", Gone(io.StringIO()))  # type: ignore[arg-type]
    assert len(client.calls) == 2
    assert client.cancelled == 1


async def test_a_marker_loop_stops_with_an_error() -> None:
    client = ScriptedClient([([task(3)], "m1"), ([task(2)], "m1"), ([task(1)], None)])

    with pytest.raises(PagingError, match="repeated the page marker"):
        await run(client)
    assert len(client.calls) == 2


async def test_a_tasks_own_compact_text_is_printed_as_it_came() -> None:
    tasks = [
        {"id": 2, "job_status": "Success"},
        {"id": 1, "job_parameters": '{"workers":2}'},
    ]
    client = ScriptedClient([(tasks, None)])
    server_texts = {
        2: '{"job_status":"Success","id":2}',  # member order of its own
        1: '{"job_parameters":"{\\"workers\\":2}","id":1}',  # to be normalised
    }
    client.text_of = lambda row: server_texts[row["id"]]

    lines = (await run(client)).splitlines()

    assert lines == [
        '{"job_status":"Success","id":2}',
        '{"id":1,"job_parameters":{"workers":2}}',
    ]


async def test_json_is_one_valid_array() -> None:
    client = ScriptedClient([([task(2)], "m"), ([task(1, job_parameters="x{")], None)])

    data = json.loads(await run(client, "json"))

    assert [item["id"] for item in data] == [2, 1]
    assert data[1]["job_parameters_error"].startswith("not valid JSON")


async def test_json_of_nothing_is_an_empty_array() -> None:
    assert json.loads(await run(ScriptedClient([([], None)]), "json")) == []


async def test_csv_has_a_header_and_flat_parameters() -> None:
    client = ScriptedClient([([task(7), task(6, job_parameters="oops")], None)])

    rows = list(csv.DictReader(io.StringIO(await run(client, "csv"))))

    assert rows[0]["id"] == "7"
    assert (rows[0]["dry_run"], rows[0]["freed_space"], rows[0]["workers"]) == (
        "false",
        "1536",
        "2",
    )
    assert rows[1]["job_parameters_raw"] == "oops"
    assert rows[1]["freed_space"] == ""


async def test_csv_keeps_the_server_text_as_data() -> None:
    client = ScriptedClient([([task(1, job_name='say "hi",\x1b[31mred')], None)])

    rows = list(csv.DictReader(io.StringIO(await run(client, "csv"))))

    assert rows[0]["job_name"] == 'say "hi",\x1b[31mred'


async def test_table_is_aligned_with_readable_units(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "UTC")
    running = task(
        12,
        job_status="Running",
        job_kind="MANUAL",
        job_parameters={"dry_run": True, "freed_space": 3 * 1024**3},
        update_time=None,
    )
    client = ScriptedClient([([running, task(11)], None)])

    lines = (await run(client, "table")).splitlines()

    assert lines[0].split() == TABLE_HEADER
    assert lines[2].split() == [
        "11", "gc-11", "SCHEDULE", "Success", "2024-01-20", "10:00:00", "3m", "05s",
        "1.5", "KiB", "no",
    ]  # fmt: skip
    assert "~3.0 GiB" in lines[1] and lines[1].endswith("yes")
    assert "…" in lines[1]  # still running: an open-ended duration
    status_column = lines[0].index("STATUS")
    assert lines[1][status_column:].startswith("Running")
    assert lines[2][status_column:].startswith("Success")


async def test_table_strips_escape_sequences_and_cuts_long_names() -> None:
    evil = task(
        1, job_name="\x1b]0;owned\x07gc\x1b[2J" + "n" * 80, job_status="\x9b31m"
    )
    client = ScriptedClient([([evil], None)])

    out = await run(client, "table")

    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out
    name_cell = out.splitlines()[1].split()[1]
    assert name_cell.startswith("gcnnn") and name_cell.endswith("…")
    assert cell_len(name_cell) == 40


async def test_table_of_nothing_is_just_the_header() -> None:
    out = await run(ScriptedClient([([], None)]), "table")

    assert out.split() == TABLE_HEADER


async def test_table_columns_line_up_with_wide_characters() -> None:
    client = ScriptedClient([([task(2, job_name="垃圾回收"), task(1)], None)])

    lines = (await run(client, "table")).splitlines()

    starts = [cell_len(line[: line.index(word)]) for line, word in (
        (lines[0], "KIND"), (lines[1], "SCHEDULE"), (lines[2], "SCHEDULE")
    )]  # fmt: skip
    assert len(set(starts)) == 1
