"""Session ids people can read: `YYYY-MM-DD-HHMM-<workshop-id>` in local time, `-2`, `-3`… if taken."""

from __future__ import annotations

from datetime import datetime


def session_id(workshop_id: str, at: float, attempt: int = 1) -> str:
    """The id to try on `attempt` (1 is the plain id, 2 adds `-2`, …)."""
    base = f"{datetime.fromtimestamp(at).strftime('%Y-%m-%d-%H%M')}-{workshop_id}"
    return base if attempt == 1 else f"{base}-{attempt}"
