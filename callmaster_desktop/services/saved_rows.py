"""The rows a script was last saved with in this process, so a save need not read them back.

A save starts by comparing the wanted rows with the stored ones. The stored
rows of a script are exactly what its last save wrote for as long as the
script is at that version, saved at that moment: every write of a script's
rows bumps its version and save time (the version check of domain.md rule 7
rests on the same fact). So the rows a save writes are kept here, once its
transaction has committed, for the next save to use instead of reading
10,000 rows again; they are used only when the locked script row still
shows that version and save time.

Only the last few scripts of each database are kept (the rows are the very
objects the save held, shared with whoever holds them, never copied).
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from callmaster_desktop.domain.element import ElementData

KEEP = 4
_Key = tuple[str, uuid.UUID]
_kept: OrderedDict[_Key, tuple[int, datetime, Sequence[ElementData]]] = OrderedDict()
_lock = threading.Lock()


def _database(session: Session) -> str:
    bind = session.get_bind()
    engine = bind.engine  # an Engine's engine is itself; a Connection's is its engine
    return engine.url.render_as_string(hide_password=True)


def recall(
    session: Session, script_id: uuid.UUID, version: int, saved_at: datetime | None
) -> Sequence[ElementData] | None:
    """The rows this process saved for the script at ``version``/``saved_at``, if it has them."""
    if saved_at is None:
        return None
    key = (_database(session), script_id)
    with _lock:
        found = _kept.get(key)
        if found is None or found[0] != version or found[1] != saved_at:
            return None
        _kept.move_to_end(key)
        return found[2]


def remember_when_committed(
    session: Session,
    script_id: uuid.UUID,
    version: int,
    saved_at: datetime,
    rows: Sequence[ElementData],
) -> None:
    """Keep the rows a save wrote, once (and only if) its transaction commits."""
    key = (_database(session), script_id)

    def committed(_session: Any) -> None:
        with _lock:
            _kept[key] = (version, saved_at, rows)
            _kept.move_to_end(key)
            while len(_kept) > KEEP:
                _kept.popitem(last=False)

    event.listen(session, "after_commit", committed, once=True)


def forget_all() -> None:
    """Drop every kept script (tests; a database replaced by a restore)."""
    with _lock:
        _kept.clear()
