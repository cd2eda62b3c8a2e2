"""From a live session to what the renderers take: the group's revealed results and one device's own
answers. This is the only place the PDFs meet the session, and it reads, never writes."""

from __future__ import annotations

from facilitate.session.priorities import RankingTotals, ranking_order
from facilitate.session.session import Session
from facilitate.takeaway.models import ConfidenceAnswer, PersonalAnswers, PlanAnswer, PollSummary
from facilitate.workshop.models import PlanStep, PollStep, ReflectionStep


def group_results(session: Session) -> list[PollSummary]:
    """Polls the facilitator revealed, as they were shown (in steps, never below the threshold)."""
    summaries: list[PollSummary] = []
    for _, poll in session.workshop.steps():
        if not isinstance(poll, PollStep) or poll.id not in session.state.revealed:
            continue
        results = session.results(poll.id)
        shown = results.shown
        if shown is None:
            continue
        common = {
            "step_id": poll.id,
            "question": poll.question,
            "type": poll.type,
            "total": shown.answered,
            "passes": shown.passed,
            "threshold": results.threshold,
        }
        if poll.type in ("single", "multiple", "points"):  # points: each option's total
            options = list(zip(poll.options or [], shown.counts, strict=True))
            summaries.append(PollSummary(**common, options=options))
        elif poll.type == "scale":
            scale = poll.effective_scale
            distribution = {scale.min + index: count for index, count in enumerate(shown.counts)}
            summaries.append(
                PollSummary(
                    **common,
                    distribution=distribution,
                    median=shown.median,
                    scale_min=scale.min,
                    scale_max=scale.max,
                    min_label=scale.min_label,
                    max_label=scale.max_label,
                )
            )
        elif poll.type == "words":  # only the words the facilitator showed (Session.results checks them)
            summaries.append(PollSummary(**common, words=list(shown.words)))
        elif poll.type == "ranking":
            options = poll.options or []
            order = ranking_order(RankingTotals(shown.average_rank, shown.counts))
            ranks = [(options[i], shown.average_rank[i], shown.counts[i]) for i in order]
            summaries.append(PollSummary(**common, ranks=ranks))
        else:
            summaries.append(PollSummary(**common, texts=session.approved_texts(poll.id)))
    return summaries


def personal_answers(session: Session, token: str) -> PersonalAnswers:
    """This device's reflections, plan and before/after: for its own PDF and nobody else's."""
    private = session.private_answers(token)
    reflections: list[tuple[str, str]] = []
    plan: PlanAnswer | None = None
    for _, step in session.workshop.steps():
        value = private.get(step.id)
        if isinstance(step, ReflectionStep) and isinstance(value, str) and value.strip():
            reflections.append((step.prompt, value))
        elif isinstance(step, PlanStep) and isinstance(value, dict):
            plan = PlanAnswer(
                step.if_label, str(value.get("if", "")), step.then_label, str(value.get("then", ""))
            )
    return PersonalAnswers(
        reflections=reflections,
        plan=plan,
        confidence=_confidence(session, token),
        private_deleted=session.private_deleted,
    )


def _confidence(session: Session, token: str) -> ConfidenceAnswer | None:
    """The device's own answers to a before/after pair of scale polls, if it answered both."""
    for _, after in session.workshop.steps():
        if not isinstance(after, PollStep) or after.type != "scale" or not after.compare_with:
            continue
        mine_after = session.device_answer(token, after.id)
        mine_before = session.device_answer(token, after.compare_with)
        if isinstance(mine_after, int) and isinstance(mine_before, int):
            scale = after.effective_scale
            return ConfidenceAnswer(mine_before, mine_after, scale.min, scale.max)
    return None
