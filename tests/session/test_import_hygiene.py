"""The session core never pulls in the UI or the web server."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_session_core_loads_no_ui_or_server() -> None:
    code = (
        "import sys, facilitate.session, facilitate.session.session, facilitate.session.schedule\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'aiohttp')"
        " or m.startswith(('facilitate.tui', 'facilitate.server')))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
