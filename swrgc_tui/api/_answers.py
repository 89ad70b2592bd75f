"""Reading what a server answered: error bodies, request ids and JSON.

Everything taken from an answer and put into an exception passes through
:func:`one_line`, so a hostile or broken server cannot slip terminal escape
sequences or line breaks into what swrgc-tui shows or logs.
"""

from __future__ import annotations

import html
import json
import logging
import re
import unicodedata
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

import httpx

from swrgc_tui.api.errors import (
    ApiError,
    ProtocolError,
    ThrottledError,
    error_class_for,
)
from swrgc_tui.api.tasks import GcTask, TaskShapeError

if TYPE_CHECKING:
    from pydantic import ValidationError

    from swrgc_tui.api.models import ErrorBody

logger = logging.getLogger("swrgc_tui.api")
EXCERPT_CHARS = 120
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC: titles, clipboard
    r"|\x1b."
)
_HIDDEN_BLOCKS = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


def one_line(text: str, limit: int = 300) -> str:
    """``text`` made safe to print: no escapes or control characters, one
    line, at most ``limit`` characters (an ellipsis marks a cut)."""
    text = _ESCAPES.sub(" ", text[: limit * 4])
    text = "".join(
        " " if unicodedata.category(char) in ("Cc", "Cf") else char for char in text
    )
    text = _SPACES.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def excerpt(response: httpx.Response) -> str:
    """The readable start of a body that is not an error object: tags of an
    HTML page stripped, entities decoded, whitespace collapsed."""
    raw = response.content[:65536]
    try:
        text = raw.decode(response.encoding or "utf-8", errors="replace")
    except LookupError:
        text = raw.decode("utf-8", errors="replace")
    text = _TAG.sub(" ", _HIDDEN_BLOCKS.sub(" ", text))
    return one_line(html.unescape(text), EXCERPT_CHARS)


def request_id_of(response: httpx.Response, body: object = None) -> str:
    """``X-Request-Id`` of an answer, else the body's ``request_id``."""
    found = response.headers.get("X-Request-Id", "")
    if not found and isinstance(body, dict):
        found = str(body.get("request_id") or "")
    if not found:
        found = response.headers.get("X-IAM-Trace-Id", "")
    return one_line(found, 100)


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (a number or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


def _flatten_keystone(data: dict[str, Any]) -> dict[str, Any]:
    """IAM answers ``{"error": {"code", "title", "message"}}``; flatten it."""
    nested = data.get("error")
    if not isinstance(nested, dict) or data.get("error_msg"):
        return data
    code = nested.get("code")
    message = nested.get("message") or nested.get("title") or ""
    flat = dict(data, error_msg=str(message))
    if isinstance(code, str) and not code.isdigit():
        flat.setdefault("error_code", code)
    return flat


def _error_body(data: object) -> ErrorBody | None:
    if not isinstance(data, dict):
        return None
    data = _flatten_keystone(data)
    if not data.get("error_msg") and isinstance(data.get("message"), str):
        data = dict(data, error_msg=data["message"])
    # Imported here: errors are rare, and pydantic is not worth loading for
    # answers that succeed.
    from pydantic import ValidationError

    from swrgc_tui.api.models import ErrorBody

    try:
        body = ErrorBody.model_validate(
            {k: v for k, v in data.items() if k != "request_id"}
        )
    except ValidationError:
        return None
    return body if (body.error_code or body.error_msg) else None


def _load_json(content: bytes) -> object:
    try:
        return json.loads(content) if content else None
    except ValueError:
        return None


def _redirect_message(response: httpx.Response) -> str:
    location = response.headers.get("Location", "")
    try:
        target = response.url.join(location)
        where = f"{target.scheme}://{target.netloc.decode()}{target.path}"
    except (httpx.InvalidURL, UnicodeDecodeError):
        where = location
    where = one_line(where, EXCERPT_CHARS) or "an unnamed place"
    return f"the server redirected to {where}; redirects are not followed"


def error_from_response(response: httpx.Response) -> ApiError:
    """The typed exception for an answer with a non-2xx status."""
    status = response.status_code
    data = _load_json(response.content)
    request_id = request_id_of(response, data)
    cls = error_class_for(status)
    if 300 <= status < 400:
        return cls(status, error_msg=_redirect_message(response), request_id=request_id)
    body = _error_body(data)
    if body is None:
        error = cls(status, request_id=request_id, excerpt=excerpt(response))
    else:
        error = cls(
            status,
            error_code=one_line(body.error_code, 80),
            error_msg=one_line(body.error_msg),
            request_id=request_id,
            encoded_authorization_message=one_line(
                body.encoded_authorization_message, 8000
            ),
        )
    if isinstance(error, ThrottledError):
        error.retry_after = retry_after(response.headers.get("Retry-After"))
    return error


def decode_json(response: httpx.Response, what: str) -> Any:
    """The JSON of a success answer; ProtocolError when there is none."""
    request_id = request_id_of(response)
    if not response.content.strip():
        raise ProtocolError(f"{what}: the answer is empty", request_id=request_id)
    try:
        return json.loads(response.content)
    except ValueError:
        text = excerpt(response)
        raise ProtocolError(
            f"{what}: the answer is not JSON: {text}", request_id=request_id
        ) from None


def shape_error(what: str, exc: ValidationError, request_id: str) -> ProtocolError:
    """A ProtocolError naming the first thing wrong with an answer's shape."""
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "the answer"
    return ProtocolError(
        f"{what}: unexpected answer ({where}: {one_line(first['msg'], 120)})",
        request_id=request_id,
    )


def page_parts(
    data: Any, what: str, request_id: str
) -> tuple[list[dict[str, Any]], str | None]:
    """Tasks and next marker of a ListGcTasks answer, its shape checked."""
    if not isinstance(data, dict):
        raise ProtocolError(
            f"{what}: the answer is not an object", request_id=request_id
        )
    tasks = data.get("tasks") or []
    info = data.get("page_info") or {}
    if not isinstance(tasks, list) or not isinstance(info, dict):
        raise ProtocolError(
            f"{what}: the answer has no list of tasks", request_id=request_id
        )
    kept = [task for task in tasks if isinstance(task, dict)]
    if len(kept) < len(tasks):
        logger.warning(
            "%s: skipped %d entries that are not tasks", what, len(tasks) - len(kept)
        )
    marker = info.get("next_marker")
    return kept, (str(marker) if marker not in (None, "") else None)


def readable_tasks(raw: list[dict[str, Any]], request_id: str) -> list[GcTask]:
    """The tasks of a page that can be read, each on its own; the others are
    logged and left out. ProtocolError when none can be read."""
    tasks: list[GcTask] = []
    for entry in raw:
        try:
            tasks.append(GcTask.from_wire(entry))
        except TaskShapeError:
            shown = one_line(repr(entry.get("id")), 40)
            logger.warning("skipped a GC task without a usable id (id %s)", shown)
    if raw and not tasks:
        raise ProtocolError(
            "no GC task of the page has a usable id", request_id=request_id
        )
    return tasks
