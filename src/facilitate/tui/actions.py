"""What the facilitator's keys do: session events, overlays and the footer's rules. Shared by both layouts
of the run screen (single screen and presenter view), so a key means the same thing in each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from facilitate.session.hand_counts import hand_count_labels, hand_count_problem, hand_count_rule
from facilitate.session.session import Outcome, Session
from facilitate.tui.join import JoinScreen
from facilitate.tui.keys import FACILITATOR_BINDINGS, binding_keys
from facilitate.tui.moderation import ModerationScreen
from facilitate.tui.questions_screen import QuestionsScreen
from facilitate.tui.remote_screen import RemoteScreen, RemoteWarningScreen, remote_url
from facilitate.tui.screens import (
    AgendaScreen,
    EndScreen,
    HandCountScreen,
    HelpScreen,
    QuitScreen,
)
from facilitate.tui.why_not import PRIMARY, why_not
from facilitate.tui.word_check import WordCheckScreen

if TYPE_CHECKING:
    from textual.app import App

LAST_STEP = "This is the last step: e ends the session, q quits (you can resume)."


class FacilitatorActions:
    """Mixed into the run screen: every `action_*` of `FACILITATOR_BINDINGS` that changes the session or
    opens an overlay. The screen provides `session`, `app`, `room_sees_this_screen` and `show_state`."""

    session: Session
    app: App[None]

    @property
    def room_sees_this_screen(self) -> bool:  # pragma: no cover - the screen says
        raise NotImplementedError

    def show_state(self, *, rebuild: bool = False) -> None:  # pragma: no cover - the screen draws
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:  # pragma: no cover
        raise NotImplementedError

    def _do(self, outcome: Outcome) -> bool:
        if not outcome.ok:
            severity = "error" if getattr(outcome, "journal_error", False) else "warning"
            self.app.notify(outcome.reason or "That cannot be done now", severity=severity, timeout=4)
        return outcome.ok

    def _refuse_on_projector(self, what: str) -> bool:
        """True (and a word to the facilitator) when the room would see `what` on this screen."""
        if self.room_sees_this_screen:
            self.app.notify(f"{what} in projector mode: press p first", timeout=3)
            return True
        return False

    # --- moving and timing -------------------------------------------------------------------------------
    def action_next_step(self) -> None:
        session = self.session
        if not session.ended and session.state.index >= len(session.slides) - 1:
            self.app.notify(LAST_STEP, timeout=4)
            return
        self._do(session.next())

    def action_previous_step(self) -> None:
        self._do(self.session.back())

    def action_toggle_timer(self) -> None:
        self._do(self.session.toggle_timer())

    def action_adjust_timer(self, minutes: int) -> None:
        self._do(self.session.adjust_timer(minutes))

    def action_why_not(self, group: str) -> None:
        """A key that cannot act here: say why rather than do nothing."""
        self.app.notify(why_not(group, self.session), timeout=3)

    # --- what the room sees ------------------------------------------------------------------------------
    def action_agenda(self) -> None:
        if self._refuse_on_projector("The agenda is hidden"):
            return
        step = self.session.current_step
        self.app.push_screen(AgendaScreen(self.session.workshop, self.session.schedule(), step and step.id))

    def action_blank(self) -> None:
        self._do(self.session.blank())  # the app puts the blank screen up (a remote's tap does the same)

    def action_questions(self) -> None:
        """`k`: the questions from phones: list or set aside, mark answered, put them on screen."""
        if not self.session.workshop.questions:
            self.app.notify("This workshop takes no questions from phones (questions: false)", timeout=3)
            return
        if self._refuse_on_projector("Questions are not shown"):  # waiting questions never reach the room
            return
        self.app.push_screen(QuestionsScreen(self.session), lambda _: self.show_state())

    def action_remote(self) -> None:
        """`c`: the remote's QR code: at once in the presenter view; on a single screen (which may be what
        the room sees) after a warning."""
        server = getattr(self.app, "phone_server", None)
        if server is None:
            self.app.notify("The remote needs the phone server: phones are off", timeout=3)
            return
        if self._refuse_on_projector("The remote's code is not shown"):  # the room sees this screen
            return
        url = remote_url(server.join_url, self.session.join_secret, self.session.journal.remote_secret)
        if getattr(self, "presenter", False):  # the presenter view: the room looks at a room view, not here
            self.app.push_screen(RemoteScreen(url))
            return
        self.app.push_screen(
            RemoteWarningScreen(), lambda yes: self.app.push_screen(RemoteScreen(url)) if yes else None
        )

    def action_grounding(self) -> None:
        self._do(self.session.enter_grounding())

    def action_leave_grounding(self) -> None:
        if self.session.grounding:
            self._do(self.session.leave_grounding())

    def action_join(self) -> None:
        server = getattr(self.app, "phone_server", None)
        if server is None:
            problem = getattr(self.app, "phones_problem", None)
            self.app.notify(problem or "Phones are off for this session (--no-phones)", timeout=4)
            return
        session, url = self.session, server.join_url
        publish = getattr(self.app, "publish_address", None)
        if publish is not None:
            publish(url)  # the address as it is now (the network may have changed)
        self._do(session.show_join())  # journaled: room views show the join screen too
        room = getattr(getattr(self.app, "phones", None), "room_size", None)
        capacity = getattr(server, "capacity", None)
        note = (lambda: capacity.note(room)) if capacity is not None else None
        self.app.push_screen(
            JoinScreen(url, lambda: session.joined, server.lan_warning, note, getattr(server, "joins", None)),
            lambda _: self._do(session.hide_join()),
        )

    def action_room_address(self) -> None:
        server = getattr(self.app, "phone_server", None)
        if server is None or not getattr(server, "room_url", None):
            self.app.notify("The browser room view needs the phone server (it is off)", timeout=4)
            return
        if self._refuse_on_projector("The room view's address is never shown"):
            return
        from facilitate.tui.room_address import RoomAddressScreen

        self.app.push_screen(RoomAddressScreen(server.room_url))

    # --- polls -------------------------------------------------------------------------------------------
    def action_hand_count(self) -> None:
        step = self.session.current_step
        labels = hand_count_labels(step) if step is not None and step.kind == "poll" else None
        if labels is None:
            self.app.notify("A show of hands can be counted on single, multiple and scale polls", timeout=3)
            return

        def save(counts: list[int] | None) -> None:
            if counts is not None:
                self._do(self.session.dispatch("hand_count", step=step.id, counts=counts))

        screen = HandCountScreen(
            step.question,
            labels,
            self.session.state.hand_counts.get(step.id),
            rule=hand_count_rule(step, self.session.joined, self._room_size()),
            check=lambda counts: hand_count_problem(step, counts, self._room_size()),
        )
        self.app.push_screen(screen, save)

    def _room_size(self) -> int | None:
        """People in the room, when the facilitator said (`--room-size`, or on the join screen)."""
        server = getattr(self.app, "phone_server", None)
        joins = getattr(server, "joins", None) if server is not None else None
        if joins is not None and joins.room_size is not None:
            return joins.room_size
        return getattr(getattr(self.app, "phones", None), "room_size", None)

    def action_reveal(self) -> None:
        step = self.session.current_step
        if step is not None and step.kind == "poll" and self._do(self.session.toggle_reveal(step.id)):
            new = [word for word in self.session.words_to_check(step.id) if word.shown is None]
            if step.type == "words" and step.id in self.session.state.revealed and new:
                self.app.notify(f"{len(new)} words not checked yet: only checked words show (m)", timeout=4)

    def action_toggle_poll_open(self) -> None:
        if self._do(self.session.toggle_poll_open()):
            step = self.session.current_step
            state = "open" if self.session.poll_is_open(step.id) else "closed"
            self.app.notify(f"Poll {state} for answers", timeout=2)

    def action_moderate(self) -> None:
        step = self.session.current_step
        if step is None or step.kind != "poll" or not step.is_moderated:
            self.app.notify("Moderation is for written answers and checked words", timeout=3)
            return
        if self._refuse_on_projector("Moderation is not shown"):  # unapproved answers never reach the room
            return
        screen = ModerationScreen if step.type == "text" else WordCheckScreen
        self.app.push_screen(screen(self.session, step.id), lambda _: self.show_state())

    def action_show_text(self, delta: int) -> None:
        step = self.session.current_step
        if step is None or step.kind != "poll" or step.type != "text":
            return
        texts = self.session.approved_texts(step.id)
        if not texts:
            self.app.notify("No written answer is approved yet (m to moderate)", timeout=3)
            return
        index = (self.session.shown_text_index(step.id) + delta) % len(texts)
        self._do(self.session.show_text(step.id, index))

    # --- the session -------------------------------------------------------------------------------------
    def action_end_session(self) -> None:
        if self.session.ended:
            self._do(self.session.end())  # says why not
            return
        closing = self.session.closing_after_end()
        here = closing is not None and closing is self.session.current_step
        screen = EndScreen(self.session.keep_private_seconds / 60, closing and closing.title, here=here)
        self.app.push_screen(screen, lambda end_now: self._do(self.session.end()) if end_now else None)

    def action_help(self) -> None:
        rows = [
            (
                binding_keys(binding),
                f"{binding.description}: {binding.tooltip}" if binding.tooltip else binding.description,
            )
            for binding in FACILITATOR_BINDINGS
            if not binding.system
        ]
        rows += [("ctrl+p", "Command palette: jump to a step, timer, theme, end the session")]
        self.app.push_screen(HelpScreen(rows))

    def action_quit_session(self) -> None:
        screen = QuitScreen(
            self.session.resume_command,
            ended=self.session.ended,
            private_deleted=self.session.private_deleted,
        )
        self.app.push_screen(screen, lambda quit_now: self.app.exit() if quit_now else None)

    def action_allowed(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that cannot act now are hidden from the footer (and do nothing); None: the screen decides."""
        session = self.session
        if action in ("next_step", "previous_step", "toggle_timer", "adjust_timer") and session.ended:
            return False
        if action in ("next_step", "previous_step"):
            return not session.grounding
        if action in ("toggle_timer", "adjust_timer"):
            return session.current_timer is not None
        if action == "why_not" and parameters:
            primary, arguments = PRIMARY[str(parameters[0])]
            return self.check_action(primary, arguments) is False
        if action == "leave_grounding":
            return session.grounding
        if action == "grounding":
            return not session.grounding and not session.ended
        step = session.current_step
        if action in ("hand_count", "reveal", "toggle_poll_open"):
            return step is not None and step.kind == "poll"
        if action == "moderate":
            return step is not None and step.kind == "poll" and step.is_moderated
        if action == "show_text":
            return step is not None and step.kind == "poll" and step.type == "text"
        if action == "end_session":
            return not session.ended
        return None
