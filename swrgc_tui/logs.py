"""Logging to a rotating file, with credentials scrubbed from every record.

The log never goes to the terminal: the TUI owns the screen and the headless
commands own stdout and stderr. Two kinds of scrubbing apply to each record,
its traceback included:

- values that follow a credential-bearing name (``Authorization``,
  ``X-Auth-Token``, ``X-Subject-Token``, ``X-Security-Token``, ``sk=``,
  ``password``, ...), in header, ``key=value``, dict and JSON spellings;
- every secret string registered at runtime with :func:`register_secret`,
  wherever it shows up.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path

from swrgc_tui import paths

MASK = "***"
MAX_BYTES = 1024 * 1024
BACKUPS = 3
_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
_NAMES = (
    r"authorization|x-auth-token|x-subject-token|x-security-token|"
    r"security[_-]?token|secret[_-]?key|access[_-]?key[_-]?secret|sk|"
    r"password|passwd|token"
)
# A name, an optional closing quote, then ':' or '=': what follows is a secret.
# A quoted value ends at its closing quote; a bare one runs to the end of the
# line, since an Authorization value holds spaces and commas.
_NAMED_VALUE = re.compile(
    rf"(?i)(?<![\w-])({_NAMES})([\"']?\s*[:=]\s*)(?:([\"'])(.*?)\3|([^\s\"',;}}\]][^\r\n]*))"
)
_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_handler: logging.Handler | None = None


def register_secret(value: str | None) -> None:
    """Makes sure ``value`` never reaches the log, whatever context it is in."""
    if value and value.strip():
        with _secrets_lock:
            _secrets.add(value.strip())


def _mask_named(match: re.Match[str]) -> str:
    if match.group(3):
        return f"{match.group(1)}{match.group(2)}{match.group(3)}{MASK}{match.group(3)}"
    return f"{match.group(1)}{match.group(2)}{MASK}"


def redact(text: str) -> str:
    """``text`` with registered secrets and credential values replaced by ***."""
    with _secrets_lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    return _NAMED_VALUE.sub(_mask_named, text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message and traceback with :func:`redact`."""

    _tracebacks = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._tracebacks.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def setup_logging(debug: bool, path: Path | None = None) -> Path:
    """Sends every logger to a rotating file (1 MiB x 3) and nowhere else.

    Args:
        debug: log at DEBUG, httpx and httpcore included; otherwise INFO, with
            the HTTP libraries at WARNING.
        path: the log file; by default the user log dir's ``swrgc-tui.log``.

    Returns:
        The path of the log file.
    """
    global _handler
    target = path or paths.log_file()
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handler = RotatingFileHandler(
        target, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    if os.name == "posix":
        # Scrubbed or not, what an operator looked at is nobody else's business.
        target.chmod(0o600)
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    root.addHandler(handler)
    _handler = handler
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if debug else logging.WARNING)
    logging.captureWarnings(True)
    return target


def stop_logging() -> None:
    """Detaches and closes the log file that :func:`setup_logging` opened."""
    global _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None
