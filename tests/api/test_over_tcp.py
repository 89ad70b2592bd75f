"""The client against the emulator over real TCP, with both ways to sign in."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

import httpx
import pytest

from swrgc_tui.api.auth import AkSkAuth, TokenAuth
from swrgc_tui.api.client import RetryPolicy, SwrClient
from swrgc_tui.api.errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    ServerError,
)
from swrgc_tui.api.iam import find_project_id, get_token
from swrgc_tui.api.models import GcParameters
from swrgc_tui.api.paging import RawTaskPager, TaskPager
from swrgc_tui.api.tasks import KNOWN_STATUSES

from .fakes import FakeSleep

if TYPE_CHECKING:
    from swrgc_tui.emulator import EmulatorServer

AuthFor = Callable[["EmulatorServer"], httpx.Auth]
AUTHS: dict[str, AuthFor] = {
    "aksk": lambda emu: AkSkAuth(emu.ak, emu.sk, project_id=emu.project_id),
    "token": lambda emu: TokenAuth(emu.issue_token()),
}


def connect(emu: EmulatorServer, auth: httpx.Auth, **options: object) -> SwrClient:
    return SwrClient(emu.endpoint, emu.project_id, auth, **options)  # type: ignore[arg-type]


@pytest.fixture(params=sorted(AUTHS))
async def reader(
    request: pytest.FixtureRequest, emulator_session: EmulatorServer
) -> AsyncIterator[SwrClient]:
    """A client of the shared emulator, signing in each of the two ways."""
    async with connect(emulator_session, AUTHS[request.param](emulator_session)) as c:
        yield c


async def test_instances_are_listed_and_shown(
    reader: SwrClient, emulator_session: EmulatorServer
) -> None:
    instances = await reader.list_instances()
    main = await reader.show_instance(emulator_session.main_instance_id)

    by_id = {i.id: i for i in instances}
    assert by_id[emulator_session.main_instance_id].status == "Running"
    assert by_id[emulator_session.unavailable_instance_id].status == "Unavailable"
    assert (main.id, main.name) == (
        emulator_session.main_instance_id,
        by_id[main.id].name,
    )
    running = await reader.list_instances(status="Running")
    assert {i.status for i in running} == {"Running"}


async def test_a_page_of_history_is_newest_first_and_shows_alike(
    reader: SwrClient, emulator_session: EmulatorServer
) -> None:
    page = await reader.list_gc_tasks(emulator_session.main_instance_id, limit=50)
    first = await reader.show_gc_task(
        emulator_session.main_instance_id, page.tasks[0].id
    )

    assert len(page.tasks) == 50
    assert page.next_marker
    times = [t.creation_time for t in page.tasks if t.creation_time]
    assert times == sorted(times, reverse=True)
    assert (first.id, first.job_name, first.creation_time) == (
        page.tasks[0].id,
        page.tasks[0].job_name,
        page.tasks[0].creation_time,
    )


async def test_the_whole_history_pages_through_without_duplicates(
    reader: SwrClient, emulator_session: EmulatorServer
) -> None:
    pager = TaskPager(reader, emulator_session.main_instance_id, read_ahead=True)

    ids = [t.id async for page in pager for t in page]

    assert len(ids) == len(set(ids)) >= 400
    assert pager.exhausted
    assert pager.pages_loaded == -(-len(ids) // 100)


async def test_a_status_filter_is_applied_by_the_server(
    reader: SwrClient, emulator_session: EmulatorServer
) -> None:
    instance = emulator_session.main_instance_id
    every = [t async for p in TaskPager(reader, instance) for t in p]
    errors = [t async for p in TaskPager(reader, instance, status="Error") for t in p]

    assert errors
    assert {t.job_status for t in errors} == {"Error"}
    assert [t.id for t in errors] == [t.id for t in every if t.job_status == "Error"]
    assert {t.job_status for t in every} <= set(KNOWN_STATUSES)


async def test_the_raw_listing_holds_the_same_tasks(
    reader: SwrClient, emulator_session: EmulatorServer
) -> None:
    instance = emulator_session.main_instance_id
    models = [t.id async for p in TaskPager(reader, instance, page_size=100) for t in p]
    raw = [t["id"] async for p in RawTaskPager(reader, instance) for t in p]

    assert raw == models


async def test_the_schedule_is_shown(
    reader: SwrClient, emulator_session: EmulatorServer
) -> None:
    shown = await reader.show_gc_schedule(emulator_session.main_instance_id)

    assert shown.schedule.type in ("None", "Custom")
    assert shown.parameters.workers is not None


@pytest.mark.parametrize("how", sorted(AUTHS))
async def test_changes_are_made_with_either_sign_in(
    how: str, emulator: EmulatorServer
) -> None:
    instance = emulator.main_instance_id
    async with connect(emulator, AUTHS[how](emulator)) as client:
        new_id = await client.execute_gc(
            instance, GcParameters(delete_untagged=True, workers=5, dry_run=True)
        )
        started = await client.show_gc_task(instance, new_id)
        await client.update_gc_schedule(
            instance,
            schedule_type="Custom",
            cron="0 30 2 * * *",
            parameters=GcParameters(workers=4),
        )
        schedule = await client.show_gc_schedule(instance)
        running = await client.list_gc_tasks(instance, status="Running")
        await client.stop_gc_task(instance, running.tasks[0].id)
        stopped = await client.show_gc_task(instance, running.tasks[0].id)

    assert started.job_kind == "MANUAL"
    assert started.job_status in ("Pending", "Running")
    assert stopped.job_status == "Stopped"
    assert started.job_parameters is not None
    assert (started.job_parameters.workers, started.job_parameters.dry_run) == (5, True)
    assert (schedule.schedule.type, schedule.schedule.cron) == (
        "Custom",
        "0 30 2 * * *",
    )
    assert schedule.parameters.workers == 4


async def test_a_wrong_secret_key_is_refused_by_the_gateway(
    emulator_session: EmulatorServer,
) -> None:
    auth = AkSkAuth(emulator_session.ak, emulator_session.sk + "x")
    async with connect(emulator_session, auth) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.list_instances()

    assert caught.value.error_code == "APIGW.0301"
    assert "verify aksk signature fail" in caught.value.error_msg
    assert len(caught.value.request_id) >= 8
    assert emulator_session.sk not in str(caught.value)


async def test_a_revoked_token_asks_for_a_new_login(emulator: EmulatorServer) -> None:
    async with connect(emulator, TokenAuth(emulator.issue_token())) as client:
        await client.list_instances()
        emulator.revoke_tokens()
        with pytest.raises(AuthenticationError) as caught:
            await client.list_instances()
        client.auth = TokenAuth(emulator.issue_token())
        assert await client.list_instances()

    assert caught.value.status == 401


async def test_an_expired_token_is_recognised(emulator: EmulatorServer) -> None:
    token = emulator.issue_token(ttl_seconds=60)
    emulator.clock.advance(120)
    async with connect(emulator, TokenAuth(token)) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.list_instances()

    assert caught.value.token_expired


async def test_bad_requests_carry_the_services_codes(
    emulator_session: EmulatorServer,
) -> None:
    auth = AUTHS["aksk"](emulator_session)
    async with connect(emulator_session, auth) as client:
        with pytest.raises(BadRequestError) as bad_status:
            await client.list_gc_tasks(emulator_session.main_instance_id, status="Done")
        with pytest.raises(NotFoundError) as no_instance:
            await client.list_gc_tasks("no-such-instance")
        with pytest.raises(NotFoundError) as no_task:
            await client.show_gc_task(emulator_session.main_instance_id, 987654321)

    assert bad_status.value.error_code == "SVCSTG.SWR.4000014"
    assert no_instance.value.error_code.startswith("SVCSTG.SWR.404")
    assert no_task.value.error_code.startswith("SVCSTG.SWR.404")
    assert all(e.value.request_id for e in (bad_status, no_instance, no_task))


async def test_gc_of_an_unavailable_instance_is_explained(
    emulator_session: EmulatorServer,
) -> None:
    auth = AUTHS["aksk"](emulator_session)
    async with connect(emulator_session, auth) as client:
        with pytest.raises(ApiError) as caught:
            await client.list_gc_tasks(emulator_session.unavailable_instance_id)

    assert (caught.value.status, caught.value.error_code) == (409, "SVCSTG.SWR.4090311")
    assert "Unavailable, not Running" in caught.value.error_msg


async def test_throttling_and_server_errors_are_ridden_out(
    emulator: EmulatorServer,
) -> None:
    emulator.faults.fail_next = [429, 500, 503]
    sleep = FakeSleep()
    auth = AUTHS["aksk"](emulator)
    async with connect(emulator, auth, sleep=sleep) as client:
        page = await client.list_gc_tasks(emulator.main_instance_id)

    assert len(page.tasks) == 100
    assert sleep.delays[0] == 1.0  # the gateway's Retry-After
    assert len(sleep.delays) == 3


async def test_failures_past_the_last_attempt_are_reported(
    emulator: EmulatorServer,
) -> None:
    emulator.faults.fail_next = ["html", "html"]
    emulator_retry = RetryPolicy(attempts=2)
    async with connect(
        emulator, AUTHS["aksk"](emulator), retry=emulator_retry, sleep=FakeSleep()
    ) as client:
        with pytest.raises(ServerError) as caught:
            await client.list_gc_tasks(emulator.main_instance_id)
        emulator.faults.fail_next = [403]
        with pytest.raises(PermissionDeniedError) as denied:
            await client.list_gc_tasks(emulator.main_instance_id)

    assert caught.value.excerpt.startswith("502 Bad Gateway")
    assert denied.value.encoded_authorization_message


async def test_iam_login_gives_a_token_the_service_accepts(
    emulator_session: EmulatorServer,
) -> None:
    issued = await get_token(
        emulator_session.endpoint,
        user=emulator_session.iam_user,
        password=emulator_session.iam_password,
        domain=emulator_session.iam_domain,
        region=emulator_session.region,
    )
    async with connect(emulator_session, TokenAuth(issued.token)) as client:
        instances = await client.list_instances()

    assert issued.project_id == emulator_session.project_id
    assert issued.expires_at is not None
    assert instances


async def test_iam_refuses_a_wrong_password(emulator_session: EmulatorServer) -> None:
    with pytest.raises(AuthenticationError) as caught:
        await get_token(
            emulator_session.endpoint,
            user=emulator_session.iam_user,
            password="not-the-password",
            domain=emulator_session.iam_domain,
            region=emulator_session.region,
        )

    assert caught.value.request_id
    assert "not-the-password" not in str(caught.value)


async def test_the_project_id_is_found_from_the_region(
    emulator_session: EmulatorServer,
) -> None:
    auth = AkSkAuth(emulator_session.ak, emulator_session.sk)

    found = await find_project_id(
        emulator_session.endpoint, auth, emulator_session.region
    )

    assert found == emulator_session.project_id
