"""Every route's success and error shapes, over TCP."""

from __future__ import annotations

import re

import httpx

from swrgc_tui.api.models import InstanceList
from swrgc_tui.api.tasks import GcTask
from swrgc_tui.emulator import EmulatorServer

from .helpers import Api, error_of

HEX_ID = re.compile(r"^[0-9a-f]{32}$")


def test_list_instances_shows_every_state(api: Api) -> None:
    answer = api.http.get(api.instances_path())

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert HEX_ID.match(answer.headers["x-request-id"])
    listing = InstanceList.model_validate(answer.json())
    assert listing.total == 4
    by_id = {instance.id: instance for instance in listing.instances}
    assert by_id[api.emu.main_instance_id].status == "Running"
    assert by_id[api.emu.small_instance_id].status == "Running"
    assert by_id[api.emu.unavailable_instance_id].status == "Unavailable"
    assert by_id[api.emu.creating_instance_id].status == "Creating"
    assert all(i.project_id == api.emu.project_id for i in listing.instances)
    assert all(i.access_address.startswith("https://") for i in listing.instances)


def test_list_instances_pages_by_offset_and_filters_by_status(api: Api) -> None:
    first = api.http.get(api.instances_path(), params={"limit": 3}).json()
    rest = api.http.get(api.instances_path(), params={"offset": 3, "limit": 3}).json()
    running = api.http.get(api.instances_path(), params={"status": "Running"}).json()

    assert (len(first["instances"]), first["total"]) == (3, 4)
    assert (len(rest["instances"]), rest["total"]) == (1, 4)
    assert {i["id"] for i in first["instances"] + rest["instances"]} == set(
        api.emu.state.instances
    )
    assert running["total"] == 2
    assert {i["status"] for i in running["instances"]} == {"Running"}


def test_list_instances_rejects_bad_paging_and_status(api: Api) -> None:
    for query in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"status": "Gone"}):
        answer = api.http.get(api.instances_path(), params=query)
        assert error_of(answer) == (400, "SVCSTG.SWR.4000014"), query


def test_show_instance_and_unknown_instance(api: Api) -> None:
    found = api.http.get(api.instances_path(f"/{api.emu.small_instance_id}"))
    missing = api.http.get(api.instances_path("/no-such-instance"))

    assert found.status_code == 200
    assert found.json()["name"] == "swr-staging"
    assert error_of(missing) == (404, "SVCSTG.SWR.4040301")
    assert "no-such-instance" in missing.json()["error_msg"]


def test_list_gc_tasks_default_page_is_ten_newest_first(api: Api) -> None:
    answer = api.list_tasks()

    body = answer.json()
    tasks = [GcTask.from_wire(task) for task in body["tasks"]]
    ids = [task.id for task in tasks]
    assert len(ids) == 10
    assert ids == sorted(ids, reverse=True)
    assert body["page_info"]["next_marker"]
    assert {t.job_kind for t in tasks} <= {"MANUAL", "SCHEDULE"}


def test_list_gc_tasks_rejects_bad_limit_status_and_marker(api: Api) -> None:
    cases = [
        {"limit": 0},
        {"limit": 101},
        {"limit": "ten"},
        {"status": "Done"},
        {"marker": "not a marker!"},
        {"marker": "eyJub3QiOiJhbiBpZCJ9"},  # base64 JSON without an id
    ]
    for query in cases:
        answer = api.list_tasks(**query)
        assert error_of(answer) == (400, "SVCSTG.SWR.4000014"), query
        assert answer.json()["errors"][0]["errorCode"] == "SVCSTG.SWR.4000014"


def test_marker_of_one_filter_is_refused_by_another(api: Api) -> None:
    marker = api.list_tasks(status="Success", limit=5).json()["page_info"][
        "next_marker"
    ]

    answer = api.list_tasks(status="Error", marker=marker)

    assert error_of(answer) == (400, "SVCSTG.SWR.4000014")
    assert "status filter" in answer.json()["error_msg"]


def test_gc_calls_on_unknown_and_stopped_instances(api: Api) -> None:
    unknown = api.list_tasks("5d6e1c5e-0000-4000-8000-000000000000")
    unavailable = api.list_tasks(api.emu.unavailable_instance_id)
    creating = api.http.get(api.gc_path(api.emu.creating_instance_id, "/schedule"))

    assert error_of(unknown) == (404, "SVCSTG.SWR.4040301")
    assert error_of(unavailable) == (409, "SVCSTG.SWR.4090311")
    assert "Unavailable" in unavailable.json()["error_msg"]
    assert error_of(creating) == (409, "SVCSTG.SWR.4090311")


