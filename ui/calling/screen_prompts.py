"""The calling screen's quick prompts: a caller's note (N), a hold reason (Shift+H), jump (J).

A mixin of ``CallingScreen``: it opens the inline prompts of ``ScreenLayout``
and hands what was typed to the ``RunControl``; the GO key is let go first,
since its release would go to the prompt.
"""

from __future__ import annotations

import uuid

from callmaster_desktop.domain.enums import RunStatus
from ui.calling.layout import ScreenLayout
from ui.calling.run_control import RunControl

__all__ = ["ScreenPrompts"]


class ScreenPrompts:
    """Needs ``control``, ``ui``, ``say`` and ``_prompt_closed`` from the screen."""

    control: RunControl
    ui: ScreenLayout

    def say(self, message: str) -> None:  # the screen's notice line
        raise NotImplementedError

    def _prompt_closed(self) -> None:  # the screen takes the keyboard back
        raise NotImplementedError

    def ask_note(self) -> None:
        if not self.control.engine.has_started or self.control.engine.is_over:
            self.say("Notes belong to a run: start the show first.")
            return
        self.control.go_key_up()
        choices: list[tuple[str, object]] = [("about the show", None)]
        last = self.control.last_call
        if last is not None:
            choices.insert(0, (f"about {last.cue.label}", last.cue.element_id))
        nxt = self.control.engine.next_cue
        if nxt is not None:
            choices.append((f"about {nxt.label} (next)", nxt.element_id))
        self.ui.show_prompt(self.ui.note)
        self.ui.note.ask("Caller's note", action="Save Note", choices=choices)

    def ask_hold_reason(self) -> None:
        if self.control.engine.status is not RunStatus.RUNNING and not (
            self.control.engine.is_counting_down
        ):
            self.say("Only a running show (or a countdown) can be held.")
            return
        self.control.go_key_up()
        self.ui.show_prompt(self.ui.hold_prompt)
        self.ui.hold_prompt.ask("Hold because", action="Hold", text="")

    def ask_jump(self) -> None:
        if self.control.engine.is_over:
            return
        self.control.go_key_up()
        self.ui.show_prompt(self.ui.picker)
        self.ui.picker.ask(self.control.plan.cues, self.control.engine.pointer)

    def _note_given(self, text: str, about: object) -> None:
        element_id = about if isinstance(about, uuid.UUID) else None
        if self.control.add_note(text, element_id):
            self.ui.close_prompts()
            self.say("Note saved.")
            self._prompt_closed()

    def _hold_given(self, reason: str, _about: object) -> None:
        self.ui.close_prompts()
        self.control.hold(reason or "Hold")
        self._prompt_closed()

    def _picked(self, element_id: object, skip: bool) -> None:
        assert isinstance(element_id, uuid.UUID)
        done = self.control.skip_to(element_id) if skip else self.control.jump_to(element_id)
        if done:
            self.ui.close_prompts()
            self._prompt_closed()
