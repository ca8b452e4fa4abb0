"""The script editing engine (no Qt): an edit session with undoable commands.

``EditSession`` holds one script in memory and a queue of edit commands;
every command keeps the rules of domain.md or is refused with a message;
``save`` writes the queue in one transaction. See ``editing.session``.
"""

from callmaster_desktop.editing.base import Command, NothingToChange, Place
from callmaster_desktop.editing.bulk import (
    RenumberDepartment,
    SetForSelection,
    ShiftTimes,
    SortByTime,
)
from callmaster_desktop.editing.commands import (
    AddElement,
    DeleteElements,
    EditFields,
    EditScriptInfo,
)
from callmaster_desktop.editing.fields import parse_shift, parse_time
from callmaster_desktop.editing.recovery import UnsavedEdits, find_unsaved_edits
from callmaster_desktop.editing.revisions import (
    Comparison,
    RestoreRevision,
    compare,
    compare_revisions,
    list_revisions,
    load_revision,
)
from callmaster_desktop.editing.session import EditSession, SaveResult, UnsavedEditsFound
from callmaster_desktop.editing.state import ScriptInfo, ScriptState, Step
from callmaster_desktop.editing.structure import GroupElements, MoveElements, Ungroup

__all__ = [
    "AddElement",
    "Command",
    "Comparison",
    "DeleteElements",
    "EditFields",
    "EditScriptInfo",
    "EditSession",
    "GroupElements",
    "MoveElements",
    "NothingToChange",
    "Place",
    "RenumberDepartment",
    "RestoreRevision",
    "SaveResult",
    "ScriptInfo",
    "ScriptState",
    "SetForSelection",
    "ShiftTimes",
    "SortByTime",
    "Step",
    "Ungroup",
    "UnsavedEdits",
    "UnsavedEditsFound",
    "compare",
    "compare_revisions",
    "find_unsaved_edits",
    "list_revisions",
    "load_revision",
    "parse_shift",
    "parse_time",
]
