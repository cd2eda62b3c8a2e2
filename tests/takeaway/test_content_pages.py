"""What people take home and what the facilitator reads, read back from the PDFs: the right help lines for
every locale in the handout and the takeaway, grounding scripts and the window picture, a line for a local
service, nothing on paper that only makes sense on a phone, and the guide's one-page safety protocol."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from facilitate.takeaway import render_guide, render_handout, render_takeaway
from facilitate.takeaway.locales import emergency_line, helplines_for
from facilitate.workshop.registry import open_workshop

SERIES = ("self-efficacy", "small-wins-and-models", "voice-values-self-trust")

# locale -> what must be printed: the service's name and how to reach it, in the locale's language.
HELP_LINES = {
    "en-US": ["988 Suicide & Crisis Lifeline", "Call or text 988"],
    "es-US": ["988 Suicide & Crisis Lifeline", "Llama o envía un mensaje de texto al 988"],
    "en-CA": ["9-8-8 Suicide Crisis Helpline", "Call or text 988"],
    "en-GB": ["Samaritans", "Call 116 123", "Shout", "85258"],
    "en-IE": ["Samaritans", "Call 116 123", "50808"],
    "en-AU": ["Lifeline", "Call 13 11 14"],
    "en-NZ": ["1737", "Call or text 1737"],
    "es-ES": ["Línea 024", "Llama al 024"],
    "es-MX": ["Línea de la Vida", "800 911 2000"],
    "fr-FR": ["Find A Helpline", "findahelpline.com"],
    "de": ["Find A Helpline", "findahelpline.com"],
}


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def pages_of(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("locale", sorted(HELP_LINES))
def test_every_locale_gets_its_own_help_lines_in_the_handout_and_the_takeaway(locale: str) -> None:
    workshop = open_workshop("self-efficacy").workshop.model_copy(update={"locale": locale})
    spanish = locale.startswith("es")
    for pdf in (render_handout(workshop), render_takeaway(workshop)):
        text = text_of(pdf)
        for expected in HELP_LINES[locale]:
            assert expected in text, f"{locale}: {expected!r} missing"
        assert "findahelpline.com" in text  # for anyone from elsewhere
        assert emergency_line(locale) in text
        assert ("En una emergencia" in text) == spanish
    if locale.endswith("US"):
        assert "Samaritans" not in text_of(render_handout(workshop))


def test_every_region_in_the_file_has_a_line_and_the_directory_comes_last() -> None:
    for locale in HELP_LINES:
        lines = helplines_for(locale)
        assert lines[-1].international and lines[-1].name == "Find A Helpline"
        assert all(line.name and line.how and line.url.startswith("https://") for line in lines)


@pytest.mark.parametrize("name", SERIES)
def test_the_handout_works_without_a_phone(name: str) -> None:
    workshop = open_workshop(name).workshop
    text = text_of(render_handout(workshop))
    for phone_only in ("in your takeaway", "camera", "tap ", "scan "):
        assert phone_only not in text.lower(), f"{name}: the handout says {phone_only!r}"
    assert "Type the address into any web browser" in text
    assert "People answer anonymous polls" not in text  # no catalogue blurb: the summary speaks to you
    assert workshop.summary.split()[0] in text
    # Home practices: the two grounding scripts, the window, and a place for a local service.
    assert "5-4-3-2-1" in text and "Breathe out slowly for a count of six" in text
    assert "Your window: you can think, feel and choose" in text
    assert "Too much: rushed, panicky, angry" in text and "Too little: numb, flat, frozen" in text
    assert "A service near you" in text and "Phone number or address" in text
    for practice in workshop.practices:
        assert practice.title in text and practice.steps[0][:30] in text


def test_one_action_for_each_source_and_kind_words_for_setbacks() -> None:
    text = text_of(render_handout(open_workshop("self-efficacy").workshop))
    for source in ("Doing it:", "Seeing it:", "Hearing it:", "Feeling it:"):
        assert source in text
    assert "That was hard. Of course it was." in text and "What I will say to myself next time" in text


def test_the_takeaway_has_the_practices_and_asks_about_a_local_service() -> None:
    text = text_of(render_takeaway(open_workshop("self-efficacy").workshop))
    assert "To try at home" in text and "5-4-3-2-1" in text and "Your window" in text
    assert "Ask your facilitator or doctor about a service near you" in text
    assert "Phone number or address" not in text  # no lines to write on, on a phone
    assert "My obstacle, and my number" not in text  # nor a prompt to write, with nowhere to write it
    assert "My obstacle, and my number" in text_of(render_handout(open_workshop("self-efficacy").workshop))


def test_a_spanish_workshop_gets_spanish_words_around_its_practices() -> None:
    workshop = open_workshop("self-efficacy").workshop.model_copy(update={"locale": "es-MX"})
    text = text_of(render_handout(workshop))
    assert "Para practicar en casa" in text and "Tu ventana: puedes pensar, sentir y elegir" in text
    assert "Un servicio cerca de ti" in text and "Escribe la dirección en cualquier navegador" in text


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("name", (*SERIES, "check-in"))
def test_the_guide_has_a_one_page_safety_protocol(name: str, paper: str) -> None:
    workshop = open_workshop(name).workshop
    pages = pages_of(render_guide(workshop, paper=paper))
    [index] = [i for i, page in enumerate(pages) if page.startswith("Safety protocol")]
    page = pages[index]
    for part in (
        "Screening: who this is not for, yet",
        "The co-facilitator",
        "Stepping out",
        "A disclosure of current risk or abuse",
        "Risk words in anonymous answers",
        "Following up",
        "Help lines to give out",
    ):
        assert part in page, f"{part!r} is not on the protocol page"
    assert helplines_for(workshop.locale)[0].name in page
    assert re.search(r"In an emergency, call your local emergency\s+number", page)
    guide = " ".join(pages)
    if name in SERIES:  # the line once repeated on every step; the protocol replaces it
        assert "If someone is distressed" not in guide
    if workshop.notes:
        assert "Planning and adapting" in guide
    if name == "self-efficacy":
        assert "To fit 90 minutes" in guide and "For about 40 people" in guide
    if workshop.series is not None:
        assert f"Session {workshop.series.part} of the series “Trusting yourself to act”" in pages[0]


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("name", SERIES)
def test_each_home_practice_stays_on_one_page(name: str, paper: str) -> None:
    """A script split over a page break is hard to follow at home, and a heading alone at the foot of a
    page reads as a mistake."""
    workshop = open_workshop(name).workshop
    pages = pages_of(render_handout(workshop, paper=paper))

    def page_of(text: str) -> int:
        return next(i for i, page in enumerate(pages) if " ".join(text.split()) in page)

    def start(practice) -> str:  # its title and first line: a title alone may also be a key point
        return f"{practice.title} {practice.when or practice.steps[0]}"

    assert page_of("To try at home") == page_of(start(workshop.practices[0]))
    for practice in workshop.practices:
        assert page_of(start(practice)) == page_of(practice.steps[-1][:40]), practice.title
