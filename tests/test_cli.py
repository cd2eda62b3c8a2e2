"""The `facilitate` command as a person types it: outputs and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from facilitate.cli import main
from tests.conftest import WORKSHOPS

BUNDLED = sorted(WORKSHOPS.glob("*.yaml"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("facilitate ")


@pytest.mark.parametrize("command", ["list", "validate", "agenda", "new", "schema", "run", "sessions"])
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    assert "usage: facilitate " + command in capsys.readouterr().out


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)
    assert code == 2 and "COMMAND" in out


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["agenda", "self-efficacy", "--format", "pdf"])
    assert exited.value.code == 2


def test_both_bundled_workshops_validate(capsys: pytest.CaptureFixture[str]) -> None:
    assert {path.stem for path in BUNDLED} >= {"self-efficacy", "check-in"}
    code, out, err = run(capsys, "validate", *map(str, BUNDLED))
    assert code == 0, err
    assert out.count(": ok · ") == len(BUNDLED)


def test_validate_reports_problems_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\ntitle: X\ntitle: Y\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", str(WORKSHOPS / "check-in.yaml"), str(broken))
    assert code == 2
    assert f"{broken}:3:1: duplicate key 'title'" in err
    assert "Traceback" not in err
    assert "1 of 2 file(s) have problems" in err


def test_validate_unknown_name(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "validate", "no-such-workshop")
    assert code == 2 and "no workshop named 'no-such-workshop'" in err


def test_list_shows_bundled_workshops(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0
    assert "self-efficacy" in out and "check-in" in out and "[bundled]" in out


def test_list_includes_local_workshops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "workshops").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["new", "workshops/team-day.yaml"]) == 0
    code, out, _ = run(capsys, "list")
    assert code == 0 and "team-day" in out and "My workshop" in out and "[local]" in out


def test_agenda_json_of_the_bundled_workshop(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "agenda", "self-efficacy", "--format", "json", "--start", "09:30")
    assert code == 0
    agenda = json.loads(out)
    titles = [module["title"] for module in agenda["modules"]]
    core = [t for t in titles if t in ("Defining self-efficacy", "Barrier mapping", "Reclaiming agency")]
    assert core == ["Defining self-efficacy", "Barrier mapping", "Reclaiming agency"]
    assert 110 <= agenda["total_minutes"] <= 130  # about two hours, with a 10-minute break
    first = agenda["modules"][0]["steps"][0]
    assert set(first) >= {"id", "title", "kind", "minutes", "start"}
    assert first["start"] == "09:30"
    assert (
        sum(step["minutes"] for module in agenda["modules"] for step in module["steps"])
        == agenda["total_minutes"]
    )


def test_agenda_text_and_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "agenda", str(WORKSHOPS / "check-in.yaml"), "--start", "14:00")
    assert code == 0 and "14:00" in out and "Total:" in out
    code, out, _ = run(capsys, "agenda", "check-in", "--format", "markdown")
    assert code == 0 and out.startswith("# ") and "| Start | Step | Kind | Length |" in out


def test_agenda_bad_start_time(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "agenda", "check-in", "--start", "25:99")
    assert code == 2 and "HH:MM" in err


def test_new_writes_a_valid_workshop_with_every_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from facilitate.workshop.loader import load_workshop
    from facilitate.workshop.models import STEP_KINDS

    target = tmp_path / "My Workshop.yaml"
    assert main(["new", str(target)]) == 0
    workshop = load_workshop(target).workshop
    assert workshop.id == "my-workshop"
    assert {step.kind for _, step in workshop.steps()} == set(STEP_KINDS)
    assert target.read_text().startswith("# yaml-language-server: $schema=")
    code, _, err = run(capsys, "new", str(target))
    assert code == 2 and "already exists" in err


def test_new_refuses_a_non_yaml_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "new", str(tmp_path / "notes.txt"))
    assert code == 2 and ".yaml" in err


def test_schema_is_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0 and schema["type"] == "object" and "modules" in schema["properties"]


def test_schema_file_is_in_sync_with_the_models(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "schema")
    main(["schema"])
    printed = capsys.readouterr().out
    assert (WORKSHOPS / "schema.json").read_text(encoding="utf-8") == printed, (
        "workshops/schema.json is stale: run `facilitate schema > workshops/schema.json`"
    )


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_bundled_workshops_point_editors_at_the_schema(path: Path) -> None:
    assert path.read_text(encoding="utf-8").splitlines()[0] == "# yaml-language-server: $schema=./schema.json"


def test_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "facilitate", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "facilitate" in result.stdout


def test_new_in_a_fresh_folder_creates_its_folder_as_the_readme_shows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's own example, `facilitate new workshops/mine.yaml`, in a folder without `workshops/`."""
    from facilitate.workshop.loader import load_workshop

    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "new", "workshops/mine.yaml")
    assert code == 0, err
    assert out.splitlines()[0] == "Created the folder workshops."
    assert load_workshop(tmp_path / "workshops" / "mine.yaml").workshop.id == "mine"
    (tmp_path / "a-file").write_text("")
    code, _, err = run(capsys, "new", "a-file/deeper/mine.yaml")
    assert code == 2 and "a-file is a file, not a folder" in err
