"""Pydantic models of the SWR Enterprise objects swrgc-tui reads and writes.

The models accept what servers really send rather than what the reference
page promises: ``job_parameters`` as an object, as a JSON-encoded string (as
Harbor does) or as garbage, which is kept raw and flagged; missing, null and
unknown fields; status and kind values nobody has documented; timestamps with
or without a zone, where a naive one means UTC.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: The task statuses the service documents, in the order the UI lists them.
KNOWN_STATUSES: tuple[str, ...] = ("Success", "Running", "Pending", "Stopped", "Error")
#: Statuses of a task that has not finished yet.
ACTIVE_STATUSES: frozenset[str] = frozenset({"Running", "Pending"})
KNOWN_KINDS: tuple[str, ...] = ("SCHEDULE", "MANUAL")
INSTANCE_STATUSES: tuple[str, ...] = ("Initial", "Creating", "Running", "Unavailable")


def parse_timestamp(value: object) -> datetime | None:
    """Reads an ISO 8601 timestamp; a naive one is taken as UTC.

    Returns None for anything that is not a timestamp, so one odd value never
    hides a whole page.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
    else:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


class _Lenient(BaseModel):
    """Base of every wire model: unknown fields are kept, never rejected."""

    # Schemas are built on first use: a listing that never validates a model
    # (the headless streams) does not pay for building them at start-up.
    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


def _none_if_not_int(value: object) -> int | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def _none_if_not_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    return None


class JobParameters(_Lenient):
    """What a GC run was asked to do and, once done, what it removed."""

    delete_untagged: bool | None = None
    workers: int | None = None
    dry_run: bool | None = None
    purged_blobs: int | None = None
    purged_manifests: int | None = None
    freed_space: int | None = None

    @field_validator("delete_untagged", "dry_run", mode="before")
    @classmethod
    def _lenient_bool(cls, value: object) -> bool | None:
        return _none_if_not_bool(value)

    @field_validator(
        "workers", "purged_blobs", "purged_manifests", "freed_space", mode="before"
    )
    @classmethod
    def _lenient_int(cls, value: object) -> int | None:
        return _none_if_not_int(value)


class GcParameters(BaseModel):
    """Parameters of a GC schedule or of a run started by hand."""

    delete_untagged: bool = False
    workers: int = Field(default=1, ge=1, le=5)
    dry_run: bool = False


def _read_job_parameters(value: object) -> tuple[JobParameters | None, str | None]:
    """Splits a ``job_parameters`` value into (parsed, raw-if-unparseable)."""
    if value is None:
        return None, None
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            return None, value
        if decoded is None:
            return None, None
        value = decoded
    if isinstance(value, dict):
        return JobParameters.model_validate(value), None
    return None, json.dumps(value) if not isinstance(value, str) else value


class GcTask(_Lenient):
    """One garbage collection run as ListGcTasks and ShowGcTask return it.

    ``job_parameters_raw`` holds the server's value when it could not be read
    as parameters; ``job_parameters`` is then None.
    """

    id: int
    job_name: str = ""
    job_kind: str = ""
    job_parameters: JobParameters | None = None
    job_parameters_raw: str | None = None
    job_status: str = ""
    creation_time: datetime | None = None
    update_time: datetime | None = None

    @model_validator(mode="before")
    @classmethod
    def _split_parameters(cls, data: Any) -> Any:
        if isinstance(data, dict) and "job_parameters" in data:
            data = dict(data)
            parsed, raw = _read_job_parameters(data.pop("job_parameters"))
            data["job_parameters"] = parsed
            data["job_parameters_raw"] = raw
        return data

    @field_validator("job_name", "job_kind", "job_status", mode="before")
    @classmethod
    def _text(cls, value: object) -> str:
        return "" if value is None else str(value)

    @field_validator("creation_time", "update_time", mode="before")
    @classmethod
    def _time(cls, value: object) -> datetime | None:
        return parse_timestamp(value)

    @property
    def is_active(self) -> bool:
        return self.job_status in ACTIVE_STATUSES

    @property
    def parameters_unreadable(self) -> bool:
        return self.job_parameters_raw is not None


