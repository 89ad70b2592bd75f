"""Settings: option > environment > profile > default, each with its source."""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path

import pytest

from swrgc_tui import paths
from swrgc_tui.cli import main
from swrgc_tui.commands import STARTER
from swrgc_tui.config import ConfigError, Settings, resolve_settings

from .helpers import write_private

PROFILES = """\
default_profile = "prod"

[keys]
refresh = "ctrl+r"
quit = "q"

[profiles.prod]
region = "ap-southeast-1"
page_size = 50
refresh = 10
instance = "inst-prod"
theme = "nord"
[profiles.prod.keys]
quit = "ctrl+q"

[profiles.test]
region = "cn-north-4"
endpoint = "http://127.0.0.1:9000/"
auth_method = "token"
"""


def args(**values: object) -> argparse.Namespace:
    return argparse.Namespace(**values)


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(PROFILES, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path: Path) -> None:
    settings = resolve_settings(args(), {}, tmp_path / "missing.toml")

    assert settings.profile == "default"
    assert settings.region == "cn-north-4"
    assert settings.endpoint == "https://swr-api.cn-north-4.myhuaweicloud.com"
    assert settings.iam_endpoint == "https://iam.cn-north-4.myhuaweicloud.com"
    assert (settings.page_size, settings.refresh, settings.project_id) == (
        100,
        5.0,
        None,
    )
    assert set(settings.sources.values()) == {"default"}
    assert settings.warnings == ()


def test_each_layer_wins_over_the_ones_below(config_file: Path) -> None:
    env = {"SWRGC_PAGE_SIZE": "20", "SWRGC_REFRESH": "3"}
    settings = resolve_settings(args(refresh=0.0), env, config_file)

    assert settings.profile == "prod"
    assert settings.sources["profile"] == "file"
    assert (settings.region, settings.sources["region"]) == ("ap-southeast-1", "file")
    assert (settings.page_size, settings.sources["page_size"]) == (20, "env")
    assert (settings.refresh, settings.sources["refresh"]) == (0.0, "option")
    assert settings.instance == "inst-prod"
    assert settings.endpoint == "https://swr-api.ap-southeast-1.myhuaweicloud.com"
    assert settings.sources["auth_method"] == "default"


def test_option_beats_env_beats_file_for_the_same_setting(config_file: Path) -> None:
    env = {"SWRGC_PAGE_SIZE": "20"}

    assert resolve_settings(args(page_size=7), env, config_file).page_size == 7
    assert resolve_settings(args(), env, config_file).page_size == 20
    assert resolve_settings(args(), {}, config_file).page_size == 50


def test_project_id_and_iam_endpoint_from_the_sdk_variables(tmp_path: Path) -> None:
    env = {
        "HUAWEICLOUD_SDK_PROJECT_ID": "p-123",
        "HUAWEICLOUD_SDK_IAM_ENDPOINT": "https://iam.example.test/",
    }
    settings = resolve_settings(args(), env, tmp_path / "none.toml")

    assert (settings.project_id, settings.sources["project_id"]) == ("p-123", "env")
    assert settings.iam_endpoint == "https://iam.example.test"
    assert settings.sources["iam_endpoint"] == "env"


def test_profile_chosen_by_env_and_overridden_by_option(config_file: Path) -> None:
    by_env = resolve_settings(args(), {"SWRGC_PROFILE": "test"}, config_file)
    by_option = resolve_settings(
        args(profile="prod"), {"SWRGC_PROFILE": "test"}, config_file
    )

    assert (by_env.profile, by_env.sources["profile"]) == ("test", "env")
    assert by_env.endpoint == "http://127.0.0.1:9000"
    assert by_env.auth_method == "token"
    assert (by_option.profile, by_option.sources["profile"]) == ("prod", "option")


def test_keys_merge_global_and_profile_tables(config_file: Path) -> None:
    settings = resolve_settings(args(), {}, config_file)

    assert settings.keymap == {"refresh": "ctrl+r", "quit": "ctrl+q"}
    assert settings.sources["keymap"] == "file"


