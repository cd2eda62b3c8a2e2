"""The takeaway a participant's phone downloads at the end: what they leave the room with.

In order: the workshop's title, date and facilitator; the key ideas of each module; the group's anonymous
results; the participant's own answers (start and end, reflections, the if-then plan as a card to copy);
resources with QR codes; help lines; and what the workshop was (education and support, not therapy).
A device with no answers gets the same document without the personal part.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from facilitate.messages import translate
from facilitate.takeaway import practices, sections
from facilitate.takeaway.document import BODY, MUTED, PHONE, Document, line_height
from facilitate.takeaway.locales import format_date, paper_for
from facilitate.takeaway.models import ConfidenceAnswer, PersonalAnswers, PlanAnswer, PollSummary
from facilitate.workshop.models import PollStep, Workshop

_MAX_WORDS = 8


def author_of(workshop: Workshop, facilitator: str | None) -> str:
    return (facilitator or workshop.facilitator or "").strip() or "facilitate"


def render_takeaway(
    workshop: Workshop,
    *,
    date: dt.date | str | None = None,
    results: Sequence[PollSummary] = (),
    personal: PersonalAnswers | None = None,
    facilitator: str | None = None,
    paper: str | None = None,
    join_url: str | None = None,
    demo: bool = False,
) -> bytes:
    """One participant's takeaway PDF (or the general one when `personal` is None or empty).
    `demo`: from a rehearsal with simulated participants, and it says so."""
    facilitator = (facilitator or workshop.facilitator or "").strip() or None
    doc = Document(
        # "phone" (the download's default): narrow pages for the phone's screen; else A4 or Letter to print
        paper=PHONE if paper == PHONE else paper_for(workshop.locale, paper),
        title=workshop.title,
        author=author_of(workshop, facilitator),
        lang=workshop.locale,
        subject=translate(workshop.locale, "takeaway.subject"),
    )
    private_deleted = personal is not None and personal.private_deleted
    if personal is not None and personal.is_empty():
        personal = None
    lines = [format_date(date or dt.date.today(), workshop.locale)]
    if facilitator:
        lines.append(doc.t("takeaway.with", name=facilitator))
    if demo:
        lines.append(doc.t("takeaway.demo"))
    doc.title_block(workshop.title, lines)
    doc.paragraph(doc.t("takeaway.intro" if personal is None else "takeaway.intro_personal"), after=2)

    # The participant's own part first (on a phone, it is what fills the first screen), then the group's.
    if personal is not None:
        _personal(doc, workshop, personal)
    elif private_deleted:
        doc.heading(doc.t("takeaway.just_for_you"), keep=30)
        doc.paragraph(doc.t("takeaway.private_deleted"), color=MUTED, after=3)
    _group_results(doc, workshop, results)
    sections.key_ideas(doc, workshop)
    extra = []
    if join_url and personal is None:
        extra.append(
            (
                doc.t("takeaway.session_page"),
                doc.t("takeaway.session_page_why"),
                join_url,
            )
        )
    practices.practices(doc, workshop, on_paper=False)
    sections.resources(doc, workshop, extra=extra)
    sections.help_lines(doc, workshop)
    practices.local_service(doc, workshop, on_paper=False)
    return doc.finish()


# --- the group's results ------------------------------------------------------------------------------------
def shown_results(workshop: Workshop, results: Sequence[PollSummary]) -> list[PollSummary]:
    """The summaries that may be printed, in workshop order: never one below its threshold.

    The threshold is the larger of the summary's own and the workshop's for that poll, so a summary
    built with a wrong threshold still cannot show a handful of answers.
    """
    order = {step.id: index for index, step in enumerate(workshop.step_list())}
    kept: list[PollSummary] = []
    seen: set[str] = set()
    for summary in results:
        threshold = summary.threshold
        try:
            step = workshop.step_by_id(summary.step_id)
        except KeyError:
            step = None
        if isinstance(step, PollStep):
            threshold = max(threshold, workshop.reveal_threshold(step))
        if summary.total < max(threshold, 1) or summary.step_id in seen:
            continue
        seen.add(summary.step_id)
        kept.append(summary)
    kept.sort(key=lambda summary: order.get(summary.step_id, len(order)))
    return kept


def _group_results(doc: Document, workshop: Workshop, results: Sequence[PollSummary]) -> None:
    shown = shown_results(workshop, results)
    drawable = [summary for summary in shown if _has_content(summary)]
    if not drawable:
        return
    by_id = {summary.step_id: summary for summary in shown}
    compared = _comparisons(workshop)
    doc.heading(doc.t("takeaway.results.title"), keep=40)
    doc.paragraph(doc.t("takeaway.results.intro"), color=MUTED, after=2)
    for summary in drawable:
        caption = _counted(doc, "takeaway.results.answered", summary.total)
        when = compared.get(summary.step_id)
        if when:  # the same question twice: say which time this was
            caption = f"{when}: {caption}"
        if summary.passes:
            caption += "; " + _counted(doc, "takeaway.results.passed", summary.passes)
        if summary.type == "multiple":
            caption += ". " + doc.t("takeaway.results.more_choices")
        caption += "."
        # Keep a result together on one page when it is not too long, else its start with its question.
        block = doc.text_height(caption, width=doc.epw) + 2.5 + _chart_height(doc, summary)
        doc.heading(summary.question, level=2, keep=min(block, 110.0), outline=False)
        doc.paragraph(caption, color=MUTED, after=2.5)
        if summary.type in ("single", "multiple"):
            _bars(doc, summary.options, summary.total)
        elif summary.type == "points":  # shares of all the points given
            given = sum(count for _, count in summary.options)
            _bars(doc, summary.options, given)
            doc.paragraph(doc.t("takeaway.results.points_total", n=given), color=MUTED)
        elif summary.type == "ranking":
            doc.bullets(
                doc.t(
                    "takeaway.results.rank_line_one" if firsts == 1 else "takeaway.results.rank_line_other",
                    place=place,
                    option=option,
                    rank=f"{average:.1f}",
                    n=firsts,
                )
                for place, (option, average, firsts) in enumerate(summary.ranks, start=1)
            )
        elif summary.type == "scale":
            _scale(doc, workshop, summary, by_id)
        elif summary.type == "words":
            words = summary.words[:_MAX_WORDS]
            _bars(doc, words, summary.total)
            more = len(summary.words) - _MAX_WORDS
            if more > 0:
                doc.paragraph(_counted(doc, "takeaway.results.more_words", more), color=MUTED)
        elif summary.type == "text":
            doc.bullets(f"“{text.strip()}”" for text in summary.texts if text.strip())


def _comparisons(workshop: Workshop) -> dict[str, str]:
    """ "Asked at the start" / "Asked again at the end" for polls in a before/after pair."""
    when: dict[str, str] = {}
    for _, step in workshop.steps():
        if isinstance(step, PollStep) and step.compare_with:
            when[step.compare_with] = translate(workshop.locale, "takeaway.results.asked_start")
            when[step.id] = translate(workshop.locale, "takeaway.results.asked_end")
    return when


def _chart_height(doc: Document, summary: PollSummary) -> float:
    if summary.type in ("single", "multiple", "points"):
        return sum(doc.bar_height(label) for label, _ in summary.options) + (
            8 if summary.type == "points" else 0
        )
    if summary.type == "ranking":
        return sum(doc.text_height(option, width=doc.epw - 6) + 1.2 for option, _, _ in summary.ranks)
    if summary.type == "words":
        return sum(doc.bar_height(word) for word, _ in summary.words[:_MAX_WORDS]) + 8
    if summary.type == "scale":
        return doc.columns_height() + 16
    return sum(doc.text_height(text, width=doc.epw - 6) + 1.2 for text in summary.texts)


def _has_content(summary: PollSummary) -> bool:
    if summary.type in ("single", "multiple", "points"):
        return bool(summary.options)
    if summary.type == "ranking":
        return bool(summary.ranks)
    if summary.type == "scale":
        return bool(summary.distribution)
    if summary.type == "words":
        return bool(summary.words)
    return any(text.strip() for text in summary.texts)


def _counted(doc: Document, key: str, count: int) -> str:
    """`key`_one for exactly one, else `key`_other, with the count as {n}."""
    return doc.t(f"{key}_{'one' if count == 1 else 'other'}", n=count)


def _bars(doc: Document, items: Sequence[tuple[str, int]], total: int) -> None:
    largest = max((count for _, count in items), default=0)
    for label, count in items:
        doc.bar(label, count, total, scale_to=largest)
    doc.space(1)


def _scale_label(value: int, summary: PollSummary) -> str:
    if value == summary.scale_min and summary.min_label:
        return f"{value}: {summary.min_label}"
    if value == summary.scale_max and summary.max_label:
        return f"{value}: {summary.max_label}"
    return str(value)


def _scale(doc: Document, workshop: Workshop, summary: PollSummary, by_id: dict[str, PollSummary]) -> None:
    values = range(summary.scale_min, summary.scale_max + 1)
    if len(values) <= 11:
        doc.columns([(str(value), summary.distribution.get(value, 0)) for value in values], summary.total)
        ends = [
            f"{value} = {label}"
            for value, label in (
                (summary.scale_min, summary.min_label),
                (summary.scale_max, summary.max_label),
            )
            if label
        ]
        if ends:
            doc.paragraph(" · ".join(ends), color=MUTED, after=1.5)
    else:  # a long scale: a bar for each point someone chose
        chosen = sorted(value for value, count in summary.distribution.items() if count)
        _bars(doc, [(_scale_label(v, summary), summary.distribution[v]) for v in chosen], summary.total)
    if summary.median is not None:
        doc.paragraph(doc.t("takeaway.results.median", median=_number(summary.median)), after=1.5)
    earlier = _compared(workshop, summary, by_id)
    if earlier is not None and earlier.median is not None:
        doc.paragraph(
            doc.t("takeaway.results.median_start", median=_number(earlier.median)),
            color=MUTED,
            after=2,
        )


def _compared(workshop: Workshop, summary: PollSummary, by_id: dict[str, PollSummary]) -> PollSummary | None:
    try:
        step = workshop.step_by_id(summary.step_id)
    except KeyError:
        return None
    if isinstance(step, PollStep) and step.compare_with:
        return by_id.get(step.compare_with)
    return None


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


# --- just for you -------------------------------------------------------------------------------------------


def _personal(doc: Document, workshop: Workshop, personal: PersonalAnswers) -> None:
    doc.heading(doc.t("takeaway.just_for_you"), keep=40)
    doc.paragraph(doc.t("takeaway.personal_intro"), color=MUTED, after=2)
    if personal.private_deleted:
        doc.paragraph(doc.t("takeaway.private_deleted"), color=MUTED, after=2)
    # the plan card first: the one thing to act on; then the reflections, then the before and after
    if personal.plan is not None:
        plan = PlanAnswer(*personal.plan)
        if (plan.if_text or "").strip() or (plan.then_text or "").strip():
            _plan(doc, plan)
    reflections = [(prompt, text.strip()) for prompt, text in personal.reflections if text and text.strip()]
    if reflections:
        doc.heading(doc.t("takeaway.reflections" if len(reflections) > 1 else "takeaway.reflection"), level=2)
        for prompt, text in reflections:
            doc.rich([(doc.t("takeaway.asked"), True), (prompt.strip(), False)], color=MUTED, after=1.5)
            doc.quote(text, after=4)
    if personal.confidence is not None:
        _confidence(doc, workshop, ConfidenceAnswer(*personal.confidence))


def confidence_sentence(answer: ConfidenceAnswer, locale: str | None = None) -> str:
    """Kind words for a before/after pair: no judgement when it went down."""
    before, after = answer.before, answer.after
    # Worded for any before/after scale a workshop asks (confidence, energy, calm), not only this one.
    key = (
        "takeaway.moved_up"
        if after > before
        else "takeaway.steady"
        if after == before
        else "takeaway.moved_down"
    )
    return translate(locale, key, before=before, after=after)


def _confidence(doc: Document, workshop: Workshop, answer: ConfidenceAnswer) -> None:
    question = next(
        (
            step
            for _, step in workshop.steps()
            if isinstance(step, PollStep) and step.type == "scale" and step.compare_with
        ),
        None,
    )
    sentence = confidence_sentence(answer, workshop.locale)
    asked = f"“{question.question.strip()}”" if question is not None else ""
    block = 2 * (line_height(BODY) + 1.5) + doc.text_height(sentence, width=doc.epw) + 5
    if asked:
        block += doc.text_height(asked, width=doc.epw) + 2
    doc.heading(doc.t("takeaway.start_end"), level=2, keep=block)
    if asked:
        doc.paragraph(asked, color=MUTED, after=2)
    low, high = answer.scale_min, answer.scale_max
    for label, value in (
        (doc.t("takeaway.at_start"), answer.before),
        (doc.t("takeaway.at_end"), answer.after),
    ):
        doc.scale_bar(label, value, low, high)
    doc.paragraph(sentence, after=3)


def _without_label(text: str, label: str) -> str:
    """The answer without the label repeated at its start ("When When I get home")."""
    text = " ".join((text or "").split())
    if label and text.casefold().startswith(label.casefold() + " "):
        text = text[len(label) + 1 :]
    return text


def _plan(doc: Document, plan: PlanAnswer) -> None:
    doc.heading(doc.t("takeaway.plan"), level=2, keep=40)
    if_text = _without_label(plan.if_text, plan.if_label).rstrip(",;:.!?… ")  # "Friday.," reads wrong
    then_text = _without_label(plan.then_text, plan.then_label)
    paragraphs = []
    if if_text:
        paragraphs.append([(f"{plan.if_label} ", True), (if_text + ("," if then_text else ""), False)])
    if then_text:
        end = "" if then_text[-1:] in ".!?…" else "."
        paragraphs.append([(f"{plan.then_label} ", True), (then_text + end, False)])
    doc.card(paragraphs)
    doc.paragraph(doc.t("takeaway.plan_tip"), color=MUTED, after=2)
