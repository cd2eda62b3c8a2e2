"""The JSON Schema of a workshop file, for editors (yaml-language-server) and for authors."""

from __future__ import annotations

import json

from facilitate.workshop.models import Workshop

SCHEMA_ID = "https://facilitate.invalid/schema/workshop.json"


def workshop_schema() -> dict:
    schema = Workshop.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "facilitate workshop",
        "description": "A workshop for `facilitate run`: modules of timed steps. Durations are text like 5m, 90s, 1h 15m.",
    }


def workshop_schema_json() -> str:
    return json.dumps(workshop_schema(), indent=2, ensure_ascii=False) + "\n"
