"""Files land side by side (``CJB_LANDING_WORKERS``), except files that compete."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from landing_helpers import query, valid_row, write_file

from cjb.contract import month_period
from cjb.errors import CjbError
from cjb.landing import land_inbox
from cjb.landing.discover import InboxFile
from cjb.landing.session import (
    LandingSession,
    landing_predecessors,
    landing_schedule,
    landing_workers,
)


@pytest.fixture
def rendezvous(monkeypatch):
    """Every file's landing waits (up to 30 s) until two files are being landed at once.

    Landing one file at a time cannot get past it: the first file's wait times out and the
    landing fails (``threading.BrokenBarrierError``).
    """
    barrier = threading.Barrier(2, timeout=30)
    met: list[str] = []
    original = LandingSession._land_valid_name

    def land_valid_name(self, f):
        if not barrier.broken:
            barrier.wait()
            met.append(f.name)
        return original(self, f)

    monkeypatch.setattr(LandingSession, "_land_valid_name", land_valid_name)
    return met


def _two_sources(inbox: Path) -> None:
    write_file(inbox, "police_crimes", [valid_row("police_crimes", i) for i in range(1, 6)])
    write_file(inbox, "oocr", [valid_row("oocr", i) for i in range(1, 4)])


def _landed(warehouse: Path) -> list[tuple]:
    return query(
        warehouse,
        "SELECT source, file_name, status, rows_landed FROM audit.landed_files ORDER BY 1",
    )


@pytest.mark.parametrize("entry", ["land_inbox", "land_flow"])
def test_two_files_land_at_once(entry, inbox, warehouse, rendezvous, monkeypatch, request):
    """Both ways of landing an inbox: the plain function and the Prefect flow (its tasks on
    the flow's thread pool)."""
    if entry == "land_flow":
        request.getfixturevalue("prefect_server")
        from flows.land import land_flow as land
    else:
        land = land_inbox
    monkeypatch.setenv("CJB_LANDING_WORKERS", "2")
    _two_sources(inbox)

    summary = land(inbox, warehouse)

    assert sorted(rendezvous) == ["crimes_2018-11.csv", "oocr_2018-11.csv"]
    # reported in the order found, whichever finished first
    assert [f.file_name for f in summary.files] == ["crimes_2018-11.csv", "oocr_2018-11.csv"]
    assert _landed(warehouse) == [
        ("oocr", "oocr_2018-11.csv", "landed", 3),
        ("police_crimes", "crimes_2018-11.csv", "landed", 5),
    ]
    # each file's rows in file order, whatever ran beside it
    assert query(
        warehouse, "SELECT crime_ref, _row_number FROM raw.police_crimes ORDER BY rowid"
    ) == [(f"CR{i:05d}", i) for i in range(1, 6)]
    assert query(warehouse, "SELECT count(*) FROM raw.oocr") == [(3,)]


def test_one_worker_lands_one_file_at_a_time(inbox, warehouse, monkeypatch):
    monkeypatch.setenv("CJB_LANDING_WORKERS", "1")
    _two_sources(inbox)
    running: list[int] = []
    most = [0]
    original = LandingSession._land_valid_name

    def land_valid_name(self, f):
        running.append(1)
        most[0] = max(most[0], len(running))
        try:
            return original(self, f)
        finally:
            running.pop()

    monkeypatch.setattr(LandingSession, "_land_valid_name", land_valid_name)
    land_inbox(inbox, warehouse)
    assert most[0] == 1
    assert len(_landed(warehouse)) == 2


def test_same_bytes_side_by_side_land_once(inbox, warehouse, monkeypatch):
    """A duplicate waits for the file it repeats, even with workers free."""
    monkeypatch.setenv("CJB_LANDING_WORKERS", "4")
    first = write_file(inbox, "oocr", [valid_row("oocr", i) for i in range(1, 4)])
    for name in ("oocr_2018-12.csv", "oocr_2019-01.csv", "oocr_2019-02.csv"):
        shutil.copyfile(first, inbox / "oocr" / name)

    summary = land_inbox(inbox, warehouse)

    assert [f.status for f in summary.files] == ["landed", "duplicate", "duplicate", "duplicate"]
    assert query(warehouse, "SELECT count(*) FROM raw.oocr") == [(3,)]


def _file(name: str, source: str, sha: str, month: int | None, force: str | None = None):
    period = month_period(2018, month) if month else None
    return InboxFile(Path(name), source, sha, period, source, force)


def test_competing_files_wait_for_the_last_file_they_compete_with():
    files = [
        _file("crimes_2018-10.csv", "police_crimes", "a", 10),
        _file("crimes_2018-11.csv", "police_crimes", "b", 11),
        _file("oocr_2018-11.csv", "oocr", "c", 11),  # another source: free
        _file("crimes_2018-11_resent.csv", "police_crimes", "d", 11),  # same period as 1
        _file("copy_of_october.csv", "police_crimes", "a", None),  # same bytes as 0, no period
        _file("crimes_2018-11_again.csv", "police_crimes", "e", 11),  # after the resend
        _file("street_2018-11.csv", "police_uk", "f", 11, force="wiltshire"),
        _file("street_2018-11.csv", "police_uk", "g", 11, force="dorset"),  # another force
    ]
    assert landing_predecessors(files) == [None, None, None, 1, 0, 3, None, None]


def test_landing_workers_setting(monkeypatch):
    monkeypatch.delenv("CJB_LANDING_WORKERS", raising=False)
    monkeypatch.delenv("CJB_LANDING_EXECUTOR", raising=False)
    assert landing_workers() == min(2, __import__("os").cpu_count() or 1)
    monkeypatch.setenv("CJB_LANDING_WORKERS", "3")
    assert landing_workers() == 3
    # Great Expectations' pandas engine validates one file at a time
    assert landing_workers(chunk_rows=1000) == 1
    assert landing_workers(executor="pandas") == 1
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv("CJB_LANDING_WORKERS", bad)
        with pytest.raises(CjbError, match=r"\$CJB_LANDING_WORKERS must be a whole number"):
            landing_workers()


def test_largest_files_start_first_and_never_before_a_file_they_wait_for(tmp_path):
    """Side by side, the largest files start first (the small ones fill in beside them), but a
    file that competes with an earlier one still starts after it."""

    def sized(name: str, source: str, sha: str, month: int | None, size: int) -> InboxFile:
        path = tmp_path / source / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * size)
        return InboxFile(path, source, sha, month_period(2018, month) if month else None, source)

    files = [
        sized("trials_2018-10.csv", "court_trials", "a", 10, 30),
        sized("oocr_2018-10.csv", "oocr", "b", 10, 50),
        sized("crimes_2018-10.csv", "police_crimes", "c", 10, 400),
        sized("crimes_2018-11.csv", "police_crimes", "d", 11, 500),
        sized("trials_2018-10_resent.csv", "court_trials", "e", 10, 900),  # waits for 0
        sized("oocr_copy.csv", "oocr", "b", None, 50),  # same bytes as 1: waits for it
        sized("gone.csv", "oocr", "f", 12, 0),
    ]
    (tmp_path / "oocr" / "gone.csv").unlink()  # vanished since found: sorts as empty

    schedule = landing_schedule(files)

    assert schedule == [(0, None), (4, 0), (3, None), (2, None), (1, None), (5, 1), (6, None)]
    # every file once; each after the file it waits for
    assert sorted(i for i, _ in schedule) == list(range(len(files)))
    position = {i: n for n, (i, _) in enumerate(schedule)}
    predecessors = landing_predecessors(files)
    for i, before in schedule:
        assert before == predecessors[i]
        assert before is None or position[before] < position[i]
