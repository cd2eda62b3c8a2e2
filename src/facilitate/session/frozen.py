"""The frozen copy of the workshop a session runs, stored in its journal as YAML text.

A JSON dump will not do: durations dump as whole seconds and the model refuses a bare number (it asks
the author for a unit). So the journal keeps the author's original YAML, reloaded with the same parser
the loader uses. When no source text is given, or it does not describe the workshop being run, a YAML
rendering of the model (durations written like "5m") is stored instead. Either way the text is checked
to reload to an equal workshop before it is stored.
"""

from __future__ import annotations

from typing import Any

import yaml

from facilitate.workshop.durations import format_duration
from facilitate.workshop.loader import WorkshopLoadError, parse_workshop
from facilitate.workshop.models import Workshop


def thaw(source: str) -> Workshop:
    """Reload a stored workshop. Raises WorkshopLoadError if the text is not a valid workshop."""
    return parse_workshop(source, "<session workshop>")


def freeze(workshop: Workshop, source_text: str | None, *, source_is_parsed: bool = False) -> str:
    """Text that reloads to exactly `workshop`: `source_text` if it does, else a rendering of the model.

    `source_is_parsed`: `workshop` is what the loader made of `source_text` just now, so the text reloads
    to it by construction and parsing it again (about 20 ms at every start) proves nothing new."""
    if source_text is not None and (source_is_parsed or _reloads_to(source_text, workshop)):
        return source_text
    rendered = yaml.safe_dump(
        _durations_as_text(workshop.model_dump(mode="json", exclude_none=True)),
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    if not _reloads_to(rendered, workshop):  # a bug in this module, not something a user can fix
        raise ValueError(f"the workshop {workshop.id!r} does not survive being written out as YAML")
    return rendered


def _reloads_to(text: str, workshop: Workshop) -> bool:
    try:
        return thaw(text) == workshop
    except WorkshopLoadError:
        return False


def _durations_as_text(data: Any) -> Any:
    if isinstance(data, dict):
        return {
            key: format_duration(value)
            if key == "duration" and isinstance(value, int)
            else _durations_as_text(value)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [_durations_as_text(item) for item in data]
    return data
