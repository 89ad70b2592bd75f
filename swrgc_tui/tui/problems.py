"""Turns an exception into what the user should read: what failed and what to do.

No Textual here: screens decide where a :class:`Problem` is shown (a tail row,
a notification, a modal); this module decides what it says. Every string
that came from the server passes through :func:`safe_text` first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from swrgc_tui.api.errors import (
    ApiError,
    AuthenticationError,
    CredentialsError,
    NotFoundError,
    PagingError,
    PermissionDeniedError,
    ProtocolError,
    ServerError,
    SwrError,
    ThrottledError,
    TransportError,
)
from swrgc_tui.formatting import safe_text

_DECODE_HINT = (
    "Decode it with STS decode-authorization-message (console or hcloud CLI) "
    "to see which policy denied the request."
)


@dataclass(frozen=True)
class Problem:
    """A failure explained for the user.

    Attributes:
        title: a short headline, e.g. "Authentication failed".
        summary: one line with the code, message and request id, for places
            with room for a single line (a tail row, a notification).
        details: further lines worth reading (what was used, what the server
            said beyond the summary).
        hint: what the user can do about it.
        offer_login: a fresh login would fix it (the token was rejected).
        copyable: a long value worth copying, such as an encoded
            authorization message.
    """

    title: str
    summary: str
    details: tuple[str, ...] = ()
    hint: str = ""
    offer_login: bool = False
    copyable: str = ""
    kind: str = field(default="error")

    @property
    def is_auth(self) -> bool:
        """True for a 401: the credentials themselves are the problem."""
        return self.kind == "auth"

    @property
    def is_forbidden(self) -> bool:
        """True for a 403: the identity may not do this."""
        return self.kind == "forbidden"

    @property
    def is_not_found(self) -> bool:
        """True for a 404."""
        return self.kind == "not-found"


NO_CREDENTIALS = Problem(
    title="No credentials found",
    summary="swrgc-tui needs an AK/SK pair or an IAM token to call SWR.",
    details=(
        "AK/SK: HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (or CLOUD_SDK_AK/SK), "
        "or ~/.huaweicloud/credentials with [basic] ak and sk.",
        "Token: SWRGC_AUTH_TOKEN or --token-file PATH.",
    ),
    hint="Set one of these and start again, or log in with an IAM user.",
    kind="auth",
)


def api_summary(error: ApiError) -> str:
    """One safe line: ``code: message (HTTP n, request id r)``."""
    return safe_text(error.summary)


def explain(
    error: BaseException,
    *,
    credentials: str = "",
    uses_token: bool = False,
    endpoint: str = "",
    instance: str = "",
) -> Problem:
    """Explains an error raised while talking to the service.

    Args:
        error: what was raised.
        credentials: the masked description of the credentials in use.
        uses_token: the credentials are a token (a login can replace it).
        endpoint: the SWR endpoint the request went to.
        instance: the instance the request was about, if any.

    Returns:
        The explanation to show.
    """
    if isinstance(error, AuthenticationError):
        return _auth(error, credentials, uses_token)
    if isinstance(error, PermissionDeniedError):
        return _forbidden(error, credentials)
    if isinstance(error, NotFoundError):
        return _not_found(error, instance)
    if isinstance(error, ApiError):
        return _other_api(error)
    return _not_api(error, endpoint)


def _auth(error: AuthenticationError, credentials: str, is_token: bool) -> Problem:
    used = f"Credentials used: {credentials}." if credentials else ""
    if error.token_expired:
        return Problem(
            title="Your token has expired",
            summary=api_summary(error),
            details=(used,) if used else (),
            hint="Log in again to get a fresh token; nothing loaded is lost.",
            offer_login=True,
            kind="auth",
        )
    hint = (
        "Get a new token (IAM login) or point SWRGC_AUTH_TOKEN / --token-file "
        "at a valid one."
        if is_token
        else "Check the AK/SK pair (HUAWEICLOUD_SDK_AK/SK, CLOUD_SDK_AK/SK or "
        "~/.huaweicloud/credentials) and that this machine's clock is right: "
        "signatures more than 15 minutes off are refused."
    )
    return Problem(
        title="Authentication failed",
        summary=api_summary(error),
        details=(used,) if used else (),
        hint=hint,
        offer_login=is_token,
        kind="auth",
    )


def _forbidden(error: PermissionDeniedError, credentials: str) -> Problem:
    details = [f"Credentials used: {credentials}."] if credentials else []
    encoded = safe_text(error.encoded_authorization_message)
    if encoded:
        details.append("The server sent an encoded authorization message.")
    hint = (
        "Grant the identity SWR Enterprise permissions for garbage collection, "
        "or ask for the tenant to be allow-listed for the GC APIs."
    )
    return Problem(
        title="Permission denied",
        summary=api_summary(error),
        details=tuple(details),
        hint=f"{hint} {_DECODE_HINT}" if encoded else hint,
        copyable=encoded,
        kind="forbidden",
    )


def _not_found(error: NotFoundError, instance: str) -> Problem:
    what = f"Instance {safe_text(instance)}" if instance else "The resource"
    return Problem(
        title="Not found",
        summary=api_summary(error),
        details=(f"{what} is not known to the service.",),
        hint="It may have been deleted, or it belongs to another project or "
        "region: pick an instance from the list.",
        kind="not-found",
    )


def _other_api(error: ApiError) -> Problem:
    if isinstance(error, ThrottledError):
        title, hint = "Throttled", "The API gateway limits request rates; retry soon."
    elif isinstance(error, ServerError):
        title, hint = "The service failed", "Retry; if it persists, quote the id."
    else:
        title, hint = "Request refused", "Quote the request id when asking support."
    return Problem(title=title, summary=api_summary(error), hint=hint)


def _not_api(error: BaseException, endpoint: str) -> Problem:
    text = safe_text(str(error)) or type(error).__name__
    if isinstance(error, TransportError):
        where = f" {safe_text(endpoint)}" if endpoint else " the service"
        return Problem(
            title=f"Cannot reach{where}",
            summary=text,
            hint="Check the endpoint or region, the network path and any "
            "HTTPS_PROXY setting.",
            kind="transport",
        )
    if isinstance(error, CredentialsError):
        return Problem(title="Credentials problem", summary=text, kind="auth")
    if isinstance(error, PagingError | ProtocolError):
        return Problem(
            title="Unexpected answer from the service",
            summary=text,
            hint="Retry; loaded rows are kept.",
        )
    if isinstance(error, SwrError):
        return Problem(title="Request failed", summary=text)
    return Problem(
        title="Unexpected error",
        summary=f"{type(error).__name__}: {text}",
        hint="Details are in the log file.",
        kind="bug",
    )
