"""Real ways to make a disk read-only, full or failing, for tests that run as root.

Root ignores file permissions, so ``chmod`` alone proves nothing in CI. What
does stop root, and is used here:

- ``immutable(path)``: ``chattr +i``. Nobody, root included, may write,
  create, rename or delete there; a write through a file already open fails
  too ("disk I/O error" from SQLite). Needs CAP_LINUX_IMMUTABLE and a file
  system with the attribute (ext4, xfs, btrfs, tmpfs on Linux 6);
- ``read_only_view(folder, view)``: a read-only bind mount (CAP_SYS_ADMIN):
  the file system itself refuses every write (EROFS);
- ``small_disk(folder, size)``: a tmpfs of a few hundred kilobytes mounted on
  ``folder`` (needs CAP_SYS_ADMIN); ``fill_disk`` fills it, so SQLite meets a
  real ENOSPC;
- ``without_root_override(argv)``: runs a command as root without
  CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH/CAP_FOWNER (``setpriv``), so file
  permissions apply to it as to any stage manager's account.

When the machine refuses one of them, the test skips and says exactly why.
"""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent.parent
NO_OVERRIDE = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--"]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except FileNotFoundError as exc:
        return subprocess.CompletedProcess(argv, 127, "", str(exc))


@contextmanager
def immutable(*paths: Path) -> Iterator[None]:
    """Make files or folders immutable (``chattr +i``) inside the block."""
    names = [str(p) for p in paths]
    done = _run(["chattr", "+i", *names])
    if done.returncode != 0:
        pytest.skip(f"SKIPPED: this machine cannot make files immutable: {done.stderr.strip()}")
    try:
        yield
    finally:
        _run(["chattr", "-i", *names])


@contextmanager
def small_disk(folder: Path, size_kb: int = 512) -> Iterator[Path]:
    """A tmpfs of ``size_kb`` kilobytes mounted on ``folder`` inside the block."""
    folder.mkdir(parents=True, exist_ok=True)
    done = _run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0755", "cm-test", str(folder)]
    )
    if done.returncode != 0:
        pytest.skip(f"SKIPPED: this machine cannot mount a small disk: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        _run(["umount", "-l", str(folder)])


@contextmanager
def read_only_view(folder: Path, view: Path) -> Iterator[Path]:
    """``folder`` seen through a read-only bind mount at ``view`` (like a locked USB stick)."""
    view.mkdir(parents=True, exist_ok=True)
    done = _run(["mount", "--bind", str(folder), str(view)])
    if done.returncode != 0:
        pytest.skip(f"SKIPPED: this machine cannot bind-mount a folder: {done.stderr.strip()}")
    try:
        done = _run(["mount", "-o", "remount,ro,bind", str(view)])
        if done.returncode != 0:
            pytest.skip(f"SKIPPED: this machine cannot mount read-only: {done.stderr.strip()}")
        yield view
    finally:
        _run(["umount", "-l", str(view)])


def fill_disk(folder: Path) -> Path:
    """Fill the file system holding ``folder`` to the last byte; return the filler file."""
    filler = folder / "filler.bin"
    block = b"\xa5" * 4096
    with filler.open("wb", buffering=0) as handle:
        while True:
            try:
                handle.write(block)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC, exc
                break
    return filler


def without_root_override(argv: list[str]) -> list[str]:
    """``argv`` run as root but bound by file permissions; skips where ``setpriv`` cannot."""
    probe = _run([*NO_OVERRIDE, "true"])
    if probe.returncode != 0:
        pytest.skip(f"SKIPPED: setpriv cannot drop root's file-permission override: {probe.stderr}")
    return [*NO_OVERRIDE, *argv]


def python_code(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def child_env() -> dict[str, str]:
    """The environment for a child Python: the tests' ``support`` package importable."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS_DIR), env.get("PYTHONPATH")]))
    return env
