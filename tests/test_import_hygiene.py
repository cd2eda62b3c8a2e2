"""The definition and the live-run core never pull in the UI or the web server (the flow is one-way)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("package", ["facilitate.workshop", "facilitate.session", "facilitate.takeaway"])
def test_core_packages_import_no_ui_or_server(package: str) -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        f"pkg = importlib.import_module({package!r})\n"
        "for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'aiohttp')"
        " or m.startswith(('facilitate.tui', 'facilitate.server')))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"{package} imports {result.stdout.strip()}"


def test_the_first_screen_waits_for_no_web_server() -> None:
    """The phone server (aiohttp) loads after the first screen is painted: importing the app must not
    load it (it added about 130 ms to start-up when a type hint imported it)."""
    code = "import sys, facilitate.tui.app\nprint(','.join(sorted(m for m in sys.modules if m.startswith('aiohttp'))))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"facilitate.tui.app imports {result.stdout.strip()[:200]}"
