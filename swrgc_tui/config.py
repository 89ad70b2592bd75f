"""Settings: built-in defaults, overridden by a profile, the environment, options.

The profile file is ``config.toml`` in the user config directory::

    default_profile = "prod"
    [keys]                      # binding id -> keys, for every profile
    refresh = "ctrl+r"
    [profiles.prod]
    region = "cn-north-4"
    instance = "8f1c..."
    [profiles.prod.keys]        # remapping for this profile only

Every resolved value remembers where it came from (``Settings.sources``), so
``swrgc-tui config show`` can explain it. The file never holds secrets.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, NamedTuple

from swrgc_tui import paths

AuthMethod = Literal["auto", "aksk", "token", "password"]
AUTH_METHODS: tuple[str, ...] = ("auto", "aksk", "token", "password")
DEFAULT_REGION = "cn-north-4"
#: Keys that would hold a secret; the file is not the place for them.
SECRET_KEYS = frozenset({"ak", "sk", "token", "password", "security_token", "secret"})


class ConfigError(Exception):
    """A setting could not be read; the message is one sentence for the user."""


@dataclass(frozen=True, kw_only=True)
class Settings:
    """The settings swrgc-tui runs with, after every source has been applied.

    Raises:
        ValueError: ``page_size``, ``refresh`` or ``auth_method`` is out of
            range; the readers in this module report such values to the user
            as a ``ConfigError`` before a ``Settings`` is ever built.
    """

    profile: str = "default"
    """Name of the profile read from the config file."""
    region: str = DEFAULT_REGION
    """Huawei Cloud region; picks the endpoints unless they are given."""
    endpoint: str
    """SWR API endpoint, e.g. ``https://swr-api.cn-north-4.myhuaweicloud.com``."""
    iam_endpoint: str
    """IAM endpoint, used for logins and for looking up the project id."""
    project_id: str | None = None
    """Project id; looked up from IAM by region when missing."""
    instance: str | None = None
    """Instance opened at start, skipping the picker."""
    page_size: int = 100
    """Tasks asked for per request (1 to 100)."""
    refresh: float = 5.0
    """Seconds between live refreshes; 0 turns them off."""
    theme: str | None = None
    """Textual theme name."""
    auth_method: AuthMethod = "auto"
    """Which credentials to use: auto (first found), aksk, token, password."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id to keys, e.g. ``{"refresh": "ctrl+r"}``."""
    debug: bool = False
    """Log at DEBUG level, HTTP traffic included (never credentials)."""
    demo: bool = False
    """Run against the built-in emulator."""
    sources: dict[str, str] = field(default_factory=dict)
    """Field name to where its value came from: default, file, env, option, demo."""
    warnings: tuple[str, ...] = ()
    """Problems in the config file that did not stop swrgc-tui."""
    config_file: Path | None = None
    """The config file that was consulted (it may not exist)."""

    def __post_init__(self) -> None:
        page_size: object = self.page_size
        if isinstance(page_size, bool) or not isinstance(page_size, int):
            raise ValueError(f"page_size must be a whole number, not {page_size!r}")
        if not 1 <= page_size <= 100:
            raise ValueError(f"page_size must be from 1 to 100, not {page_size}")
        refresh: object = self.refresh
        if isinstance(refresh, bool) or not isinstance(refresh, int | float):
            raise ValueError(f"refresh must be a number of seconds, not {refresh!r}")
        if not refresh >= 0:
            raise ValueError(f"refresh must not be negative, not {refresh}")
        # Callers may pass whole seconds; the field stays a float either way.
        object.__setattr__(self, "refresh", float(refresh))
        if self.auth_method not in AUTH_METHODS:
            raise ValueError(f"auth_method must be one of {', '.join(AUTH_METHODS)}")


def _text(value: object) -> str:
    text = str(value).strip()
    if not text:
        raise ValueError("must not be empty")
    return text


def _url(value: object) -> str:
    text = _text(value).rstrip("/")
    if not text.startswith(("http://", "https://")):
        raise ValueError("must be a URL starting with http:// or https://")
    return text


