"""The script editor's lock while the script is being called: design data stays as it is.

While a calling screen of this program has a run going for a script
(``registry.is_run_active``), its script editor refuses every edit, undo,
redo and save with ``EDITING_LOCKED`` / ``SAVING_LOCKED`` (the edits made
before stay in the editor), and says so as soon as the run starts
(``registry.active_runs().changed``). When the run ends the lock goes.
"""

from __future__ import annotations

import uuid

from ui.calling.registry import active_runs, is_run_active

__all__ = [
    "EDITING_LOCKED",
    "LOCK_MESSAGES",
    "SAVING_LOCKED",
    "active_runs",
    "editing_refusal",
    "saving_refusal",
]

EDITING_LOCKED = (
    "This script is being called right now: editing is locked until the run ends "
    "(End Run on the calling screen)."
)
SAVING_LOCKED = (
    "This script is being called right now: saving is locked until the run ends. "
    "Your edits are kept here; save them after the show."
)

LOCK_MESSAGES = (EDITING_LOCKED, SAVING_LOCKED)  # what the editor hides when the run ends


def editing_refusal(script_id: uuid.UUID) -> str | None:
    """Why an edit of this script is refused now, or None when it may go ahead."""
    return EDITING_LOCKED if is_run_active(script_id) else None


def saving_refusal(script_id: uuid.UUID) -> str | None:
    """Why saving this script is refused now, or None when it may go ahead."""
    return SAVING_LOCKED if is_run_active(script_id) else None
