"""The facilitator app: a thin shell that turns keys into session events and renders session state.

The screen itself is `RunScreen` (run_screen.py: single screen or presenter view), its keys are in keys.py
and actions.py, the palette in palette.py; this shell starts the phone server, ticks the clock, counts the
room views that follow the session and batches redraws while phones answer.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.screen import Screen

from facilitate.session.presence import attached_rooms, room_secret, write_address
from facilitate.tui.commands import StepCommands
from facilitate.tui.join import JoinNews
from facilitate.tui.opening import Opening, OpeningScreen
from facilitate.tui.palette import system_commands
from facilitate.tui.phones import PhoneOptions, start_resource_tracker
from facilitate.tui.terminal import exit_on_signals
from facilitate.tui.themes import HIGH_CONTRAST, SHORT_HEIGHT, THEMES

# What this module imports is what the first screen waits for: only Textual and light modules here. The
# session, the workshop models (pydantic) and the run screen load when the session opens (`_open`).
if TYPE_CHECKING:
    from facilitate.server.connections import Capacity  # the phone server loads after the first screen
    from facilitate.session.session import Session
    from facilitate.tui.run_screen import RunScreen

__all__ = ["FacilitateApp", "PhoneOptions", "make_app"]


def __getattr__(name: str) -> object:  # LAST_STEP, kept here for those who import it from the app
    if name == "LAST_STEP":
        from facilitate.tui.actions import LAST_STEP

        return LAST_STEP
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


TICK_SECONDS = 0.25
REDRAW_SECONDS = (
    0.5  # the shortest time between two redraws caused by phones' answers (a frame costs 20-60 ms)
)


class FacilitateApp(App[None]):
    """Keys become session events; the session is journaled before anything appears on screen."""

    CSS_PATH = "facilitate.tcss"
    TITLE = "facilitate"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {StepCommands}
    # Screens get "-short" below SHORT_HEIGHT rows (tighter spacing, see facilitate.tcss) and
    # "-narrow" below 100 columns (less side padding).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_HEIGHT, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(
        self,
        session: Session | Opening,
        *,
        theme: str | None = None,
        projector: bool = False,
        bell: bool = False,
        phones: PhoneOptions | None = None,
    ):
        super().__init__()
        self.phones = phones
        self.phone_server = None
        self._join_news: JoinNews | None = None  # bursts and waiting phones, told on any screen
        self._refusal_said = -1e9  # when a phone turned away was last said
        self.demo_room = None
        self.phones_problem: str | None = None
        # A new session opens after the first screen (see tui/opening.py); until then `session` is None.
        self.opening = session if isinstance(session, Opening) else None
        self.opening_error: BaseException | None = None  # why it could not open (the CLI says it)
        self.session: Session | None = None if self.opening is not None else session
        self.start_theme = THEMES.get(theme or "dark", "textual-dark")
        self.start_projector = projector
        self.bell_enabled = bell
        self._ticks = 0
        self._rang_for: object = None
        self._unsubscribe = None
        self._shown_problem: str | None = None
        self._redraw_timer = None
        self._last_redraw = 0.0
        self.stopped_by: int | None = None  # the signal (SIGTERM, SIGHUP, SIGINT) that ended the app

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notice is plain text (reasons and problems can quote workshop text or paths). In projector
        mode the room sees this screen: no notice reaches it but errors (NOT SAVED), shown at the top (see
        the stylesheet). In the presenter view the last few also stay in the presenter column."""
        run = getattr(self, "run_screen", None)
        if run is not None and run.room_sees_this_screen and severity != "error":
            return
        if run is not None and run.presenter:
            with suppress(Exception):  # the column may be mid-rebuild; the toast still shows
                run.query_one("#presenter").add_notice(message)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def get_default_screen(self) -> Screen:
        if self.session is None:
            return OpeningScreen(self.opening.title if self.opening is not None else None)
        from facilitate.tui.run_screen import RunScreen

        self.run_screen = RunScreen(self.session)
        return self.run_screen

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if self.session is None:  # still opening: only the way out
            return (c for c in super().get_system_commands(screen) if c.title == "Quit")
        return system_commands(self)

    def on_mount(self) -> None:
        if not self.is_headless:  # a real terminal: give it back as on `q` (see tui/terminal.py)
            exit_on_signals(self._stop_on_signal)
        self.register_theme(HIGH_CONTRAST)
        self.theme = self.start_theme
        if self.session is None:  # paint the opening screen first, then open the session beside it
            self.call_after_refresh(self._open)
            return
        self._run()

    def _open(self) -> None:
        """Right after the opening screen is painted: validate the workshop and set up the session, on
        the loop (nothing else touches the session meanwhile; a worker thread was no sooner done)."""
        assert self.opening is not None
        try:
            session, _ = self.opening.start()
            from facilitate.tui.run_screen import RunScreen
        except BaseException as exc:  # a mistake in the file, a data folder that went away: said on exit
            self._not_opened(exc)
            return
        self._opened(session, RunScreen)

    def _not_opened(self, exc: BaseException) -> None:
        self.opening_error = exc
        self.exit()

    def _opened(self, session: Session, run_screen: type[RunScreen]) -> None:
        self.session = session
        self.run_screen = run_screen(session)
        typed = self.screen.typed if isinstance(self.screen, OpeningScreen) else []
        self.push_screen(self.run_screen)  # over the opening screen, which stays beneath it
        self._run()
        for key, character in typed:  # pressed while it opened: they go to the session now, in order
            self.post_message(events.Key(key, character))

    def _run(self) -> None:
        """Start what runs with a session: the title, the ticks, the phones, the room count."""
        assert self.session is not None
        self.title = self.session.workshop.title + (" — DEMO" if self.session.demo else "")
        if self.start_projector:
            self.run_screen.set_layout(projector=True)
        self._unsubscribe = self.session.subscribe(lambda _session: self._session_changed())
        self.set_interval(TICK_SECONDS, self._tick)
        if self.phones is not None:
            # After the first paint: the server's imports (aiohttp, multiprocessing) cost about 130 ms, and
            # the room sees the workshop's first screen that much sooner. Phones join seconds later anyway.
            self.call_after_refresh(self._start_phones_worker)
        else:  # no room view may show the address of a server that is gone (a resume with --no-phones)
            self.publish_address(None)
        self.call_after_refresh(self._count_rooms)
        self._sync_blank()

    def _stop_on_signal(self, signum: int) -> None:
        """SIGTERM, SIGHUP or SIGINT: exit as `q` would; every event is journaled already."""
        self.stopped_by = signum
        self.exit()

    def _start_phones_worker(self) -> None:
        if self.phones is not None:
            self.run_worker(self._start_phones(self.phones), name="phones", exit_on_error=False)

    async def _start_phones(self, options: PhoneOptions) -> None:
        """The phone server runs in this app's own asyncio loop: one process, no threads for HTTP."""
        try:
            start_resource_tracker()
        except (OSError, ValueError) as exc:  # phones can still answer; their PDFs are what would fail
            self.notify(f"Takeaway PDFs may not download: {exc}", severity="warning", timeout=10)
        from facilitate.server.runner import is_wildcard, start_phone_server

        try:
            from facilitate.server.app import TakeawayOptions

            try:
                secret: str | None = room_secret(self.data_dir, self.session.id)
            except OSError:  # no browser room view; phones are unaffected
                secret = None
            self.phone_server = await start_phone_server(
                self.session,
                room_secret=secret,
                host=options.host,
                port=options.port,
                public_url=options.public_url,
                takeaway=TakeawayOptions(options.facilitator, options.paper),
                room_size=options.room_size,
            )
            self._join_news = JoinNews(self.phone_server.joins)
        except OSError as exc:
            self.phones_problem = f"Phones cannot join: {exc.strerror or exc}"
            self.notify(self.phones_problem, severity="error", timeout=10)
            self.publish_address(None)
            return
        # Room views draw the closing step's takeaway QR code from it; the view on screen is drawn again
        # with it (the stage's key includes the address).
        self.publish_address(self.phone_server.join_url)
        self.run_screen.show_state()
        if self.phone_server.port_note:
            self.notify(self.phone_server.port_note, timeout=8)
        if self.phone_server.capacity is not None:
            self.phone_server.capacity.on_refused = self._phone_refused
        if options.demo_room:
            from facilitate.server.demo_room import DemoRoom

            host = "127.0.0.1" if is_wildcard(options.host) else options.host
            url = f"http://{host}:{self.phone_server.port}/j/{self.session.join_secret}"
            self.demo_room = DemoRoom(url, options.demo_room, speed=options.speed)
            await self.demo_room.start()
            self.notify(f"DEMO: {options.demo_room} simulated participants are joining", timeout=5)

    def _phone_refused(self, capacity: Capacity) -> None:
        """A phone was turned away for want of open files: said at once, then at most every 30 s."""
        now = time.monotonic()
        if now - self._refusal_said >= 30.0:
            self._refusal_said = now
            self.notify(capacity.note() or "", severity="warning", timeout=12)

    async def on_unmount(self) -> None:
        if self.session is None:  # it never opened
            return
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self.demo_room is not None:
            await self.demo_room.stop()
        if self.phone_server is not None:
            await self.phone_server.stop()
            with suppress(OSError):
                write_address(self.data_dir, self.session.id, None)
        if self.session.ended:  # no more downloads once the server is gone: private text goes now
            from facilitate.session.journal import JournalError

            with suppress(JournalError):
                self.session.delete_private_now()

    def _session_changed(self) -> None:
        """A new step shows at once; a stream of phone answers redraws the counts at most twice a
        second, so a room answering together cannot keep the screen (and the loop) busy redrawing."""
        from facilitate.tui.stage import view_key  # loaded with the run screen already: a lookup

        if (
            self.session.last_change != "answers"
            or self.run_screen.stage.shown_key is None
            or view_key(self.session) != self.run_screen.stage.shown_key[0]
            or self.session.journal_problem
        ):
            self._redraw()
        elif self._redraw_timer is None:
            wait = self._last_redraw + REDRAW_SECONDS - time.monotonic()
            if wait <= 0:
                self._redraw()
            else:
                self._redraw_timer = self.set_timer(wait, self._redraw)
        self._say_journal_problem()

    def _redraw(self) -> None:
        if self._redraw_timer is not None:
            self._redraw_timer.stop()
            self._redraw_timer = None
        self._last_redraw = time.monotonic()
        self.run_screen.show_state()
        self._sync_blank()

    def _sync_blank(self) -> None:
        """The blank screen follows the session, whether `b` or the remote blanked it."""
        from facilitate.tui.screens import BlankScreen  # loaded with the run screen already: a lookup

        on_top = isinstance(self.screen, BlankScreen)
        if self.session.state.blanked and not on_top:
            self.push_screen(BlankScreen(), lambda _: self._unblank_if_blank())
        elif not self.session.state.blanked and on_top:
            self.pop_screen()

    def _unblank_if_blank(self) -> None:
        if self.session.state.blanked:
            self.run_screen._do(self.session.unblank())

    @property
    def join_url(self) -> str | None:
        """The phones' join address (for the closing step's takeaway QR code), None without a server."""
        return None if self.phone_server is None else self.phone_server.join_url

    @property
    def data_dir(self) -> Path:
        return Path(self.session.journal.path).parent.parent  # <data dir>/sessions/<id>.sqlite

    def publish_address(self, url: str | None) -> None:
        """Tell room views the join address (not journaled: see session/presence.py)."""
        try:
            write_address(self.data_dir, self.session.id, url)
        except OSError as exc:
            self.notify(f"Room views cannot show the join address: {exc.strerror or exc}", timeout=5)

    def _count_rooms(self) -> None:
        """Room views following the session: terminal ones (their presence files, see session/presence.py)
        and browser ones (their open event streams). While any do, this screen is the presenter view."""
        count = attached_rooms(self.data_dir, self.session.id)
        server = self.phone_server
        count += getattr(server, "room_viewers", 0) if server is not None else 0
        self.run_screen.set_rooms(count)

    def _say_journal_problem(self) -> None:
        problem = self.session.journal_problem
        if problem != self._shown_problem:
            self._shown_problem = problem
            if problem:
                self.notify(
                    f"NOT SAVED — phones are told to try again. {problem}", severity="error", timeout=15
                )
            else:
                self.notify("Saving works again.", timeout=5)

    def _tick(self) -> None:
        self.run_screen.tick()
        self._ticks += 1
        if self._ticks % round(1 / TICK_SECONDS) == 0:
            self.session.heartbeat()
            self._count_rooms()
            while self.session.journal.notices:
                self.notify(self.session.journal.notices.pop(0), severity="warning", timeout=15)
            for line in self._join_news.lines() if self._join_news is not None else ():
                self.notify(line, severity="warning", timeout=10)
        if self.bell_enabled:
            timer = self.session.current_timer
            if timer is not None and timer.running and timer.is_up(self.session.now()):
                marker = (self.session.state.index, self.session.grounding)
                if marker != self._rang_for:
                    self._rang_for = marker
                    self.bell()


def make_app(
    session: Session | Opening,
    *,
    theme: str | None = None,
    projector: bool = False,
    bell: bool = False,
    phones: PhoneOptions | None = None,
) -> FacilitateApp:
    """The app factory shared by the CLI and the tests (the clock comes with the session)."""
    return FacilitateApp(session, theme=theme, projector=projector, bell=bell, phones=phones)
