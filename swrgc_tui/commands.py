"""The subcommands that are not listings: ``config path|show|init``, ``emulator``."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import fields

from swrgc_tui import paths
from swrgc_tui.api.errors import CredentialsError
from swrgc_tui.config import ConfigError, Settings, config_path, resolve_settings
from swrgc_tui.credentials import load_credentials
from swrgc_tui.formatting import safe_text

STARTER = """\
# swrgc-tui configuration.
#
# Each setting is taken from, strongest first: a command-line option, an
# environment variable (SWRGC_REGION, ...), the profile in use, the default.
# Secrets never go here: AK/SK come from HUAWEICLOUD_SDK_AK/SK or from
# ~/.huaweicloud/credentials, a token from SWRGC_AUTH_TOKEN or --token-file.

# The profile used when neither --profile nor SWRGC_PROFILE names one.
default_profile = "default"

# Key remapping for every profile: binding id = "keys", alternatives separated
# by commas. The help screen (?) shows each binding's id.
[keys]
# refresh = "ctrl+r"

[profiles.default]
region = "cn-north-4"
# endpoint = "https://swr-api.cn-north-4.myhuaweicloud.com"  # default: from region
# iam_endpoint = "https://iam.cn-north-4.myhuaweicloud.com"  # default: from region
# project_id = "0123456789abcdef0123456789abcdef"  # default: asked from IAM
# auth_method = "auto"      # auto, aksk, token or password (IAM login prompt)
# instance = "INSTANCE-ID"  # open it at start, skipping the picker
# page_size = 100           # tasks per request, 1 to 100
# refresh = 5               # seconds between live refreshes, 0 = off
# theme = "textual-dark"

# Another profile, picked with --profile prod or SWRGC_PROFILE=prod.
# [profiles.prod]
# region = "ap-southeast-1"
# instance = "INSTANCE-ID"
# [profiles.prod.keys]
# refresh = "f5"
"""
_UNSET = {
    "project_id": "(asked from IAM)",
    "instance": "(chosen in the picker)",
    "theme": "(Textual's default)",
}


def run(command: str, args: argparse.Namespace) -> int:
    """Runs ``config ACTION`` or ``emulator``; returns the exit status."""
    if command == "emulator":
        return serve_emulator(args)
    if args.action == "path":
        sys.stdout.write(f"{config_path(os.environ)}\n")
        return 0
    if args.action == "init":
        return write_starter(args.force)
    return show(args)


def write_starter(force: bool) -> int:
    """Writes the commented starter file, unless one exists and not ``force``."""
    target = config_path(os.environ)
    if target.exists() and not force:
        raise ConfigError(f"{target} already exists; pass --force to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(STARTER, encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")
    return 0


def _value(settings: Settings, name: str) -> str:
    value = getattr(settings, name)
    if name == "keymap":
        return ", ".join(f"{k}={v}" for k, v in sorted(value.items())) or "(none)"
    if value is None:
        return _UNSET.get(name, "(none)")
    return str(value).lower() if isinstance(value, bool) else str(value)


def _credentials_line(settings: Settings, args: argparse.Namespace) -> str:
    if settings.demo:
        return "the demo emulator's AK/SK"
    token_file = getattr(args, "token_file", None)
    try:
        found = load_credentials(settings, os.environ, token_file=token_file)
    except CredentialsError as exc:
        return f"unusable: {exc}"
    return found.describe() if found else "none found (the TUI asks for an IAM login)"


def show(args: argparse.Namespace) -> int:
    """Prints every resolved setting with its source, and the credentials masked."""
    settings = resolve_settings(args, os.environ)
    rows = [("SETTING", "VALUE", "SOURCE")]
    rows += [
        (name, safe_text(_value(settings, name)), settings.sources[name])
        for name in (setting.name for setting in fields(Settings))
        if name in settings.sources
    ]
    name_width = max(len(row[0]) for row in rows)
    value_width = max(len(row[1]) for row in rows)
    table = [f"{a:<{name_width}}  {b:<{value_width}}  {c}" for a, b, c in rows]
    absent = (
        "" if settings.config_file and settings.config_file.exists() else " (absent)"
    )
    facts = [
        ("config file", f"{settings.config_file}{absent}"),
        ("credentials", safe_text(_credentials_line(settings, args))),
        ("state file", str(paths.state_file())),
        ("log file", str(paths.log_file())),
    ]
    lines = [f"{label:<{name_width}}  {text}" for label, text in facts]
    lines += ["", *table]
    lines += [f"warning: {safe_text(w)}" for w in settings.warnings]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def serve_emulator(args: argparse.Namespace) -> int:
    """Serves the emulator in the foreground until Ctrl-C."""
    from swrgc_tui.emulator import EmulatorConfig, serve

    given = {"seed": args.seed, "tasks": args.tasks, "latency_ms": args.latency}
    config = EmulatorConfig(**{k: v for k, v in given.items() if v is not None})
    serve(config, host=args.host, port=args.port)
    return 0
