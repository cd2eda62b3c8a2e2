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
    from facilitate.workshop.listing import list_lines, load_all
    from facilitate.workshop.registry import available_workshops

    found = available_workshops()
    if not found:
        print("No workshops found. Write one with `facilitate new workshops/my-workshop.yaml`.")
        return EXIT_OK
    print("\n".join(list_lines(load_all(found))))
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
    created = _make_folders(path.parent)  # `facilitate new workshops/mine.yaml` in a fresh folder
    schema = bundled_workshops_dir() / "schema.json"
    try:
        write_starter(path, schema.resolve().as_uri() if schema.exists() else "./schema.json")
    except FileExistsError:
        raise UserError(f"{path} already exists: facilitate never overwrites a workshop") from None
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    if created is not None:
        print(f"Created the folder {created}.")
    print(f"Wrote {path}. Next: edit it, then `facilitate validate {path}` and `facilitate agenda {path}`.")
    return EXIT_OK


def _make_folders(folder: Path) -> Path | None:
    """Create `folder` and any missing parents; the first folder created (to say so), or None when it was
    already there. A file in the way, or no permission, is a problem the person can fix."""
    if folder.is_dir():
        return None
    first_missing = folder
    while not first_missing.parent.exists() and first_missing.parent != first_missing:
        first_missing = first_missing.parent
    blocker = next((part for part in (folder, *folder.parents) if part.exists() and not part.is_dir()), None)
    if blocker is not None:
        raise UserError(f"{blocker} is a file, not a folder: choose another place for the workshop")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the folder {folder}: {exc.strerror or exc}") from None
    return first_missing


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


def _open_session(args: argparse.Namespace, data_dir, clock, *, demo: bool = False):
    """Start a new session of the workshop, or resume one (`--resume [SESSION_ID]`), holding its app lock
    (one app per session). Returns (session, lock)."""
    from facilitate.session.applock import AppLock, SessionHeld
    from facilitate.session.catalog import find_latest_unfinished
    from facilitate.session.damaged import damaged_id
    from facilitate.session.journal import JournalDamaged, JournalError, journal_path
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
                raise UserError(_nothing_to_resume(args.workshop, workshop_id, data_dir))
            session_id = latest.id
        path = journal_path(data_dir, session_id)
        lock = _lock(path) if path.is_file() else None
        try:
            return Session.resume(data_dir, session_id, clock=clock), lock
        except JournalDamaged as exc:
            if lock is not None:
                lock.release()
            moved, wiped = _move_aside(data_dir, session_id)
            message = f"session {session_id} cannot be resumed: {exc}"
            if moved is not None:
                message += f"\nThe damaged file was moved to {moved} (kept, not deleted)."
                if wiped:
                    message += " Its private reflections and plans were deleted first."
                else:
                    message += (
                        " Its private answers could not be wiped (the file cannot be read): "
                        f"`facilitate purge {damaged_id(moved)}` deletes it."
                    )
            if not _ask_yes(f"{message}\nStart a fresh session of {args.workshop} now? [Y/n] "):
                raise UserError(
                    f"{message}\nStart a fresh session with: facilitate run {args.workshop}"
                ) from None
        except JournalError as exc:
            if lock is not None:
                lock.release()
            raise UserError(str(exc)) from None
    loaded = _open(args.workshop)
    try:
        session = Session.start_loaded(loaded, data_dir=data_dir, clock=clock, demo=demo)
    except JournalError as exc:
        raise UserError(str(exc)) from None
    try:
        return session, AppLock.acquire(session.journal.path)
    except (SessionHeld, OSError):  # a brand-new id nobody else knows: the lock is a formality here
        return session, None


def _lock(path: Path):
    """This app's lock on a session file, or a UserError naming the app that already runs it."""
    from facilitate.session.applock import AppLock, SessionHeld

    try:
        return AppLock.acquire(path)
    except SessionHeld as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"could not lock {path} for this app: {exc.strerror or exc}") from None


