"""From settings and credentials to a ready client, or to the built-in demo.

The project id is taken, in this order, from the settings (option,
environment, profile), from the credentials file, and last from IAM, which
tells the id of the project named after the region, as the official SDK
asks it.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from swrgc_tui.credentials import Credentials

if TYPE_CHECKING:
    from swrgc_tui.api.client import SwrClient
    from swrgc_tui.api.early import EarlyPage
    from swrgc_tui.config import Settings
    from swrgc_tui.emulator import EmulatorServer
    from swrgc_tui.state import UiState

log = logging.getLogger(__name__)
DEMO_SOURCE = "the built-in demo emulator"


async def resolve_project_id(settings: Settings, credentials: Credentials) -> str:
    """The project id to put in every SWR path; may ask IAM for it."""
    if settings.project_id:
        return settings.project_id
    if credentials.project_id:
        return credentials.project_id
    from swrgc_tui.api.iam import find_project_id

    log.info("looking up the project id of %s from IAM", settings.region)
    return await find_project_id(
        settings.iam_endpoint,
        credentials.auth(None),
        settings.region,
    )


async def open_client(
    settings: Settings, credentials: Credentials
) -> tuple[SwrClient, str]:
    """A client for the settings' endpoint, and the project id it works in.

    The caller owns the client and closes it (``async with client:``).

    Raises:
        swrgc_tui.api.errors.SwrError: the IAM lookup of the project id failed.
    """
    from swrgc_tui.api.client import SwrClient

    project_id = await resolve_project_id(settings, credentials)
    auth = credentials.auth(project_id)
    log.info("using %s at %s, project %s", credentials, settings.endpoint, project_id)
    client = SwrClient(settings.endpoint, project_id, auth)
    return client, project_id


def demo_settings(settings: Settings, emulator: EmulatorServer) -> Settings:
    """The settings pointed at a running emulator.

    An instance given as an option is kept (``instances --demo`` lists the
    ids); a profile's instance belongs to a real cloud and is replaced by the
    emulator's main one.
    """
    keep_instance = settings.sources.get("instance") == "option"
    update: dict[str, Any] = {
        "region": emulator.region,
        "endpoint": emulator.endpoint,
        "iam_endpoint": emulator.endpoint,
        "project_id": emulator.project_id,
        "instance": settings.instance if keep_instance else emulator.main_instance_id,
        "auth_method": "aksk",
        "demo": True,
    }
    sources = dict(settings.sources)
    sources.update({key: "demo" for key in update})
    if keep_instance:
        sources["instance"] = "option"
    return dataclasses.replace(settings, **update, sources=sources)


def demo_credentials(emulator: EmulatorServer) -> Credentials:
    """The emulator's demo AK/SK."""
    return Credentials(
        kind="aksk",
        source=DEMO_SOURCE,
        ak=emulator.ak,
        sk=emulator.sk,
        project_id=emulator.project_id,
    )


@contextmanager
def demo_session(
    settings: Settings,
) -> Iterator[tuple[Settings, Credentials, EmulatorServer]]:
    """Starts the emulator on a free loopback port for as long as the block runs.

    Yields:
        The settings and credentials that reach it, and the emulator itself.
    """
    from swrgc_tui.emulator import EmulatorConfig, EmulatorServer

    with EmulatorServer(EmulatorConfig(), host="127.0.0.1", port=0) as emulator:
        log.info("demo emulator serving at %s", emulator.endpoint)
        yield demo_settings(settings, emulator), demo_credentials(emulator), emulator


def instance_to_open(settings: Settings, state: UiState) -> str | None:
    """The instance the TUI opens at start: the one asked for, else the one
    last open under the same profile; None shows the picker."""
    if settings.instance:
        return settings.instance
    return state.instance if state.profile == settings.profile else None


def ask_first_page_early(
    settings: Settings, credentials: Credentials | None, state: UiState
) -> EarlyPage | None:
    """Starts fetching the first page the TUI will show, if that is known
    without asking the server anything; None when it is not."""
    instance = instance_to_open(settings, state)
    project_id = settings.project_id or (credentials and credentials.project_id)
    if settings.demo or credentials is None or not instance or not project_id:
        return None
    from swrgc_tui.api.early import EarlyPage, PageRequest, can_ask_early

    request = PageRequest(
        endpoint=settings.endpoint,
        project_id=project_id,
        instance_id=instance,
        status=state.status_filter,
        limit=settings.page_size,
        ak=credentials.ak,
        sk=credentials.sk,
        security_token=credentials.security_token,
        token=credentials.token if credentials.kind == "token" else "",
    )
    return EarlyPage(request) if can_ask_early(request, os.environ) else None
