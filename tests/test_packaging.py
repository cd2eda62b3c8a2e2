"""A plain, non-editable install from a wheel carries the bundled workshops."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(work),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if build.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{build.stdout}\n{build.stderr}")
    wheel = next(work.glob("facilitate-*.whl"))
    env_dir = work / "venv"
    # System site-packages give the dependencies without a download; the wheel itself installs for real.
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
    )
    return env_dir


def test_wheel_ships_the_bundled_workshops(installed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [str(installed / "bin" / "facilitate"), "agenda", "self-efficacy", "--format", "json"],
        cwd=tmp_path,  # another directory: nothing can be found next to the sources
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    agenda = json.loads(result.stdout)
    assert [
        m["title"]
        for m in agenda["modules"]
        if m["title"] in ("Defining self-efficacy", "Barrier mapping", "Reclaiming agency")
    ] == [
        "Defining self-efficacy",
        "Barrier mapping",
        "Reclaiming agency",
    ]
    assert 110 <= agenda["total_minutes"] <= 130  # about two hours, with a 10-minute break
    where = subprocess.run(
        [
            str(installed / "bin" / "python"),
            "-c",
            "import facilitate.paths as p; print(p.bundled_workshops_dir())",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "_bundled" in where.stdout and str(REPO) not in where.stdout
