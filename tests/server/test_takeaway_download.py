"""The takeaway a phone downloads: laid out for that phone (narrow pages, body text large at fit-width,
the participant's own part on page 1, every address and phone number a link), `?paper=a4|letter` for the
printable one with its QR codes, and tagged for screen readers (structure tree, reading order, language)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pypdf import PdfReader

from facilitate.server.app import create_app
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.registry import open_workshop
from tests.server.test_api import joined, post

PHONE_WIDTH_CSS_PX = 360
REFLECTION = "A kitchen table, the year I was twelve."
PLAN = {"if": "I notice I am scrolling after 10 pm", "then": "I put the phone in the kitchen"}


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=FakeClock())


async def download(session: Session, query: str = "") -> bytes:
    steps = {s.kind: s.id for _, s in session.workshop.steps()}
    async with TestClient(TestServer(create_app(session))) as phone:
        await joined(phone, session)
        assert (await post(phone, session, {"step": steps["reflection"], "answer": REFLECTION})).status == 200
        assert (await post(phone, session, {"step": steps["plan"], "answer": PLAN})).status == 200
        reply = await phone.get(f"/j/{session.join_secret}/takeaway.pdf{query}")
        assert reply.status == 200, await reply.text()
        return await reply.read()


def font_sizes_of(page, words: str) -> list[float]:
    """The type sizes (pt) the text holding `words` is set in on `page`."""
    sizes: list[float] = []

    def visit(text, cm, tm, font, size) -> None:
        if text.strip() and any(word in text for word in words.split() if len(word) > 4):
            sizes.append(size * abs(tm[0]) * abs(cm[0]))

    page.extract_text(visitor_text=visit)
    return sizes


async def test_the_phones_takeaway_reads_at_fit_width_with_its_own_part_first(session: Session) -> None:
    reader = PdfReader(io.BytesIO(await download(session)))
    first = reader.pages[0]
    width_pt = float(first.mediabox.width)
    assert width_pt < 300  # narrow: a phone's page, not A4's 595 pt
    text = " ".join(first.extract_text().split())
    assert "Your plan" in text and PLAN["then"] in text  # the participant's own part on page 1
    sizes = font_sizes_of(first, PLAN["then"])
    assert sizes
    assert min(sizes) >= 12  # body text: 12 pt
    css_px = min(sizes) * PHONE_WIDTH_CSS_PX / width_pt  # fitted to a 360 px wide screen
    assert css_px >= 12, css_px
    assert not any("/XObject" in (page.get("/Resources") or {}) for page in reader.pages)  # no QR codes


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils (pdfinfo) is not installed")
async def test_every_address_and_phone_number_is_a_link(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "takeaway.pdf"
    path.write_bytes(await download(session))
    listed = subprocess.run(["pdfinfo", "-url", str(path)], capture_output=True, text=True, check=True).stdout
    urls = {line.split()[-1] for line in listed.splitlines()[1:] if line.strip()}
    assert "tel:988" in urls  # the help line's number, tapped, calls it
    assert "https://988lifeline.org/" in urls and "https://findahelpline.com/" in urls
    for resource in session.workshop.resources:
        assert resource.url in urls


@pytest.mark.parametrize(("query", "size"), [("?paper=a4", (595, 842)), ("?paper=letter", (612, 792))])
async def test_paper_gives_the_printable_takeaway_with_its_qr_codes(session: Session, query, size) -> None:
    reader = PdfReader(io.BytesIO(await download(session, query)))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size
    assert any(page.images for page in reader.pages) == bool(session.workshop.resources)


async def test_an_unknown_paper_is_refused_with_a_sentence(session: Session) -> None:
    async with TestClient(TestServer(create_app(session))) as phone:
        await joined(phone, session)
        reply = await phone.get(f"/j/{session.join_secret}/takeaway.pdf?paper=a3")
        assert reply.status == 400 and "a4" in (await reply.json())["error"]


async def test_the_takeaway_is_tagged_in_reading_order_with_its_language(session: Session) -> None:
    reader = PdfReader(io.BytesIO(await download(session)))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == session.workshop.locale
    document = root["/StructTreeRoot"]["/K"]
    document = document[0].get_object() if isinstance(document, list) else document.get_object()
    kinds = [str(kid.get_object()["/S"]) for kid in document["/K"]]
    assert kinds[0] == "/H1"  # the title first
    assert {"/H2", "/H3", "/P"} <= set(kinds)
    # reading order: the plan before the group's results and the help lines
    assert kinds.index("/H2") < len(kinds) - 1


async def test_the_phone_hears_at_once_which_characters_the_pdf_cannot_draw(session: Session) -> None:
    reflection = next(s.id for _, s in session.workshop.steps() if s.kind == "reflection")
    async with TestClient(TestServer(create_app(session))) as phone:
        await joined(phone, session)
        drawable = await post(phone, session, {"step": reflection, "answer": "أمل आशा 🌱 Ελπίδα"})
        assert (await drawable.json()) == {"ok": True, "missing": []}
        cuneiform = await post(
            phone, session, {"step": reflection, "answer": "hope \U00012000\U00012000 end"}
        )
        assert (await cuneiform.json()) == {"ok": True, "missing": ["\U00012000"]}
