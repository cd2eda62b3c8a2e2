"""Where sessions are kept: `--data-dir`, else $FACILITATE_DATA_DIR, else the platform's data folder."""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping
from pathlib import Path

import platformdirs

ENV_VAR = "FACILITATE_DATA_DIR"
_HOW_TO_CHOOSE = f"choose another folder with --data-dir or the {ENV_VAR} environment variable"


class DataDirError(Exception):
    """The data folder cannot be used; the message says why and what to do."""


def resolve_data_dir(cli_value: str | None, env: Mapping[str, str]) -> Path:
    if cli_value:
        return Path(cli_value).expanduser()
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR]).expanduser()
    return Path(platformdirs.user_data_dir("facilitate"))


def sessions_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "sessions"


def ensure_writable(path: Path) -> None:
    """Create `path` if needed and prove it is writable by creating and deleting a probe file."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise DataDirError(f"The data folder {path} is a file, not a folder: {_HOW_TO_CHOOSE}.")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirError(
            f"Cannot create the data folder {path} ({exc.strerror or exc}): {_HOW_TO_CHOOSE}."
        ) from None
    probe = path / f".facilitate-write-test-{os.getpid()}"
    try:
        with open(probe, "wb") as handle:
            handle.write(b"ok")
            handle.flush()
            os.fsync(handle.fileno())
        probe.unlink()
    except OSError as exc:
        raise DataDirError(
            f"Cannot write in the data folder {path} ({exc.strerror or exc}): {_HOW_TO_CHOOSE}."
        ) from None


def resume_command(workshop: str, session_id: str, data_dir: Path) -> str:
    """The command that continues a session, as a person would type it: with `--data-dir` unless the
    session lives in the platform's own data folder (a command shown without it fails elsewhere)."""
    import shlex

    return f"facilitate run {shlex.quote(workshop)} --resume {shlex.quote(session_id)}" + data_dir_option(
        data_dir
    )


def data_dir_option(data_dir: Path) -> str:
    """ " --data-dir DIR" (absolute, quoted for a shell) unless `data_dir` is the platform's own folder."""
    folder = Path(data_dir).expanduser().resolve()  # absolute: the command works from any folder
    if folder == Path(platformdirs.user_data_dir("facilitate")).resolve():
        return ""
    return f" --data-dir {shlex.quote(str(folder))}"
