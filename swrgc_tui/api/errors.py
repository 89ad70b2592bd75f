"""Exceptions raised by the API layer.

    SwrError
    ├── TransportError          the server could not be reached or did not answer
    ├── ApiError                the server answered with an error status
    │   ├── BadRequestError     400
    │   ├── AuthenticationError 401 (bad, missing or expired credentials)
    │   ├── PermissionDeniedError 403
    │   ├── NotFoundError       404
    │   ├── ThrottledError      429
    │   └── ServerError         5xx
    ├── ProtocolError           a success status with a body that makes no sense
    ├── PagingError             the marker chain loops
    └── CredentialsError        no usable credentials, or unsafe ones

Every message is one line, safe to print, and never holds a secret.
"""

from __future__ import annotations

#: Gateway codes (and reasons) that mean "your token is no longer good".
TOKEN_EXPIRED_CODES = frozenset({"APIGW.0307"})


class SwrError(Exception):
    """Base of every error the API layer raises."""


class TransportError(SwrError):
    """The request never got an answer: refused, reset, timed out."""


class ProtocolError(SwrError):
    """The server answered success with a body swrgc-tui cannot read."""

    def __init__(self, message: str, *, request_id: str = "") -> None:
        super().__init__(message)
        self.request_id = request_id

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text} (request id {self.request_id})" if self.request_id else text


class PagingError(SwrError):
    """The server handed back a marker it had already given: a loop."""


class CredentialsError(SwrError):
    """No credentials were found, or the ones found may not be used."""


class ApiError(SwrError):
    """The server answered with an HTTP error status.

    Attributes:
        status: the HTTP status code.
        error_code: SWR's or the gateway's code, e.g. ``SVCSTG.SWR.4000014``.
        error_msg: the server's message.
        request_id: the ``X-Request-Id`` of the answer (or the body's).
        encoded_authorization_message: on a 403, the encoded reason that STS's
            decode-authorization-message can explain.
        excerpt: the start of a body that was not an SWR error (an HTML page
            from a proxy, say); empty when the body was readable.
    """

    def __init__(
        self,
        status: int,
        *,
        error_code: str = "",
        error_msg: str = "",
        request_id: str = "",
        encoded_authorization_message: str = "",
        excerpt: str = "",
    ) -> None:
        self.status = status
        self.error_code = error_code
        self.error_msg = error_msg
        self.request_id = request_id
        self.encoded_authorization_message = encoded_authorization_message
        self.excerpt = excerpt
        super().__init__(self.summary)

    @property
    def summary(self) -> str:
        """One line: code, message, status and request id."""
        if self.error_code or self.error_msg:
            head = ": ".join(p for p in (self.error_code, self.error_msg) if p)
        elif self.excerpt:
            head = f"unexpected answer: {self.excerpt}"
        else:
            head = "no error details in the answer"
        tail = f"HTTP {self.status}"
        if self.request_id:
            tail += f", request id {self.request_id}"
        return f"{head} ({tail})"

    def __str__(self) -> str:
        return self.summary

    @property
    def token_expired(self) -> bool:
        """True when a fresh token (a new login) would fix this error."""
        if self.status != 401:
            return False
        if self.error_code in TOKEN_EXPIRED_CODES:
            return True
        return self.error_code == "APIGW.0301" and "token expires" in self.error_msg


class BadRequestError(ApiError):
    """400: a parameter the server did not accept."""


class AuthenticationError(ApiError):
    """401: credentials missing, wrong, or expired."""


class PermissionDeniedError(ApiError):
    """403: the identity may not do this (or the tenant is not allow-listed)."""


class NotFoundError(ApiError):
    """404: no such instance or task (or API)."""


class ThrottledError(ApiError):
    """429: too many requests; ``retry_after`` is the server's hint, if any."""

    retry_after: float | None = None


class ServerError(ApiError):
    """5xx: the service failed."""


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: ThrottledError,
}


def error_class_for(status: int) -> type[ApiError]:
    """The most specific ApiError subclass for an HTTP status."""
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, ApiError)
