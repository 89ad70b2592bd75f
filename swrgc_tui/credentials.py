"""Finding credentials where Huawei Cloud tools keep them, and keeping them hidden.

Looked for in this order (``auth_method = "auto"`` takes the first found):

1. a token in the file given by ``--token-file PATH``;
2. a token in ``SWRGC_AUTH_TOKEN``;
3. AK/SK in ``HUAWEICLOUD_SDK_AK`` / ``HUAWEICLOUD_SDK_SK`` (with
   ``HUAWEICLOUD_SDK_SECURITY_TOKEN`` for temporary ones);
4. AK/SK in ``CLOUD_SDK_AK`` / ``CLOUD_SDK_SK``;
5. the ``[basic]`` section of the official SDK's INI file,
   ``~/.huaweicloud/credentials`` (or ``HUAWEICLOUD_SDK_CREDENTIALS_FILE``).

``auth_method = "aksk"`` or ``"token"`` looks only at sources of that kind;
``"password"`` finds nothing, so the TUI asks for an IAM login. A file that
holds secrets and that other users may read is refused, as ssh refuses a
private key with an open mode.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from swrgc_tui import paths
from swrgc_tui.api.errors import CredentialsError
from swrgc_tui.logs import register_secret

if TYPE_CHECKING:
    import configparser

    import httpx

    from swrgc_tui.config import Settings

INI_SECTION = "basic"


@dataclass(frozen=True)
class Credentials:
    """One identity to call the API with; its repr and str never show a secret.

    Attributes:
        kind: ``"aksk"`` (request signing) or ``"token"`` (``X-Auth-Token``).
        source: where it was found, for messages, e.g. ``"token file /x"``.
        ak: the access key id (not a secret, but shown masked anyway).
        sk: the secret access key.
        security_token: the session token of temporary AK/SK.
        token: an IAM token.
        project_id: the project id found beside the keys, if any.
    """

    kind: Literal["aksk", "token"]
    source: str
    ak: str = ""
    sk: str = field(default="", repr=False)
    security_token: str | None = field(default=None, repr=False)
    token: str = field(default="", repr=False)
    project_id: str | None = None

    def __post_init__(self) -> None:
        for secret in (self.sk, self.security_token, self.token):
            register_secret(secret)

    def __str__(self) -> str:
        return self.describe()

    def auth(self, project_id: str | None) -> httpx.Auth:
        """The httpx auth flow that presents these credentials."""
        from swrgc_tui.api.auth import AkSkAuth, TokenAuth

        if self.kind == "token":
            return TokenAuth(self.token)
        return AkSkAuth(
            self.ak,
            self.sk,
            security_token=self.security_token,
            project_id=project_id,
        )

    def describe(self) -> str:
        """What these credentials are and where they came from, masked."""
        if self.kind == "token":
            return f"token from {self.source}"
        temporary = "temporary " if self.security_token else ""
        return f"{temporary}AK/SK (AK {mask(self.ak)}) from {self.source}"


def mask(value: str) -> str:
    """The first and last four characters of a long value, or just an ellipsis."""
    return f"{value[:4]}…{value[-4:]}" if len(value) >= 12 else "…"


def _display(path: Path, home: Path) -> str:
    try:
        return "~/" + path.relative_to(home).as_posix()
    except ValueError:
        return str(path)


def _read_secret_file(path: Path, what: str) -> str:
    """The text of a file that holds secrets, after checking its mode."""
    problem = paths.unsafe_mode_problem(path)
    if problem:
        raise CredentialsError(problem)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CredentialsError(f"{what} {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CredentialsError(f"cannot read {what} {path}: {exc}") from None


def _token(text: str, source: str) -> Credentials:
    token = text.strip()
    if not token:
        raise CredentialsError(f"{source} is empty")
    if any(ch.isspace() or not ch.isprintable() for ch in token):
        raise CredentialsError(f"{source} must hold a single token on one line")
    return Credentials(kind="token", source=source, token=token)


def _token_file(path: Path) -> Credentials:
    source = f"token file {path}"
    return _token(_read_secret_file(path, "token file"), source)


def _token_env(env: Mapping[str, str]) -> Credentials | None:
    value = env.get("SWRGC_AUTH_TOKEN", "")
    return _token(value, "environment SWRGC_AUTH_TOKEN") if value.strip() else None


def _aksk_env(env: Mapping[str, str], prefix: str) -> Credentials | None:
    ak = env.get(f"{prefix}_AK", "").strip()
    sk = env.get(f"{prefix}_SK", "").strip()
    if not ak and not sk:
        return None
    if not (ak and sk):
        present, missing = (f"{prefix}_AK", f"{prefix}_SK")[:: 1 if ak else -1]
        raise CredentialsError(f"{present} is set but {missing} is not")
    token = env.get(f"{prefix}_SECURITY_TOKEN", "").strip() or None
    source = f"environment {prefix}_AK/SK"
    return Credentials(kind="aksk", source=source, ak=ak, sk=sk, security_token=token)


def _ini_path(env: Mapping[str, str], home: Path) -> Path:
    override = env.get("HUAWEICLOUD_SDK_CREDENTIALS_FILE", "").strip()
    return (
        Path(override).expanduser()
        if override
        else home / ".huaweicloud" / "credentials"
    )


def _parse_ini(text: str, shown: str) -> configparser.ConfigParser:
    import configparser  # only when the file exists

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=shown)
    except configparser.Error as exc:
        # configparser quotes the offending line, which may hold a key: not shown.
        line = getattr(exc, "lineno", None)
        where = f" (line {line})" if line else ""
        raise CredentialsError(f"{shown} is not a valid INI file{where}") from None
    return parser


def _aksk_ini(env: Mapping[str, str], home: Path) -> Credentials | None:
    path = _ini_path(env, home)
    if not path.is_file():
        return None
    shown = _display(path, home)
    parser = _parse_ini(_read_secret_file(path, "credentials file"), shown)
    if not parser.has_section(INI_SECTION):
        raise CredentialsError(f"{shown} has no [{INI_SECTION}] section")
    basic = parser[INI_SECTION]
    ak, sk = basic.get("ak", "").strip(), basic.get("sk", "").strip()
    if not (ak and sk):
        raise CredentialsError(f"{shown} [{INI_SECTION}] needs both ak and sk")
    return Credentials(
        kind="aksk",
        source=f"{shown} [{INI_SECTION}]",
        ak=ak,
        sk=sk,
        security_token=basic.get("security_token", "").strip() or None,
        project_id=basic.get("project_id", "").strip() or None,
    )


def load_credentials(
    settings: Settings,
    env: Mapping[str, str],
    *,
    token_file: Path | None = None,
    home: Path | None = None,
) -> Credentials | None:
    """The first credentials found for ``settings.auth_method``, or None.

    None means "ask for an IAM login". An explicit ``aksk`` or ``token``
    method that finds nothing is an error, as is any source that is half
    filled in, unreadable or readable by other users.

    Raises:
        CredentialsError: with a message that names the source and the fix.
    """
    if token_file is not None:
        # An explicit option outranks the profile's auth method.
        return _token_file(token_file)
    home = home or Path.home()
    tokens: list[Callable[[], Credentials | None]] = [lambda: _token_env(env)]
    keys: list[Callable[[], Credentials | None]] = [
        lambda: _aksk_env(env, "HUAWEICLOUD_SDK"),
        lambda: _aksk_env(env, "CLOUD_SDK"),
        lambda: _aksk_ini(env, home),
    ]
    method = settings.auth_method
    lookups = {"auto": tokens + keys, "token": tokens, "aksk": keys}.get(method, [])
    for lookup in lookups:
        found = lookup()
        if found is not None:
            return found
    if method == "token":
        raise CredentialsError(
            "auth_method is token but no token was found: set SWRGC_AUTH_TOKEN "
            "or pass --token-file PATH"
        )
    if method == "aksk":
        raise CredentialsError(
            "auth_method is aksk but no AK/SK was found: set HUAWEICLOUD_SDK_AK and "
            "HUAWEICLOUD_SDK_SK, or write them to ~/.huaweicloud/credentials [basic]"
        )
    return None
