"""The IAM login dialog: user, password, account and region in, a token out.

Shown when no credentials were found or when the token in use has expired.
The token it returns lives in memory only; the password is read from its
field inside the worker, never passed as an argument, so it cannot surface
in a worker's description, a log line or a traceback.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import httpx
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from swrgc_tui.api.errors import ApiError, AuthenticationError, SwrError, TransportError
from swrgc_tui.api.iam import get_token, iam_endpoint_for
from swrgc_tui.credentials import Credentials
from swrgc_tui.formatting import safe_text

if TYPE_CHECKING:
    from swrgc_tui.config import Settings

log = logging.getLogger(__name__)

#: Why the dialog is up, in the words it shows first.
NO_CREDENTIALS = "No credentials found: sign in with an IAM user to get a token."
TOKEN_EXPIRED = "Your token has expired: sign in again to carry on where you were."

#: Field id to the label shown in "fill in ..." hints, in tab order.
_FIELDS: dict[str, str] = {
    "user": "the IAM user",
    "password": "the password",
    "domain": "the account name",
    "region": "the region",
}


class LoginScreen(ModalScreen[Credentials | None]):
    """Asks for an IAM password login and returns token credentials.

    Dismissed with :class:`~swrgc_tui.credentials.Credentials` of kind
    ``"token"`` after a successful login, or with None when cancelled.

    Args:
        settings: the running settings; give the region and IAM endpoint.
        reason: the first line of the dialog, saying why it is shown.
        user: the IAM user to prefill (a previous login's, say).
        domain: the account name to prefill.
        transport: an httpx transport for the IAM call (tests).

    Attributes:
        busy: True while the login request is in flight; Enter waits.
    """

    DEFAULT_CSS = """
    LoginScreen { align: center middle; }
    LoginScreen > Vertical {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        overflow-y: auto; border: thick $accent; background: $panel;
        padding: 1 2;
    }
    LoginScreen #login-reason { margin-bottom: 1; }
    LoginScreen Grid {
        grid-size: 2; grid-columns: 10 1fr; grid-rows: 1; grid-gutter: 1 0;
        height: auto;
    }
    LoginScreen #login-message { margin-top: 1; height: auto; }
    LoginScreen #login-message.error { color: $text-error; }
    LoginScreen #login-keys { margin-top: 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="login-cancel"),
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        reason: str = NO_CREDENTIALS,
        user: str = "",
        domain: str = "",
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__()
        self._settings = settings
        self._reason = reason
        self._prefill = {"user": user, "domain": domain, "region": settings.region}
        self._transport = transport
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical() as dialog:
            dialog.border_title = "IAM login"
            yield Static(self._reason, id="login-reason", markup=False)
            with Grid():
                yield Label("User")
                yield self._input("user", placeholder="IAM user name")
                yield Label("Password")
                yield self._input("password", password=True)
                yield Label("Account")
                yield self._input("domain", placeholder="account (domain) name")
                yield Label("Region")
                yield self._input("region", placeholder="e.g. cn-north-4")
            yield Static("", id="login-message", markup=False)
            yield Static(
                "Enter sign in · Tab next field · Esc cancel",
                id="login-keys",
                markup=False,
            )

    def _input(self, name: str, **options: Any) -> Input:
        value = self._prefill.get(name, "")
        return Input(value, id=name, compact=True, **options)

    def on_mount(self) -> None:
        self._first_empty().focus()

    def _field(self, name: str) -> Input:
        return self.query_one(f"#{name}", Input)

    def _first_empty(self) -> Input:
        for name in _FIELDS:
            if not self._field(name).value.strip():
                return self._field(name)
        return self._field("password")

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#login-message", Static)
        message.update(text)
        message.set_class(error, "error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter: signs in when every field is filled, else goes to the gap."""
        event.stop()
        if self.busy:
            return
        empty = [n for n in _FIELDS if not self._field(n).value.strip()]
        if empty:
            self._say(f"Fill in {_FIELDS[empty[0]]}.", error=True)
            self._field(empty[0]).focus()
            return
        self._sign_in()

    def action_cancel(self) -> None:
        """Esc: gives up; the caller decides what an absent login means."""
        self.workers.cancel_group(self, "login")
        self.dismiss(None)

    def _iam_endpoint(self, region: str) -> str:
        # An endpoint set on purpose (an option, the environment, the demo)
        # wins; one derived from the configured region follows the field.
        derived = self._settings.sources.get("iam_endpoint", "default") == "default"
        if derived and region != self._settings.region:
            return iam_endpoint_for(region)
        return self._settings.iam_endpoint

    @work(exclusive=True, group="login", description="IAM login", exit_on_error=False)
    async def _sign_in(self) -> None:
        user, domain, region = (
            self._field(name).value.strip() for name in ("user", "domain", "region")
        )
        endpoint = self._settings.iam_endpoint
        self.busy = True
        try:
            endpoint = self._iam_endpoint(region)
            self._say(f"Signing in as {user}@{domain} at {endpoint} …")
            issued = await get_token(
                endpoint,
                user=user,
                password=self._field("password").value,
                domain=domain,
                region=region,
                transport=self._transport,
            )
        except Exception as exc:  # every failure is shown; none may end the app
            self._failed(exc, endpoint)
            return
        finally:
            self.busy = False
        log.info("IAM login succeeded as %s@%s in %s", user, domain, region)
        self.dismiss(
            Credentials(
                kind="token",
                token=issued.token,
                project_id=issued.project_id,
                source=f"IAM login as {user}@{domain}",
            )
        )

    def _failed(self, exc: Exception, endpoint: str) -> None:
        """Shows why the login failed; only a refused password is cleared."""
        if isinstance(exc, AuthenticationError):
            lead = "IAM refused the login: check the user, password and account."
            self._field("password").clear()
            self._field("password").focus()
        elif isinstance(exc, ApiError):
            lead = "IAM refused the login."
        elif isinstance(exc, TransportError):
            lead = f"Cannot reach IAM at {endpoint}."
        elif isinstance(exc, SwrError):
            lead = "The login failed."
        elif isinstance(exc, ValueError):
            lead = f"Cannot sign in: {safe_text(str(exc))}."
        else:
            log.error("IAM login failed unexpectedly", exc_info=exc)
            lead = f"The login failed unexpectedly ({type(exc).__name__})."
        detail = safe_text(str(exc)) if isinstance(exc, SwrError) else ""
        log.warning("IAM login as %s failed: %s", self._field("user").value, detail)
        self._say(f"{lead}\n{detail}" if detail else lead, error=True)
