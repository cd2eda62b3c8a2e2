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


# --- live sessions -----------------------------------------------------------------------------------


def _data_dir(args: argparse.Namespace):
    import os

    from facilitate.session.datadir import DataDirError, ensure_writable, resolve_data_dir

    data_dir = resolve_data_dir(getattr(args, "data_dir", None), os.environ)
    try:
        ensure_writable(data_dir)
    except DataDirError as exc:
        raise UserError(str(exc)) from None
    return data_dir


def _when(epoch: float | None) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M") if epoch else "-"


def _open_session(args: argparse.Namespace, data_dir, clock):
    """Start a new session of the workshop, or resume one (`--resume [SESSION_ID]`)."""
    from facilitate.session.catalog import find_latest_unfinished
    from facilitate.session.journal import JournalError
    from facilitate.session.session import Session
    from facilitate.workshop.loader import WorkshopLoadError
    from facilitate.workshop.registry import UnknownWorkshop, open_workshop

    if args.resume is not None:
        session_id = args.resume
        if session_id == _LATEST:
            try:  # the file may have changed since; the session runs the copy it was started with
                workshop_id = open_workshop(args.workshop).workshop.id
            except (UnknownWorkshop, WorkshopLoadError):
                workshop_id = args.workshop
            latest = find_latest_unfinished(data_dir, workshop_id)
            if latest is None:
                raise UserError(
                    f"no unfinished session of {workshop_id!r} in {data_dir} to resume; "
                    f"start a new one with `facilitate run {args.workshop}`"
                )
            session_id = latest.id
        try:
            return Session.resume(data_dir, session_id, clock=clock)
        except JournalError as exc:
            raise UserError(str(exc)) from None
    loaded = _open(args.workshop)
    try:
        return Session.start(
            loaded.workshop,
            data_dir=data_dir,
            clock=clock,
            source_text=loaded.source,
            source_path=loaded.path,
        )
    except JournalError as exc:
        raise UserError(str(exc)) from None


_LATEST = "latest"


def cmd_run(args: argparse.Namespace) -> int:
    from facilitate.session.clock import SystemClock

    data_dir = _data_dir(args)
    session = _open_session(args, data_dir, SystemClock())
    from facilitate.tui.app import PhoneOptions, make_app

    phones = None if args.no_phones else PhoneOptions(args.host, args.port, args.public_url)
    try:
        make_app(session, theme=args.theme, projector=args.projector, bell=args.bell, phones=phones).run()
    finally:
        ended = session.ended
        session.close()
    if ended:
        print(f"Session {session.id} has ended. `facilitate sessions` lists it.")
    else:
        print(f"Session {session.id} is saved. Continue it with: facilitate run {args.workshop} --resume")
    return EXIT_OK


def cmd_sessions(args: argparse.Namespace) -> int:
    import json

    from facilitate.session.catalog import list_sessions

    data_dir = _data_dir(args)
    found = list_sessions(data_dir)
    if args.format == "json":
        rows = [
            {
                "id": info.id,
                "workshop": info.workshop_id,
                "title": info.workshop_title,
                "started": _iso(info.started),
                "last_event": _iso(info.last_event),
                "status": info.status,
                "demo": info.demo,
                "path": str(info.path),
            }
            for info in found
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not found:
        print(f"No sessions yet in {data_dir}. Start one with `facilitate run self-efficacy`.")
        return EXIT_OK
    width = max(len(info.id) for info in found)
    print(f"{'SESSION':<{width}}  {'WORKSHOP':<16} {'STARTED':<16}  {'LAST EVENT':<16}  STATUS")
    for info in found:
        status = info.status + (" (demo)" if info.demo else "")
        print(
            f"{info.id:<{width}}  {(info.workshop_id or '?'):<16} {_when(info.started):<16}  "
            f"{_when(info.last_event):<16}  {status}"
        )
    return EXIT_OK


def _iso(epoch: float | None) -> str | None:
    from datetime import datetime

    return datetime.fromtimestamp(epoch).astimezone().isoformat(timespec="seconds") if epoch else None


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

    run = add("run", cmd_run, "Run a workshop live: the facilitator app, journaled so it can always resume.")
    run.add_argument(
        "workshop", metavar="NAME|PATH", help="a workshop name (see `facilitate list`) or a file"
    )
    run.add_argument(
        "--resume",
        nargs="?",
        const=_LATEST,
        metavar="SESSION_ID",
        help="continue the latest unfinished session of this workshop, or the one given",
    )
    run.add_argument("--theme", choices=("dark", "light", "high-contrast"), default=None, help="colour theme")
    run.add_argument("--projector", action="store_true", help="start in projector mode (only the step)")
    run.add_argument("--bell", action="store_true", help="ring the terminal bell when a timer is up")
    run.add_argument("--host", default="0.0.0.0", help="address the phone server listens on (default: all)")
    run.add_argument(
        "--port", type=int, default=8765, help="phone server port (default 8765; the next free one if taken)"
    )
    run.add_argument(
        "--public-url", metavar="URL", help="address to put in the QR code (behind a hotspot or proxy)"
    )
    run.add_argument("--no-phones", action="store_true", help="no phone server: hand counts only")
    _add_data_dir(run)

    sessions = add("sessions", cmd_sessions, "List sessions: id, workshop, started, last event, status.")
    sessions.add_argument("--format", choices=("text", "json"), default="text")
    _add_data_dir(sessions)

    return parser


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where sessions are kept (default: $FACILITATE_DATA_DIR, else your user data folder)",
    )


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
