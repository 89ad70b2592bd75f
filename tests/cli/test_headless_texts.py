"""JSON listings print a task's own text when it is what encoding would give."""

from __future__ import annotations

import io
import json

import httpx

from swrgc_tui.api.auth import TokenAuth
from swrgc_tui.api.client import SwrClient
from swrgc_tui.headless import normalize_task, stream_tasks, task_writer

# As the server writes them: a compact page, one with escapes and non-ASCII
# text, and one with whitespace.
COMPACT = '{"id":8,"job_name":"gc","job_parameters":{"workers":2},"job_kind":"MANUAL"}'
GARBLED = '{"id":7,"job_parameters":"{workers"}'
ESCAPED = '{"id":6,"job_name":"caf\\u00e9\\/x"}'
WIDE = '{"id":5,"job_name":"垃圾回收"}'
AS_STRING = '{"id":4,"job_parameters":"{\\"workers\\":3}"}'
SPACED = '{"id": 2, "job_name": "gc"}'
PRETTY = '{\n    "id": 1\n  }'
PAGES = {
    None: '{"page_info":{"next_marker":"m"},"tasks":[' + COMPACT + "," + GARBLED + "]}",
    "m": '{"page_info":{"next_marker":"n"},"tasks":['
    + ",".join([ESCAPED, WIDE, AS_STRING])
    + "]}",
    "n": '{"page_info":{},"tasks":[\n  ' + SPACED + ",\n  " + PRETTY + "\n]}",
}


def client_of(pages: dict[str | None, str]) -> SwrClient:
    def answer(request: httpx.Request) -> httpx.Response:
        body = pages[request.url.params.get("marker")]
        return httpx.Response(200, content=body.encode())

    transport = httpx.MockTransport(answer)
    return SwrClient("http://swr.test", "p", TokenAuth("t"), transport=transport)


async def listing(fmt: str) -> str:
    out = io.StringIO()
    async with client_of(PAGES) as client:
        await stream_tasks(client, "inst", task_writer(fmt, out))
    return out.getvalue()


async def test_compact_tasks_are_printed_as_the_server_wrote_them() -> None:
    lines = (await listing("jsonl")).splitlines()

    assert lines[0] == COMPACT


async def test_other_tasks_are_encoded_compact_ascii_and_normalised() -> None:
    lines = (await listing("jsonl")).splitlines()

    assert lines[1].startswith(
        '{"id":7,"job_parameters":"{workers","job_parameters_error":"not valid JSON'
    )
    assert lines[2:] == [
        '{"id":6,"job_name":"caf\\u00e9/x"}',
        '{"id":5,"job_name":"\\u5783\\u573e\\u56de\\u6536"}',
        '{"id":4,"job_parameters":{"workers":3}}',
        '{"id":2,"job_name":"gc"}',
        '{"id":1}',
    ]


async def test_every_line_is_the_normalised_task() -> None:
    tasks = [t for body in PAGES.values() for t in json.loads(body)["tasks"]]

    lines = (await listing("jsonl")).splitlines()

    assert [json.loads(line) for line in lines] == [normalize_task(t) for t in tasks]


async def test_the_json_array_holds_the_same_texts() -> None:
    lines = (await listing("jsonl")).splitlines()

    text = await listing("json")

    assert text == "[\n  " + ",\n  ".join(lines) + "\n]\n"