def _nothing_to_resume(workshop: str, workshop_id: str, data_dir) -> str:
    """No unfinished session to resume: but say so about any session file that cannot be read, since it
    may well be the one the facilitator means."""
    from facilitate.session.catalog import list_sessions

    damaged = [info for info in list_sessions(data_dir) if info.status == "damaged"]
    message = f"no unfinished session of {workshop_id!r} in {data_dir} to resume"
    if not damaged:
        return f"{message}; start a new one with `facilitate run {workshop}`"
    lines = [f"{message} that can be read."]
    for info in damaged:
        lines.append(
            f"The session file {info.path} cannot be read (damaged). If it is this workshop's, "
            f"`facilitate run {workshop} --resume {info.id}` moves it aside into {info.path.parent / 'damaged'} "
            f"(kept, not deleted) and offers a fresh start; `facilitate purge {info.id}` deletes it."
        )
    lines.append(f"Or start a new session with `facilitate run {workshop}`.")
    return "\n".join(lines)


_LATEST = "latest"


def _move_aside(data_dir, session_id: str) -> tuple[Path | None, bool]:
    """Move a damaged session file (and its WAL) into sessions/damaged/, never deleting it, once its
    private answers are wiped (see session/damaged.py)."""
    from facilitate.session.damaged import move_aside
    from facilitate.session.journal import journal_path

    return move_aside(journal_path(data_dir, session_id))


def _ask_yes(question: str) -> bool:
    """Ask in a terminal (Enter means yes); without one, the answer is no and the caller explains."""
    if not sys.stdin.isatty():
        return False
    try:
        return input(question).strip().lower() in ("", "y", "yes")
    except EOFError:
        return False


def _expire_private(data_dir) -> None:
    """Retention runs whenever a command looks at the data folder (see session/retention.py)."""
    import time

    from facilitate.session.retention import expire_private_answers

    expire_private_answers(data_dir, time.time())


