"""`facilitate room`: the room's view in a second terminal (the one on the projector).

It follows the session's journal read-only (session/follow.py) and shows only the room's part: the step,
its timer, revealed results, approved answers, the join screen while the facilitator shows it, the blank
screen, grounding and the closing step. It takes no facilitator keys: `q` closes it, nothing else does
anything. While it runs, a presence file tells the facilitator's app to show the presenter view.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Center, Container, Middle
from textual.screen import Screen
from textual.widgets import Static

from facilitate.session.follow import Follower, find_running
from facilitate.session.journal import JournalError, journal_path
from facilitate.session.presence import RoomPresence, read_address
from facilitate.tui.join import JoinCard
from facilitate.tui.stage import Stage
from facilitate.tui.themes import HIGH_CONTRAST, THEMES
from facilitate.tui.views import SHORT_HEIGHT

POLL_SECONDS = 0.04  # how often the journal is asked whether anything changed (PRAGMA data_version)
TICK_SECONDS = 0.25  # the countdown and phases
WAIT_SECONDS = 1.0  # while no session runs: how often to look again


class RoomScreen(Screen[None]):
    """The room's part of one followed session."""

    def __init__(self, follower: Follower) -> None:
        super().__init__()
        self.follower = follower
        self._join_key: object = None

    def compose(self) -> ComposeResult:
        yield Stage(self.follower.session, room=True, id="room-stage")
        yield Container(id="room-join")
        yield Static("", id="room-blank")
        yield Static("Paused", id="room-paused", markup=False)

    def on_mount(self) -> None:
        self.show_state()

    def follow(self, follower: Follower) -> None:
        self.follower = follower
        self.query_one(Stage).session = follower.session
        self.query_one(Stage).show(rebuild=True)
        self.show_state()

    def show_state(self) -> None:
        session = self.follower.session
        state = session.state
        stage = self.query_one(Stage)
        if stage.show():
            self.call_after_refresh(self.tick)
        self.query_one("#room-blank").display = state.blanked and not session.ended
        url = getattr(self.app, "join_url", None)
        join_key = (state.join_shown, url)
        if join_key != self._join_key:
            self._join_key = join_key
            layer = self.query_one("#room-join", Container)
            layer.remove_children()
            if state.join_shown and url:
                layer.mount(Middle(Center(JoinCard(url, lambda: self.follower.session.joined))))
            layer.display = bool(state.join_shown and url)
        self.query_one("#room-paused").display = not self.follower.alive
        self.tick()

    def tick(self) -> None:
        for stage in self.query(Stage).results(Stage):
            if stage.tick(self.follower.session.now()):
                self.call_after_refresh(self.tick)

    def on_resize(self) -> None:
        with suppress(Exception):
            self.query_one(Stage).show(rebuild=True)  # charts and the timer fit the new size


