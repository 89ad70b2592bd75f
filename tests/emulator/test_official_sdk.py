"""The official Python SDK pointed at the emulator: signed calls it accepts."""

from __future__ import annotations

from typing import Any

import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.region.region import Region
from huaweicloudsdkswr.v2 import (
    ExecuteGcScheduleRequest,
    ExecuteScheduleObj,
    ExecuteScheduleRequestBody,
    GcParameters,
    ListGcTasksRequest,
    ListInstanceRequest,
    ScheduleObj,
    ShowGcScheduleRequest,
    ShowGcTaskRequest,
    StopGcTaskRequest,
    SwrClient,
    UpdateGcScheduleRequest,
    UpdateScheduleRequestBody,
)

from swrgc_tui.emulator import EmulatorServer

from .helpers import Api


def _client(emu: EmulatorServer, sk: str | None = None) -> Any:
    credentials = BasicCredentials(emu.ak, sk or emu.sk, emu.project_id)
    return (
        SwrClient.new_builder()
        .with_credentials(credentials)
        .with_endpoints([emu.endpoint])
        .build()
    )


def _all_tasks(client: Any, instance_id: str, status: str | None = None) -> list[Any]:
    tasks: list[Any] = []
    marker = None
    while True:
        request = ListGcTasksRequest(instance_id=instance_id, limit=100, status=status)
        request.marker = marker
        response = client.list_gc_tasks(request)
        tasks += response.tasks or []
        marker = response.page_info.next_marker if response.page_info else None
        if not marker:
            return tasks


def test_sdk_lists_instances(emulator_session: EmulatorServer) -> None:
    response = _client(emulator_session).list_instance(ListInstanceRequest(limit=100))

    assert response.total == 4
    assert {i.id for i in response.instances} == set(emulator_session.state.instances)


def test_sdk_walks_every_gc_page_and_shows_a_task(
    emulator_session: EmulatorServer, api: Api
) -> None:
    client = _client(emulator_session)
    instance = emulator_session.main_instance_id

    tasks = _all_tasks(client, instance)
    errors = _all_tasks(client, instance, status="Error")
    shown = client.show_gc_task(
        ShowGcTaskRequest(instance_id=instance, gc_id=tasks[5].id)
    )

    assert [t.id for t in tasks] == [t["id"] for t in api.walk()]
    assert errors and {t.job_status for t in errors} == {"Error"}
    assert (shown.id, shown.job_status) == (tasks[5].id, tasks[5].job_status)
    assert shown.job_parameters.workers == tasks[5].job_parameters.workers


def test_sdk_signed_bodies_execute_stop_and_schedule(emulator: EmulatorServer) -> None:
    client = _client(emulator)
    instance = emulator.main_instance_id
    parameters = GcParameters(delete_untagged=True, workers=2, dry_run=True)

    started = client.execute_gc_schedule(
        ExecuteGcScheduleRequest(
            instance_id=instance,
            body=ExecuteScheduleRequestBody(
                schedule=ExecuteScheduleObj(type="Manual"), parameters=parameters
            ),
        )
    )
    client.stop_gc_task(StopGcTaskRequest(instance_id=instance, gc_id=started.id))
    client.update_gc_schedule(
        UpdateGcScheduleRequest(
            instance_id=instance,
            body=UpdateScheduleRequestBody(
                schedule=ScheduleObj(type="Custom", cron="0 0 1 * * *"),
                parameters=parameters,
            ),
        )
    )
    schedule = client.show_gc_schedule(ShowGcScheduleRequest(instance_id=instance))
    stopped = client.show_gc_task(
        ShowGcTaskRequest(instance_id=instance, gc_id=started.id)
    )

    assert stopped.job_status == "Stopped"
    assert stopped.job_parameters.dry_run is True
    assert (schedule.schedule.type, schedule.schedule.cron) == ("Custom", "0 0 1 * * *")
    assert schedule.parameters.workers == 2


def test_sdk_with_a_wrong_secret_key_is_refused(
    emulator_session: EmulatorServer,
) -> None:
    client = _client(emulator_session, sk="x" * 40)

    with pytest.raises(ClientRequestException) as caught:
        client.list_instance(ListInstanceRequest())

    assert caught.value.status_code == 401
    assert caught.value.error_code == "APIGW.0301"
    assert caught.value.error_msg.endswith("verify aksk signature fail")
    assert len(caught.value.request_id) == 32


def test_sdk_finds_the_project_id_through_iam(emulator_session: EmulatorServer) -> None:
    emu = emulator_session
    credentials = BasicCredentials(emu.ak, emu.sk).with_iam_endpoint(emu.endpoint)
    client = (
        SwrClient.new_builder()
        .with_credentials(credentials)
        .with_region(Region(emu.region, emu.endpoint))
        .build()
    )

    response = client.list_instance(ListInstanceRequest())

    assert credentials.project_id == emu.project_id
    assert response.total == 4