def cmd_run(args: argparse.Namespace) -> int:
    from facilitate.session.clock import ScaledClock, SystemClock

    if args.demo_room and args.no_phones:
        raise UserError("--demo-room needs the phone server: leave out --no-phones")
    data_dir = _data_dir(args)
    clock = SystemClock() if args.speed == 1 else ScaledClock(SystemClock(), args.speed)
    held: dict = {}  # what `start` opened, for the end of the run

    def start():
        """Validate the workshop and set up (or resume) the session. A new session does this after the
        app's first screen is painted (see tui/opening.py)."""
        session, lock = _open_session(args, data_dir, clock, demo=bool(args.demo_room) or args.speed != 1)
        held["session"], held["lock"] = session, lock
        # Retention opens every session file in the folder (about 1 ms each: 100 old sessions held the
        # first screen back by 0.1 s), so it runs beside the start-up, once this session's file is complete.
        from concurrent.futures import ThreadPoolExecutor

        background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="retention")
        held["retention"] = background.submit(_expire_private, data_dir)  # result() below re-raises
        background.shutdown(wait=False)
        session.keep_private_seconds = args.keep_private * 60.0
        return session, lock

    from facilitate.tui.opening import Opening

    # A resume may ask what to do with a damaged file (on this terminal): it opens before the app does.
    target = Opening(_title_of(args.workshop), start) if args.resume is None else start()[0]
    from facilitate.tui.app import PhoneOptions, make_app

    phones = None
    if not args.no_phones:
        phones = PhoneOptions(
            args.host,
            args.port,
            args.public_url,
            args.facilitator,
            args.paper,
            args.demo_room,
            args.speed,
            args.room_size,
        )
    app = make_app(target, theme=args.theme, projector=args.projector, bell=args.bell, phones=phones)
    from facilitate.tui.terminal import restored_terminal, signal_exit_code

    try:
        with restored_terminal():  # raw mode never outlives the app, whatever ends it
            app.run()
    finally:
        session = held.get("session")
        ended = session is not None and session.ended
        if session is not None:
            session.close()
        if held.get("lock") is not None:
            held["lock"].release()
        try:
            if "retention" in held:
                held["retention"].result()
        except Exception as exc:  # not the workshop's problem: say it plainly and carry on
            print(
                f"facilitate: old sessions' private answers could not be checked for deletion ({exc}); "
                "any later facilitate command tries again.",
                file=sys.stderr,
            )
    opening_error = getattr(app, "opening_error", None)
    if opening_error is not None:  # the workshop or the session could not be opened: said as before
        raise opening_error
    if session is None:  # the app ended while the session was still opening (a signal, an error above)
        if app.stopped_by is not None:
            return signal_exit_code(app.stopped_by)
        return EXIT_OK if app.return_code in (None, 0) else EXIT_UNEXPECTED
    if app.return_code not in (None, 0):  # Textual has printed the traceback
        print(
            "facilitate stopped because of an unexpected error (a bug: please report it). "
            f"Nothing was lost: continue with {session.resume_command}",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED
    stopped_by = getattr(app, "stopped_by", None)  # the signal that ended the app (tui/terminal.py)
    if stopped_by is not None:
        import signal

        if stopped_by != getattr(signal, "SIGHUP", None):  # after a hang-up, no terminal to tell
            name = signal.Signals(stopped_by).name
            state = "has ended" if ended else f"is saved. Continue it with: {session.resume_command}"
            print(f"facilitate stopped ({name}). Session {session.id} {state}")
        return signal_exit_code(stopped_by)
    if session.demo:
        print(
            f"DEMO session {session.id} (a rehearsal: marked as such in `facilitate sessions` and reports)."
        )
    if ended:
        from facilitate.session.datadir import data_dir_option

        print(f"Session {session.id} has ended. `facilitate sessions{data_dir_option(data_dir)}` lists it.")
    else:
        print(f"Session {session.id} is saved. Continue it with: {session.resume_command}")
    return EXIT_OK


def cmd_room(args: argparse.Namespace) -> int:
    """The room view in a second terminal: follows a running session read-only (see tui/room.py)."""
    from facilitate.session.catalog import list_sessions
    from facilitate.session.datadir import data_dir_option
    from facilitate.session.follow import find_running

    data_dir = _data_dir(args)
    session_id = args.session_id
    if session_id is not None:
        known = {info.id for info in list_sessions(data_dir)}
        if session_id not in known:
            raise UserError(
                f"there is no session {session_id} in {data_dir} "
                f"(`facilitate sessions{data_dir_option(data_dir)}` lists them)"
            )
    else:
        print(f"Looking for a running session in {data_dir}…", file=sys.stderr)
        running = find_running(data_dir)
        if len(running) > 1:
            listed = "\n".join(f"  facilitate room {found}{data_dir_option(data_dir)}" for found in running)
            raise UserError(f"{len(running)} sessions are running in {data_dir}; choose one:\n{listed}")
        session_id = running[0] if running else None  # none yet: the room view waits, saying so
    from facilitate.tui.room import make_room_app

    make_room_app(data_dir, session_id, theme=args.theme).run()
    return 0


def _title_of(workshop: str) -> str | None:
    """The workshop's title for the first screen, read without validating it (None if not plain)."""
    from facilitate.tui.opening import read_title
    from facilitate.workshop.registry import UnknownWorkshop, resolve_workshop_path

    try:
        return read_title(resolve_workshop_path(workshop))
    except (UnknownWorkshop, OSError):  # opening it says what is wrong, in full
        return None


def cmd_sessions(args: argparse.Namespace) -> int:
    import json

    from facilitate.session.catalog import list_sessions

    data_dir = _data_dir(args)
    _expire_private(data_dir)
    found = list_sessions(data_dir, moved_aside=True)
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


def cmd_report(args: argparse.Namespace) -> int:
    from facilitate.session.journal import JournalError
    from facilitate.session.report import build_report, render_csv, render_text
    from facilitate.session.session import Session

    if len(args.session_id) > 1:
        return _compare_sessions(args)
    [args.session_id] = args.session_id
    data_dir = _data_dir(args)
    _expire_private(data_dir)
    try:
        session = Session.open_readonly(data_dir, args.session_id)
    except JournalError as exc:
        raise UserError(f"{exc} (`facilitate sessions --data-dir {data_dir}` lists the sessions)") from None
    try:
        report = build_report(session)
    finally:
        session.close()
    if args.format == "pdf":
        from facilitate.takeaway.report_pdf import render_report_pdf

        output = Path(args.output or f"{report.session_id}-report.pdf")
        _write(output, render_report_pdf(report))
        print(f"Wrote {output}")
        return EXIT_OK
    text = {"text": render_text, "json": lambda r: r.to_json(), "csv": render_csv}[args.format](report)
    if args.output:
        _write(Path(args.output), text.encode("utf-8"))
        print(f"Wrote {args.output}")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def _compare_sessions(args: argparse.Namespace) -> int:
    """`facilitate report ID1 ID2 …`: the group's before/after answers side by side (group totals only)."""
    from facilitate.session.compare import RENDERERS, NothingToCompare, compare_sessions
    from facilitate.session.journal import JournalError

    if args.format == "pdf":
        raise UserError("a PDF report is for one session; compare sessions with --format text, json or csv")
    if len(set(args.session_id)) != len(args.session_id):
        raise UserError("a session is named twice: give each session once")
    data_dir = _data_dir(args)
    _expire_private(data_dir)
    try:
        text = RENDERERS[args.format](compare_sessions(data_dir, args.session_id))
    except JournalError as exc:
        raise UserError(f"{exc} (`facilitate sessions --data-dir {data_dir}` lists the sessions)") from None
    except NothingToCompare as exc:
        raise UserError(str(exc)) from None
    if args.output:
        _write(Path(args.output), text.encode("utf-8"))
        print(f"Wrote {args.output}")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise UserError(f"could not write {path}: {exc.strerror or exc}") from None


def _parse_age(text: str) -> float:
    """'30d', '12h', '90m' -> seconds."""
    import re

    match = re.fullmatch(r"\s*(\d+)\s*([dhm])\s*", text)
    if not match:
        raise UserError(f"--older-than {text!r}: give a number and d, h or m, e.g. 30d")
    return int(match.group(1)) * {"d": 86400, "h": 3600, "m": 60}[match.group(2)]


def cmd_purge(args: argparse.Namespace) -> int:
    import time

    from facilitate.session.catalog import list_sessions
    from facilitate.session.damaged import delete_with_companions

    data_dir = _data_dir(args)
    found = list_sessions(data_dir, moved_aside=True)
    if (args.session_id is None) == (args.older_than is None):
        raise UserError("say which: `facilitate purge SESSION_ID` or `facilitate purge --older-than 30d`")
    if args.session_id is not None:
        chosen = [info for info in found if info.id == args.session_id]
        if not chosen:
            raise UserError(f"no session {args.session_id!r} in {data_dir}")
    else:
        cutoff = time.time() - _parse_age(args.older_than)
        chosen = [info for info in found if _last_touched(info) < cutoff]
        # A damaged file may hold an unfinished session someone wants to rescue: kept like one.
        running = [info for info in chosen if info.unfinished or info.status == "damaged"]
        if running and not args.include_unfinished:
            print(
                f"Keeping {len(running)} unfinished or damaged session(s); "
                "add --include-unfinished to delete them too."
            )
            chosen = [info for info in chosen if info not in running]
    from facilitate.session.applock import holder

    in_use = [(info, holder(info.path)) for info in chosen]
    for info, app in in_use:
        if app is not None:
            print(f"Keeping {info.id}: it is open in {app.describe()}; quit that app first.")
    chosen = [info for info, app in in_use if app is None]
    if not chosen:
        print("Nothing to delete.")
        return EXIT_OK
    for info in chosen:
        print(f"  {info.id}  {info.workshop_title or '?'}  {_when(info.started)}  {info.status}")
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError("this deletes sessions for good: run it in a terminal to confirm, or add --yes")
        reply = input(f"Delete {len(chosen)} session(s) for good, with every answer? [y/N] ")
        if reply.strip().lower() not in ("y", "yes"):
            print("Nothing deleted.")
            return EXIT_OK
    for info in chosen:
        try:
            delete_with_companions(info.path)
        except OSError as exc:
            raise UserError(f"could not delete {exc.filename or info.path}: {exc.strerror or exc}") from None
    print(f"Deleted {len(chosen)} session(s).")
    return EXIT_OK


def _last_touched(info) -> float:
    """When a session was last written: its last event, else its start, else the file's own time (a
    damaged file has neither)."""
    if info.last_event or info.started:
        return info.last_event or info.started
    try:
        return info.path.stat().st_mtime
    except OSError:
        return 0.0


def cmd_handout(args: argparse.Namespace) -> int:
    from facilitate.takeaway import render_handout

    loaded = _open(args.workshop)
    _write(Path(args.output), render_handout(loaded.workshop, paper=args.paper))
    print(f"Wrote {args.output}")
    return EXIT_OK


def cmd_guide(args: argparse.Namespace) -> int:
    from facilitate.takeaway import render_guide

    loaded = _open(args.workshop)
    _check_start(args.start)
    pdf = render_guide(loaded.workshop, start=args.start, paper=args.paper, facilitator=args.facilitator)
    _write(Path(args.output), pdf)
    print(f"Wrote {args.output}")
    return EXIT_OK


def _check_start(start: str | None) -> None:
    import re

    if start is not None and not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", start):
        raise UserError(f"--start {start!r}: give a clock time like 09:30")


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
    run.add_argument(
        "--room-size",
        type=_positive_int,
        metavar="N",
        help="people in the room: phones beyond N and a small margin wait for your yes (else `j` asks)",
    )
    run.add_argument(
        "--keep-private",
        type=_non_negative_int,
        default=30,
        metavar="MINUTES",
        help="after the end, keep private reflections and plans this long for takeaway downloads (default 30)",
    )
    run.add_argument(
        "--demo-room",
        type=_non_negative_int,
        default=0,
        metavar="N",
        help="rehearse with N simulated participants joining over loopback (the session is marked DEMO)",
    )
    run.add_argument(
        "--speed",
        type=_speed,
        default=1.0,
        metavar="X",
        help="run every timer X times faster, e.g. 10 for a quick walk-through (marked DEMO)",
    )
    run.add_argument("--facilitator", metavar="NAME", help="your name, for the takeaways (optional)")
    run.add_argument(
        "--paper", choices=("A4", "Letter"), help="takeaway paper size (default: from the locale)"
    )
    _add_data_dir(run)

    room = add(
        "room",
        cmd_room,
        "The room view for the projector, in a second terminal: follows the running session (q closes it).",
    )
    room.add_argument(
        "session_id", metavar="SESSION_ID", nargs="?", help="the session to follow (default: the one running)"
    )
    room.add_argument(
        "--theme", choices=("dark", "light", "high-contrast"), default=None, help="colour theme"
    )
    _add_data_dir(room)

    sessions = add("sessions", cmd_sessions, "List sessions: id, workshop, started, last event, status.")
    sessions.add_argument("--format", choices=("text", "json"), default="text")
    _add_data_dir(sessions)

    report = add(
        "report",
        cmd_report,
        "A session's report: time planned vs spent, polls as totals only. With several sessions (e.g. a "
        "series), the group's answers to their shared before/after question side by side.",
    )
    report.add_argument(
        "session_id",
        metavar="SESSION_ID",
        nargs="+",
        help="see `facilitate sessions`; give several to compare them (group totals only)",
    )
    report.add_argument("--format", choices=("text", "json", "csv", "pdf"), default="text")
    report.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE (a PDF goes to SESSION-report.pdf)"
    )
    _add_data_dir(report)

    purge = add("purge", cmd_purge, "Delete sessions for good (asks first unless --yes).")
    purge.add_argument("session_id", metavar="SESSION_ID", nargs="?", help="the session to delete")
    purge.add_argument("--older-than", metavar="AGE", help="delete sessions older than AGE, e.g. 30d, 12h")
    purge.add_argument("--include-unfinished", action="store_true", help="with --older-than: unfinished too")
    purge.add_argument("--yes", action="store_true", help="do not ask")
    _add_data_dir(purge)

    handout = add("handout", cmd_handout, "A printable handout for people without phones (PDF).")
    handout.add_argument("workshop", metavar="NAME|PATH")
    handout.add_argument("-o", "--output", metavar="FILE.pdf", required=True)
    handout.add_argument("--paper", choices=("A4", "Letter"), help="default: from the workshop's locale")

    guide = add("guide", cmd_guide, "The facilitator guide: agenda, what to say, notes, safety plan (PDF).")
    guide.add_argument("workshop", metavar="NAME|PATH")
    guide.add_argument("-o", "--output", metavar="FILE.pdf", required=True)
    guide.add_argument("--start", metavar="HH:MM", help="clock time the workshop starts, e.g. 09:30")
    guide.add_argument("--paper", choices=("A4", "Letter"), help="default: from the workshop's locale")
    guide.add_argument("--facilitator", metavar="NAME", help="your name, on the cover")

    return parser


def _speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.1 <= value <= 1000:
        raise argparse.ArgumentTypeError("give a speed from 0.1 to 1000, e.g. 10")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"give a whole number of people, 1 or more (not {text!r})")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("give 0 or more minutes")
    return value


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
