import pytest

from facilitate.workshop.durations import format_duration, format_minutes, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("5m", 300), ("90s", 90), ("1h 15m", 4500), ("1h15m", 4500), ("2M", 120), (" 1m 30s ", 90)],
)
def test_parses_what_authors_write(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("0m", "zero"),
        ("5 minutes", "cannot read"),
        ("", "cannot read"),
        ("m", "cannot read"),
        ("5m 3m", "twice"),
        (5, '"5m"'),
        (None, "not None"),
        ("25h", "longer than a day"),
    ],
)
def test_refuses_with_a_hint(value: object, hint: str) -> None:
    with pytest.raises(ValueError, match=hint):
        parse_duration(value)


@pytest.mark.parametrize(
    ("seconds", "text"), [(300, "5m"), (90, "1m 30s"), (4500, "1h 15m"), (3600, "1h"), (0, "0s")]
)
def test_format_round_trips(seconds: int, text: str) -> None:
    assert format_duration(seconds) == text
    if seconds:
        assert parse_duration(text) == seconds


def test_minutes_for_people() -> None:
    assert format_minutes(300) == "5 min"
    assert format_minutes(90) == "1.5 min"
