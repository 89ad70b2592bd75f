"""Request values as SWR reads them: query parameters, the opaque paging
markers and the bodies of the GC schedule calls. Each reader returns typed
values or raises the 400 the service would answer."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from .cron import Cron, CronError
from .errors import bad_parameter

GC_STATUSES = ("Success", "Stopped", "Running", "Pending", "Error")
INSTANCE_STATUSES = ("Initial", "Creating", "Running", "Unavailable")
SCHEDULE_TYPES = ("None", "Custom")


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


def read_parameters(value: object) -> dict[str, Any]:
    """GcParameters: ``workers`` 1..5 required, the two flags optional."""
    if not isinstance(value, dict):
        raise bad_parameter("parameters must be an object")
    workers = value.get("workers")
    if isinstance(workers, bool) or not isinstance(workers, int):
        raise bad_parameter("parameters.workers must be an integer from 1 to 5")
    if not 1 <= workers <= 5:
        raise bad_parameter(f"parameters.workers {workers} is not from 1 to 5")
    flags = {key: value.get(key, False) for key in ("delete_untagged", "dry_run")}
    for key, flag in flags.items():
        if not isinstance(flag, bool):
            raise bad_parameter(f"parameters.{key} must be true or false")
    return {
        "delete_untagged": flags["delete_untagged"],
        "workers": workers,
        "dry_run": flags["dry_run"],
    }


def _schedule_of(body: object) -> tuple[dict[str, Any], dict[str, Any]]:
    if not isinstance(body, dict) or not isinstance(body.get("schedule"), dict):
        raise bad_parameter("schedule must be an object")
    return body, body["schedule"]


def read_execute_body(body: object) -> dict[str, Any]:
    """ExecuteGcSchedule's body: a Manual schedule and its parameters."""
    body, schedule = _schedule_of(body)
    if schedule.get("type") != "Manual":
        raise bad_parameter("schedule.type must be Manual")
    return read_parameters(body.get("parameters"))


def read_schedule_body(body: object) -> tuple[Cron | None, dict[str, Any]]:
    """UpdateGcSchedule's body: the cron (None for type None) and parameters."""
    body, schedule = _schedule_of(body)
    kind = schedule.get("type")
    if kind not in SCHEDULE_TYPES:
        raise bad_parameter(f"schedule.type must be None or Custom, not {kind!r}")
    parameters = read_parameters(body.get("parameters"))
    if kind == "None":
        return None, parameters
    cron = schedule.get("cron")
    if not isinstance(cron, str) or not cron.strip():
        raise bad_parameter("schedule.cron is required for a Custom schedule")
    try:
        return Cron.parse(cron), parameters
    except CronError as exc:
        raise bad_parameter(f"schedule.cron {cron!r}: {exc}") from None
