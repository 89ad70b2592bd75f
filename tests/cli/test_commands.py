"""``swrgc-tui tasks`` and ``instances`` run in-process against the emulator."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from swrgc_tui import paths
from swrgc_tui.api.errors import ApiError
from swrgc_tui.cli import ENVIRONMENT, _report, build_parser, main, parse_arguments

if TYPE_CHECKING:
    from swrgc_tui.emulator import EmulatorServer

ERROR_LINE = re.compile(
    r"^swrgc-tui: (?P<code>[A-Z0-9.]+): (?P<msg>.+) "
    r"\(HTTP (?P<status>\d{3}), request id (?P<rid>[0-9a-f-]{8,})\)(?P<rest>.*)\n$"
)


@pytest.fixture
def cloud(
    emulator_session: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> EmulatorServer:
    """The environment of an operator whose AK/SK reach the emulator."""
    return reach(emulator_session, monkeypatch)


def reach(emu: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> EmulatorServer:
    monkeypatch.setenv("SWRGC_ENDPOINT", emu.endpoint)
    monkeypatch.setenv("SWRGC_IAM_ENDPOINT", emu.endpoint)
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", emu.ak)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", emu.sk)
    return emu


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def ids_of_jsonl(text: str) -> list[int]:
    return [json.loads(line)["id"] for line in text.splitlines()]


def test_tasks_streams_the_whole_history_once_newest_first(
    make_emulator: Callable[..., EmulatorServer],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A frozen clock: no scheduled run may join the history mid-test.
    emu = reach(make_emulator(tasks=250, clock_speed=0), monkeypatch)

    status, out, err = run(capsys, "tasks", "--instance", emu.main_instance_id)

    ids = ids_of_jsonl(out)
    assert (status, err) == (0, "")
    assert len(ids) == 250
    assert ids == sorted(set(ids), reverse=True)
    first = json.loads(out.splitlines()[0])
    assert isinstance(first["job_parameters"], dict)
    assert set(first) >= {"job_name", "job_kind", "job_status", "creation_time"}


def test_project_id_is_looked_up_from_iam_once(
    cloud: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    before = len(cloud.request_log)

    run(capsys, "tasks", "--instance", cloud.main_instance_id, "--max", "1")

    paths = [path for _, path, _ in cloud.request_log[before:]]
    assert paths[0] == "/v3/projects"
    assert (
        paths[1]
        == f"/v2/{cloud.project_id}/instances/{cloud.main_instance_id}/system/gc"
    )


def test_max_and_page_size_shape_the_requests(
    cloud: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    before = len(cloud.request_log)

    status, out, _ = run(
        capsys,
        *(
            "tasks",
            "--instance",
            cloud.main_instance_id,
            "--project-id",
            cloud.project_id,
        ),
        *("--max", "25", "--page-size", "10"),
    )

    assert status == 0
    assert len(ids_of_jsonl(out)) == 25
    limits = [query.get("limit") for _, _, query in cloud.request_log[before:]]
    assert limits == ["10", "10", "5"]


def test_status_filter_is_sent_to_the_server(
    cloud: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(
        capsys, "tasks", "--instance", cloud.main_instance_id, "--status", "error"
    )

    statuses = {json.loads(line)["job_status"] for line in out.splitlines()}
    assert status == 0
    assert statuses == {"Error"}
    assert cloud.request_log[-1][2].get("status") == "Error"


def test_every_format_holds_the_same_tasks(
    make_emulator: Callable[..., EmulatorServer],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    emu = reach(make_emulator(tasks=60, clock_speed=0), monkeypatch)
    base = ("tasks", "--instance", emu.main_instance_id, "--max", "30")
    outputs = {
        fmt: run(capsys, *base, "--format", fmt)[1]
        for fmt in ("jsonl", "json", "csv", "table")
    }

    expected = ids_of_jsonl(outputs["jsonl"])
    assert [task["id"] for task in json.loads(outputs["json"])] == expected
    rows = list(csv.DictReader(io.StringIO(outputs["csv"])))
    assert [int(row["id"]) for row in rows] == expected
    table = outputs["table"].splitlines()
    assert table[0].split()[:4] == ["ID", "NAME", "KIND", "STATUS"]
    assert [int(line.split()[0]) for line in table[1:]] == expected
    assert re.search(r"\d+(\.\d)? (B|KiB|MiB|GiB|TiB)", outputs["table"])


def test_several_instances_and_no_choice_lists_them(
    cloud: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "tasks", "--max", "1")

    assert status == 2
    assert out == ""
    assert "choose one with --instance ID" in err
    for instance_id in (cloud.main_instance_id, cloud.small_instance_id):
        assert instance_id in err


def test_profile_default_instance_is_used(
    cloud: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    paths.config_dir().mkdir(parents=True)
    paths.config_file().write_text(
        f'[profiles.default]\ninstance = "{cloud.small_instance_id}"\n'
    )

    status, out, _ = run(capsys, "tasks", "--max", "3")

    assert status == 0
    assert len(ids_of_jsonl(out)) == 3
    assert cloud.small_instance_id in cloud.request_log[-1][1]


def test_instances_in_table_and_jsonl(
    cloud: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    status, table, _ = run(capsys, "instances")
    _, jsonl, _ = run(capsys, "instances", "--format", "jsonl")

    listed = [json.loads(line) for line in jsonl.splitlines()]
    assert status == 0
    assert {item["id"] for item in listed} >= {
        cloud.main_instance_id,
        cloud.small_instance_id,
        cloud.unavailable_instance_id,
    }
    assert table.splitlines()[0].split()[:3] == ["ID", "NAME", "STATUS"]
    assert len(table.splitlines()) == len(listed) + 1
    assert "Unavailable" in table


def test_unknown_instance_is_one_line_with_code_and_request_id(
    cloud: EmulatorServer, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "tasks", "--instance", "no-such-instance")

    match = ERROR_LINE.match(err)
    assert status == 1
    assert out == ""
    assert match, err
    assert match["status"] == "404"
    assert match["code"].startswith("SVCSTG.SWR.404")


def test_wrong_sk_names_the_credentials_but_not_the_secret(
    cloud: EmulatorServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", "not-the-right-secret-key")

    status, _, err = run(
        capsys,
        "tasks",
        "--instance",
        cloud.main_instance_id,
        "--project-id",
        cloud.project_id,
    )

    match = ERROR_LINE.match(err)
    assert status == 1
    assert match, err
    assert (match["code"], match["status"]) == ("APIGW.0301", "401")
    assert "verify aksk signature fail" in match["msg"]
    assert "credentials used: AK/SK (AK " in match["rest"]
    assert "environment HUAWEICLOUD_SDK_AK/SK" in match["rest"]
    assert "not-the-right-secret-key" not in err


def test_no_credentials_is_a_clear_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "tasks", "--instance", "x")

    assert status == 2
    assert err.startswith("swrgc-tui: no credentials found: set HUAWEICLOUD_SDK_AK")
    assert err.count("\n") == 1


def test_config_problems_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, _, err = run(capsys, "instances", "--profile", "nowhere")

    assert status == 2
    assert err.startswith("swrgc-tui: no profile 'nowhere'")
    assert err.count("\n") == 1


def test_demo_needs_no_setup(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "tasks", "--demo", "--format", "table", "--max", "5")

    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split()[0] == "ID"
    assert len(lines) == 6


def test_help_lists_every_option_and_environment_variable(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    out = capsys.readouterr().out

    assert exited.value.code == 0
    for option in ("--demo", "--profile", "--region", "--endpoint", "--iam-endpoint",
                   "--project-id", "--instance", "--token-file", "--page-size",
                   "--refresh", "--theme", "--debug", "--version"):  # fmt: skip
        assert option in out
    documented = {name for names, _ in ENVIRONMENT for name in names.split(", ")}
    for variable in (
        "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN",
        "HUAWEICLOUD_SDK_PROJECT_ID", "HUAWEICLOUD_SDK_IAM_ENDPOINT", "CLOUD_SDK_AK",
        "CLOUD_SDK_SK", "SWRGC_AUTH_TOKEN", "SWRGC_PROFILE", "SWRGC_ENDPOINT",
        "SWRGC_REGION", "NO_COLOR", "TZ",
    ):  # fmt: skip
        assert variable in documented
    for variable in documented:
        assert variable in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])

    assert re.fullmatch(r"swrgc-tui \d+\.\d+\.\d+\n", capsys.readouterr().out)


@pytest.mark.parametrize(
    "argv", [["--sk", "s3cr3t-value"], ["tasks", "--password=s3cr3t-value"]]
)
def test_secrets_are_never_options(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(capsys, *argv)

    assert status == 2
    assert "is not an option" in err
    assert "s3cr3t-value" not in err


def test_server_text_in_errors_cannot_reach_the_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    error = ApiError(
        500, error_code="X.1", error_msg="boom\x1b[2J\x1b]0;t\x07", request_id="r1"
    )

    assert _report(error) == 1

    err = capsys.readouterr().err
    assert err == "swrgc-tui: X.1: boom (HTTP 500, request id r1)\n"


@pytest.mark.parametrize(
    "arguments",
    [
        [],
        ["--demo"],
        ["--endpoint", "https://swr.example.com", "--instance", "i-1"],
        ["--page-size", "50", "--refresh=0", "--theme", "nord", "--debug"],
        ["--inst", "i-2", "--token-file", "token.txt"],  # an abbreviation
    ],
)
def test_the_tui_options_alone_read_as_the_full_parser_reads_them(
    arguments: list[str],
) -> None:
    assert parse_arguments(arguments) == build_parser().parse_args(arguments)
    assert parse_arguments(arguments).command is None


def test_a_command_line_with_a_command_goes_to_the_full_parser() -> None:
    args = parse_arguments(["--demo", "tasks", "--max", "3", "--status", "error"])
    assert (args.command, args.max, args.status) == ("tasks", 3, "Error")
    assert args.demo


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["--page-size", "many"], "argument --page-size: invalid int value: 'many'"),
        (["--instance"], "argument --instance: expected one argument"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_mistakes_are_worded_by_the_full_parser(
    arguments: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        parse_arguments(arguments)
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert words in error
    assert "COMMAND" in error  # the full usage line, subcommands included
