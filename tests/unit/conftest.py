"""Fixtures of the editing engine's tests: the small script, edited with either rule check."""

from __future__ import annotations

import pytest
from support.editing import SmallScript, small_script

from callmaster_desktop.editing import EditSession


@pytest.fixture(params=["full", "local"])
def script(request: pytest.FixtureRequest) -> SmallScript:
    return small_script()


@pytest.fixture
def session(script: SmallScript, request: pytest.FixtureRequest) -> EditSession:
    # Every test runs with the whole-script rule check and with the local one.
    return script.session(local=request.node.callspec.params["script"] == "local")
