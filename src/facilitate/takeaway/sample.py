"""Made-up but realistic answers for a workshop: for previews, tests and the benchmark.

Deterministic (a fixed seed), so two runs draw the same PDF.
"""

from __future__ import annotations

import random
import statistics

from facilitate.session.priorities import rank_totals, ranking_order
from facilitate.takeaway.models import ConfidenceAnswer, PersonalAnswers, PlanAnswer, PollSummary
from facilitate.workshop.models import PlanStep, PollStep, ReflectionStep, Workshop

_WORDS = (
    "fear", "time", "old voices", "tiredness", "perfectionism", "other people", "doubt", "shame",
    "comparison", "money", "stress", "my family", "habit", "worry", "being judged",
)  # fmt: skip
_TEXTS = (
    "A walk before work.",
    "Asking for help earlier in the week.",
    "Less time on my phone in the evening.",
    "Saying no to one extra thing.",
)
_REFLECTION = (
    "When I moved cities and nobody asked what I wanted. A kitchen table, the year I was twelve. "
    "I still hear “don't make a fuss” before I speak up at work."
)


def sample_results(workshop: Workshop, *, people: int = 14, seed: int = 7) -> list[PollSummary]:
    """A summary for every poll in the workshop, as if `people` had answered (a few passing)."""
    rng = random.Random(seed)
    summaries: list[PollSummary] = []
    for _, step in workshop.steps():
        if not isinstance(step, PollStep):
            continue
        passes = rng.randint(0, 2)
        total = people - passes
        threshold = workshop.reveal_threshold(step)
        common = {
            "step_id": step.id,
            "question": step.question,
            "type": step.type,
            "total": total,
            "passes": passes,
            "threshold": threshold,
        }
        if step.type in ("single", "multiple"):
            options = step.options or []
            counts = [0] * len(options)
            for _ in range(total):
                picks = 1 if step.type == "single" else rng.randint(1, step.choice_limit())
                for index in rng.sample(range(len(options)), picks):
                    counts[index] += 1
            summaries.append(PollSummary(**common, options=list(zip(options, counts, strict=True))))
        elif step.type == "scale":
            scale = step.effective_scale
            shift = 1 if step.compare_with else 0
            answers = [min(scale.max, max(scale.min, round(rng.gauss(5 + shift, 2)))) for _ in range(total)]
            distribution = {value: answers.count(value) for value in range(scale.min, scale.max + 1)}
            summaries.append(
                PollSummary(
                    **common,
                    distribution=distribution,
                    median=float(statistics.median(answers)),
                    scale_min=scale.min,
                    scale_max=scale.max,
                    min_label=scale.min_label,
                    max_label=scale.max_label,
                )
            )
        elif step.type in ("ranking", "points"):
            options = step.options or []
            if step.type == "ranking":
                orders = [
                    sorted(range(len(options)), key=lambda i: i + rng.gauss(0, 1.5)) for _ in range(total)
                ]
                totals = rank_totals(orders, len(options))
                ranks = [
                    (options[i], totals.average_rank[i], totals.firsts[i]) for i in ranking_order(totals)
                ]
                summaries.append(PollSummary(**common, ranks=ranks))
            else:
                budget, points = step.point_budget, [0] * len(options)
                for _ in range(total):
                    cuts = sorted(rng.randint(0, budget) for _ in range(len(options) - 1))
                    for index, (low, high) in enumerate(zip([0, *cuts], [*cuts, budget], strict=True)):
                        points[index] += high - low
                summaries.append(PollSummary(**common, options=list(zip(options, points, strict=True))))
        elif step.type == "words":
            words = rng.sample(_WORDS, 9)
            counts = sorted((rng.randint(1, 6) for _ in words), reverse=True)
            summaries.append(PollSummary(**common, words=list(zip(words, counts, strict=True))))
        else:
            summaries.append(PollSummary(**common, texts=list(_TEXTS)))
    return summaries


def sample_personal(workshop: Workshop) -> PersonalAnswers:
    """One participant's answers: every reflection, the plan and a before/after pair if there is one."""
    reflections = [
        (step.prompt, _REFLECTION) for _, step in workshop.steps() if isinstance(step, ReflectionStep)
    ]
    plan_step = next((step for _, step in workshop.steps() if isinstance(step, PlanStep)), None)
    plan = None
    if plan_step is not None:
        plan = PlanAnswer(
            plan_step.if_label,
            "I notice I'm scrolling after 10 pm",
            plan_step.then_label,
            "put the phone in the kitchen and read two pages of my book",
        )
    after = next(
        (s for _, s in workshop.steps() if isinstance(s, PollStep) and s.compare_with is not None), None
    )
    confidence = None
    if after is not None:
        scale = after.effective_scale
        confidence = ConfidenceAnswer(4, 6, scale.min, scale.max)
    return PersonalAnswers(reflections=reflections, plan=plan, confidence=confidence)
