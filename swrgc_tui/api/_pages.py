"""Reading a ListGcTasks answer into its tasks, each with the text it came as.

A listing that prints tasks as JSON can print a task's own text instead of
encoding the decoded object again, which is most of its cost per task. The
answer's members are read one by one with the standard library's JSON
scanner (in C), which tells where each value ends, so the text of the
``tasks`` array is known; written compactly, as services write JSON, an
array of objects splits into its elements at every ``},{``. Anything else
(whitespace, escapes, a ``},{`` inside a value) leaves the texts out, and
an answer the walk cannot read goes to ``json.loads`` whole: a page is never
read differently from the way it always was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from json.scanner import make_scanner
from typing import Any, NamedTuple

import httpx

from swrgc_tui.api._answers import decode_json, page_parts

_SPACE = re.compile(r"[ \t\n\r]*")
#: Reads one JSON value at an index and says where it ends (in C).
_scan = make_scanner(json.JSONDecoder())  # type: ignore[arg-type]  # stub wants a scanner
Members = dict[str, Any]


class TaskTexts(NamedTuple):
    """One page of GC tasks as decoded JSON objects, with their text.

    Attributes:
        tasks: the page's tasks, as :func:`~swrgc_tui.api._answers.page_parts`
            keeps them.
        texts: for each task, its JSON text as the server sent it when that
            is compact: ASCII without whitespace or escapes, which is what
            encoding the task compactly gives (numbers and repeated member
            names aside, which JSON reads alike); else None.
        next_marker: where the next page starts; None on the last page.
    """

    tasks: list[dict[str, Any]]
    texts: Sequence[str | None]
    next_marker: str | None


def read_task_page(response: httpx.Response, what: str, request_id: str) -> TaskTexts:
    """The tasks, their texts and the next marker of a ListGcTasks answer.

    Raises:
        ProtocolError: the answer is not JSON, or not shaped like a page.
    """
    try:
        data, array = split_page(response.content)
    except (ValueError, RecursionError):
        data, array = decode_json(response, what), None
    tasks, marker = page_parts(data, what, request_id)
    texts = None if array is None else element_texts(array, data["tasks"])
    return TaskTexts(tasks, texts or [None] * len(tasks), marker)


def split_page(content: bytes) -> tuple[Members, str | None]:
    """The members of a JSON object, and the text of its ``tasks`` array.

    Returns:
        The object as ``json.loads`` reads it, and the text of ``tasks``
        when that is an array (else None).

    Raises:
        ValueError: the content is not UTF-8 text of one JSON object.
    """
    text = content.decode("utf-8")
    members: Members = {}
    array: str | None = None
    at = _past(text, 0, "{")
    while not text.startswith("}", at):
        key, start = _name(text, at)
        members[key], at = _value(text, start)
        if key == "tasks":
            array = text[start:at] if text.startswith("[", start) else None
        at = _skip(text, at)
        if not text.startswith("}", at):
            at = _past(text, at, ",")
            if text.startswith("}", at):
                raise ValueError(f"a comma before the end at character {at}")
    if _skip(text, at + 1) != len(text):
        raise ValueError("text goes on after the object")
    return members, array


def element_texts(array: str, elements: list[Any]) -> Sequence[str | None] | None:
    """Each element's text where it is compact (else None), for the text of
    an array of objects without whitespace; None for any other array.

    Every boundary of two such elements reads ``},{``; more of those than
    boundaries means some lie inside a value, and nothing is told.
    """
    # Four scans in C cost less than one regular expression over the text.
    spaced = " " in array or "\n" in array or "\r" in array or "\t" in array
    if spaced or not (array.startswith("[{") and array.endswith("}]")):
        return None
    if not all(type(element) is dict for element in elements):
        return None
    parts = array[2:-2].split("},{")
    if len(parts) != len(elements):
        return None
    texts = ["{" + part + "}" for part in parts]
    if array.isascii() and "\\" not in array:
        return texts
    return [t if t.isascii() and "\\" not in t else None for t in texts]


def _name(text: str, at: int) -> tuple[str, int]:
    """A member's name, and where its value starts."""
    if not text.startswith('"', at):
        raise ValueError(f"expected a member name at character {at}")
    name, at = _value(text, at)
    return name, _past(text, at, ":")


def _skip(text: str, at: int) -> int:
    match = _SPACE.match(text, at)
    return match.end() if match else at


def _past(text: str, at: int, token: str) -> int:
    """Where the text goes on after ``token`` and the whitespace around it."""
    at = _skip(text, at)
    if not text.startswith(token, at):
        raise ValueError(f"expected {token!r} at character {at}")
    return _skip(text, at + 1)


def _value(text: str, at: int) -> tuple[Any, int]:
    try:
        value, end = _scan(text, at)
    except StopIteration:
        raise ValueError(f"expected a JSON value at character {at}") from None
    return value, end
