"""An inbox keeps its files month after month: landing reads only the files it has not hashed.

Each run hashes every inbox file to know which deliveries are new. The hash of a file is
remembered with the file's identity (path, device, inode, size, modification and status-change
times, ``audit.inbox_file_hashes``); a file with the same identity next run is not read again,
and a file whose bytes changed in any way is.
"""

from __future__ import annotations

import os

import pytest
from landing_helpers import query, valid_row, write_file

import cjb.landing.discover as discover_module
from cjb.landing import land_inbox


@pytest.fixture
def hash_calls(monkeypatch) -> list[str]:
    """The names of the files landing reads to hash, run after run."""
    calls: list[str] = []
    real = discover_module.file_sha256

    def counting(path):
        calls.append(path.name)
        return real(path)

    monkeypatch.setattr(discover_module, "file_sha256", counting)
    return calls


@pytest.fixture
def settled_now(monkeypatch) -> None:
    """Files written by the test count as settled at once (not SETTLED_SECONDS later)."""
    monkeypatch.setattr(discover_module, "SETTLED_SECONDS", 0.0)


def _three_sources(inbox) -> None:
    for source in ("police_crimes", "oocr", "court_trials"):
        write_file(inbox, source, [valid_row(source, i) for i in range(1, 4)])


def test_files_hashed_before_are_not_read_again(inbox, warehouse, hash_calls, settled_now):
    _three_sources(inbox)
    first = land_inbox(inbox, warehouse)
    assert [f.status for f in first.files] == ["landed"] * 3
    assert len(hash_calls) == 3

    again = land_inbox(inbox, warehouse)

    assert hash_calls[3:] == []  # nothing read
    assert again.files == [] and len(again.skipped) == 3  # and every file known as landed
    remembered = query(
        warehouse, "SELECT count(*), count(DISTINCT sha256) FROM audit.inbox_file_hashes"
    )
    assert remembered == [(3, 3)]


def test_a_file_rewritten_in_place_is_read_and_landed_again(
    inbox, warehouse, hash_calls, settled_now
):
    """Same name, same size, modification time set back: the new bytes still land."""
    path = write_file(inbox, "oocr", [valid_row("oocr", i) for i in range(1, 4)])
    land_inbox(inbox, warehouse)
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    changed = text.replace("D00001", "D00009")  # another disposal id, as long
    assert changed != text and len(changed) == len(text)
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as if untouched
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns

    again = land_inbox(inbox, warehouse)

    assert hash_calls == [path.name, path.name]  # read again: its ctime moved
    assert [(f.file_name, f.status) for f in again.files] == [(path.name, "landed")]
    ids = query(warehouse, "SELECT disposal_id FROM raw.oocr WHERE disposal_id = 'D00009'")
    assert ids == [("D00009",)]
    assert query(warehouse, "SELECT count(*) FROM audit.inbox_file_hashes") == [(1,)]


def test_files_changed_just_before_landing_are_hashed_again_next_run(inbox, warehouse, hash_calls):
    """A file written moments ago may change again within one timestamp tick on a filesystem
    with coarse times: its hash is not remembered until it has settled."""
    _three_sources(inbox)
    land_inbox(inbox, warehouse)
    land_inbox(inbox, warehouse)
    assert len(hash_calls) == 6
    assert query(warehouse, "SELECT count(*) FROM audit.inbox_file_hashes") == [(0,)]
