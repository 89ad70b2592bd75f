"""Query parameters as SWR reads them, and the opaque paging markers."""

from __future__ import annotations

import base64
import binascii
import json

from .errors import bad_parameter

GC_STATUSES = ("Success", "Stopped", "Running", "Pending", "Error")
INSTANCE_STATUSES = ("Initial", "Creating", "Running", "Unavailable")


def read_int(name: str, text: str | None, *, default: int, low: int, high: int) -> int:
    """An integer query value within ``low..high``; 400 otherwise."""
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise bad_parameter(f"{name} {text!r} is not an integer") from None
    if not low <= value <= high:
        raise bad_parameter(f"{name} {value} is not from {low} to {high}")
    return value


def read_choice(name: str, text: str | None, choices: tuple[str, ...]) -> str | None:
    """One of ``choices``, or None when absent or empty; 400 otherwise."""
    if not text:
        return None
    if text not in choices:
        raise bad_parameter(f"{name} {text!r} is not one of {', '.join(choices)}")
    return text


def write_marker(last_id: int, status: str | None) -> str:
    """The marker that continues a listing after ``last_id``."""
    payload: dict[str, object] = {"id": last_id}
    if status is not None:
        payload["status"] = status
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode()


def read_marker(text: str, status: str | None) -> int:
    """The task id a marker continues before; 400 for a foreign marker.

    A marker from a listing with another status filter is refused too, so a
    client that mixes listings up hears about it.
    """
    try:
        payload = json.loads(base64.urlsafe_b64decode(text.encode()))
    except (binascii.Error, ValueError):
        raise bad_parameter(f"marker {text[:40]!r} is not valid") from None
    last_id = payload.get("id") if isinstance(payload, dict) else None
    if isinstance(last_id, bool) or not isinstance(last_id, int):
        raise bad_parameter(f"marker {text[:40]!r} is not valid")
    if payload.get("status") != status:
        raise bad_parameter("marker belongs to a listing with another status filter")
    return last_id
