"""`facilitate new`: a small, valid, commented workshop that shows every step kind."""

from __future__ import annotations

import re
from pathlib import Path

STARTER_TEMPLATE = """\
# yaml-language-server: $schema={schema_url}
# A facilitate workshop. Check it with `facilitate validate {file_name}`,
# print its agenda with `facilitate agenda {file_name}` and run it with `facilitate run {file_name}`.
# Durations are text: "5m", "90s", "1h 15m". Notes are for the facilitator only and never projected.

id: {workshop_id}
title: My workshop
summary: One or two sentences on what the group will get from this session.
audience: Who it is for, e.g. "adults in a peer-support group".
locale: en-US          # picks help lines and paper size for handouts
reveal_min: 5          # poll results stay hidden until this many people answered (0: no threshold)
questions: true        # phones can ask anonymous questions; you approve each before the room sees it

modules:
  - id: opening
    title: Opening
    goal: People know what to expect and that every question can be passed.
    key_points:
      - Every question can be passed, and nothing you type has your name on it.
    steps:
      - id: welcome
        kind: content          # a screen of Markdown, shown large
        title: Welcome
        duration: 3m
        body: |
          ## Welcome
          - Every question can be passed
          - Results appear only as totals
        notes: Say who you are and how long the session runs.

      - id: settle
        kind: grounding        # a guided exercise; `g` opens one from any step
        title: Arriving
        duration: 2m
        intro: If it feels right, let your attention settle. Eyes open is fine.
        phases:
          - title: Notice
            duration: 1m
            guidance: Name three things you can see around you.
          - title: Breathe
            duration: 1m
            guidance: Breathe in for four, out for six.

      - id: mood
        kind: poll             # types: single, multiple, scale, words, text, ranking, points
        title: How are you arriving?
        duration: 2m
        question: How settled do you feel right now?
        type: scale
        scale: {{min: 0, max: 10, min_label: Not at all, max_label: Completely}}

  - id: main
    title: The main part
    goal: Try one idea and make it your own.
    content_note: This part asks you to think about a hard moment. You are welcome to pass.
    key_points:
      - One small step is enough to start.
    steps:
      - id: talk
        kind: activity         # timed group work; phases are optional
        title: Think, pair, share
        duration: 7m
        instructions: Think alone, then talk in pairs, then share one idea with the room.
        phases:
          - {{title: Alone, duration: 1m}}
          - {{title: In pairs, duration: 3m}}
          - {{title: With the room, duration: 3m}}

      - id: what-helps
        kind: poll
        title: What helps
        duration: 2m
        question: Which of these helps you most?
        type: single
        options: [Time alone, Talking it through, Moving my body]

      - id: in-the-way
        kind: poll
        title: What gets in the way
        duration: 2m
        question: In one to three words, what gets in the way?
        type: words
        moderate: true         # the default for words: you check them, and can hide any, before `r`

      - id: what-first
        kind: poll
        title: What to try first
        duration: 3m
        question: Put these in the order you would try them.
        type: ranking          # results by average rank, and how many put each first
        options: [Ask for help, Start smaller, Plan the time]

      - id: where-energy
        kind: poll
        title: Where your energy goes
        duration: 3m
        question: Spread 100 points over where you would like to put your energy.
        type: points           # results as totals and shares
        points: 100
        options: [Rest, People, Learning something new]

      - id: note-to-self
        kind: reflection       # private: only the participant sees it, in their takeaway
        title: A note to yourself
        duration: 3m
        prompt: What would you like to remember from today?

      - id: pause
        kind: break
        title: Break
        duration: 5m
        message: Water, fresh air, stretch.

      - id: next-step
        kind: plan             # an if-then plan: "When ..., I will ..."
        title: Your next step
        duration: 4m
        prompt: Choose one small step you can take this week.
        if_label: When
        then_label: I will
        examples:
          - When I open my laptop on Monday, I will write down one thing I want to try.

      - id: mood-again
        kind: poll
        title: How are you leaving?
        duration: 1m
        question: How settled do you feel right now?
        type: scale
        scale: {{min: 0, max: 10, min_label: Not at all, max_label: Completely}}
        compare_with: mood     # shown beside the first answers as before/after

      - id: goodbye
        kind: closing
        title: Thank you
        duration: 2m
        body: Thank you for coming. Scan the code for your takeaway.
"""

DEFAULT_SCHEMA_URL = "https://facilitate.invalid/schema/workshop.json"


def slug_for(path: Path) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return slug[:64].strip("-") or "my-workshop"


def starter_text(path: Path, schema_url: str = DEFAULT_SCHEMA_URL) -> str:
    return STARTER_TEMPLATE.format(workshop_id=slug_for(path), file_name=path.name, schema_url=schema_url)


def write_starter(path: Path, schema_url: str = DEFAULT_SCHEMA_URL) -> None:
    """Write the starter workshop; refuses to overwrite (FileExistsError)."""
    with path.open("x", encoding="utf-8") as handle:
        handle.write(starter_text(path, schema_url))
