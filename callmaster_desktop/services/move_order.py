"""The order in which rows move between places no two rows may share at any moment.

A row's sequence is unique in its script, and so is a cue's (department,
number), row by row: an ``UPDATE`` that gives a row a place another row
still holds fails, even when that other row is about to move too. So the
moves are ordered: a row goes to its new place once the row sitting there
has left, which lets the next row follow into the place it left, and so on
down the chain (after an insert at the top of the script, the last row
moves first and every row follows; renumbering a department is a chain
too). Rows that only wait for each other (a loop, as after a sort or a swap
of two numbers) need one of them parked on a free place first; it takes its
place when the loop comes round to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

# (old place, new place, ...): places are hashable, or None for no place.
Move = TypeVar("Move", bound=tuple[Any, ...])


def move_order(moves: Sequence[Move]) -> list[tuple[Move, bool]]:
    """Each move once in its final place, in an order that never shares a place.

    ``moves`` are ``(old place, new place, ...)``; a place of None is
    no place (nothing held, nothing needed). Every other row is already in
    its place. The answer is ``(move, parked)`` pairs: ``parked`` means
    "put it on a free place for now", and the same move comes again later,
    not parked, to its new place.
    """
    waiting = {move[0]: move for move in moves if move[0] is not None}  # still in place
    wanted_by = {move[1]: move for move in moves if move[1] is not None}
    ready = [move for move in moves if move[1] is None or move[1] not in waiting]
    order: list[tuple[Move, bool]] = []
    placed: set[int] = set()
    while len(placed) < len(moves):
        if not ready and not waiting:  # two rows want one place: the database will refuse
            order.extend((move, False) for move in moves if id(move) not in placed)
            break
        while ready:
            move = ready.pop()
            order.append((move, False))
            placed.add(id(move))
            old = move[0]
            if old is not None and waiting.get(old) is move:
                del waiting[old]
                follower = wanted_by.get(old)
                if follower is not None:
                    ready.append(follower)
        if waiting:  # only loops are left: park one, its place frees the next
            old, move = waiting.popitem()
            order.append((move, True))
            follower = wanted_by.get(old)
            if follower is not None:
                ready.append(follower)
    return order
