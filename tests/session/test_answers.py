"""Participants' answers in the session core: validated, durable, anonymous, and shown only in aggregate."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from facilitate.session.answers import (
    AnswerRefused,
    Submission,
    display_step,
    normalize_answer,
    poll_results,
    tally,
)
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.models import PollStep
from facilitate.workshop.registry import open_workshop


def make_poll(step_id: str, **fields: object) -> PollStep:
    """A poll step with the fields a test cares about; the rest filled in."""
    base = {"id": step_id, "kind": "poll", "title": "P", "duration": "1m", "question": "?"}
    return PollStep.model_validate({**base, **fields})


def start(tmp_path: Path) -> Session:
    return Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=FakeClock())


def poll_of(session: Session, poll_type: str) -> PollStep:
    return next(s for _, s in session.workshop.steps() if s.kind == "poll" and s.type == poll_type)


def step_of(session: Session, kind: str):
    return next(s for _, s in session.workshop.steps() if s.kind == kind)


def refused(step, value) -> AnswerRefused:
    with pytest.raises(AnswerRefused) as caught:
        normalize_answer(step, value)
    return caught.value


def test_each_poll_type_takes_its_own_shape(tmp_path: Path) -> None:
    session = start(tmp_path)
    single, multiple = poll_of(session, "single"), poll_of(session, "multiple")
    scale, words, text = poll_of(session, "scale"), poll_of(session, "words"), poll_of(session, "text")
    assert normalize_answer(single, 1) == 1
    assert normalize_answer(multiple, [1, 0]) == [0, 1]
    assert normalize_answer(scale, scale.effective_scale.max) == scale.effective_scale.max
    assert normalize_answer(words, ["  Calm ", "tired"]) == ["Calm", "tired"]
    assert normalize_answer(text, "fine\x00 thanks\x1b") == "fine thanks"
    for step in (single, multiple, scale, words, text):
        assert normalize_answer(step, None) is None  # pass
    assert refused(single, len(single.options)).status == 422
    assert refused(single, True).status == 422
    assert refused(multiple, [0, 0]).status == 422
    assert refused(scale, scale.effective_scale.max + 1).status == 422
    assert refused(words, ["a", "b", "c", "d"]).status == 422
    assert refused(words, ["x" * 31]).status == 422
    assert refused(text, "x" * 501).status == 422
    assert refused(text, "   ").status == 422


def test_reflections_and_plans(tmp_path: Path) -> None:
    session = start(tmp_path)
    reflection, plan = step_of(session, "reflection"), step_of(session, "plan")
    assert normalize_answer(reflection, " mine ") == "mine"
    assert normalize_answer(plan, {"if": "Monday", "then": "walk"}) == {"if": "Monday", "then": "walk"}
    assert refused(plan, {"if": "x"}).status == 422
    assert refused(plan, "walk").status == 422


def test_participant_text_is_kept_as_typed_never_interpreted(tmp_path: Path) -> None:
    session = start(tmp_path)
    text = poll_of(session, "text")
    for hostile in ("[bold red]hi[/]", "[@click=app.quit]x[/]", "<script>alert(1)</script>", "مرحبا ‏world"):
        assert normalize_answer(text, hostile) == hostile.replace("\u200f", "")
    assert normalize_answer(step_of(session, "reflection"), "🙂" * 2000) == "🙂" * 2000


def test_answers_only_while_the_poll_is_on_screen(tmp_path: Path) -> None:
    session = start(tmp_path)
    token = session.join()
    poll = poll_of(session, "single")
    with pytest.raises(AnswerRefused) as caught:
        session.submit(token, poll.id, 0)
    assert caught.value.status == 409
    session.jump(poll.id)
    session.submit(token, poll.id, 0)
    assert session.has_answered(token, poll.id)
    with pytest.raises(AnswerRefused) as unknown:
        session.submit(token, "no-such-step", 0)
    assert unknown.value.status == 404
    with pytest.raises(AnswerRefused) as stranger:
        session.submit("not-a-device", poll.id, 0)
    assert stranger.value.status == 400


def test_one_answer_per_device_and_it_may_change(tmp_path: Path) -> None:
    session = start(tmp_path)
    poll = poll_of(session, "single")
    session.jump(poll.id)
    tokens = [session.join() for _ in range(3)]
    for token in tokens:
        session.submit(token, poll.id, 0)
    session.submit(tokens[0], poll.id, 1)
    session.submit(tokens[1], poll.id, None)
    current = session.results(poll.id).current
    assert (current.answered, current.passed) == (2, 1)
    assert current.counts[:2] == (1, 1)


def test_nothing_is_shown_below_the_threshold(tmp_path: Path) -> None:
    session = start(tmp_path)
    poll = poll_of(session, "single")
    threshold = session.workshop.reveal_threshold(poll)
    session.jump(poll.id)
    tokens = [session.join() for _ in range(threshold)]
    for token in tokens[:-1]:
        session.submit(token, poll.id, 0)
    results = session.results(poll.id)
    assert results.shown is None and results.waiting_for == 1
    session.submit(tokens[-1], poll.id, 1)
    results = session.results(poll.id)
    assert results.shown is not None and results.shown.answered == threshold


def test_passes_do_not_count_toward_the_threshold() -> None:
    poll = make_poll("p", type="single", options=["a", "b"])
    subs = [Submission(f"d{i}", None) for i in range(10)]
    assert poll_results(poll, 5, subs).shown is None


def test_shown_results_move_only_in_steps_of_several() -> None:
    poll = make_poll("p", type="single", options=["a", "b"])
    k = display_step(5)
    subs = [Submission(f"d{i}", 0) for i in range(k)]
    shown = poll_results(poll, 5, subs).shown
    for late in range(1, k):  # one by one, the late answers change nothing anyone can see
        later = subs + [Submission(f"late{i}", 1) for i in range(late)]
        result = poll_results(poll, 5, later)
        assert result.shown == shown and result.pending == late
        assert result.current.answered == k + late  # the facilitator's live count still moves
    moved = poll_results(poll, 5, subs + [Submission(f"late{i}", 1) for i in range(k)]).shown
    assert moved.counts == (k, k)
    assert display_step(0) == 1  # a workshop that set no threshold shows answers as they come


def test_words_are_counted_case_folded_and_scale_has_a_median() -> None:
    words = make_poll("w", type="words")
    subs = [Submission("a", ["Calm", "tired"]), Submission("b", ["calm"]), Submission("c", ["CALM", "hope"])]
    tally = poll_results(words, 0, subs).shown
    assert tally.words[0] == ("Calm", 3)  # the first spelling seen, when spellings tie
    scale = make_poll("s", type="scale")
    tally = poll_results(scale, 0, [Submission("a", 2), Submission("b", 4), Submission("c", 9)]).shown
    assert tally.median == 4 and sum(tally.counts) == 3 and tally.counts[2] == 1


def test_private_answers_are_only_for_their_device(tmp_path: Path) -> None:
    session = start(tmp_path)
    reflection, plan = step_of(session, "reflection"), step_of(session, "plan")
    mine, theirs = session.join(), session.join()
    session.submit(mine, reflection.id, "only mine")
    session.submit(mine, plan.id, {"if": "Monday comes", "then": "I walk"})
    session.submit(theirs, reflection.id, "theirs")
    assert session.private_answers(mine) == {
        reflection.id: "only mine",
        plan.id: {"if": "Monday comes", "then": "I walk"},
    }
    assert session.private_answers(theirs) == {reflection.id: "theirs"}


def test_every_answer_and_device_survives_a_resume(tmp_path: Path) -> None:
    session = start(tmp_path)
    poll = poll_of(session, "single")
    session.jump(poll.id)
    tokens = [session.join() for _ in range(6)]
    for index, token in enumerate(tokens):
        session.submit(token, poll.id, index % 2)
    before = session.results(poll.id)
    session.close()
    resumed = Session.resume(tmp_path, session.id, clock=FakeClock(1_764_000_500.0))
    assert resumed.join(tokens[0]) == tokens[0] and resumed.joined == 6
    assert resumed.results(poll.id) == before
    resumed.submit(tokens[0], poll.id, 1)  # the same phone carries on where it was


def test_no_request_metadata_is_stored(tmp_path: Path) -> None:
    session = start(tmp_path)
    token = session.join()
    session.jump(poll_of(session, "single").id)
    session.submit(token, session.current_step.id, 0)
    with closing(sqlite3.connect(session.journal.path)) as conn:
        columns = {
            column[1]
            for table in ("devices", "submissions", "private_answers")
            for column in conn.execute(f"PRAGMA table_info({table})")
        }
    assert columns == {"token", "joined_at", "seq", "step_id", "device", "value", "at"}


def test_reveal_is_refused_below_the_threshold_and_survives_resume(tmp_path: Path) -> None:
    session = start(tmp_path)
    poll = poll_of(session, "single")
    session.jump(poll.id)
    refused_reveal = session.toggle_reveal(poll.id)
    assert not refused_reveal.ok and "Waiting for at least" in refused_reveal.reason
    for token in [session.join() for _ in range(session.workshop.reveal_threshold(poll))]:
        session.submit(token, poll.id, 0)
    assert session.toggle_reveal(poll.id).ok and poll.id in session.state.revealed
    session.close()
    resumed = Session.resume(tmp_path, session.id, clock=FakeClock(1_764_000_900.0))
    assert poll.id in resumed.state.revealed
    assert resumed.toggle_reveal(poll.id).ok and poll.id not in resumed.state.revealed


def test_a_changed_answer_never_keeps_the_results_hidden() -> None:
    """A small room where one person changed their mind: results show once five different people have
    answered, not once five submissions have (which would need ten when someone changes)."""
    poll = make_poll("p", type="scale", scale={"min": 0, "max": 10})
    subs = [Submission("d0", 3), Submission("d0", 4)]
    subs += [Submission(f"d{i}", 5) for i in range(1, 4)]
    assert poll_results(poll, 5, subs).shown is None  # four people so far
    subs.append(Submission("d4", 6))
    shown = poll_results(poll, 5, subs).shown
    assert shown is not None and shown.answered == 5
    assert shown.counts[4] == 1 and shown.counts[3] == 0  # the changed answer counts as changed


def test_after_the_first_reveal_a_change_of_mind_shows_only_with_several_more() -> None:
    poll = make_poll("p", type="single", options=["a", "b"])
    subs = [Submission(f"d{i}", 0) for i in range(5)]
    first = poll_results(poll, 5, subs).shown
    changed = [*subs, Submission("d0", 1)]
    assert poll_results(poll, 5, changed).shown == first  # one change: nothing anyone can see
    fewer = changed + [Submission(f"late{i}", 0) for i in range(display_step(5) - 1)]
    assert poll_results(poll, 5, fewer).shown == first  # one phone short of a whole step of new devices
    more = changed + [Submission(f"late{i}", 0) for i in range(display_step(5))]
    assert poll_results(poll, 5, more).shown.counts == (9, 1)  # the change applied with the step


def test_percent_is_of_people_and_rounds_halves_up_everywhere() -> None:
    from facilitate.session.answers import percent

    assert percent(1, 8) == 13  # 12.5: the phone's Math.round says 13, and so do the screen and PDF
    assert percent(3, 5) == 60  # three of five people chose it, whatever else they chose
    assert percent(0, 0) == 0


def test_a_word_is_one_line_and_joined_writing_survives() -> None:
    """A line break inside a word could draw fake lines on the projector; joiners are part of writing
    (Persian words, family and flag emoji), while bidirectional overrides are dropped."""
    poll = make_poll("w", type="words")
    assert normalize_answer(poll, ["calm\n\n\nPOLL CLOSED"]) == ["calm POLL CLOSED"]
    assert normalize_answer(poll, ["می\u200cخواهم"]) == ["می\u200cخواهم"]
    family = "👩\u200d👩\u200d👧"
    assert normalize_answer(poll, [family]) == [family]
    assert normalize_answer(poll, ["a\u202eb"]) == ["ab"]


def test_word_ties_keep_the_order_they_were_first_given() -> None:
    poll = make_poll("w", type="words")
    subs = [Submission("d1", ["שלום"]), Submission("d2", ["$(rm)"]), Submission("d3", ["zebra"])]
    assert [word for word, _ in tally(poll, subs).words] == ["שלום", "$(rm)", "zebra"]


def test_changes_of_mind_never_move_a_shown_chart() -> None:
    """Issue 12: one real phone changing its own answer three times moved a revealed chart (each change
    counted as a submission) and exposed a third person's answer. Only new devices move it."""
    poll = make_poll("p", type="scale", scale={"min": 0, "max": 10})
    subs = [Submission(f"d{i}", 5) for i in range(5)]
    first = poll_results(poll, 5, subs).shown
    for value in (0, 10, 3, 7, 1, 9, 2, 8):  # one phone, changing its mind over and over
        subs.append(Submission("d0", value))
        assert poll_results(poll, 5, subs).shown == first
    subs.append(Submission("late", 6))  # one new person with many changes around: still nothing
    for value in (4, 6):
        subs.append(Submission("d1", value))
    assert poll_results(poll, 5, subs).shown == first
