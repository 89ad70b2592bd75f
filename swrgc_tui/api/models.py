"""Pydantic models of the SWR Enterprise objects besides GC runs.

Instances, schedules, request bodies and error answers: objects read a few at
a time. GC runs, read by the thousand, are in :mod:`swrgc_tui.api.tasks`.
The models accept what servers really send rather than what the reference
page promises: missing, null and unknown fields (unknown ones are kept) and
values nobody has documented.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    field_validator,
    model_validator,
)

from swrgc_tui.api.tasks import (
    JobParameters,
    lenient_bool,
    lenient_int,
    parse_timestamp,
)

INSTANCE_STATUSES: tuple[str, ...] = ("Initial", "Creating", "Running", "Unavailable")


class _Lenient(BaseModel):
    """Base of every wire model: unknown fields are kept, never rejected."""

    # Schemas are built on first use: a listing that never validates a model
    # (the headless streams) does not pay for building them at start-up.
    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class GcParameters(BaseModel):
    """Parameters of a GC schedule or of a run started by hand."""

    delete_untagged: bool = False
    workers: int = Field(default=1, ge=1, le=5)
    dry_run: bool = False


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
        return lenient_bool(value)

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
        return lenient_int(value) or 0


class Schedule(_Lenient):
    type: str = ""
    cron: str = ""
    next_scheduled_time: str = ""

    @field_validator("*", mode="before")
    @classmethod
    def _null_is_empty(cls, value: object) -> object:
        return "" if value is None else value


def _schedule_parameters(value: object) -> JobParameters:
    return JobParameters.from_wire(value if isinstance(value, dict) else {})


class GcSchedule(_Lenient):
    """The GC schedule of an instance and the parameters its runs use."""

    schedule: Schedule = Field(default_factory=Schedule)
    parameters: Annotated[JobParameters, PlainValidator(_schedule_parameters)] = Field(
        default_factory=JobParameters
    )


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
