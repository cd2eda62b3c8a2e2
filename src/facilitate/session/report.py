"""The facilitator's report of a session: time planned against spent, and polls as totals only.

What it never holds: reflections or plans (private to each participant), written answers the facilitator
did not approve, a poll's distribution while it had fewer answers than its threshold, or anything that
links two answers of one device. `facilitate report` renders it as text, JSON, CSV or PDF.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from facilitate.session.answers import percent
from facilitate.session.catalog import session_status
from facilitate.session.machine import hand_count_labels
from facilitate.session.priorities import RankingTotals, ranking_order
from facilitate.session.session import Session
from facilitate.workshop.durations import format_minutes
from facilitate.workshop.models import PollStep


@dataclass(frozen=True)
class TimeRow:
    kind: str  # "module" or "step"
    id: str
    title: str
    planned_minutes: float
    actual_minutes: float


@dataclass(frozen=True)
class PollRow:
    step_id: str
    question: str
    type: str
    threshold: int
    answered: int
    passed: int
    shown: bool  # False: fewer answers than the threshold, so no distribution is given
    rows: list[tuple[str, int]] = field(default_factory=list)  # option / point / word, count
    median: float | None = None
    texts: list[str] = field(default_factory=list)  # approved written answers only
    # ranking: (option, average rank, how many put it first), best first
    ranks: list[tuple[str, float, int]] = field(default_factory=list)
    hand_counts: list[tuple[str, int]] = field(default_factory=list)  # from a show of hands, kept apart


@dataclass(frozen=True)
class Report:
    session_id: str
    workshop_id: str
    workshop_title: str
    demo: bool
    started: str | None
    ended: str | None
    status: str  # "ended", "paused" (not ended, no app runs it) or "running" (an app runs it now)
    resume_command: str | None  # how to continue it, while it has not ended
    planned_minutes: float
    elapsed_minutes: float
    behind_minutes: float  # negative: ahead of plan
    devices: int
    times: list[TimeRow]
    polls: list[PollRow]
    # approved questions only (text, upvotes, answered), in the room's order; never who asked or voted
    questions: list[tuple[str, int, bool]] = field(default_factory=list)
    pauses: list[tuple[str, int]] = field(default_factory=list)  # "I need a pause", per module: counts only

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)


def _minutes(seconds: float) -> float:
    return round(seconds / 60.0, 1)


def _iso(epoch: float | None) -> str | None:
    return datetime.fromtimestamp(epoch).astimezone().isoformat(timespec="minutes") if epoch else None


def build_report(session: Session) -> Report:
    schedule = session.schedule()
    times: list[TimeRow] = []
    for module in schedule.modules:
        times.append(
            TimeRow(
                "module", module.module_id, module.title, _minutes(module.planned), _minutes(module.actual)
            )
        )
        for step in schedule.steps:
            if step.module_id == module.module_id:
                times.append(
                    TimeRow("step", step.step_id, step.title, _minutes(step.planned), _minutes(step.actual))
                )
    polls = [_poll_row(session, step) for _, step in session.workshop.steps() if isinstance(step, PollStep)]
    state = session.state
    return Report(
        session_id=session.id,
        workshop_id=session.workshop.id,
        workshop_title=session.workshop.title,
        demo=session.journal.meta().demo,
        started=_iso(state.started_at),
        ended=_iso(state.ended_at),
        status=session_status(session.journal.path, ended=state.ended),
        resume_command=None if state.ended else session.resume_command,
        planned_minutes=_minutes(schedule.planned_total),
        elapsed_minutes=_minutes(schedule.elapsed),
        behind_minutes=_minutes(schedule.behind_by),
        devices=session.joined,
        times=times,
        polls=polls,
        questions=[(q.text, q.votes, q.answered) for q in session.listed_questions()],
        pauses=_pauses(session),
    )


def _pauses(session: Session) -> list[tuple[str, int]]:
    """Pause requests per module, in the workshop's order (counts only: nothing else is kept)."""
    counts = session.pauses_per_module()
    rows = [("Before the first module", counts[None])] if counts.get(None) else []
    rows += [
        (module.title, counts[module.id]) for module in session.workshop.modules if counts.get(module.id)
    ]
    return rows


def _poll_row(session: Session, poll: PollStep) -> PollRow:
    results = session.results(poll.id)
    current = results.current
    shown = current.answered >= results.threshold and current.answered > 0
    labels = hand_count_labels(poll)
    hands = session.state.hand_counts.get(poll.id)
    hand_rows = (
        list(zip(labels, hands, strict=True)) if labels and hands and sum(hands) >= results.threshold else []
    )
    question = poll.question
    if poll.compare_with:  # the same question twice: say which time this was
        question += " (asked again at the end)"
    elif any(getattr(step, "compare_with", None) == poll.id for _, step in session.workshop.steps()):
        question += " (asked at the start)"
    row = PollRow(
        poll.id,
        question,
        poll.type,
        results.threshold,
        current.answered,
        current.passed,
        shown,
        hand_counts=hand_rows,
    )
    if not shown:
        return row
    if poll.type in ("single", "multiple", "scale"):
        rows = list(zip(labels or [], current.counts, strict=True))
        return PollRow(**{**asdict(row), "rows": rows, "median": current.median})
    if poll.type == "words":
        return PollRow(**{**asdict(row), "rows": [tuple(pair) for pair in current.words]})
    if poll.type == "points":
        return PollRow(**{**asdict(row), "rows": list(zip(poll.options or [], current.counts, strict=True))})
    if poll.type == "ranking":
        options = poll.options or []
        totals = RankingTotals(current.average_rank, current.counts)
        ranks = [(options[i], current.average_rank[i], current.counts[i]) for i in ranking_order(totals)]
        return PollRow(**{**asdict(row), "ranks": ranks})
    return PollRow(**{**asdict(row), "texts": session.approved_texts(poll.id)})


