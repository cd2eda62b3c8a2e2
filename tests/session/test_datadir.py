"""Where sessions are kept, and a clear sentence when that place cannot be used."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from facilitate.session.datadir import DataDirError, ensure_writable, resolve_data_dir


def test_the_command_line_beats_the_environment(tmp_path: Path) -> None:
    env = {"FACILITATE_DATA_DIR": str(tmp_path / "env")}
    assert resolve_data_dir(str(tmp_path / "cli"), env) == tmp_path / "cli"


def test_the_environment_beats_the_platform_default(tmp_path: Path) -> None:
    assert resolve_data_dir(None, {"FACILITATE_DATA_DIR": str(tmp_path / "env")}) == tmp_path / "env"


def test_the_platform_default_comes_last() -> None:
    assert resolve_data_dir(None, {}) == Path(platformdirs.user_data_dir("facilitate"))
    assert resolve_data_dir("", {"FACILITATE_DATA_DIR": ""}) == Path(platformdirs.user_data_dir("facilitate"))


def test_a_home_relative_path_is_expanded() -> None:
    assert resolve_data_dir("~/facilitate-data", {}) == Path.home() / "facilitate-data"


def test_ensure_writable_creates_the_folder_and_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b"
    ensure_writable(target)
    assert target.is_dir()
    assert list(target.iterdir()) == []


def test_a_folder_that_cannot_be_created_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(DataDirError) as caught:
        ensure_writable(blocker / "data")
    message = str(caught.value)
    assert message.startswith(f"Cannot create the data folder {blocker / 'data'}")
    assert "--data-dir" in message and "FACILITATE_DATA_DIR" in message


def test_a_file_where_the_folder_should_be_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(DataDirError, match="is a file, not a folder"):
        ensure_writable(blocker)


def test_a_read_only_folder_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        try:
            (folder / "probe").write_text("")
        except OSError:
            pass
        else:
            pytest.skip("this user can write in a read-only folder (root?)")
        with pytest.raises(DataDirError, match="Cannot write in the data folder"):
            ensure_writable(folder)
    finally:
        folder.chmod(0o700)
