"""What an operation changed: the ids of the rows it created, updated and deleted.

Every service returns a ``Changes`` record (the Anki pattern): a view looks at
the kinds it shows and refreshes only when one of them was touched::

    changes = create_show(db, me, ShowData(name="Macbeth"))
    show_id = changes.created_id(Kind.SHOW)
    if changes.touches(Kind.SHOW, Kind.VENUE):
        shows_view.reload()

Rows that go because their parent went (the elements of a deleted script,
the holds of a deleted run) are not listed one by one: the parent's entry
in ``deleted`` implies them.

Inside an operation a ``ChangeLog`` collects the ids; ``freeze()`` gives the
record to return.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple


class Kind(enum.StrEnum):
    """The kinds of rows a change can name (the values are stable text)."""

    SHOW = "show"
    VENUE = "venue"
    DEPARTMENT = "department"
    PERSON = "person"
    CREW_RELATIONSHIP = "crew_relationship"
    CREW_ASSIGNMENT = "crew_assignment"
    SCRIPT = "script"
    ELEMENT = "element"
    SCRIPT_REVISION = "script_revision"
    RUN = "run"
    PREFERENCES = "preferences"


class Ref(NamedTuple):
    """One row: its kind and id."""

    kind: Kind
    id: uuid.UUID


@dataclass(frozen=True)
class Changes:
    """The rows one operation created, updated and deleted, in the order it did so."""

    created: tuple[Ref, ...] = ()
    updated: tuple[Ref, ...] = ()
    deleted: tuple[Ref, ...] = ()

    def __bool__(self) -> bool:
        """False when the operation changed nothing."""
        return bool(self.created or self.updated or self.deleted)

    def created_ids(self, kind: Kind) -> tuple[uuid.UUID, ...]:
        return tuple(ref.id for ref in self.created if ref.kind == kind)

    def updated_ids(self, kind: Kind) -> tuple[uuid.UUID, ...]:
        return tuple(ref.id for ref in self.updated if ref.kind == kind)

    def deleted_ids(self, kind: Kind) -> tuple[uuid.UUID, ...]:
        return tuple(ref.id for ref in self.deleted if ref.kind == kind)

    def created_id(self, kind: Kind) -> uuid.UUID:
        """The id of the one row of ``kind`` created; ``LookupError`` unless exactly one."""
        ids = self.created_ids(kind)
        if len(ids) != 1:
            raise LookupError(f"{len(ids)} rows of kind {kind.value} were created, not one")
        return ids[0]

    def touches(self, *kinds: Kind) -> bool:
        """True when a row of any of ``kinds`` was created, updated or deleted."""
        wanted = set(kinds)
        return any(ref.kind in wanted for ref in (*self.created, *self.updated, *self.deleted))

    def __or__(self, other: Changes) -> Changes:
        """Both records as one (for an action made of several operations)."""
        log = ChangeLog()
        for changes in (self, other):
            log.add_refs(changes)
        return log.freeze()


class ChangeLog:
    """Collects what an operation does; ``freeze()`` gives the ``Changes`` record.

    An id is listed once. A row created and then updated in the same
    operation is only "created"; a row created and then deleted is not listed.
    """

    def __init__(self) -> None:
        self._created: dict[Ref, None] = {}
        self._updated: dict[Ref, None] = {}
        self._deleted: dict[Ref, None] = {}

    def created(self, kind: Kind, *ids: uuid.UUID) -> None:
        self.created_all(kind, ids)

    def updated(self, kind: Kind, *ids: uuid.UUID) -> None:
        self.updated_all(kind, ids)

    def deleted(self, kind: Kind, *ids: uuid.UUID) -> None:
        self.deleted_all(kind, ids)

    def created_all(self, kind: Kind, ids: Iterable[uuid.UUID]) -> None:
        for row_id in ids:
            self._created[Ref(kind, row_id)] = None

    def updated_all(self, kind: Kind, ids: Iterable[uuid.UUID]) -> None:
        for row_id in ids:
            self._updated[Ref(kind, row_id)] = None

    def deleted_all(self, kind: Kind, ids: Iterable[uuid.UUID]) -> None:
        for row_id in ids:
            self._deleted[Ref(kind, row_id)] = None

    def add_refs(self, changes: Changes) -> None:
        for ref in changes.created:
            self._created[ref] = None
        for ref in changes.updated:
            self._updated[ref] = None
        for ref in changes.deleted:
            self._deleted[ref] = None

    def freeze(self) -> Changes:
        created = [ref for ref in self._created if ref not in self._deleted]
        updated = [
            ref for ref in self._updated if ref not in self._created and ref not in self._deleted
        ]
        deleted = [ref for ref in self._deleted if ref not in self._created]
        return Changes(tuple(created), tuple(updated), tuple(deleted))
