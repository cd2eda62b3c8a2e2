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
    # An isolated environment: nothing borrowed from the interpreter that runs the tests, so the wheel
    # must bring (or declare) everything it needs. Dependencies come from pip's cache or index.
    venv.EnvBuilder(system_site_packages=False, with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    if install.returncode != 0:
        pytest.fail(f"installing the wheel failed:\n{install.stdout}\n{install.stderr}")
    return env_dir


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def test_the_environment_is_isolated(installed: Path, tmp_path: Path) -> None:
    probe = subprocess.run(
        [
            str(installed / "bin" / "python"),
            "-c",
            "import sys, facilitate; print(sys.prefix, facilitate.__file__)",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=_env(),
        check=True,
    )
    prefix, module = probe.stdout.split()
    assert Path(prefix) == installed and str(REPO) not in module
    assert (installed / "pyvenv.cfg").read_text().count("include-system-site-packages = false") == 1


def test_the_wheel_carries_the_assets_a_handout_needs(installed: Path, tmp_path: Path) -> None:
    """A wheel built without `assets/` (fonts, help lines, the phone page) installed and listed workshops
    fine, and `handout` died with FileNotFoundError: draw one from the installed wheel."""
    result = subprocess.run(
        [str(installed / "bin" / "facilitate"), "handout", "check-in", "-o", str(tmp_path / "handout.pdf")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "handout.pdf").read_bytes().startswith(b"%PDF")
    listing = subprocess.run(
        [
            str(installed / "bin" / "python"),
            "-c",
            "import facilitate.paths as p; d = p.assets_dir(); "
            "print(d, (d / 'web' / 'index.html').is_file(), (d / 'locales' / 'en.json').is_file())",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=_env(),
        check=True,
    )
    where, page, catalogue = listing.stdout.split()
    assert "_bundled" in where and str(REPO) not in where and page == "True" and catalogue == "True"


def test_wheel_ships_the_bundled_workshops(installed: Path, tmp_path: Path) -> None:
    env = _env()
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