def _page_size(value: object) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        number = 0
    if isinstance(value, float | bool) or not 1 <= number <= 100:
        raise ValueError("must be a whole number from 1 to 100")
    return number


def _refresh(value: object) -> float:
    try:
        seconds = float(str(value).strip())
    except ValueError:
        seconds = -1.0
    if isinstance(value, bool) or not 0 <= seconds < 86400:
        raise ValueError("must be a number of seconds (0 turns refresh off)")
    return seconds


def _auth_method(value: object) -> str:
    text = str(value).strip().lower()
    if text not in AUTH_METHODS:
        raise ValueError("must be one of " + ", ".join(AUTH_METHODS))
    return text


def _flag(value: object) -> bool:
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("must be true or false")


class _Spec(NamedTuple):
    """How one setting is read from the file, the environment and the options.

    A named tuple: creating a dataclass would cost the start-up several times
    as much.
    """

    name: str
    parse: Callable[[object], Any]
    env: tuple[str, ...] = ()
    in_file: bool = True


_SPECS: tuple[_Spec, ...] = (
    _Spec("region", _text, ("SWRGC_REGION",)),
    _Spec("endpoint", _url, ("SWRGC_ENDPOINT",)),
    _Spec("iam_endpoint", _url, ("SWRGC_IAM_ENDPOINT", "HUAWEICLOUD_SDK_IAM_ENDPOINT")),
    _Spec("project_id", _text, ("SWRGC_PROJECT_ID", "HUAWEICLOUD_SDK_PROJECT_ID")),
    _Spec("instance", _text, ("SWRGC_INSTANCE",)),
    _Spec("page_size", _page_size, ("SWRGC_PAGE_SIZE",)),
    _Spec("refresh", _refresh, ("SWRGC_REFRESH",)),
    _Spec("theme", _text, ("SWRGC_THEME",)),
    _Spec("auth_method", _auth_method, ("SWRGC_AUTH_METHOD",)),
    _Spec("debug", _flag, ("SWRGC_DEBUG",), in_file=False),
)
_PROFILE_KEYS = frozenset(s.name for s in _SPECS if s.in_file) | {"keys"}
_TOP_KEYS = frozenset({"default_profile", "keys", "profiles"})


def config_path(env: Mapping[str, str]) -> Path:
    """The config file: ``SWRGC_CONFIG`` when set, else the user config dir's."""
    override = env.get("SWRGC_CONFIG", "").strip()
    return Path(override).expanduser() if override else paths.config_file()


def read_config_file(path: Path) -> dict[str, Any]:
    """Parses the config file; a missing file is an empty one.

    Raises:
        ConfigError: the file is unreadable or not valid TOML (with its line).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from exc
    import tomllib  # only when there is a file to read

    try:
        return tomllib.loads(data.decode("utf-8", errors="replace"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc


class _FileView:
    """The parts of a parsed config file that apply to one profile."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data
        self.warnings: list[str] = []
        profiles = data.get("profiles")
        self.profiles: dict[str, Any] = profiles if isinstance(profiles, dict) else {}
        for key in data:
            if key not in _TOP_KEYS:
                self._unknown(key, "at the top level")

    def _unknown(self, key: str, where: str) -> None:
        if key.lower() not in SECRET_KEYS:
            self.warnings.append(f"{self.path}: unknown setting '{key}' {where}")
            return
        problem = paths.unsafe_mode_problem(self.path)
        if problem:
            raise ConfigError(problem)
        self.warnings.append(
            f"{self.path}: '{key}' {where} ignored: secrets are read from the "
            "environment or ~/.huaweicloud/credentials, never from this file"
        )

    def default_profile(self) -> str | None:
        value = self.data.get("default_profile")
        return str(value) if value else None

    def profile(self, name: str, explicit: bool) -> dict[str, Any]:
        """The profile's table; an explicitly chosen profile must exist."""
        table = self.profiles.get(name)
        if isinstance(table, dict):
            for key in table:
                if key not in _PROFILE_KEYS:
                    self._unknown(key, f"in profile '{name}'")
            return table
        if not explicit:
            return {}
        if not self.profiles:
            raise ConfigError(
                f"no profile '{name}': {self.path} defines no profiles "
                "(`swrgc-tui config init` writes a starter file)"
            )
        known = ", ".join(sorted(self.profiles))
        raise ConfigError(f"no profile '{name}' in {self.path}; known ones: {known}")

    def keymap(self, profile: dict[str, Any]) -> dict[str, str]:
        """``[keys]`` overlaid with the profile's own ``keys`` table."""
        merged: dict[str, str] = {}
        tables = (self.data.get("keys"), profile.get("keys"))
        for table in (t for t in tables if isinstance(t, dict)):
            for binding, keys in table.items():
                if isinstance(keys, str) and keys.strip():
                    merged[binding] = keys.strip()
                else:
                    self.warnings.append(
                        f"{self.path}: key binding '{binding}' must be a string"
                    )
        return merged


