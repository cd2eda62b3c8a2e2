"""Retention: private reflections and plans live only as long as the participants need them.

When the facilitator ends a session, its private answers get a deadline: the end plus a grace period
for downloading takeaways (default 30 minutes, `--keep-private MINUTES`). At the deadline they are
deleted and the database file rebuilt (VACUUM), so their text is gone from the disk. A session whose
app was closed before its deadline is cleaned up by the next `facilitate` command that looks at the
data folder (`run`, `sessions`, `report`, `purge`).
"""

from __future__ import annotations

from pathlib import Path

from facilitate.session.catalog import list_sessions
from facilitate.session.damaged import DAMAGED_FOLDER, wipe_private
from facilitate.session.journal import Journal, JournalError

DEFAULT_KEEP_PRIVATE_MINUTES = 30


def expire_private_answers(data_dir: Path, now: float) -> list[str]:
    """Delete the private answers of every session past its deadline; returns those sessions' ids.
    A session file that cannot be opened is left alone (it is reported elsewhere)."""
    cleaned: list[str] = []
    for info in list_sessions(data_dir, moved_aside=True):
        if info.status == "damaged":  # serves no downloads: nothing private stays in it
            if info.path.parent.name == DAMAGED_FOLDER and wipe_private(info.path):
                cleaned.append(info.id)
            continue
        if info.status != "ended":
            continue
        try:
            with Journal.open(info.path) as journal:
                until, deleted_at = journal.retention()
                due = until is not None and deleted_at is None and now >= until
                if due or journal.private_left_over():
                    journal.delete_private_answers(deleted_at or now)
                    cleaned.append(info.id)
        except JournalError:
            continue
    return cleaned
