"""The `facilitate` command. Exit codes: 0 ok, 1 unexpected error, 2 user error (bad file, bad arguments)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from facilitate import __version__

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_USER = 2


class UserError(Exception):
    """A problem the person at the keyboard can fix; printed without a traceback, exit 2."""


# --- workshop commands -----------------------------------------------------------------------------


def _open(name_or_path: str):
    from facilitate.workshop.loader import WorkshopLoadError
    from facilitate.workshop.registry import UnknownWorkshop, open_workshop

    try:
        return open_workshop(name_or_path)
    except UnknownWorkshop as exc:
        raise UserError(str(exc)) from None
    except WorkshopLoadError as exc:
        raise UserError(str(exc)) from None


def cmd_list(args: argparse.Namespace) -> int:
    from facilitate.workshop.durations import format_minutes
    from facilitate.workshop.loader import WorkshopLoadError, load_workshop
    from facilitate.workshop.registry import available_workshops

    found = available_workshops()
    if not found:
        print("No workshops found. Write one with `facilitate new workshops/my-workshop.yaml`.")
        return EXIT_OK
    width = max(len(item.name) for item in found)
    for item in found:
        try:
            workshop = load_workshop(item.path).workshop
            detail = f"{workshop.title} · {format_minutes(workshop.duration)}"
        except WorkshopLoadError as exc:
            detail = f"(invalid: {len(exc.errors)} problem(s); run `facilitate validate {item.path}`)"
        print(f"{item.name:<{width}}  {detail}  [{item.origin}]")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from facilitate.workshop.durations import format_minutes
    from facilitate.workshop.loader import WorkshopLoadError
    from facilitate.workshop.registry import UnknownWorkshop, open_workshop

    failed = 0
    for target in args.paths:
        try:
            loaded = open_workshop(target)
        except UnknownWorkshop as exc:
            print(f"{target}:1:1: {exc}", file=sys.stderr)
            failed += 1
            continue
        except WorkshopLoadError as exc:
            print(str(exc), file=sys.stderr)
            failed += 1
            continue
        workshop = loaded.workshop
        steps = sum(len(module.steps) for module in workshop.modules)
        print(
            f"{loaded.path}: ok · {workshop.title} · {len(workshop.modules)} modules, {steps} steps, "
            f"{format_minutes(workshop.duration)}"
        )
    if failed:
        print(f"{failed} of {len(args.paths)} file(s) have problems.", file=sys.stderr)
        return EXIT_USER
    return EXIT_OK


def cmd_agenda(args: argparse.Namespace) -> int:
    from facilitate.workshop.agenda import agenda_json, agenda_markdown, agenda_text, parse_clock_time

    try:
        start = parse_clock_time(args.start) if args.start else 0
    except ValueError as exc:
        raise UserError(str(exc)) from None
    workshop = _open(args.workshop).workshop
    render = {"text": agenda_text, "markdown": agenda_markdown, "json": agenda_json}[args.format]
    print(render(workshop, start))
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from facilitate.paths import bundled_workshops_dir
    from facilitate.workshop.starter import write_starter

    path = Path(args.path)
    if path.suffix not in (".yaml", ".yml"):
        raise UserError(f"{path}: give the new workshop a .yaml name, e.g. {path.with_suffix('.yaml')}")
    if path.exists():
        raise UserError(f"{path} already exists: facilitate never overwrites a workshop; choose another name")
    if not path.parent.is_dir():
        raise UserError(f"{path.parent} is not a folder: create it first")
    schema = bundled_workshops_dir() / "schema.json"
    try:
        write_starter(path, schema.resolve().as_uri() if schema.exists() else "./schema.json")
    except FileExistsError:
        raise UserError(f"{path} already exists: facilitate never overwrites a workshop") from None
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    print(f"Wrote {path}. Next: edit it, then `facilitate validate {path}` and `facilitate agenda {path}`.")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from facilitate.workshop.schema import workshop_schema_json

    sys.stdout.write(workshop_schema_json())
    return EXIT_OK


# --- the parser --------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="facilitate",
        description="Run a live group workshop from a laptop: projector screens, timers, anonymous phone polls.",
    )
    parser.add_argument("--version", action="version", version=f"facilitate {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(
        name: str, handler: Callable[[argparse.Namespace], int], help_text: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    add("list", cmd_list, "List bundled workshops and those in ./workshops, with title and duration.")

    validate = add(
        "validate", cmd_validate, "Check workshop files; every problem as PATH:LINE:COLUMN: message."
    )
    validate.add_argument("paths", nargs="+", metavar="PATH", help="workshop files (or names of workshops)")

    agenda = add("agenda", cmd_agenda, "Print a workshop's agenda: modules and steps with start times.")
    agenda.add_argument(
        "workshop", metavar="NAME|PATH", help="a workshop name (see `facilitate list`) or a file"
    )
    agenda.add_argument("--start", metavar="HH:MM", help="clock time the workshop starts, e.g. 09:30")
    agenda.add_argument("--format", choices=("text", "markdown", "json"), default="text")

    new = add("new", cmd_new, "Write a small, valid, commented starter workshop that uses every step kind.")
    new.add_argument("path", metavar="PATH", help="the new file, e.g. workshops/my-workshop.yaml")

    add("schema", cmd_schema, "Print the JSON Schema of workshop files (for editors).")

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help()
        return EXIT_USER
    try:
        return args.handler(args)
    except UserError as exc:
        print(f"facilitate: {exc}", file=sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug: say so plainly, keep the detail for a report
        import traceback

        print(f"facilitate: unexpected error: {exc!r}. This is a bug; the details follow.", file=sys.stderr)
        traceback.print_exc()
        return EXIT_UNEXPECTED
