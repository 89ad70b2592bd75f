"""The ``swrgc-tui`` command: the TUI by default, plus headless subcommands.

Startup cost matters here (``tasks`` is timed against the official SDK), so
this module imports only the standard library at the top; each command
imports what it needs when it runs, and only the TUI imports Textual.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from swrgc_tui import __version__, collector

if TYPE_CHECKING:
    from swrgc_tui.config import Settings
    from swrgc_tui.credentials import Credentials

PROG = "swrgc-tui"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
FORMATS = ("jsonl", "json", "csv", "table")
STATUSES = ("Success", "Running", "Pending", "Stopped", "Error")
#: Every environment variable swrgc-tui reads, and what for.
ENVIRONMENT: tuple[tuple[str, str], ...] = (
    ("HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK", "AK/SK that sign each request"),
    ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "session token of temporary AK/SK"),
    ("HUAWEICLOUD_SDK_PROJECT_ID", "project id (also SWRGC_PROJECT_ID)"),
    ("HUAWEICLOUD_SDK_IAM_ENDPOINT", "IAM endpoint (also SWRGC_IAM_ENDPOINT)"),
    ("HUAWEICLOUD_SDK_CREDENTIALS_FILE", "SDK INI file; ~/.huaweicloud/credentials"),
    ("CLOUD_SDK_AK, CLOUD_SDK_SK", "AK/SK as the API reference samples read them"),
    ("SWRGC_AUTH_TOKEN", "an IAM token, sent as X-Auth-Token"),
    ("SWRGC_PROFILE", "profile of config.toml, like --profile"),
    ("SWRGC_CONFIG", "path of config.toml"),
    ("SWRGC_REGION, SWRGC_ENDPOINT", "like --region, --endpoint"),
    ("SWRGC_INSTANCE, SWRGC_PAGE_SIZE", "like --instance, --page-size"),
    ("SWRGC_REFRESH, SWRGC_THEME", "like --refresh, --theme"),
    ("SWRGC_AUTH_METHOD", "auto, aksk, token or password (IAM login)"),
    ("SWRGC_DEBUG", "1 logs at DEBUG level, like --debug"),
    ("NO_COLOR", "set to anything: no colours"),
    ("TZ", "time zone of local times"),
    ("XDG_CONFIG_HOME, XDG_STATE_HOME", "where config, state and logs live"),
)
_HEADLESS = ("tasks", "instances")
_SECRET_OPTIONS = ("--ak", "--sk", "--token", "--password", "--security-token")


def _epilog() -> str:
    lines = ["environment variables:"]
    lines += [f"  {name:<40} {meaning}" for name, meaning in ENVIRONMENT]
    lines += [
        "",
        "credentials, first found wins: --token-file, SWRGC_AUTH_TOKEN,",
        "HUAWEICLOUD_SDK_AK/SK, CLOUD_SDK_AK/SK, ~/.huaweicloud/credentials [basic];",
        "with none, the TUI asks for an IAM login. Secrets are never options.",
        "",
        "exit status: 0 done, 1 API or network error, 2 usage, configuration",
        "or credentials error, 130 interrupted.",
    ]
    return "\n".join(lines)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"expected a whole number above 0, got {text!r}"
        )
    return value


def _status(text: str) -> str | None:
    """A status filter, matched without regard to case; ``all`` means none."""
    if text.lower() == "all":
        return None
    for status in STATUSES:
        if status.lower() == text.lower():
            return status
    known = ", ".join((*STATUSES, "all"))
    raise argparse.ArgumentTypeError(f"unknown status {text!r}; use one of {known}")


def _common_options() -> argparse.ArgumentParser:
    # SUPPRESS leaves an option out of the namespace unless given, so the same
    # option works before and after the subcommand without one hiding the other.
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    add = common.add_argument
    add("--demo", action="store_true", help="use the built-in emulator")
    add("--profile", metavar="NAME", help="profile of config.toml to use")
    add("--region", metavar="REGION", help="region (default cn-north-4)")
    add("--endpoint", metavar="URL", help="SWR endpoint (default: from region)")
    add("--iam-endpoint", metavar="URL", help="IAM endpoint (default: from region)")
    add("--project-id", metavar="ID", help="project id (default: asked from IAM)")
    add("--instance", metavar="ID", help="instance to open or list")
    add("--token-file", metavar="PATH", type=Path, help="file holding an IAM token")
    add("--page-size", metavar="N", type=int, help="tasks per request, 1-100")
    add("--refresh", metavar="SECONDS", type=float, help="live refresh, 0 = off")
    add("--theme", metavar="NAME", help="Textual theme")
    add("--debug", action="store_true", help="log at DEBUG level")
    return common


def _tui_parser() -> argparse.ArgumentParser:
    """The options of the TUI alone; parse errors raise instead of exiting."""
    parser = argparse.ArgumentParser(
        prog=PROG, parents=[_common_options()], add_help=False, exit_on_error=False
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    return parser


def parse_arguments(arguments: Sequence[str]) -> argparse.Namespace:
    """The command line, parsed.

    A command line without a command is read by the TUI's options alone:
    building the parser of every subcommand takes longer than the parsing,
    and the TUI's first frame waits for it. Whatever those options do not
    take (a command, help, a mistake) goes to the full parser, which also
    words every error.
    """
    if not any(arg.startswith(("-h", "--h")) for arg in arguments):
        try:
            args, rest = _tui_parser().parse_known_args(arguments)
        except argparse.ArgumentError:
            pass  # the full parser says what is wrong
        else:
            if not rest:
                args.command = None
                return args
    return build_parser().parse_args(arguments)


def build_parser() -> argparse.ArgumentParser:
    """The parser of every option and subcommand."""
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Browse the garbage collection history of SWR Enterprise\n"
        "registries. Without a command, opens the terminal UI.",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, text: str, **kwargs: Any) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=text, description=text, **kwargs)

    tasks = command("tasks", "stream GC tasks to stdout", parents=[common])
    tasks.add_argument(
        "--status", type=_status, metavar="STATUS", help="only this status"
    )
    tasks.add_argument("--max", type=_positive, metavar="N", help="stop after N tasks")
    tasks.add_argument(
        "--format", choices=FORMATS, default="jsonl", help="default: jsonl"
    )
    instances = command("instances", "list the project's instances", parents=[common])
    instances.add_argument(
        "--format", choices=FORMATS, default="table", help="default: table"
    )
    config = command("config", "show or create the config file", parents=[common])
    config.add_argument("action", choices=("path", "show", "init"))
    config.add_argument("--force", action="store_true", help="init: overwrite")
    emulator = command("emulator", "serve the SWR emulator on loopback")
    emulator.add_argument("--host", default="127.0.0.1")
    emulator.add_argument("--port", type=int, default=0, help="0 picks a free port")
    emulator.add_argument("--tasks", type=_positive, default=None, metavar="N")
    emulator.add_argument("--seed", type=int, default=None)
    emulator.add_argument("--latency", type=float, default=0.0, metavar="MS")
    return parser


def _secret_option(argv: Sequence[str]) -> str | None:
    for arg in argv:
        name = arg.split("=", 1)[0]
        if name in _SECRET_OPTIONS:
            return name
    return None


def _prepare(args: argparse.Namespace) -> tuple[Settings, Credentials | None]:
    """Settings, log file and credentials; config warnings go to stderr
    here, except for the TUI, which shows them itself."""
    import logging

    from swrgc_tui.config import resolve_settings
    from swrgc_tui.credentials import load_credentials
    from swrgc_tui.logs import setup_logging

    settings = resolve_settings(args, os.environ)
    setup_logging(settings.debug)
    logging.getLogger(__name__).info(
        "%s %s: %s, profile %s",
        PROG,
        __version__,
        args.command or "tui",
        settings.profile,
    )
    for warning in settings.warnings if args.command else ():
        _say(f"warning: {warning}")
    if settings.demo:
        return settings, None
    token_file = getattr(args, "token_file", None)
    return settings, load_credentials(settings, os.environ, token_file=token_file)


def _run_headless(args: argparse.Namespace) -> int:
    import asyncio

    from swrgc_tui import headless
    from swrgc_tui.api.errors import ApiError, CredentialsError
    from swrgc_tui.connect import demo_session

    job = (
        headless.tasks_command
        if args.command == "tasks"
        else headless.instances_command
    )
    settings, credentials = _prepare(args)
    collector.resume()  # start-up is over: a listing may run for long
    if settings.demo:
        with demo_session(settings) as (demo, demo_credentials, _):
            return asyncio.run(job(args, demo, demo_credentials))
    if credentials is None:
        raise CredentialsError(
            "no credentials found: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, "
            "or SWRGC_AUTH_TOKEN, or pass --token-file PATH (see --help)"
        )
    try:
        return asyncio.run(job(args, settings, credentials))
    except ApiError as exc:
        if exc.status in (401, 403):
            exc.add_note(f"credentials used: {credentials.describe()}")
        raise


def _run_tui(args: argparse.Namespace) -> int:
    from swrgc_tui import connect
    from swrgc_tui.state import load_state

    settings, credentials = _prepare(args)
    state = load_state()
    # Before Textual: the page travels while the TUI's modules load.
    early = connect.ask_first_page_early(settings, credentials, state)
    from swrgc_tui.tui.app import run_tui

    if settings.demo:
        with connect.demo_session(settings) as (demo, demo_credentials, emulator):
            return run_tui(demo, demo_credentials, state, demo=emulator)
    return run_tui(settings, credentials, state, early_page=early)


def _say(text: str) -> None:
    sys.stderr.write(f"{PROG}: {text}\n")


def _dispatch(args: argparse.Namespace) -> int:
    command = getattr(args, "command", None)
    if command in _HEADLESS:
        return _run_headless(args)
    if command in ("config", "emulator"):
        collector.resume()  # the emulator serves until it is stopped
        from swrgc_tui import commands

        return commands.run(command, args)
    return _run_tui(args)


def _silence_stdout() -> None:
    # The reader went away (`| head`): point stdout at /dev/null so the final
    # flush at exit does not raise again and print a traceback.
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit status."""
    # httpx's package imports its own command-line tool, and with it rich,
    # pygments and click whenever they are installed: a tenth of the startup
    # time of `tasks`, for nothing. A None entry makes that import fail, which
    # httpx expects and handles.
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    collector.pause()
    try:
        return _main(argv)
    finally:
        collector.resume()


