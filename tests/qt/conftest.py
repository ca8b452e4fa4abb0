"""Fixtures of the script editor's tests (``test_script_editor_*.py``); none is autouse.

A module that opens editors lists ``close_script_editors`` in its ``pytestmark``
(``pytest.mark.usefixtures``); ``built`` is a generated script of the module's
``SCRIPT_ROWS`` rows, and ``editor`` the script editor open on it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from support.script_editor import close_editors, open_editor

from benchmarks.script_factory import BuiltScript, make_script
from callmaster_desktop.db.engine import Database
from tests.conftest import TEST_LOGIN
from ui.script_editor.editor import ScriptEditor


@pytest.fixture
def close_script_editors() -> Iterator[None]:
    """Close every script editor the test opened and left open."""
    yield
    close_editors()


@pytest.fixture
def built(request: pytest.FixtureRequest, db: Database) -> BuiltScript:
    """A generated script with as many rows as the test module's ``SCRIPT_ROWS``."""
    rows: int = request.module.SCRIPT_ROWS
    return make_script(db, rows, login=TEST_LOGIN)


@pytest.fixture
def editor(qtbot: QtBot, db: Database, built: BuiltScript) -> ScriptEditor:
    return open_editor(qtbot, db, built.owner_id, built.script_id)