def test_unknown_profile_lists_the_known_ones(config_file: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_settings(args(profile="staging"), {}, config_file)

    assert "no profile 'staging'" in str(caught.value)
    assert "known ones: prod, test" in str(caught.value)


def test_unknown_profile_without_a_file_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config init"):
        resolve_settings(args(), {"SWRGC_PROFILE": "prod"}, tmp_path / "none.toml")


def test_unknown_keys_are_warnings(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('colour = "red"\n[profiles.default]\nregoin = "x"\n')

    settings = resolve_settings(args(), {}, path)

    assert settings.region == "cn-north-4"
    assert len(settings.warnings) == 2
    assert "unknown setting 'colour' at the top level" in settings.warnings[0]
    assert "unknown setting 'regoin' in profile 'default'" in settings.warnings[1]


def test_malformed_toml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[profiles.default]\nregion = "cn-north-4"\npage_size = = 3\n')

    with pytest.raises(ConfigError) as caught:
        resolve_settings(args(), {}, path)

    assert str(path) in str(caught.value)
    assert "line 3" in str(caught.value)


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("option", "--page-size must be a whole number from 1 to 100 (got 500)"),
        ("env", "SWRGC_PAGE_SIZE must be a whole number from 1 to 100 (got '500')"),
        ("file", "page_size in profile 'default' of"),
    ],
)
def test_bad_values_name_their_source(
    tmp_path: Path, where: str, expected: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[profiles.default]\npage_size = 500\n" if where == "file" else "")
    options = args(page_size=500) if where == "option" else args()
    env = {"SWRGC_PAGE_SIZE": "500"} if where == "env" else {}

    with pytest.raises(ConfigError) as caught:
        resolve_settings(options, env, path)

    assert expected in str(caught.value)


def test_bad_region_and_endpoint_are_explained(tmp_path: Path) -> None:
    none = tmp_path / "none.toml"
    with pytest.raises(ConfigError, match="not a region name"):
        resolve_settings(args(region="North Pole"), {}, none)
    with pytest.raises(ConfigError, match="http:// or https://"):
        resolve_settings(args(endpoint="swr.example.com"), {}, none)


def test_a_secret_in_an_open_config_file_is_refused(tmp_path: Path) -> None:
    path = write_private(
        tmp_path / "config.toml", '[profiles.default]\nsk = "x"\n', 0o644
    )

    with pytest.raises(ConfigError) as caught:
        resolve_settings(args(), {}, path)

    assert f"chmod 600 {path}" in str(caught.value)
    assert "0644" in str(caught.value)


def test_a_secret_in_a_private_config_file_is_ignored(tmp_path: Path) -> None:
    path = write_private(tmp_path / "config.toml", '[profiles.default]\nsk = "x"\n')

    settings = resolve_settings(args(), {}, path)

    assert "secrets are read from the environment" in settings.warnings[0]


def test_config_file_follows_xdg_and_swrgc_config(
    isolated: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["config", "path"]) == 0
    assert capsys.readouterr().out == f"{isolated}/config/swrgc-tui/config.toml\n"

    monkeypatch.setenv("SWRGC_CONFIG", "/etc/swrgc.toml")
    assert main(["config", "path"]) == 0
    assert capsys.readouterr().out == "/etc/swrgc.toml\n"


def test_config_init_writes_a_starter_that_reads_cleanly(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["config", "init"]) == 0
    target = paths.config_file()
    assert capsys.readouterr().out == f"wrote {target}\n"
    assert target.read_text() == STARTER
    assert tomllib.loads(STARTER)["profiles"]["default"]["region"] == "cn-north-4"
    assert resolve_settings(args(), {}).warnings == ()


def test_config_init_never_overwrites_without_force(
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = paths.config_file()
    target.parent.mkdir(parents=True)
    target.write_text("# mine\n")

    assert main(["config", "init"]) == 2
    assert "already exists; pass --force" in capsys.readouterr().err
    assert target.read_text() == "# mine\n"

    assert main(["config", "init", "--force"]) == 0
    assert target.read_text() == STARTER


def test_config_show_gives_each_source_and_masks_credentials(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    paths.config_dir().mkdir(parents=True)
    paths.config_file().write_text('[profiles.default]\nregion = "ap-southeast-1"\n')
    monkeypatch.setenv("SWRGC_PAGE_SIZE", "25")
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "HPUAEXAMPLEKEY000001")
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", "very-secret-key-value")

    assert main(["config", "show", "--refresh", "0"]) == 0
    out = capsys.readouterr().out

    lines = {line.split()[0]: line.split() for line in out.splitlines() if line}
    assert lines["region"][1:] == ["ap-southeast-1", "file"]
    assert lines["page_size"][1:] == ["25", "env"]
    assert lines["refresh"][1:] == ["0.0", "option"]
    assert lines["theme"][-1] == "default"
    assert "AK/SK (AK HPUA…0001) from environment HUAWEICLOUD_SDK_AK/SK" in out
    assert "very-secret-key-value" not in out


@pytest.mark.parametrize(
    "bad",
    [{"page_size": 0}, {"page_size": 101}, {"page_size": True}, {"refresh": -1.0}],
)
def test_settings_refuse_values_out_of_range(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=next(iter(bad))):
        Settings(
            endpoint="https://swr.example", iam_endpoint="https://iam.example", **bad
        )


def test_settings_keep_refresh_a_float() -> None:
    settings = Settings(
        endpoint="https://a.example", iam_endpoint="https://b.example", refresh=3
    )

    assert settings.refresh == 3.0
    assert isinstance(settings.refresh, float)
