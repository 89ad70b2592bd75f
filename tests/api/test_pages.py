"""Reading ListGcTasks answers into tasks with their texts."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from swrgc_tui.api._pages import TaskTexts, read_task_page, split_page
from swrgc_tui.api.errors import ProtocolError


def answer(body: str | bytes) -> httpx.Response:
    content = body.encode() if isinstance(body, str) else body
    return httpx.Response(200, content=content, headers={"X-Request-Id": "req-1"})


def read(body: str | bytes) -> TaskTexts:
    return read_task_page(answer(body), "GET /gc", "req-1")


def test_each_task_comes_with_its_own_text() -> None:
    body = (
        '{"page_info":{"next_marker":"m2"},"tasks":['
        '{"id":2,"job_status":"Running"},{"id":1,"job_parameters":{"workers":2}}]}'
    )

    page = read(body)

    assert page.tasks == json.loads(body)["tasks"]
    assert page.texts == [
        '{"id":2,"job_status":"Running"}',
        '{"id":1,"job_parameters":{"workers":2}}',
    ]
    assert page.next_marker == "m2"


def test_a_task_with_escapes_or_wider_text_has_none() -> None:
    body = '{"tasks":[{"id":3},{"id":2,"job_name":"caf\\u00e9"},{"id":1,"n":"é"}]}'

    page = read(body)

    assert page.texts == ['{"id":3}', None, None]
    assert page.tasks == json.loads(body)["tasks"]


def test_whitespace_around_the_tasks_does_not_matter() -> None:
    body = '\n{ "tasks" :[{"id":1},{"id":2}] ,\r\n "page_info" : { } }\n'

    page = read(body)

    assert page.texts == ['{"id":1}', '{"id":2}']
    assert page.tasks == [{"id": 1}, {"id": 2}]
    assert page.next_marker is None


@pytest.mark.parametrize(
    "tasks",
    [
        '[{"id":1}, {"id":2}]',
        '[{"id":1},{"id":2,"job_name":"a b"}]',
        '[\n{"id":1}\n]',
        '[{"id":1,"job_name":"x},{y"},{"id":2}]',
        '[{"id":1,"job_parameters":{"v":[{},{}]}},{"id":2}]',
        '[{"id":1},7,{"id":2}]',
        '[{"id":1,"job_name":"caf\\u00e9"}]',
        '[{"id":1,"job_name":"café"}]',
        "[]",
    ],
    ids=[
        "space",
        "space-in-value",
        "newline",
        "in-a-string",
        "nested",
        "number",
        "escape",
        "non-ascii",
        "empty",
    ],
)
def test_texts_are_left_out_unless_they_split_for_sure(tasks: str) -> None:
    page = read(f'{{"page_info":{{}},"tasks":{tasks}}}')

    assert page.tasks == [t for t in json.loads(tasks) if isinstance(t, dict)]
    assert page.texts == [None] * len(page.tasks)


@pytest.mark.parametrize(
    ("body", "tasks"),
    [
        ('{"tasks":[{"id":1}],"tasks":null}', []),
        ('{"tasks":null,"tasks":[{"id":3}]}', [{"id": 3}]),
        ('{"page_info":{"next_marker":""}}', []),
        ("{}", []),
    ],
)
def test_the_last_of_repeated_or_missing_members_counts(
    body: str, tasks: list[dict[str, Any]]
) -> None:
    page = read(body)

    assert page.tasks == tasks == (json.loads(body).get("tasks") or [])
    assert page.texts == [json.dumps(t, separators=(",", ":")) for t in tasks]
    assert page.next_marker is None


@pytest.mark.parametrize(
    "body",
    [
        b'\xef\xbb\xbf{"tasks":[{"id":1}]}',  # a UTF-8 byte order mark
        '{"tasks":[{"id":1}]}'.encode("utf-16"),
    ],
    ids=["bom", "utf-16"],
)
def test_other_encodings_are_read_whole(body: bytes) -> None:
    page = read(body)

    assert page.tasks == [{"id": 1}]
    assert page.texts == [None]


@pytest.mark.parametrize(
    "body",
    [
        '{"tasks":[{"id":1}],}',
        '{"tasks":[{"id":1},]}',
        '{"tasks":[{"id":1}]} trailing',
        '{"tasks":[{"id":1}',
        '{"tasks":[{"id":01}]}',
        "<html>502 Bad Gateway</html>",
        "",
    ],
)
def test_what_is_not_json_is_a_protocol_error(body: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        read(body)

    assert caught.value.request_id == "req-1"


@pytest.mark.parametrize(
    "body",
    ['{"tasks":{"id":1}}', '{"tasks":[],"page_info":[1]}', "[1,2]"],
)
def test_a_page_of_the_wrong_shape_is_a_protocol_error(body: str) -> None:
    with pytest.raises(ProtocolError, match="answer"):
        read(body)


def test_a_split_that_fails_says_where() -> None:
    with pytest.raises(ValueError, match="character 9"):
        split_page(b'{"tasks":[nope]}')


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)
tasks_strategy = st.lists(
    st.dictionaries(st.text(max_size=6), json_values, max_size=4), max_size=6
)


@given(
    tasks=tasks_strategy,
    marker=st.none() | st.text(min_size=1, max_size=10),
    indent=st.none() | st.integers(0, 3),
    compact=st.booleans(),
    ascii_only=st.booleans(),
    tasks_first=st.booleans(),
)
def test_any_page_reads_as_json_loads_reads_it(
    tasks: list[dict[str, Any]],
    marker: str | None,
    indent: int | None,
    compact: bool,
    ascii_only: bool,
    tasks_first: bool,
) -> None:
    members: list[tuple[str, Any]] = [
        ("page_info", {"next_marker": marker}),
        ("tasks", tasks),
    ]
    body = json.dumps(
        dict(reversed(members) if tasks_first else members),
        indent=indent,
        separators=(",", ":") if compact else None,
        ensure_ascii=ascii_only,
    )

    page = read(body)

    assert page.tasks == json.loads(body)["tasks"]
    assert len(page.texts) == len(page.tasks)
    for text, task in zip(page.texts, page.tasks, strict=True):
        assert text is None or json.loads(text) == task
    assert page.next_marker == (marker or None)


plain_values = (
    st.integers()
    | st.booleans()
    | st.from_regex(r"[A-Za-z0-9_.:-]{0,12}", fullmatch=True)
)


@given(
    st.lists(
        st.dictionaries(st.sampled_from(["id", "job_name", "x"]), plain_values),
        min_size=1,
        max_size=8,
    )
)
def test_a_compact_page_of_plain_tasks_always_comes_with_texts(
    tasks: list[dict[str, Any]],
) -> None:
    body = json.dumps({"tasks": tasks}, separators=(",", ":"))

    page = read(body)

    assert page.texts == [json.dumps(t, separators=(",", ":")) for t in tasks]
