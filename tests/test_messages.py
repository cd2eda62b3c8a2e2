"""The message catalogues: every language complete, every key the code uses present, placeholders alike."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

from facilitate.messages import DEFAULT_LANGUAGE, available_languages, language_of, messages_for, translate
from facilitate.paths import assets_dir

SOURCE = Path(__file__).resolve().parent.parent / "src" / "facilitate"


def raw(language: str) -> dict[str, str]:
    return json.loads((assets_dir() / "locales" / f"{language}.json").read_text(encoding="utf-8"))


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def keys_used() -> set[str]:
    """Every message key the page, its script and the Python code name."""
    used: set[str] = set()
    web = assets_dir() / "web"
    used |= set(re.findall(r"\{\{t:([a-z0-9_.]+)\}\}", (web / "index.html").read_text(encoding="utf-8")))
    script = "\n".join(path.read_text(encoding="utf-8") for path in sorted(web.glob("*.js")))
    used |= set(re.findall(r'\bt\("([a-z0-9_.]+)"', script))
    for key in re.findall(r'\btn\("([a-z0-9_.]+)"', script):
        used |= {key + "_one", key + "_other"}
    # a key chosen in code: t(cond ? "page.a" : "page.b")
    for pair in re.findall(r'\? "(page\.[a-z0-9_.]+)" : "(page\.[a-z0-9_.]+)"', script):
        used |= {key for key in pair if not key.endswith((".", "_"))}
    for prefix in re.findall(r'"(page\.[a-z0-9_.]+[._])"', script):  # a prefix completed in code
        used |= {key for key in raw(DEFAULT_LANGUAGE) if key.startswith(prefix)}
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found = re.findall(r'["\']((?:page|takeaway|handout)\.[a-z0-9_.]+)["\']', text)
        found += re.findall(
            r'f["\']((?:page|takeaway|handout)\.[a-z0-9_.]+)\{', text
        )  # f"takeaway.month.{n}"
        english = raw(DEFAULT_LANGUAGE)
        for key in found:
            if key.endswith((".js", ".css", ".pdf")):
                continue  # file names
            if key.endswith((".", "_")):  # a prefix completed in code
                used |= {known for known in english if known.startswith(key)}
            elif key not in english and f"{key}_one" in english:  # a count: key_one / key_other
                used |= {f"{key}_one", f"{key}_other"}
            else:
                used.add(key)
    return used


def test_there_is_english_and_spanish() -> None:
    assert {"en", "es"} <= set(available_languages())


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_catalogue_has_every_key_and_nothing_else(language: str) -> None:
    assert set(raw(language)) == set(raw(DEFAULT_LANGUAGE))


@pytest.mark.parametrize("language", ["en", "es"])
def test_keys_are_kept_in_alphabetical_order(language: str) -> None:
    keys = list(raw(language))
    assert keys == sorted(keys)


@pytest.mark.parametrize("language", ["es"])
def test_every_translation_has_the_same_placeholders(language: str) -> None:
    english = raw(DEFAULT_LANGUAGE)
    for key, text in raw(language).items():
        assert placeholders(text) == placeholders(english[key]), key
        assert text.strip(), key


def test_every_key_the_code_uses_exists() -> None:
    used = keys_used()
    assert len(used) > 40
    for language in available_languages():
        missing = sorted(used - set(raw(language)))
        assert not missing, f"{language}: {missing}"


def test_every_page_key_the_catalogue_has_is_used() -> None:
    unused = sorted(
        key for key in raw(DEFAULT_LANGUAGE) if key.startswith("page.") and key not in keys_used()
    )
    assert not unused


def test_a_locales_language_and_english_for_the_rest() -> None:
    assert language_of("es-MX") == "es"
    assert language_of("es_ES") == "es"
    assert language_of("de-DE") == "en"
    assert language_of(None) == "en"
    assert translate("es-MX", "page.send") == "Enviar"
    assert translate("fr-FR", "page.send") == "Send"
    assert translate("es", "page.limit", n=3) == "Elige hasta 3."
    assert messages_for("es")["page.send"] == "Enviar"
