"""Broken workshop files: every problem reported as PATH:LINE:COLUMN, pointing at the real mistake."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from facilitate.workshop.loader import WorkshopLoadError, load_workshop
from facilitate.workshop.registry import open_workshop

GOOD = textwrap.dedent(
    """\
    id: demo
    title: Demo
    summary: A demo.
    audience: Testers.
    modules:
      - id: first
        title: First
        goal: Try things.
        steps:
          - id: hello
            kind: content
            title: Hello
            duration: 2m
            body: Hi
          - id: vote
            kind: poll
            title: Vote
            duration: 1m
            question: Which?
            type: single
            options: [Tea, Coffee]
    """
)


def write(tmp_path: Path, text: str, name: str = "w.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(path: Path) -> list[str]:
    with pytest.raises(WorkshopLoadError) as caught:
        load_workshop(path)
    return [str(error) for error in caught.value.errors]


def one_error(path: Path) -> str:
    errors = errors_of(path)
    assert len(errors) == 1, errors
    return errors[0]


def test_a_good_file_loads(tmp_path: Path) -> None:
    loaded = load_workshop(write(tmp_path, GOOD))
    assert loaded.workshop.title == "Demo"
    assert loaded.source == GOOD


def test_unknown_key_points_at_the_key_and_suggests(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("question: Which?", "qestion: Which?"))
    # Only the root cause, at its own line: not also "missing `question`" (its echo), first and at the
    # step's first line.
    assert (
        one_error(path) == f"{path}:19:9: unknown key `qestion` in poll step 'vote'; did you mean `question`?"
    )


def test_a_missing_key_is_still_reported_when_no_unknown_key_explains_it(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("        question: Which?\n", "        colour: blue\n"))
    errors = errors_of(path)
    assert errors[0] == f"{path}:15:9: poll step 'vote' is missing `question`"
    assert errors[1].startswith(f"{path}:19:9: unknown key `colour` in poll step 'vote'; allowed here:")


@pytest.mark.parametrize(
    ("wrong", "right", "expected"),
    [
        (  # a key indented further than the one above it, which has a value
            "        title: Hello\n",
            "          title: Hello\n",
            "12:11: `title` is indented more than `kind` on line 11 above it (column 11 against 9): keys that "
            "belong together start in the same column, and `kind` already has a value, so `title` cannot "
            "belong under it",
        ),
        (  # after a plain value, PyYAML reads the next line as more of it: "is a `:` inside a value?"
            "        body: Hi\n",
            "          body: Hi\n",
            "14:11: `body` is indented more than `duration` on line 13 above it (column 11 against 9): keys "
            "that belong together start in the same column, and `duration` already has a value, so `body` "
            "cannot belong under it",
        ),
        (  # a mis-indented `steps:` ("expected <block end>, but found '?'")
            "    steps:\n",
            "  steps:\n",
            "9:3: `steps` is indented less than `goal` on line 8 above it (column 3 against 5): keys that "
            "belong together start in the same column",
        ),
        (
            "    steps:\n",
            "      steps:\n",
            "9:7: `steps` is indented more than `goal` on line 8 above it (column 7 against 5): keys that "
            "belong together start in the same column, and `goal` already has a value, so `steps` cannot "
            "belong under it",
        ),
    ],
)
def test_wrong_indentation_names_the_line_that_does_not_line_up(
    tmp_path: Path, wrong: str, right: str, expected: str
) -> None:
    assert wrong in GOOD
    path = write(tmp_path, GOOD.replace(wrong, right, 1))
    message = one_error(path)
    assert message == f"{path}:{expected}"
    assert "inside a value" not in message and "block end" not in message


def test_a_colon_inside_a_value_still_gets_its_hint(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("title: Demo", "title: Part one: the start"))
    assert one_error(path).endswith("(is a `:` inside a value? put the value in quotes)")


def test_unknown_kind_points_at_the_kind_value(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("kind: poll", "kind: pol"))
    assert one_error(path) == f"{path}:16:15: unknown step kind 'pol': did you mean `poll`?"


def test_zero_and_unreadable_durations(tmp_path: Path) -> None:
    path = write(
        tmp_path, GOOD.replace("duration: 1m", "duration: 0m").replace("duration: 2m", "duration: soon")
    )
    errors = errors_of(path)
    assert errors[0].startswith(f"{path}:13:19: cannot read the duration 'soon'")
    assert errors[1].startswith(f"{path}:18:19: the duration '0m' is zero")


def test_duplicate_step_id_points_at_the_second(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("id: vote", "id: hello"))
    assert one_error(path).startswith(f"{path}:15:9: step id 'hello' is used twice")


def test_single_poll_with_one_option_points_at_options(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("[Tea, Coffee]", "[Tea]"))
    assert one_error(path) == f"{path}:21:9: a single poll needs at least 2 options, not 1"


def test_scale_min_not_below_max(tmp_path: Path) -> None:
    text = GOOD.replace(
        "type: single\n        options: [Tea, Coffee]", "type: scale\n        scale: {min: 3, max: 3}"
    )
    path = write(tmp_path, text)
    assert one_error(path) == f"{path}:21:9: the scale's min (3) must be below its max (3)"


def test_unknown_compare_with(tmp_path: Path) -> None:
    text = GOOD.replace(
        "type: single\n        options: [Tea, Coffee]", "type: scale\n        compare_with: earlier"
    )
    path = write(tmp_path, text)
    assert one_error(path).startswith(
        f"{path}:21:9: `compare_with` names 'earlier', which is not an earlier scale poll"
    )


def test_all_errors_are_reported_not_just_the_first(tmp_path: Path) -> None:
    text = (
        GOOD.replace("title: Hello", "titel: Hello")
        .replace("kind: poll", "kind: pole")
        .replace("summary", "sumary")
    )
    path = write(tmp_path, text)
    assert [error.split(": ", 1)[1] for error in errors_of(path)] == [
        "unknown key `sumary` in the workshop; did you mean `summary`?",
        "unknown key `titel` in content step 'hello'; did you mean `title`?",
        "unknown step kind 'pole': did you mean `poll`?",
    ]


def test_duplicate_keys_are_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("title: Demo\n", "title: Demo\ntitle: Again\n"))
    assert one_error(path) == f"{path}:3:1: duplicate key 'title' (first given on line 2): keep one of them"


def test_tabs_for_indentation(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("    title: First", "\ttitle: First"))
    message = one_error(path)
    assert message.startswith(f"{path}:7:")
    assert "tab" in message and "spaces" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", ":1:1: the file is empty"),
        ("# only a comment\n\n", ":1:1: the file is empty"),
        (
            "- one\n- two\n",
            ":1:1: expected the workshop's keys (id, title, modules, …) at the top level, found a list",
        ),
        ("just words\n", ":1:1: expected the workshop's keys"),
        ("id: x\n  title: [unclosed\n", ":2:3: `title` is indented more than `id` on line 1 above it"),
        ("id: x\ntitle: [unclosed\n", ":3:1: this is not valid YAML"),
        (
            "id: !!python/object/apply:os.system [echo]\n",
            ":1:5: the tag !!python/object/apply:os.system is not allowed",
        ),
        ("id: !custom x\n", ":1:5: the tag !custom is not allowed"),
    ],
)
def test_each_broken_file_gets_its_own_message(tmp_path: Path, content: str, expected: str) -> None:
    path = write(tmp_path, content)
    message = one_error(path)
    assert message.startswith(str(path) + expected), message


def test_non_utf8_bytes(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(GOOD.replace("Hi", "Caf\xe9").encode("latin-1"))
    assert (
        one_error(path) == f"{path}:14:18: byte 0xe9 is not UTF-8 text: save the file as UTF-8 in your editor"
    )


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert one_error(tmp_path / "nope.yaml").endswith(
        "no such file: check the path, or run `facilitate list` for the workshops you have"
    )
    assert "this is a folder" in one_error(tmp_path)


def test_alias_bomb_is_stopped(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    message = one_error(write(tmp_path, "\n".join(lines) + "\n"))
    assert "expands to more than 100,000 values" in message


def test_small_aliases_still_work(tmp_path: Path) -> None:
    text = GOOD.replace("body: Hi", "body: &greeting Hi").replace("question: Which?", "question: *greeting")
    assert load_workshop(write(tmp_path, text)).workshop.step_by_id("vote").question == "Hi"


def test_wrong_types_are_named(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("options: [Tea, Coffee]", "options: Tea"))
    assert (
        one_error(path) == f"{path}:21:18: `options` should be a list (lines starting with `- `), not 'Tea'"
    )


def test_bad_id_explains_the_slug_rule(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("id: vote", "id: Vote Now"))
    assert "is not a usable id: use lower-case letters" in one_error(path)


def test_no_traceback_text_in_messages(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("duration: 1m", "duration: [1, 2]"))
    assert "Traceback" not in one_error(path)


@pytest.mark.parametrize("tabbed", ["title:\tTabbed", "title: Tabbed\t", "title: Tabbed\t# a note"])
def test_a_tab_is_judged_the_same_with_or_without_libyaml(tabbed: str, monkeypatch) -> None:
    """libyaml accepts some tabs the pure-Python parser refuses: validity must not depend on the build."""
    from facilitate.workshop import loader
    from facilitate.workshop.loader import parse_workshop

    source = open_workshop("check-in").source.replace("title: Weekly check-in", tabbed, 1)
    assert tabbed in source

    def outcome() -> str:
        try:
            return parse_workshop(source, "w.yaml").title
        except WorkshopLoadError as exc:
            return str(exc)

    fast = outcome()
    monkeypatch.setattr(loader, "_FastComposer", None)
    assert outcome() == fast


def test_a_misspelt_poll_type_gets_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("type: single", "type: rankng"))
    assert one_error(path) == f"{path}:20:15: unknown poll type 'rankng': did you mean `ranking`?"


def test_moderate_on_a_poll_that_cannot_hide_answers_points_at_the_key(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "        moderate: true\n")
    assert "`moderate` is only for `words` and `text` polls" in one_error(path)
