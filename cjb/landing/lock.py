"""One landing at a time per warehouse: an exclusive, non-blocking lock beside the landing store."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cjb.errors import LandingLockedError
from cjb.paths import landing_path


def lock_path(warehouse: Path) -> Path:
    store = landing_path(warehouse)
    return store.with_name(store.name + ".lock")


def _locked_message(warehouse: Path, lock: Path) -> str:
    return (
        f"another cjb land or cjb run is already landing into warehouse {warehouse} "
        f"(lock {lock} is held); wait for it to finish and try again"
    )


@contextmanager
def landing_lock(warehouse: Path) -> Iterator[Path]:
    """Hold the warehouse's landing lock, or raise LandingLockedError at once."""
    lock = lock_path(warehouse).resolve()
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise LandingLockedError(_locked_message(warehouse, lock)) from None
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield lock
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def ensure_unlocked(warehouse: Path) -> None:
    """Fail fast (before any flow machinery starts) when another landing holds the warehouse."""
    with landing_lock(warehouse):
        pass
