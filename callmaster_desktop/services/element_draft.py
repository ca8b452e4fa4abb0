"""A script's elements as a tree in memory, for applying edits before one save.

``ElementDraft`` holds the rows by id and, for every group (and the top of
the script), the ordered ids of its direct children. Edits change the tree;
``rows()`` flattens it depth-first, so a group's rows always follow it
contiguously. Each edit raises ``ValidationError`` or ``NotFoundError`` in
plain words when it cannot be done.

Inside, rows are keyed by ``id.int`` (an int hashes in C, a UUID in Python):
a draft of 10,000 rows is built, shifted and flattened in a few milliseconds.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.errors import NotFoundError, ValidationError
from callmaster_desktop.services.element_values import evolve, new_element

Parent = uuid.UUID | None
_Key = int | None  # a row's id.int, None for the top of the script


def _key(element_id: Parent) -> _Key:
    return None if element_id is None else element_id.int


class ElementDraft:
    def __init__(self, elements: Iterable[ElementData]) -> None:
        self._items: dict[int, ElementData] = {}
        self._children: dict[_Key, list[int]] = {None: []}
        items, children = self._items, self._children
        for e in elements:
            key = e.id.int
            items[key] = e
            parent = None if e.parent_id is None else e.parent_id.int
            kids = children.get(parent)
            if kids is None:
                kids = children[parent] = []
            kids.append(key)

    # --- reading ------------------------------------------------------------------

    def get(self, element_id: uuid.UUID) -> ElementData:
        try:
            return self._items[element_id.int]
        except KeyError:
            raise NotFoundError(
                "A row being changed is no longer in the script: reload it and try again."
            ) from None

    def holds_rows(self, element_id: uuid.UUID) -> bool:
        """True when the row is a group with rows inside it."""
        return bool(self._children.get(element_id.int))

    def name_of(self, element_id: uuid.UUID) -> str:
        e = self.get(element_id)
        return f'"{e.name}"' if e.name else f"the {e.element_type.value}"

    def rows(self) -> list[ElementData]:
        """Every row, depth-first: each group followed by its rows."""
        out: list[ElementData] = []
        append = out.append
        items, children = self._items, self._children
        stack: list[Iterator[int]] = [iter(children.get(None, []))]
        while stack:
            for key in stack[-1]:
                append(items[key])
                kids = children.get(key)
                if kids:
                    stack.append(iter(kids))
                    break
            else:
                stack.pop()
        return out

    def _descendants(self, key: int) -> list[int]:
        found: list[int] = []
        children = self._children
        pending = list(children.get(key, ()))
        while pending:
            current = pending.pop()
            found.append(current)
            pending.extend(children.get(current, ()))
        return found

    def descendants(self, element_id: uuid.UUID) -> list[uuid.UUID]:
        return [self._items[k].id for k in self._descendants(element_id.int)]

    def _with_descendants(self, ids: Iterable[uuid.UUID]) -> list[int]:
        """The rows and everything inside them, each once (keys)."""
        found = dict.fromkeys(i.int for i in ids)
        items = self._items
        for key in found:
            if key not in items:
                raise NotFoundError(
                    "A row being changed is no longer in the script: reload it and try again."
                )
        children = self._children
        pending = [k for k in found if children.get(k)]
        while pending:
            for kid in children[pending.pop()]:
                if kid not in found:
                    found[kid] = None
                    if children.get(kid):
                        pending.append(kid)
        return list(found)

    def with_descendants(self, ids: Iterable[uuid.UUID]) -> list[uuid.UUID]:
        """The rows and everything inside them, each once."""
        return [self._items[k].id for k in self._with_descendants(ids)]

    # --- changing -----------------------------------------------------------------

    def shift(self, ids: Iterable[uuid.UUID], delta_ms: int) -> None:
        """Move the rows, and everything inside them, ``delta_ms`` later (earlier if < 0)."""
        items = self._items
        make = new_element
        for key in self._with_descendants(ids):
            e = items[key]
            items[key] = make(
                e.element_type, e.name, e.offset_ms + delta_ms, e.id, e.parent_id,
                e.department_id, e.cue_number, e.notes, e.duration_ms, e.priority,
                e.location, e.color, e.fires_together,
            )  # fmt: skip

    def set(self, element_id: uuid.UUID, **changes: Any) -> None:
        self._items[element_id.int] = evolve(self.get(element_id), changes)

    def replace(self, current: ElementData, new: ElementData) -> None:
        """Put ``new`` in the place of ``current`` (a row of this draft, same id)."""
        self._items[current.id.int] = new

    def _siblings(self, parent: Parent) -> list[int]:
        if parent is not None:
            group = self._items.get(parent.int)
            if group is None:
                raise NotFoundError(
                    "The group to put rows in is no longer in the script: reload it."
                )
            if group.element_type is not ElementType.GROUP:
                raise ValidationError(
                    f"{self.name_of(parent)} is a {group.element_type.value}, not a group: "
                    "rows can only be put inside a group."
                )
        return self._children.setdefault(_key(parent), [])

    def _index(
        self, siblings: list[int], parent: Parent, after_id: Parent, position: int | None
    ) -> int:
        if after_id is not None and after_id != parent:
            if after_id.int not in siblings:
                raise ValidationError(
                    f"{self.name_of(after_id)} is not in the group the rows are going to: "
                    "choose a row of that group to place them after."
                )
            return siblings.index(after_id.int) + 1
        if after_id is not None:  # after the group's own header: first inside it
            return 0
        if position is not None:
            return max(0, min(position, len(siblings)))
        return len(siblings)

    def add(
        self,
        data: ElementData,
        parent: Parent,
        after_id: Parent = None,
        position: int | None = None,
    ) -> None:
        if data.id.int in self._items:
            raise ValidationError(f"{self.name_of(data.id)} is already in the script.")
        siblings = self._siblings(parent)
        siblings.insert(self._index(siblings, parent, after_id, position), data.id.int)
        self._items[data.id.int] = data.with_changes(parent_id=parent)

    def delete(self, element_id: uuid.UUID, *, with_children: bool) -> None:
        e = self.get(element_id)
        key = element_id.int
        siblings = self._children[_key(e.parent_id)]
        at = siblings.index(key)
        kids = self._children.pop(key, [])
        if with_children:
            for d in [*kids, *(d for k in kids for d in self._descendants(k))]:
                del self._items[d]
                self._children.pop(d, None)
            siblings[at : at + 1] = []
        else:  # the rows of a deleted group take its place in its own group
            siblings[at : at + 1] = kids
            for kid in kids:
                self._items[kid] = evolve(self._items[kid], {"parent_id": e.parent_id})
        del self._items[key]

    def descendants_of_list(self, ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
        return [*ids, *(d for i in ids for d in self.descendants(i))]

    def move(
        self,
        ids: Sequence[uuid.UUID],
        parent: Parent,
        after_id: Parent = None,
        position: int | None = None,
    ) -> None:
        """Move rows (with whatever they hold) into ``parent``, keeping their order."""
        for element_id in ids:
            self.get(element_id)
        moving = {i.int for i in ids}
        inside = {d for i in ids for d in self._descendants(i.int)}
        roots = [i for i in dict.fromkeys(ids) if i.int not in inside]
        if parent is not None and (parent.int in moving or parent.int in inside):
            raise ValidationError(
                f"{self.name_of(parent)} cannot be put inside itself or inside one of its own rows."
            )
        if after_id is not None and after_id != parent and after_id.int in moving | inside:
            raise ValidationError("Rows cannot be placed after one of the rows being moved.")
        order = {e.id.int: n for n, e in enumerate(self.rows())}
        roots.sort(key=lambda i: order[i.int])
        siblings = self._siblings(parent)
        for root in roots:
            self._children[_key(self._items[root.int].parent_id)].remove(root.int)
            self.set(root, parent_id=parent)
        at = self._index(siblings, parent, after_id, position)
        siblings[at:at] = [r.int for r in roots]

    def sort_by(self, key: Callable[[ElementData], int]) -> None:
        """Order every group's rows (and the top level) by time, stably.

        A group's time is the earliest time of the rows inside it (at any
        depth), or its own when it is empty.
        """
        times: dict[int, int] = {}
        children = self._children
        for e in reversed(self.rows()):  # every row after its group: children come first
            row = e.id.int
            kids = children.get(row)
            times[row] = min([times[k] for k in kids]) if kids else key(e)
        for siblings in children.values():
            siblings.sort(key=times.__getitem__)