def _main(argv: Sequence[str] | None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    secret = _secret_option(arguments)
    if secret:
        _say(
            f"{secret} is not an option: secrets on a command line end up in shell "
            "history and process lists; use the environment or a file (see --help)"
        )
        return EXIT_USAGE
    args = parse_arguments(arguments)
    status = _run(args)
    if argv is None and getattr(args, "command", None) in _HEADLESS:
        _exit_now(status)
    return status


def _run(args: argparse.Namespace) -> int:
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - mapped to one line and a status
        return _report(exc)


def _exit_now(status: int) -> NoReturn:
    """Ends a finished listing without the interpreter's teardown.

    Freeing every module and object one by one takes a short listing's
    process about as long as fetching its first page, and nothing is left to
    save once the output is flushed and the log is closed.
    """
    import logging

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(status)


def _report(exc: Exception) -> int:
    """Prints a failure as one line (more for a list of choices); its status."""
    from swrgc_tui.api.errors import CredentialsError, SwrError
    from swrgc_tui.config import ConfigError
    from swrgc_tui.formatting import safe_text
    from swrgc_tui.headless import UsageError

    if isinstance(exc, ConfigError | CredentialsError | UsageError):
        status = EXIT_USAGE
    elif isinstance(exc, SwrError):
        status = EXIT_FAILED
    else:
        raise exc
    lines = str(exc).splitlines() or [type(exc).__name__]
    notes = getattr(exc, "__notes__", [])
    lines[0] = "; ".join([lines[0], *notes])
    # Messages carry server text: no escape sequence may reach the terminal.
    sys.stderr.write("".join(f"{PROG}: {safe_text(lines[0])}\n"))
    sys.stderr.writelines(f"{safe_text(line)}\n" for line in lines[1:])
    return status