class PageInfo(_Lenient):
    next_marker: str | None = None

    @field_validator("next_marker", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> str | None:
        if value is None or value == "":
            return None
        return str(value)


class GcTaskPage(_Lenient):
    """One page of ListGcTasks; ``page_info.next_marker`` is None on the last."""

    page_info: PageInfo = Field(default_factory=PageInfo)
    tasks: list[GcTask] = Field(default_factory=list)

    @field_validator("page_info", mode="before")
    @classmethod
    def _null_page_info(cls, value: object) -> object:
        return {} if value is None else value

    @field_validator("tasks", mode="before")
    @classmethod
    def _null_tasks(cls, value: object) -> object:
        return [] if value is None else value

    @property
    def next_marker(self) -> str | None:
        return self.page_info.next_marker


class Instance(_Lenient):
    """An SWR Enterprise instance (a Harbor deployment)."""

    id: str
    name: str = ""
    description: str = ""
    spec: str = ""
    version: str = ""
    charge_mode: str = ""
    access_address: str = ""
    created_at: str = ""
    updated_at: str = ""
    expires_at: str = ""
    status: str = ""
    obs_bucket_name: str = ""
    project_id: str = ""
    enterprise_project_id: str = ""
    vpc_id: str = ""
    vpc_name: str = ""
    vpc_cidr: str = ""
    subnet_id: str = ""
    subnet_name: str = ""
    subnet_cidr: str = ""
    product_id: str = ""
    order_id: str = ""
    vpcep_service_id: str = ""
    user_def_obs: bool | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _null_is_empty(cls, value: object) -> object:
        return "" if value is None else value

    @field_validator("user_def_obs", mode="before")
    @classmethod
    def _lenient_bool(cls, value: object) -> bool | None:
        return _none_if_not_bool(value)

    @property
    def created(self) -> datetime | None:
        return parse_timestamp(self.created_at)

    @property
    def is_running(self) -> bool:
        return self.status == "Running"


class InstanceList(_Lenient):
    instances: list[Instance] = Field(default_factory=list)
    total: int = 0

    @field_validator("instances", mode="before")
    @classmethod
    def _null_instances(cls, value: object) -> object:
        return [] if value is None else value

    @field_validator("total", mode="before")
    @classmethod
    def _null_total(cls, value: object) -> int:
        return _none_if_not_int(value) or 0


class Schedule(_Lenient):
    type: str = ""
    cron: str = ""
    next_scheduled_time: str = ""

    @field_validator("*", mode="before")
    @classmethod
    def _null_is_empty(cls, value: object) -> object:
        return "" if value is None else value


class GcSchedule(_Lenient):
    """The GC schedule of an instance and the parameters its runs use."""

    schedule: Schedule = Field(default_factory=Schedule)
    parameters: JobParameters = Field(default_factory=JobParameters)


class ExecuteResult(_Lenient):
    id: int


class ErrorBody(_Lenient):
    """An error answer, from SWR itself or from the API gateway in front.

    SWR sometimes nests the same under ``errors: [{errorCode, errorMessage}]``;
    the first entry fills in whatever the flat fields lack.
    """

    error_code: str = ""
    error_msg: str = ""
    encoded_authorization_message: str = ""
    request_id: str = ""

    @model_validator(mode="before")
    @classmethod
    def _flatten_errors_list(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = {k: ("" if v is None else v) for k, v in data.items()}
        nested = data.get("errors")
        if isinstance(nested, list) and nested and isinstance(nested[0], dict):
            first = nested[0]
            if not data.get("error_code"):
                data["error_code"] = str(first.get("errorCode") or "")
            if not data.get("error_msg"):
                data["error_msg"] = str(first.get("errorMessage") or "")
        for key in ("error_code", "error_msg", "encoded_authorization_message"):
            if key in data and not isinstance(data[key], str):
                data[key] = str(data[key])
        return data
