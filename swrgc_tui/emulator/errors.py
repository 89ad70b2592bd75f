"""The error answers the emulator gives, shaped as SWR and its gateway shape them.

SWR writes ``error_code``/``error_msg`` and the same again under ``errors``;
the API gateway in front answers with ``error_code``/``error_msg``/
``request_id``; IAM answers Keystone-style under ``error``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BAD_PARAMETER = "SVCSTG.SWR.4000014"
FORBIDDEN = "SVCSTG.SWR.4030170"
INSTANCE_NOT_FOUND = "SVCSTG.SWR.4040301"
TASK_NOT_FOUND = "SVCSTG.SWR.4040302"
INSTANCE_NOT_RUNNING = "SVCSTG.SWR.4090311"
INTERNAL = "SVCSTG.SWR.5000001"
NO_API = "APIGW.0101"
BAD_AUTH = "APIGW.0301"
NOT_AUTHORISED = "APIGW.0302"
TOKEN_EXPIRED = "APIGW.0307"
THROTTLED = "APIGW.0308"
_AUTH_PREFIX = "Incorrect IAM authentication information: "
_IAM_TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden"}


@dataclass
class Rejection(Exception):
    """An error answer; raise it anywhere below a route to send it.

    Attributes:
        status: the HTTP status.
        code: the error code.
        message: the error message.
        source: ``"swr"``, ``"gateway"`` or ``"iam"``, which decides the body.
        headers: extra response headers (``Retry-After``, say).
        encoded_authorization_message: sent on a denied permission.
    """

    status: int
    code: str
    message: str
    source: str = "swr"
    headers: dict[str, str] = field(default_factory=dict)
    encoded_authorization_message: str = ""

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.message}"

    def body(self, request_id: str) -> dict[str, Any]:
        """The JSON body of this answer."""
        if self.source == "gateway":
            return {
                "error_code": self.code,
                "error_msg": self.message,
                "request_id": request_id,
            }
        if self.source == "iam":
            # Keystone's shape, plus the flat fields newer IAM answers carry.
            title = _IAM_TITLES.get(self.status, "Error")
            return {
                "error": {"code": self.status, "message": self.message, "title": title},
                "error_code": self.code,
                "error_msg": self.message,
            }
        body: dict[str, Any] = {"error_code": self.code, "error_msg": self.message}
        if self.encoded_authorization_message:
            body["encoded_authorization_message"] = self.encoded_authorization_message
        body["errors"] = [{"errorCode": self.code, "errorMessage": self.message}]
        return body


def bad_parameter(message: str) -> Rejection:
    """400 for a query or body value SWR does not accept."""
    return Rejection(400, BAD_PARAMETER, f"Invalid parameter: {message}")


def instance_not_found(instance_id: str) -> Rejection:
    """404 for an instance id the project does not have."""
    return Rejection(404, INSTANCE_NOT_FOUND, f"Instance {instance_id} not found")


def task_not_found(gc_id: int) -> Rejection:
    """404 for a GC task id the instance does not have."""
    return Rejection(404, TASK_NOT_FOUND, f"GC task {gc_id} not found")


def not_running(instance_id: str, status: str) -> Rejection:
    """409 for GC calls on an instance that is not Running."""
    return Rejection(
        409,
        INSTANCE_NOT_RUNNING,
        f"Instance {instance_id} is {status}, not Running; "
        "garbage collection is unavailable",
    )


def unauthenticated(reason: str, code: str = BAD_AUTH) -> Rejection:
    """401 from the gateway; the message ends with the reason."""
    return Rejection(401, code, _AUTH_PREFIX + reason, source="gateway")


def token_expired() -> Rejection:
    """401 from the gateway for a token past its expiry."""
    return Rejection(
        401, TOKEN_EXPIRED, "The token must be updated: token expires", source="gateway"
    )


def not_authorised() -> Rejection:
    """403 from the gateway: the identity may not use this project."""
    return Rejection(
        403,
        NOT_AUTHORISED,
        "The IAM user is not authorized to access the API",
        source="gateway",
    )


def throttled() -> Rejection:
    """429 from the gateway, with the hint to retry after a second."""
    return Rejection(
        429,
        THROTTLED,
        "The throttling threshold has been reached: policy user over ratelimit",
        source="gateway",
        headers={"Retry-After": "1"},
    )


def internal() -> Rejection:
    """500 from SWR."""
    return Rejection(500, INTERNAL, "Internal server error: Failed to obtain the list")


def no_such_api() -> Rejection:
    """404 from the gateway for a path or method it does not route."""
    return Rejection(
        404,
        NO_API,
        "The API does not exist or has not been published in the environment",
        source="gateway",
    )


def permission_denied(encoded: str) -> Rejection:
    """403 from SWR with the encoded reason STS can decode."""
    return Rejection(
        403,
        FORBIDDEN,
        "Insufficient permissions: the tenant is not on the allow-list of this API",
        encoded_authorization_message=encoded,
    )


def for_status(status: int, instance_id: str) -> Rejection:
    """A realistic answer for a status queued in ``Faults.fail_next``."""
    known = {
        400: lambda: bad_parameter("injected fault"),
        401: token_expired,
        403: lambda: permission_denied("eNqrVkrOz0vOz0lVslIyNjI2NTY1NAQA"),
        404: lambda: instance_not_found(instance_id),
        429: throttled,
        500: internal,
    }
    if status in known:
        return known[status]()
    if status >= 500:
        return Rejection(
            status, f"APIGW.0{status - 300}", "Backend unavailable", "gateway"
        )
    return Rejection(status, BAD_PARAMETER, f"Request rejected ({status})")
