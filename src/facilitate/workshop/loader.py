"""Load a workshop YAML file, reporting every problem as `PATH:LINE:COLUMN: message`.

PyYAML composes the file into a node tree that remembers where each key and value stands. We build the
plain data from that tree ourselves (safe tags only, duplicate keys refused, a cap on how much aliases may
expand), validate it with the pydantic models, and map each validation error's location back to a node.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from facilitate.workshop.models import POLL_TYPES, STEP_KINDS, STEP_MODELS, Problems, Workshop
from facilitate.workshop.yaml_problems import indentation_problem, is_structure_problem, yaml_problem

MAX_FILE_BYTES = 2_000_000
MAX_EXPANDED_NODES = 100_000
_SAFE_TAG_PREFIX = "tag:yaml.org,2002:"
_SAFE_TAGS = {f"{_SAFE_TAG_PREFIX}{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")}


@dataclass(frozen=True, order=True)
class LoadError:
    """One problem in a workshop file, with the place a person should look."""

    line: int
    column: int
    message: str
    path: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class WorkshopLoadError(Exception):
    """A workshop file could not be loaded; `errors` holds every problem found."""

    def __init__(self, errors: list[LoadError]) -> None:
        self.errors = sorted(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass(frozen=True)
class LoadedWorkshop:
    workshop: Workshop
    path: Path
    source: str


# --- public API ------------------------------------------------------------------------------------


def load_workshop(path: str | Path) -> LoadedWorkshop:
    """Read, parse and validate a workshop file. Raises WorkshopLoadError with every problem found."""
    path = Path(path)
    shown = str(path)
    source = _read_text(path, shown)
    return LoadedWorkshop(workshop=parse_workshop(source, shown), path=path, source=source)


def parse_workshop(source: str, shown_path: str = "<workshop>") -> Workshop:
    """Parse and validate workshop YAML text (already decoded)."""

    def fail(line: int, column: int, message: str) -> WorkshopLoadError:
        return WorkshopLoadError([LoadError(line, column, message, shown_path)])

    if not source.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in source.splitlines()
    ):
        raise fail(
            1,
            1,
            "the file is empty: a workshop needs at least `id`, `title` and `modules` (try `facilitate new`)",
        )
    root = _compose(source, fail)
    if root is None:
        raise fail(1, 1, "the file holds no workshop (only `---` or comments)")
    if not isinstance(root, MappingNode):
        found = "a list" if isinstance(root, SequenceNode) else "a single value"
        line, column = _mark(root)
        raise fail(
            line,
            column,
            f"expected the workshop's keys (id, title, modules, …) at the top level, found {found}",
        )
    errors: list[LoadError] = []
    _check_duplicate_keys(root, errors, shown_path)
    if errors:
        raise WorkshopLoadError(errors)
    data = _Builder(fail).build(root)
    try:
        return Workshop.model_validate(data)
    except ValidationError as exc:
        raise WorkshopLoadError(_validation_errors(exc, root, data, shown_path)) from None


# --- reading and composing -------------------------------------------------------------------------


def _read_text(path: Path, shown: str) -> str:
    def fail(message: str, line: int = 1, column: int = 1) -> WorkshopLoadError:
        return WorkshopLoadError([LoadError(line, column, message, shown)])

    if path.is_dir():
        raise fail("this is a folder, not a workshop file: give the path of a .yaml file inside it")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise fail(
            "no such file: check the path, or run `facilitate list` for the workshops you have"
        ) from None
    except OSError as exc:
        raise fail(f"cannot read the file: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raise fail(f"the file is {size // 1_000_000} MB; a workshop file is at most 2 MB")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read the file: {exc.strerror or exc}") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise fail(
            f"byte 0x{raw[exc.start]:02x} is not UTF-8 text: save the file as UTF-8 in your editor",
            line,
            column,
        ) from None


class _SafeComposer(yaml.SafeLoader):
    """SafeLoader that only composes; we construct values ourselves."""


_FastComposer = getattr(yaml, "CSafeLoader", None)  # libyaml, where PyYAML was built with it


def _compose(source: str, fail: Any) -> Node | None:
    # libyaml composes the same nodes with the same marks about ten times faster (the bundled workshop:
    # ~2 ms against ~20 ms at every start). Its error messages are worded differently, and it reads a
    # NUL as the end of the text, so anything it refuses, or any text with a character YAML does not
    # allow, goes through the pure-Python composer, whose messages the hints below are written for.
    # It also accepts some tabs the pure-Python parser refuses ("a:\tb"): a file with a tab goes the slow
    # way too, so whether a file is valid never depends on how PyYAML was built.
    if (
        _FastComposer is not None
        and "\t" not in source
        and not yaml.reader.Reader.NON_PRINTABLE.search(source)
    ):
        try:
            return yaml.compose(source, Loader=_FastComposer)
        except yaml.YAMLError:
            pass
    try:
        return yaml.compose(source, Loader=_SafeComposer)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if mark is not None and is_structure_problem(exc):
            misaligned = indentation_problem(source, mark.line)
            if misaligned is not None:  # the line that does not line up, at its key
                message, key_column = misaligned
                raise fail(line, key_column + 1, message) from None
        raise fail(line, column, yaml_problem(exc, source, mark)) from None
    except yaml.reader.ReaderError as exc:  # a control character, e.g. NUL
        before = source[: exc.position]
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character or 0)
        raise fail(
            line, column, f"a control character (U+{ord(char):04X}) cannot be in a YAML file: delete it"
        ) from None
    except yaml.YAMLError as exc:
        raise fail(1, 1, "this is not valid YAML: " + " ".join(str(exc).split())) from None


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _check_duplicate_keys(
    node: Node, errors: list[LoadError], shown: str, seen: set[int] | None = None
) -> None:
    seen = set() if seen is None else seen
    if id(node) in seen:  # an alias to a node we already checked
        return
    seen.add(id(node))
    if isinstance(node, MappingNode):
        first_lines: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                key = key_node.value
                if key in first_lines:
                    line, column = _mark(key_node)
                    errors.append(
                        LoadError(
                            line,
                            column,
                            f"duplicate key {key!r} (first given on line {first_lines[key]}): keep one of them",
                            shown,
                        )
                    )
                else:
                    first_lines[key] = key_node.start_mark.line + 1
            _check_duplicate_keys(value_node, errors, shown, seen)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            _check_duplicate_keys(item, errors, shown, seen)


class _Builder:
    """Turn a composed node tree into plain data, with safe tags only and a cap on alias expansion."""

    def __init__(self, fail: Any) -> None:
        self._fail = fail
        self._constructor = yaml.SafeLoader("")
        self._count = 0
        self._open: set[int] = set()  # containers being built: an alias back to one is a cycle

    def build(self, node: Node) -> Any:
        if isinstance(node, MappingNode | SequenceNode):
            if id(node) in self._open:
                line, column = _mark(node)
                raise self._fail(
                    line, column, "an alias refers to the list or mapping it is inside: remove it"
                )
            self._open.add(id(node))
            try:
                return self._build(node)
            finally:
                self._open.discard(id(node))
        return self._build(node)

    def _build(self, node: Node) -> Any:
        self._count += 1
        if self._count > MAX_EXPANDED_NODES:
            line, column = _mark(node)
            raise self._fail(
                line,
                column,
                f"the file expands to more than {MAX_EXPANDED_NODES:,} values (aliases that repeat aliases?): "
                "write the content out instead",
            )
        if node.tag not in _SAFE_TAGS and not (isinstance(node, MappingNode) and node.tag.endswith(":merge")):
            line, column = _mark(node)
            tag = node.tag.replace(_SAFE_TAG_PREFIX, "!!")
            raise self._fail(
                line,
                column,
                f"the tag {tag} is not allowed: workshop files hold plain text, numbers and lists",
            )
        if isinstance(node, MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == f"{_SAFE_TAG_PREFIX}merge":
                    line, column = _mark(key_node)
                    raise self._fail(line, column, "merge keys (`<<`) are not supported: write the keys out")
                key = self.build(key_node)
                if not isinstance(key, str):
                    line, column = _mark(key_node)
                    raise self._fail(line, column, f"keys must be words, not {key!r}")
                result[key] = self.build(value_node)
            return result
        if isinstance(node, SequenceNode):
            return [self.build(item) for item in node.value]
        try:
            return self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            line, column = _mark(node)
            raise self._fail(line, column, f"cannot read this value: {exc}") from None


# --- mapping validation errors to lines ------------------------------------------------------------


def _misspelt(error: dict[str, Any], data: Any) -> tuple[tuple[Any, ...], str] | None:
    """For an unknown key that is a misspelling of an allowed one: (the mapping's place, the key meant)."""
    if error["type"] != "extra_forbidden":
        return None
    loc = tuple(error["loc"])
    meant = difflib.get_close_matches(str(loc[-1]), _allowed_keys(loc[:-1], data), n=1, cutoff=0.6)
    return (tuple(_data_path(data, loc[:-1])), meant[0]) if meant else None


def _validation_errors(exc: ValidationError, root: MappingNode, data: Any, shown: str) -> list[LoadError]:
    errors: list[LoadError] = []
    raw = exc.errors(include_url=False)
    # A misspelt key (`titel`) also leaves the key it meant missing: that is its echo, not a second
    # mistake. Only the root cause is reported, at the misspelt key's own line.
    misspelt = {found for error in raw if (found := _misspelt(error, data)) is not None}
    for error in raw:
        loc = tuple(error["loc"])
        if error["type"] == "missing" and (tuple(_data_path(data, loc[:-1])), str(loc[-1])) in misspelt:
            continue
        context = error.get("ctx") or {}
        inner = context.get("error")
        if isinstance(inner, Problems):
            for sub_loc, message in inner.problems:
                errors.append(_locate(root, data, loc + sub_loc, message, shown, point_at="key"))
            continue
        message, point_at = _message_for(error, data)
        errors.append(_locate(root, data, loc, message, shown, point_at))
    if not any(
        isinstance((e.get("ctx") or {}).get("error"), Problems) and not e["loc"] for e in exc.errors()
    ):
        # The workshop-wide rules only run once every field is valid: check ids now so that one run of
        # `validate` reports them too.
        for loc, message in _duplicate_ids(data):
            errors.append(_locate(root, data, loc, message, shown, point_at="value"))
    unique = {(e.line, e.column, e.message): e for e in errors}
    return list(unique.values())


def _duplicate_ids(data: Any) -> list[tuple[tuple[Any, ...], str]]:
    found: list[tuple[tuple[Any, ...], str]] = []
    first: dict[str, tuple[int, int]] = {}
    modules = data.get("modules") if isinstance(data, dict) else None
    for m_index, module in enumerate(modules if isinstance(modules, list) else []):
        steps = module.get("steps") if isinstance(module, dict) else None
        for s_index, step in enumerate(steps if isinstance(steps, list) else []):
            step_id = step.get("id") if isinstance(step, dict) else None
            if not isinstance(step_id, str):
                continue
            if step_id in first:
                fm, fs = first[step_id]
                found.append(
                    (
                        ("modules", m_index, "steps", s_index, "id"),
                        f"step id {step_id!r} is used twice (first in module {fm + 1}, step {fs + 1}); "
                        "step ids must be unique in the workshop",
                    )
                )
            else:
                first[step_id] = (m_index, s_index)
    return found


def _message_for(error: dict[str, Any], data: Any) -> tuple[str, str]:
    """A sentence a workshop author can act on, and whether to point at the key or the value."""
    kind = error["type"]
    loc = tuple(error["loc"])
    message = str(error["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    where = _describe(loc, data)
    if kind == "missing":
        return f"{where} is missing `{loc[-1]}`", "parent"
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _allowed_keys(loc[:-1], data)
        suggestion = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"; did you mean `{suggestion[0]}`?" if suggestion else f"; allowed here: {', '.join(allowed)}"
        return f"unknown key `{key}` in {_describe(loc[:-1], data)}{hint}", "key"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        given = _value_at(data, loc)
        kind_value = given.get("kind") if isinstance(given, dict) else None
        if kind_value is None or kind == "union_tag_not_found":
            return f"this step has no `kind`: use one of {', '.join(STEP_KINDS)}", "value"
        suggestion = difflib.get_close_matches(str(kind_value), STEP_KINDS, n=1, cutoff=0.5)
        hint = f"did you mean `{suggestion[0]}`?" if suggestion else f"use one of {', '.join(STEP_KINDS)}"
        return f"unknown step kind {kind_value!r}: {hint}", "kind"
    if kind == "literal_error" and loc and loc[-1] == "type":
        given = str(_value_at(data, loc))
        suggestion = difflib.get_close_matches(given, POLL_TYPES, n=1, cutoff=0.6)
        hint = f"did you mean `{suggestion[0]}`?" if suggestion else f"use one of {', '.join(POLL_TYPES)}"
        return f"unknown poll type {given!r}: {hint}", "value"
    if kind == "string_pattern_mismatch" and loc and loc[-1] in ("id", "compare_with"):
        return (
            f"{_value_at(data, loc)!r} is not a usable id: use lower-case letters, digits and single hyphens, "
            "e.g. `barrier-words`",
            "value",
        )
    if kind == "string_pattern_mismatch" and loc and loc[-1] == "locale":
        return f"{_value_at(data, loc)!r} is not a locale: write it like en-US or en-GB", "value"
    if kind == "string_pattern_mismatch" and loc and loc[-1] == "url":
        return "a resource `url` must start with http:// or https://", "value"
    if kind == "string_too_short":
        return f"`{loc[-1]}` is empty: write something, or leave the key out if it is optional", "value"
    if kind == "too_short" and loc and loc[-1] in ("steps", "modules", "phases"):
        return f"`{loc[-1]}` needs at least one entry", "value"
    if kind in (
        "string_type",
        "int_type",
        "int_parsing",
        "list_type",
        "bool_type",
        "model_type",
        "dict_type",
    ):
        expected = {
            "string_type": "text",
            "int_type": "a whole number",
            "int_parsing": "a whole number",
            "list_type": "a list (lines starting with `- `)",
            "bool_type": "true or false",
            "model_type": "a group of keys",
            "dict_type": "a group of keys",
        }[kind]
        return f"`{loc[-1]}` should be {expected}, not {_value_at(data, loc)!r}", "value"
    if kind == "value_error":
        return message, "value"
    return f"`{loc[-1] if loc else 'workshop'}`: {message}", "value"


def _value_at(data: Any, loc: tuple[Any, ...]) -> Any:
    current = data
    for part in _data_path(data, loc):
        try:
            current = current[part]
        except (KeyError, IndexError, TypeError):
            return None
    return current


def _data_path(data: Any, loc: tuple[Any, ...]) -> list[Any]:
    """Pydantic locations include the union tag of a step (…, 'steps', 0, 'poll', 'question'); drop it."""
    path: list[Any] = []
    current = data
    for part in loc:
        is_tag = isinstance(current, dict) and isinstance(part, str) and part not in current
        if is_tag and part in STEP_MODELS and current.get("kind") == part:
            continue
        path.append(part)
        try:
            current = current[part]
        except (KeyError, IndexError, TypeError):
            current = None
    return path


def _describe(loc: tuple[Any, ...], data: Any) -> str:
    path = _data_path(data, loc)
    if len(path) >= 4 and path[0] == "modules" and path[2] == "steps":
        step = _value_at(data, tuple(path[:4]))
        ident = step.get("id") if isinstance(step, dict) else None
        kind = step.get("kind") if isinstance(step, dict) else None
        label = f"{kind} step" if isinstance(kind, str) else "step"
        return (
            f"{label} {ident!r}"
            if isinstance(ident, str)
            else f"{label} {path[3] + 1} of module {path[1] + 1}"
        )
    if len(path) >= 2 and path[0] == "modules":
        module = _value_at(data, tuple(path[:2]))
        ident = module.get("id") if isinstance(module, dict) else None
        return f"module {ident!r}" if isinstance(ident, str) else f"module {path[1] + 1}"
    if path and path[0] == "resources":
        return "a resource"
    return "the workshop"


def _allowed_keys(loc: tuple[Any, ...], data: Any) -> list[str]:
    model = _model_at(_data_path(data, loc), data)
    return list(model.model_fields) if model else []


def _model_at(path: list[Any], data: Any) -> type[BaseModel] | None:
    """The model class that validates the mapping at `path`."""
    annotation: Any = Workshop
    current = data
    for part in path:
        model = _as_model(annotation, current)
        if model is not None and isinstance(part, str):
            field = model.model_fields.get(part)
            if field is None:
                return None
            annotation = field.annotation
        elif isinstance(part, int):
            args = [a for a in typing.get_args(_strip(annotation)) if a is not type(None)]
            annotation = args[0] if args else None
        try:
            current = current[part]
        except (KeyError, IndexError, TypeError):
            current = None
    return _as_model(annotation, current)


def _strip(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _strip(args[0])
    return annotation


def _as_model(annotation: Any, value: Any) -> type[BaseModel] | None:
    annotation = _strip(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType) and isinstance(value, dict):
        return STEP_MODELS.get(value.get("kind"))  # the step union, picked by its tag
    return None


def _locate(
    root: MappingNode, data: Any, loc: tuple[Any, ...], message: str, shown: str, point_at: str
) -> LoadError:
    """Find the YAML node for a validation location and make an error that points at it."""
    path = _data_path(data, loc)
    if point_at == "parent" and path:
        path = path[:-1]
    node: Node = root
    key_node: Node | None = None
    for part in path:
        found = _child(node, part)
        if found is None:
            break
        key_node, node = found
    if point_at == "kind":
        found = _child(node, "kind")
        if found is not None:
            key_node, node = found
            point_at = "value"
    target = key_node if point_at in ("key", "parent") and key_node is not None else node
    line, column = _mark(target)
    return LoadError(line, column, message, shown)


def _child(node: Node, part: Any) -> tuple[Node | None, Node] | None:
    if isinstance(node, MappingNode) and isinstance(part, str):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == part:
                return key_node, value_node
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None