def test_show_gc_task_found_missing_and_malformed(api: Api) -> None:
    newest = api.list_tasks(limit=1).json()["tasks"][0]

    shown = GcTask.from_wire(api.task(newest["id"]))
    missing = api.show(1)
    malformed = api.show("abc")  # type: ignore[arg-type]

    assert shown.id == newest["id"]
    assert shown.job_status == newest["job_status"]
    assert error_of(missing) == (404, "SVCSTG.SWR.4040302")
    assert error_of(malformed) == (400, "SVCSTG.SWR.4000014")


def test_show_schedule_has_cron_next_time_and_parameters(api: Api) -> None:
    body = api.http.get(api.gc_path(suffix="/schedule")).json()

    assert body["schedule"]["type"] == "Custom"
    assert len(body["schedule"]["cron"].split()) == 6
    assert re.match(
        r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", body["schedule"]["next_scheduled_time"]
    )
    assert body["parameters"] == {
        "delete_untagged": True,
        "workers": 3,
        "dry_run": False,
    }


def test_unknown_path_and_method_answer_like_the_gateway(api: Api) -> None:
    for answer in (
        api.http.get("/v2/nothing/here"),
        api.http.delete(api.gc_path(suffix="/schedule")),
        api.http.get(api.instances_path("/")),
    ):
        assert error_of(answer) == (404, "APIGW.0101")
        assert HEX_ID.match(answer.json()["request_id"])


def test_request_ids_are_fresh_for_every_answer(api: Api) -> None:
    ids = {api.list_tasks(limit=1).headers["x-request-id"] for _ in range(5)}
    ids |= {api.list_tasks(limit=0).headers["x-request-id"] for _ in range(5)}

    assert len(ids) == 10


def _login_body(
    emu: EmulatorServer,
    scope: dict[str, object] | None = None,
    password: str | None = None,
) -> dict[str, object]:
    user = {
        "name": emu.iam_user,
        "password": password or emu.iam_password,
        "domain": {"name": emu.iam_domain},
    }
    identity = {"methods": ["password"], "password": {"user": user}}
    return {"auth": {"identity": identity, "scope": scope or {}}}


def _login(
    emu: EmulatorServer,
    scope: dict[str, object] | None = None,
    password: str | None = None,
) -> httpx.Response:
    body = _login_body(emu, scope, password)
    return httpx.post(f"{emu.endpoint}/v3/auth/tokens", json=body)


def test_iam_password_login_issues_a_working_token(api: Api) -> None:
    emu = api.emu

    answer = _login(emu, scope={"project": {"name": emu.region}})
    token = answer.headers["x-subject-token"]
    listed = httpx.get(
        f"{emu.endpoint}{api.instances_path()}", headers={"X-Auth-Token": token}
    )

    assert answer.status_code == 201
    assert answer.json()["token"]["project"] == {
        "id": emu.project_id,
        "name": emu.region,
        "domain": {"id": emu.state.account.domain_id, "name": emu.iam_domain},
    }
    assert answer.json()["token"]["expires_at"].endswith("Z")
    assert listed.status_code == 200


def test_iam_refuses_a_wrong_password_and_a_malformed_body(api: Api) -> None:
    emu = api.emu

    refused = _login(emu, password="guess")
    malformed = httpx.post(f"{emu.endpoint}/v3/auth/tokens", content=b"{")

    assert refused.status_code == 401
    assert "x-subject-token" not in refused.headers
    assert refused.json()["error"] == {
        "code": 401,
        "title": "Unauthorized",
        "message": "The username or password is wrong.",
    }
    assert malformed.status_code == 400
    assert "guess" not in refused.text


def test_iam_scope_decides_where_the_token_may_act(api: Api) -> None:
    emu = api.emu

    by_id = _login(emu, scope={"project": {"id": emu.project_id}})
    elsewhere = _login(emu, scope={"project": {"name": "eu-west-0"}})
    account = _login(emu, scope={"domain": {"name": emu.iam_domain}})
    listed = httpx.get(
        f"{emu.endpoint}{api.instances_path()}",
        headers={"X-Auth-Token": account.headers["x-subject-token"]},
    )

    assert by_id.status_code == 201
    assert by_id.json()["token"]["project"]["id"] == emu.project_id
    assert elsewhere.status_code == 400
    assert account.status_code == 201
    assert "project" not in account.json()["token"]
    assert error_of(listed) == (403, "APIGW.0302")


def test_iam_projects_by_region_name(api: Api) -> None:
    own = api.http.get("/v3/projects", params={"name": api.emu.region}).json()
    other = api.http.get("/v3/projects", params={"name": "ap-southeast-1"}).json()
    anonymous = httpx.get(f"{api.emu.endpoint}/v3/projects")

    assert [p["id"] for p in own["projects"]] == [api.emu.project_id]
    assert own["projects"][0]["name"] == api.emu.region
    assert other["projects"] == []
    assert error_of(anonymous) == (401, "APIGW.0301")
