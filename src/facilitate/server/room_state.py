"""What the browser room view shows, as plain data: the room's part of the session and nothing else.

The same rules as the terminal room view (tui/room.py): the step, its timer (never the overrun), revealed
results, approved answers, the join screen while it is up, blank, grounding and the closing step. Never
the notes, live counts beyond "N answered", what waits for moderation, hand counts before they are saved,
or any notice. Workshop and participant text is sent as text (the page sets it with textContent); only
Markdown bodies are sent as HTML, rendered here with raw HTML disabled, so a `<script>` is shown as text.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from markdown_it import MarkdownIt

from facilitate.session.answers import Tally, percent
from facilitate.session.machine import hand_count_labels
from facilitate.session.priorities import RankingTotals, ranking_order
from facilitate.session.session import Session
from facilitate.workshop.durations import format_minutes

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False})


def markdown_html(text: str) -> str:
    """Markdown as HTML with every raw HTML tag escaped (links keep their text; images are dropped)."""
    return _MARKDOWN.render(text or "")


def qr_svg(url: str) -> str:
    """A crisp QR code as SVG (one square per module, dark on light with its quiet zone)."""
    from facilitate.takeaway.qr import qr_matrix

    matrix = qr_matrix(url)
    size = len(matrix)
    path = "".join(f"M{x},{y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges" '
        f'role="img" aria-label="QR code"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path d="{path}" fill="#000"/></svg>'
    )


def timer_state(session: Session) -> dict[str, Any] | None:
    timer = session.current_timer
    if timer is None:
        return None
    now = session.now()
    return {
        "planned": timer.planned,
        "remaining": max(0.0, timer.remaining(now)),
        "running": timer.running,
        "last_minute": timer.in_last_minute(now),
        "speed": getattr(session.clock, "speed", 1.0),  # a rehearsal's clock runs faster
    }


def bars(labels: list[str], counts: list[int], base: int) -> dict[str, Any]:
    return {
        "kind": "bars",
        "rows": [
            {"label": label, "count": count, "percent": percent(count, base)}
            for label, count in zip(labels, counts, strict=True)
        ],
        "base": base,
    }


def poll_results(session: Session, poll: Any) -> dict[str, Any]:
    """Revealed phone results and saved hand counts (nothing below the threshold)."""
    data: dict[str, Any] = {"answered": None, "phones": None, "hands": None}
    state = session.state
    if session.joined:
        results = session.results(poll.id)
        shown = results.shown
        if poll.id in state.revealed and shown is not None:
            data["phones"] = _shown(session, poll, shown)
        else:
            data["answered"] = results.current.answered
    counts = state.hand_counts.get(poll.id)
    labels = hand_count_labels(poll)
    if counts is not None and labels is not None and sum(counts) >= session.workshop.reveal_threshold(poll):
        data["hands"] = bars(labels, list(counts), sum(counts))
    return data


def _shown(session: Session, poll: Any, shown: Tally) -> dict[str, Any]:
    if poll.type in ("single", "multiple"):
        return bars(list(poll.options or []), list(shown.counts), shown.answered)
    if poll.type == "scale":
        scale = poll.effective_scale
        points = [str(point) for point in range(scale.min, scale.max + 1)]
        chart = {**bars(points, list(shown.counts), shown.answered), "median": shown.median}
        if poll.compare_with:
            before = session.results(poll.compare_with).shown
            if before is not None:
                chart["before"] = {
                    **bars(points, list(before.counts), before.answered),
                    "median": before.median,
                }
        return chart
    if poll.type == "words":  # only the words the facilitator showed (Session.results checks them)
        return {"kind": "words", "words": [{"word": w, "count": c} for w, c in shown.words[:30]]}
    if poll.type == "points":  # shares of all the points given
        return bars(list(poll.options or []), list(shown.counts), sum(shown.counts))
    if poll.type == "ranking":
        options = poll.options or []
        order = ranking_order(RankingTotals(shown.average_rank, shown.counts))
        rows = [
            {"label": options[i], "rank": shown.average_rank[i], "firsts": shown.counts[i]} for i in order
        ]
        return {"kind": "ranks", "rows": rows, "base": shown.answered}
    texts = session.approved_texts(poll.id)
    if not texts:
        return {"kind": "text", "text": None}
    index = session.shown_text_index(poll.id)
    return {"kind": "text", "text": texts[index], "number": index + 1, "of": len(texts)}


def phase_duration(planned: float, paced: float) -> str:
    """The author's length, or after `+`/`-` the new one to 5 s (as the terminal views say it)."""
    from facilitate.workshop.durations import format_duration

    if abs(paced - planned) < 0.5:
        return format_duration(int(planned))
    return format_duration(max(5, round(paced / 5) * 5))


def phases(session: Session, items: Any) -> dict[str, Any]:
    current = session.current_phase()
    lengths = session.phase_lengths()  # as the timer paces them after `+`/`-`
    active = current.index if current is not None else len(items)
    listed = []
    for index, phase in enumerate(items):
        paced = lengths[index] if index < len(lengths) else float(phase.duration)
        listed.append(
            {
                "title": phase.title,
                "length": phase_duration(float(phase.duration), paced),
                "state": _phase(index, active),
            }
        )
    guidance = current.phase.guidance if current is not None else "All phases done."
    return {"phases": listed, "guidance": guidance or (current.phase.title if current else "")}


