"""A script's elements as a tree in memory, for applying edits before one save.

``ElementDraft`` holds the rows by id and, for every group (and the top of
the script), the ordered ids of its direct children. Edits change the tree;
``rows()`` flattens it depth-first, so a group's rows always follow it
contiguously. Each edit raises ``ValidationError`` or ``NotFoundError`` in
plain words when it cannot be done.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from callmaster_desktop.domain.element import ElementData
from callmaster_desktop.domain.enums import ElementType
from callmaster_desktop.errors import NotFoundError, ValidationError
from callmaster_desktop.services.element_checks import evolve

Parent = uuid.UUID | None


class ElementDraft:
    def __init__(self, elements: Iterable[ElementData]) -> None:
        self.items: dict[uuid.UUID, ElementData] = {}
        self.children: dict[Parent, list[uuid.UUID]] = {None: []}
        for e in elements:
            self.items[e.id] = e
            self.children.setdefault(e.parent_id, []).append(e.id)

    # --- reading ------------------------------------------------------------------

    def get(self, element_id: uuid.UUID) -> ElementData:
        try:
            return self.items[element_id]
        except KeyError:
            raise NotFoundError(
                "A row being changed is no longer in the script: reload it and try again."
            ) from None

    def name_of(self, element_id: uuid.UUID) -> str:
        e = self.get(element_id)
        return f'"{e.name}"' if e.name else f"the {e.element_type.value}"

    def rows(self) -> list[ElementData]:
        """Every row, depth-first: each group followed by its rows."""
        out: list[ElementData] = []
        stack: list[Iterator[uuid.UUID]] = [iter(self.children.get(None, []))]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                continue
            out.append(self.items[nxt])
            kids = self.children.get(nxt)
            if kids:
                stack.append(iter(kids))
        return out

    def descendants(self, element_id: uuid.UUID) -> list[uuid.UUID]:
        found: list[uuid.UUID] = []
        pending = list(self.children.get(element_id, ()))
        while pending:
            current = pending.pop()
            found.append(current)
            pending.extend(self.children.get(current, ()))
        return found

    def with_descendants(self, ids: Iterable[uuid.UUID]) -> list[uuid.UUID]:
        """The rows and everything inside them, each once."""
        found = dict.fromkeys(ids)
        for element_id in found:
            self.get(element_id)
        children = self.children
        pending = [i for i in found if children.get(i)]
        while pending:
            for kid in children[pending.pop()]:
                if kid not in found:
                    found[kid] = None
                    if children.get(kid):
                        pending.append(kid)
        return list(found)

    # --- changing -----------------------------------------------------------------

    def shift(self, ids: Iterable[uuid.UUID], delta_ms: int) -> None:
        """Move the rows, and everything inside them, ``delta_ms`` later (earlier if < 0)."""
        items = self.items
        for element_id in self.with_descendants(ids):
            e = items[element_id]
            items[element_id] = ElementData(
                e.element_type, e.name, e.offset_ms + delta_ms, e.id, e.parent_id,
                e.department_id, e.cue_number, e.notes, e.duration_ms, e.priority,
                e.location, e.color, e.fires_together,
            )

    def set(self, element_id: uuid.UUID, **changes: Any) -> None:
        self.items[element_id] = evolve(self.get(element_id), changes)

    def _siblings(self, parent: Parent) -> list[uuid.UUID]:
        if parent is not None:
            group = self.items.get(parent)
            if group is None:
                raise NotFoundError(
                    "The group to put rows in is no longer in the script: reload it."
                )
            if group.element_type is not ElementType.GROUP:
                raise ValidationError(
                    f"{self.name_of(parent)} is a {group.element_type.value}, not a group: "
                    "rows can only be put inside a group."
                )
        return self.children.setdefault(parent, [])

    def _index(
        self, siblings: list[uuid.UUID], parent: Parent, after_id: Parent, position: int | None
    ) -> int:
        if after_id is not None and after_id != parent:
            if after_id not in siblings:
                raise ValidationError(
                    f"{self.name_of(after_id)} is not in the group the rows are going to: "
                    "choose a row of that group to place them after."
                )
            return siblings.index(after_id) + 1
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
        if data.id in self.items:
            raise ValidationError(f"{self.name_of(data.id)} is already in the script.")
        siblings = self._siblings(parent)
        siblings.insert(self._index(siblings, parent, after_id, position), data.id)
        self.items[data.id] = data.with_changes(parent_id=parent)

    def delete(self, element_id: uuid.UUID, *, with_children: bool) -> None:
        e = self.get(element_id)
        siblings = self.children[e.parent_id]
        at = siblings.index(element_id)
        kids = self.children.pop(element_id, [])
        if with_children:
            for d in self.descendants_of_list(kids):
                del self.items[d]
                self.children.pop(d, None)
            siblings[at : at + 1] = []
        else:  # the rows of a deleted group take its place in its own group
            siblings[at : at + 1] = kids
            for kid in kids:
                self.set(kid, parent_id=e.parent_id)
        del self.items[element_id]

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
        moving = set(ids)
        inside = {d for i in ids for d in self.descendants(i)}
        roots = [i for i in dict.fromkeys(ids) if i not in inside]
        if parent is not None and (parent in moving or parent in inside):
            raise ValidationError(
                f"{self.name_of(parent)} cannot be put inside itself or inside one of "
                "its own rows."
            )
        if after_id is not None and after_id != parent and after_id in moving | inside:
            raise ValidationError("Rows cannot be placed after one of the rows being moved.")
        order = {e.id: n for n, e in enumerate(self.rows())}
        roots.sort(key=order.__getitem__)
        siblings = self._siblings(parent)
        for root in roots:
            self.children[self.items[root].parent_id].remove(root)
            self.set(root, parent_id=parent)
        at = self._index(siblings, parent, after_id, position)
        siblings[at:at] = roots

    def sort_by(self, key: Callable[[ElementData], int]) -> None:
        """Order every group's rows (and the top level) by time, stably.

        A group's time is the earliest time of the rows inside it (at any
        depth), or its own when it is empty.
        """
        times: dict[uuid.UUID, int] = {}
        for e in reversed(self.rows()):  # every row after its group: children come first
            kids = self.children.get(e.id)
            times[e.id] = min(times[k] for k in kids) if kids else key(e)
        for siblings in self.children.values():
            siblings.sort(key=times.__getitem__)