# --- formats -----------------------------------------------------------------------------------------


def when_over(report: Report) -> str:
    """ "ended 2026-11-26T11:30+00:00", or what is true of a session that has not ended."""
    if report.ended:
        return f"ended {report.ended}"
    if report.status == "running":
        return "running now (not ended yet)"
    return f"paused, not ended (`{report.resume_command}` continues it)"


def render_text(report: Report) -> str:
    lines = [
        f"{report.workshop_title}{'  (DEMO)' if report.demo else ''}",
        f"Session {report.session_id} · started {report.started or '-'} · {when_over(report)}",
        f"Planned {format_minutes(report.planned_minutes * 60)} · spent {report.elapsed_minutes:g} min · "
        + _behind(report.behind_minutes),
        f"Phones joined: {report.devices}",
        "",
        "TIME (minutes)               planned   spent",
    ]
    for row in report.times:
        title = row.title if row.kind == "module" else f"  {row.title}"
        lines.append(f"{title[:28]:<28} {row.planned_minutes:>8g} {row.actual_minutes:>7g}")
    lines += ["", "POLLS"]
    for poll in report.polls:
        lines.append(f"{poll.question}")
        lines.append(f"  {poll.answered} answered · {poll.passed} passed")
        if not poll.shown:
            lines.append(f"  fewer than {poll.threshold} answers: no results given")
        if poll.type == "points":
            total = sum(count for _, count in poll.rows)
            for label, count in poll.rows:
                lines.append(f"  {label[:40]:<40} {count:>5} points {percent(count, total):>3}%")
        else:
            for label, count in poll.rows:
                lines.append(f"  {label[:40]:<40} {count:>4}")
        for place, (label, average, firsts) in enumerate(poll.ranks, start=1):
            lines.append(f"  {place}. {label[:37]:<37} average rank {average:.1f} · first for {firsts}")
        if poll.median is not None:
            lines.append(f"  median {poll.median:g}")
        for text in poll.texts:
            lines.append(f"  “{text}”")
        if poll.hand_counts:
            lines.append(
                "  show of hands: " + ", ".join(f"{label} {count}" for label, count in poll.hand_counts)
            )
        lines.append("")
    if report.questions:
        lines.append("QUESTIONS (approved; votes)")
        for text, votes, answered in report.questions:
            lines.append(f"  {votes:>3}  {text}{'  (answered)' if answered else ''}")
        lines.append("")
    if report.pauses:
        lines.append("PAUSE REQUESTS (counts only)")
        for module_title, count in report.pauses:
            lines.append(f"  {module_title[:40]:<40} {count:>4}")
        lines.append("")
    return "\n".join(lines)


def _behind(minutes: float) -> str:
    if abs(minutes) < 1:
        return "on time"
    return f"{abs(minutes):g} min {'behind' if minutes > 0 else 'ahead of'} plan"


def _cell(value: Any) -> Any:
    """A spreadsheet must not run a participant's text as a formula (`=HYPERLINK(…)`)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, out: io.StringIO) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: list[Any]) -> None:
        self._writer.writerow([_cell(value) for value in row])


def render_csv(report: Report) -> str:
    """One table: time rows, then poll rows (one per option, point or word; one per approved text)."""
    out = io.StringIO()
    writer = _SafeWriter(out)
    writer.writerow(
        ["section", "id", "title_or_question", "item", "planned_minutes", "actual_minutes", "count"]
    )
    for row in report.times:
        writer.writerow([row.kind, row.id, row.title, "", row.planned_minutes, row.actual_minutes, ""])
    for poll in report.polls:
        writer.writerow(["poll", poll.step_id, poll.question, "answered", "", "", poll.answered])
        writer.writerow(["poll", poll.step_id, poll.question, "passed", "", "", poll.passed])
        if not poll.shown:
            writer.writerow(
                ["poll", poll.step_id, poll.question, f"fewer than {poll.threshold} answers", "", "", ""]
            )
        for label, count in poll.rows:
            writer.writerow(["poll", poll.step_id, poll.question, label, "", "", count])
        for text in poll.texts:
            writer.writerow(["poll", poll.step_id, poll.question, text, "", "", ""])
        for label, count in poll.hand_counts:
            writer.writerow(["hands", poll.step_id, poll.question, label, "", "", count])
        for place, (label, average, firsts) in enumerate(poll.ranks, start=1):
            item = f"{place}. {label} (average rank {average:.2f})"
            writer.writerow(["poll", poll.step_id, poll.question, item, "", "", firsts])
    for text, votes, answered in report.questions:
        writer.writerow(["question", "", text, "answered" if answered else "", "", "", votes])
    for module_title, count in report.pauses:
        writer.writerow(["pause", "", module_title, "pause requests", "", "", count])
    return out.getvalue()


def report_dict(report: Report) -> dict[str, Any]:
    return asdict(report)
