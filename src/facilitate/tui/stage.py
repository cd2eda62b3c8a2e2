"""The stage: where the session's current slide is drawn, shared by the facilitator's screen (single screen
and presenter view) and the room view. It rebuilds the view when the slide changes and refreshes it in
place otherwise."""

from __future__ import annotations

from textual.containers import Container

from facilitate.session.session import Session
from facilitate.tui.poll_view import PollView
from facilitate.tui.views import (
    ActivityView,
    BreakView,
    ClosingView,
    ContentView,
    GroundingStepView,
    GroundingView,
    ModuleNoteView,
    PlanView,
    ReflectionView,
    SlideBody,
    SlideView,
    StepView,
    TitleView,
)

_STEP_VIEWS: dict[str, type[StepView]] = {
    "content": ContentView,
    "activity": ActivityView,
    "poll": PollView,
    "reflection": ReflectionView,
    "grounding": GroundingStepView,
    "break": BreakView,
    "plan": PlanView,
    "closing": ClosingView,
}


def view_for(session: Session, *, room: bool = False) -> SlideView:
    """The view for what is on screen now: grounding on top of anything, else the slide's own. `room`:
    drawn for the room (nothing private, calm, nothing to scroll)."""
    if session.grounding:
        return GroundingView(session, room=room)
    if session.state.questions_shown != "off":  # the listed questions, put up by the facilitator
        from facilitate.tui.questions_view import QuestionsView

        return QuestionsView(session, room=room)
    slide = session.current_slide
    if slide.kind == "title":
        return TitleView(session, room=room)
    if slide.kind == "module_note":
        return ModuleNoteView(session, room=room)
    return _STEP_VIEWS[session.current_step.kind](session, room=room)


def view_key(session: Session) -> tuple[object, ...]:
    """What identifies the view on screen: when it changes, the view is rebuilt."""
    return (session.state.index, session.grounding, session.ended, session.state.questions_shown)


class Stage(Container):
    """The current slide of `session`, for the facilitator or (`room`) for the room."""

    def __init__(self, session: Session, *, room: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.room = room
        self.view: SlideView | None = None
        self.shown_key: tuple[object, ...] | None = None

    def show(self, *, rebuild: bool = False) -> bool:
        """Draw the session; True when the view was rebuilt (a new slide), False when refreshed in place."""
        key = (view_key(self.session), self.room, getattr(self.app, "join_url", None))
        if key != self.shown_key or rebuild or self.view is None:
            self.shown_key = key
            self.remove_children()
            self.view = view_for(self.session, room=self.room)
            self.mount(self.view)
            return True
        if isinstance(self.view, PollView):
            self.view.show_results()
        return False

    def set_room(self, room: bool) -> None:
        """Draw for the room, or for the facilitator (projector mode on and off)."""
        if room != self.room:
            self.room = room
            if self.is_mounted:
                self.show()

    def tick(self, now: float) -> bool:
        """Refresh what changes with time; True when the view changed size and needs another look once
        laid out (whether the step still goes on below the screen)."""
        view = self.view
        if view is None or not view.is_mounted or view.parent is None:
            return False
        view.tick(now)
        if view.refitted:
            view.refitted = False
            return True
        return False

    def body(self) -> SlideBody | None:
        """The scrolling part of the slide on screen, if any."""
        view = self.view
        if view is None or not view.is_mounted:
            return None
        return next(iter(view.query(SlideBody)), None)

    def more_below(self) -> bool:
        body = self.body()
        return body is not None and body.scroll_y < body.max_scroll_y