def _phase(index: int, active: int) -> str:
    return "now" if index == active else ("done" if index < active else "later")


def slide_state(session: Session, join_url: str | None) -> dict[str, Any]:
    """The slide on screen, by kind."""
    workshop = session.workshop
    if session.grounding:
        exercise = session.grounding_exercise
        current = session.current_phase()
        upcoming = ""
        if current is not None and current.index + 1 < len(exercise.phases):
            upcoming = exercise.phases[current.index + 1].title
        guidance = current.phase.guidance or current.phase.title if current else "Take your time."
        return {
            "kind": "grounding",
            "title": exercise.title,
            "gentle": "If it feels right. Eyes open is fine. Nobody is watching.",
            "guidance": guidance,
            "next": f"Next: {upcoming}" if upcoming else "",
        }
    if session.state.questions_shown != "off":  # only listed questions, put up by the facilitator
        shown = session.question_on_screen()
        questions = [shown] if shown is not None else session.listed_questions()
        return {
            "kind": "questions",
            "title": "Your questions",
            "meta": "Asked anonymously from phones.",
            "one": shown is not None,
            "items": [{"text": q.text, "votes": q.votes, "answered": q.answered} for q in questions],
        }
    slide = session.current_slide
    if slide.kind == "title":
        return {
            "kind": "title",
            "title": workshop.title,
            "lead": workshop.summary,
            "meta": f"About {format_minutes(workshop.duration)}",
            "list": [f"{m.title} · {format_minutes(m.duration)}" for m in workshop.modules],
            "gentle": "Every question can be passed. Nothing you answer has your name on it.",
        }
    if slide.kind == "module_note":
        module = session.current_module
        return {
            "kind": "module_note",
            "kicker": "Before we begin",
            "title": module.title if module else "",
            "lead": module.content_note if module else "",
            "gentle": "You are welcome to pass, to look after yourself, or to step out for a while.",
        }
    step = session.current_step
    data: dict[str, Any] = {"kind": step.kind, "title": step.title, "note": step.content_note or ""}
    if step.kind in ("content", "closing"):
        data["html"] = markdown_html(getattr(step, "body", "") or "")
    if step.kind == "activity":
        data["lead"] = step.instructions
        data.update(phases(session, step.phases or ()))
    elif step.kind == "grounding":
        data["lead"] = step.intro or ""
        data.update(phases(session, step.phases or ()))
    elif step.kind == "poll":
        data.update(_poll(session, step))
    elif step.kind == "reflection":
        data["prompt"] = step.prompt
        data["gentle"] = "This stays with you — nobody sees it."
    elif step.kind == "break":
        data["lead"] = step.message or ""
        timer = session.current_timer
        if timer is not None:
            now = session.now()
            back_at = math.ceil(round(now + timer.remaining(now)) / 60) * 60
            data["back_at"] = f"Back at {datetime.fromtimestamp(back_at).strftime('%H:%M')}"
    elif step.kind == "plan":
        data.update(prompt=step.prompt, if_label=step.if_label, then_label=step.then_label)
        data["examples"] = list(step.examples or [])
        data["gentle"] = "Small, specific, and within your control. You are welcome to pass."
    elif step.kind == "closing":
        data["qr"] = qr_svg(join_url) if join_url else None
        data["takeaway"] = _takeaway_note(session)
        data["ended"] = session.ended
    return data


def _poll(session: Session, poll: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"question": poll.question, "type": poll.type, "options": []}
    if poll.type in ("single", "multiple", "ranking", "points"):
        data["options"] = list(poll.options or [])
        if poll.type == "ranking":
            data["hint"] = "On your phone, put these in order: the first is the one that matters most to you."
        if poll.type == "points":
            data["hint"] = f"On your phone, spread {poll.point_budget} points over these as you like."
        if poll.type == "multiple":
            data["hint"] = f"Choose up to {poll.choice_limit()}."
    elif poll.type == "scale":
        scale = poll.effective_scale
        low = f"{scale.min} = {scale.min_label}" if scale.min_label else str(scale.min)
        high = f"{scale.max} = {scale.max_label}" if scale.max_label else str(scale.max)
        data["hint"] = f"{low}   …   {high}"
    else:
        kind = "one to three words" if poll.type == "words" else "a few sentences"
        data["hint"] = f"Answer on your phone with {kind}."
    data["gentle"] = "You are welcome to pass."
    data["results"] = poll_results(session, poll)
    return data


def _takeaway_note(session: Session) -> str:
    deadline = session.private_deadline if session.ended else None
    if session.ended and deadline is None and session.private_deleted:
        return "Private reflections and plans have been deleted. Totals are kept for the report."
    if deadline is not None:
        at = datetime.fromtimestamp(deadline).strftime("%H:%M")
        return f"Takeaways can be downloaded until {at}; then private reflections and plans are deleted."
    return "Each phone gets its own takeaway: your reflections and plan are in yours alone."


def room_state(session: Session, join_url: str | None) -> dict[str, Any]:
    """Everything the browser room view draws."""
    state = session.state
    return {
        "workshop": session.workshop.title,
        "blank": state.blanked and not session.ended,
        "join": {"url": join_url, "qr": qr_svg(join_url), "joined": session.joined}
        if state.join_shown and join_url
        else None,
        "slide": slide_state(session, join_url),
        "timer": timer_state(session),
    }