class WaitingScreen(Screen[None]):
    """No session to follow yet: says so, and where it looks."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(self.message, id="room-waiting", markup=False)

    def say(self, message: str) -> None:
        self.message = message
        self.query_one("#room-waiting", Static).update(message)


class RoomApp(App[None]):
    """Follows one session (or waits for one to start) and draws the room's part of it."""

    CSS_PATH = Path(__file__).parent / "facilitate.tcss"  # absolute: subclasses elsewhere find it too
    TITLE = "facilitate room"
    ENABLE_COMMAND_PALETTE = False
    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_HEIGHT, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [Binding("q", "quit", "Close the room view", id="close-room", show=False)]

    def __init__(
        self,
        data_dir: Path,
        session_id: str | None = None,
        *,
        theme: str | None = None,
        poll_seconds: float = POLL_SECONDS,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.data_dir = Path(data_dir)
        self.session_id = session_id
        self.start_theme = THEMES.get(theme or "dark", "textual-dark")
        self.poll_seconds = poll_seconds
        self.follower: Follower | None = None
        self.ticks = 0  # how many times the room's clock has redrawn: tests wait for it, not for a time
        self.presence: RoomPresence | None = None
        self.room_screen: RoomScreen | None = None
        self._join_url: str | None = None
        self._clocks = {"wall": wall, "monotonic": monotonic}  # injected by tests

    def get_default_screen(self) -> Screen:
        return WaitingScreen(self._waiting_text())

    def _waiting_text(self) -> str:
        if self.session_id:
            return f"Waiting for session {self.session_id} in {self.data_dir}…"
        return (
            f"Waiting for a session to start in {self.data_dir}…\n\n"
            "Start it on the other screen with `facilitate run NAME`; this view follows it by itself."
        )

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.theme = self.start_theme
        self.set_interval(self.poll_seconds, self._poll)
        self.set_interval(TICK_SECONDS, self._tick)
        self._attach()

    # --- finding and following the session ---------------------------------------------------------------
    def _attach(self) -> None:
        if self.session_id is not None:
            self._follow(self.session_id)
        else:
            self.run_worker(self._look_for_running, thread=True, exclusive=True, group="look")

    def _look_for_running(self) -> None:
        running = find_running(self.data_dir)
        self.call_from_thread(self._found, running)

    def _found(self, running: list[str]) -> None:
        if self.follower is not None:
            return
        if len(running) == 1:
            self.session_id = running[0]
            self._follow(running[0])
            return
        if len(running) > 1 and isinstance(self.screen, WaitingScreen):
            listed = "\n".join(f"  facilitate room {session_id}" for session_id in running)
            self.screen.say(f"Several sessions are running in {self.data_dir}; choose one:\n\n{listed}")
        self.set_timer(WAIT_SECONDS, self._attach)

    def _follow(self, session_id: str) -> None:
        path = journal_path(self.data_dir, session_id)
        try:
            follower = Follower(path, **self._clocks)
        except JournalError:
            self.set_timer(WAIT_SECONDS, self._attach)  # not there yet, or being written back: look again
            return
        if self.follower is not None:
            self.follower.close()
        self.follower = follower
        self._join_url = read_address(self.data_dir, session_id)
        if self.presence is None:
            with suppress(OSError):  # no presence file: the facilitator keeps the single screen, that is all
                self.presence = RoomPresence(self.data_dir, session_id)
        follower.session.subscribe(lambda _session: self._changed())
        if self.room_screen is None:
            self.room_screen = RoomScreen(follower)
            self.push_screen(self.room_screen)
        else:  # the same session, read afresh (its file was written back, or the app resumed elsewhere)
            self.room_screen.follow(follower)

    def _poll(self) -> None:
        follower = self.follower
        if follower is None:
            return
        try:
            if follower.poll():
                self._changed()
        except JournalError:
            if follower.alive:
                follower.alive = False
                self._changed()
        if follower.reader.replaced() and not follower.alive:  # written back at its place, or moved aside
            self.follower = None
            self._follow(self.session_id or "")
            follower.close()

    @property
    def join_url(self) -> str | None:
        """The join address the facilitator's app published (None: phones off, or it is not running)."""
        return self._join_url

    def _read_address(self) -> None:
        url = None if self.session_id is None else read_address(self.data_dir, self.session_id)
        if url != self._join_url:
            self._join_url = url
            self._changed()

    def _changed(self) -> None:
        if self.room_screen is not None and self.room_screen.is_mounted:
            self.room_screen.show_state()

    def _tick(self) -> None:
        if self.presence is not None:
            self.presence.touch()
        self._read_address()
        if self.room_screen is not None and self.room_screen.is_mounted:
            self.room_screen.tick()
        self.ticks += 1

    def on_unmount(self) -> None:
        if self.presence is not None:
            self.presence.close()
        if self.follower is not None:
            self.follower.close()


def make_room_app(
    data_dir: Path,
    session_id: str | None = None,
    *,
    theme: str | None = None,
    wall: Callable[[], float] = time.time,
    monotonic: Callable[[], float] = time.monotonic,
) -> RoomApp:
    """The room view's factory, shared by the CLI and the tests (which inject the clocks)."""
    return RoomApp(data_dir, session_id, theme=theme, wall=wall, monotonic=monotonic)
