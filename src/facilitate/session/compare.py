"""The group's before/after answers to one question, compared across sessions (e.g. a series of three).

`facilitate report ID1 ID2 ID3` finds the before/after pair of scale polls (`compare_with`) that every
session asks in the same words on the same scale, and puts each session's distributions side by side.
Group totals only: answers are never linked across sessions (a phone gets a new identity in every
session), and a distribution below its poll's threshold is never given, as in the one-session report.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from facilitate.session.report import PollRow, build_report
from facilitate.session.session import Session
from facilitate.workshop.models import PollStep, Scale, Workshop

GROUP_ONLY = "Group totals only: nobody is followed from one session to the next."


class NothingToCompare(ValueError):
    """The sessions do not share a before/after question; the message says which one lacks it."""


@dataclass(frozen=True)
class Moment:
    """One time the question was asked in one session: totals, and the distribution when shown."""

    answered: int
    passed: int
    threshold: int
    shown: bool
    counts: list[tuple[str, int]] = field(default_factory=list)  # point, count (empty when not shown)
    median: float | None = None


@dataclass(frozen=True)
class SessionColumn:
    session_id: str
    workshop_id: str
    workshop_title: str
    series_part: int | None
    started: str | None
    demo: bool
    start: Moment
    end: Moment


@dataclass(frozen=True)
class Comparison:
    question: str
    scale_min: int
    scale_max: int
    min_label: str | None
    max_label: str | None
    sessions: list[SessionColumn]
    note: str = GROUP_ONLY

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def before_after(workshop: Workshop) -> list[tuple[PollStep, PollStep]]:
    """Every (before, after) pair of scale polls in the workshop, in order."""
    pairs = []
    for _, step in workshop.steps():
        if isinstance(step, PollStep) and step.compare_with:
            before = workshop.step_by_id(step.compare_with)
            pairs.append((before, step))
    return pairs


def _key(poll: PollStep) -> tuple[str, Scale | None]:
    return _words(poll.question), poll.effective_scale


def shared_pair(workshops: list[tuple[str, Workshop]]) -> tuple[PollStep, list[tuple[PollStep, PollStep]]]:
    """The first before/after question every workshop asks alike, with each workshop's own pair of steps."""
    first_id, first = workshops[0]
    candidates = before_after(first)
    if not candidates:
        raise NothingToCompare(
            f"session {first_id} ({first.id}) has no before/after question (a scale poll with `compare_with`)"
        )
    for before, _ in candidates:
        found = []
        for _, workshop in workshops:
            match = next((pair for pair in before_after(workshop) if _key(pair[0]) == _key(before)), None)
            if match is None:
                break
            found.append(match)
        else:
            return before, found
    missing = next(
        f"session {session_id} ({workshop.id})"
        for session_id, workshop in workshops[1:]
        if not any(_key(pair[0]) == _key(candidates[0][0]) for pair in before_after(workshop))
    )
    raise NothingToCompare(
        f"{missing} does not ask the same before/after question as session {first_id} "
        f"({' '.join(candidates[0][0].question.split())!r}, same words and scale): nothing to compare"
    )


def _moment(row: PollRow) -> Moment:
    return Moment(
        answered=row.answered,
        passed=row.passed,
        threshold=row.threshold,
        shown=row.shown,
        counts=[(str(label), count) for label, count in row.rows] if row.shown else [],
        median=row.median if row.shown else None,
    )


def compare_sessions(data_dir: Path, session_ids: list[str]) -> Comparison:
    """Open each session read-only, compare them, close them. Raises JournalError (a session that cannot
    be opened) or NothingToCompare."""
    sessions: list[Session] = []
    try:
        for session_id in session_ids:
            sessions.append(Session.open_readonly(data_dir, session_id))
        return build_comparison(sessions)
    finally:
        for session in sessions:
            session.close()


def build_comparison(sessions: list[Session]) -> Comparison:
    """Sessions in the order they started (a series reads forwards); raises NothingToCompare."""
    reports = [(session, build_report(session)) for session in sessions]
    reports.sort(key=lambda pair: (pair[1].started or "", pair[1].session_id))
    question, pairs = shared_pair([(report.session_id, session.workshop) for session, report in reports])
    columns = []
    for (session, report), (before, after) in zip(reports, pairs, strict=True):
        rows = {row.step_id: row for row in report.polls}
        series = session.workshop.series
        columns.append(
            SessionColumn(
                session_id=report.session_id,
                workshop_id=report.workshop_id,
                workshop_title=report.workshop_title,
                series_part=series.part if series else None,
                started=report.started,
                demo=report.demo,
                start=_moment(rows[before.id]),
                end=_moment(rows[after.id]),
            )
        )
    scale = question.effective_scale or Scale()
    return Comparison(
        question=" ".join(question.question.split()),
        scale_min=scale.min,
        scale_max=scale.max,
        min_label=scale.min_label,
        max_label=scale.max_label,
        sessions=columns,
    )


# --- formats -----------------------------------------------------------------------------------------


def _points(comparison: Comparison) -> list[str]:
    return [str(point) for point in range(comparison.scale_min, comparison.scale_max + 1)]


def render_comparison_text(comparison: Comparison) -> str:
    points = _points(comparison)
    ends = [
        f"{value} = {label}"
        for value, label in (
            (comparison.scale_min, comparison.min_label),
            (comparison.scale_max, comparison.max_label),
        )
        if label
    ]
    lines = [
        f"The same question in {len(comparison.sessions)} sessions. {comparison.note}",
        f"“{comparison.question}”",
    ]
    if ends:
        lines.append(" · ".join(ends))
    lines += ["", f"{'':<24}{'answered':>9}{'median':>8}  " + " ".join(f"{p:>3}" for p in points)]
    for number, column in enumerate(comparison.sessions, start=1):
        part = f"part {column.series_part} · " if column.series_part else ""
        day = (column.started or "not started")[:10]
        demo = " (DEMO)" if column.demo else ""
        lines.append(f"{number}. {column.workshop_title} · {part}{day} · {column.session_id}{demo}")
        for label, moment in (("at the start", column.start), ("at the end", column.end)):
            head = f"   {label:<21}{moment.answered:>9}"
            if not moment.shown:
                lines.append(f"{head}{'':>8}  fewer than {moment.threshold} answers: not shown")
                continue
            median = "-" if moment.median is None else f"{moment.median:g}"
            counts = dict(moment.counts)
            lines.append(f"{head}{median:>8}  " + " ".join(f"{counts.get(p, 0):>3}" for p in points))
    return "\n".join(lines) + "\n"


def render_comparison_csv(comparison: Comparison) -> str:
    """One row per session, moment and scale point (points left out when a moment was not shown)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["session_id", "workshop_id", "series_part", "started", "moment", "answered", "passed", "median",
         "point", "count"]
    )  # fmt: skip
    for column in comparison.sessions:
        for label, moment in (("start", column.start), ("end", column.end)):
            base = [column.session_id, column.workshop_id, column.series_part or "", column.started or "", label,
                    moment.answered, moment.passed, "" if moment.median is None else moment.median]  # fmt: skip
            if not moment.shown:
                writer.writerow([*base, f"fewer than {moment.threshold} answers", ""])
            for point, count in moment.counts:
                writer.writerow([*base, point, count])
    return out.getvalue()


RENDERERS = {
    "text": render_comparison_text,
    "json": lambda comparison: comparison.to_json(),
    "csv": render_comparison_csv,
}
