"""Small workshops as plain data, for tests that check one rule at a time."""

from __future__ import annotations

import copy
from typing import Any

BASE: dict[str, Any] = {
    "id": "tiny",
    "title": "Tiny",
    "summary": "A tiny workshop.",
    "audience": "Testers.",
    "modules": [
        {
            "id": "only",
            "title": "Only module",
            "goal": "Test things.",
            "steps": [
                {"id": "hello", "kind": "content", "title": "Hello", "duration": "2m", "body": "Hi"},
                {
                    "id": "before",
                    "kind": "poll",
                    "title": "Before",
                    "duration": "1m",
                    "question": "How confident?",
                    "type": "scale",
                    "scale": {"min": 0, "max": 10},
                },
            ],
        }
    ],
}


def workshop_data(*extra_steps: dict[str, Any], **top: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["modules"][0]["steps"].extend(copy.deepcopy(list(extra_steps)))
    data.update(top)
    return data


def step(kind: str, step_id: str = "extra", **fields: Any) -> dict[str, Any]:
    return {"id": step_id, "kind": kind, "title": step_id.title(), "duration": "1m", **fields}
