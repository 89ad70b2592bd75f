"""The SWR Enterprise API: models, auth, the async client and paging.

No Textual here; everything is plain asyncio and httpx. The names below are
loaded on first use, so importing ``swrgc_tui.api.errors`` or ``.models``
alone stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from swrgc_tui.api.auth import AkSkAuth, TokenAuth
    from swrgc_tui.api.client import RetryPolicy, SwrClient, Timeouts
    from swrgc_tui.api.paging import RawTaskPager, TaskPager

_HOMES = {
    "AkSkAuth": "auth",
    "TokenAuth": "auth",
    "RetryPolicy": "client",
    "SwrClient": "client",
    "Timeouts": "client",
    "RawTaskPager": "paging",
    "TaskPager": "paging",
}

__all__ = [
    "AkSkAuth",
    "RawTaskPager",
    "RetryPolicy",
    "SwrClient",
    "TaskPager",
    "Timeouts",
    "TokenAuth",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