def _profile_name(
    args: argparse.Namespace, env: Mapping[str, str], view: _FileView
) -> tuple[str, str]:
    if getattr(args, "profile", None):
        return str(args.profile), "option"
    if env.get("SWRGC_PROFILE", "").strip():
        return env["SWRGC_PROFILE"].strip(), "env"
    from_file = view.default_profile()
    return (from_file, "file") if from_file else ("default", "default")


def _parsed(spec: _Spec, value: object, label: str) -> Any:
    try:
        return spec.parse(value)
    except ValueError as exc:
        raise ConfigError(f"{label} {exc} (got {value!r})") from None


def _pick(
    spec: _Spec,
    args: argparse.Namespace,
    env: Mapping[str, str],
    profile: tuple[str, dict[str, Any], Path],
) -> tuple[Any, str] | None:
    """The value of one setting from its strongest source, with that source."""
    option = getattr(args, spec.name, None)
    if option is not None:
        flag = "--" + spec.name.replace("_", "-")
        return _parsed(spec, option, flag), "option"
    for var in spec.env:
        if env.get(var, "").strip():
            return _parsed(spec, env[var], var), "env"
    name, table, path = profile
    if spec.in_file and spec.name in table:
        label = f"{spec.name} in profile '{name}' of {path}"
        return _parsed(spec, table[spec.name], label), "file"
    return None


def _default_endpoints(values: dict[str, Any]) -> None:
    from swrgc_tui.api.endpoints import iam_endpoint_for, swr_endpoint_for

    region = values.setdefault("region", DEFAULT_REGION)
    try:
        values.setdefault("endpoint", swr_endpoint_for(region))
        values.setdefault("iam_endpoint", iam_endpoint_for(region))
    except ValueError as exc:
        raise ConfigError(f"{exc}; or give --endpoint and --iam-endpoint") from None


def resolve_settings(
    args: argparse.Namespace, env: Mapping[str, str], file: Path | None = None
) -> Settings:
    """Merges the sources: option > environment > profile in the file > default.

    Args:
        args: parsed options; a missing or None attribute means "not given".
        env: the environment (``os.environ`` or a test's dict).
        file: the config file; by default ``SWRGC_CONFIG`` or the user's.

    Raises:
        ConfigError: a malformed file, an unknown profile or a bad value.
    """
    path = file or config_path(env)
    view = _FileView(path, read_config_file(path))
    name, profile_source = _profile_name(args, env, view)
    # "default" needs no table of its own: it is what runs with no file at all.
    table = view.profile(name, explicit=name != "default")
    values: dict[str, Any] = {"profile": name}
    sources = {"profile": profile_source}
    for spec in _SPECS:
        found = _pick(spec, args, env, (name, table, path))
        if found is not None:
            values[spec.name], sources[spec.name] = found
    keymap = view.keymap(table)
    if keymap:
        values["keymap"], sources["keymap"] = keymap, "file"
    if getattr(args, "demo", False):
        values["demo"], sources["demo"] = True, "option"
    _default_endpoints(values)
    for setting in fields(Settings):
        sources.setdefault(setting.name, "default")
    for extra in ("sources", "warnings", "config_file"):
        sources.pop(extra)
    return Settings(
        **values, sources=sources, warnings=tuple(view.warnings), config_file=path
    )
