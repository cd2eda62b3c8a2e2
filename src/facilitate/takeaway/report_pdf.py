"""`facilitate report --format pdf`: the same report as the text form, as a printable document."""

from __future__ import annotations

from facilitate.session.report import Report, when_over
from facilitate.takeaway.document import MUTED, SMALL, Document


def render_report_pdf(report: Report, *, paper: str = "A4") -> bytes:
    title = f"{report.workshop_title}: session report" + (" (DEMO)" if report.demo else "")
    doc = Document(paper=paper, title=title, author="facilitate", lang="en", subject="Session report")
    doc.title_block(
        title,
        [
            f"Session {report.session_id}",
            f"Started {report.started or '-'} · {when_over(report)} · {report.devices} phones joined",
        ],
    )
    behind = report.behind_minutes
    pace = (
        "on time" if abs(behind) < 1 else f"{abs(behind):g} min {'behind' if behind > 0 else 'ahead of'} plan"
    )
    doc.paragraph(
        f"Planned {report.planned_minutes:g} min · spent {report.elapsed_minutes:g} min · {pace}.", after=3
    )
    doc.paragraph(
        "Totals only: no reflections or plans, no written answer that was not approved, no results for a poll "
        "with fewer answers than its threshold, and nothing that links two answers of one person.",
        color=MUTED,
        after=3,
    )
    doc.heading("Time, planned and spent (minutes)")
    for row in report.times:
        text = f"{row.title}: {row.planned_minutes:g} planned, {row.actual_minutes:g} spent"
        if row.kind == "module":
            doc.paragraph(text, bold=True, after=0.6)
        else:
            doc.paragraph(text, size=SMALL, indent=6, after=0.3)
    doc.heading("Polls")
    for poll in report.polls:
        caption = f"{poll.answered} answered · {poll.passed} passed"
        doc.heading(poll.question, level=2, keep=30, outline=False)
        doc.paragraph(caption, color=MUTED, after=1.5)
        if not poll.shown:
            doc.paragraph(f"Fewer than {poll.threshold} answers: no results are given.", after=2)
            continue
        if poll.rows:
            largest = max(count for _, count in poll.rows) or 1
            base = sum(count for _, count in poll.rows) if poll.type == "points" else poll.answered
            for label, count in poll.rows:
                doc.bar(label, count, base, scale_to=largest)
            if poll.type == "points":
                doc.paragraph(f"{base} points in all; the percentages are shares of them.", color=MUTED)
        if poll.ranks:
            doc.bullets(
                f"{place}. {label}: average rank {average:.1f}, first for {firsts}"
                for place, (label, average, firsts) in enumerate(poll.ranks, start=1)
            )
        if poll.median is not None:
            doc.paragraph(f"Median {poll.median:g}.", after=1)
        if poll.texts:
            doc.bullets(f"“{text}”" for text in poll.texts)
        if poll.hand_counts:
            doc.paragraph("Show of hands (counted separately):", bold=True, after=0.5)
            total = sum(count for _, count in poll.hand_counts)
            largest = max(count for _, count in poll.hand_counts) or 1
            for label, count in poll.hand_counts:
                doc.bar(label, count, total, scale_to=largest)
        doc.space(2)
    if report.questions:
        doc.heading("Questions (approved; upvotes)")
        doc.bullets(
            f"“{text}” · {votes} {'upvote' if votes == 1 else 'upvotes'}{' · answered' if answered else ''}"
            for text, votes, answered in report.questions
        )
    if report.pauses:
        doc.heading("“I need a pause” (counts only)")
        doc.bullets(f"{title}: {count}" for title, count in report.pauses)
    return doc.finish()
