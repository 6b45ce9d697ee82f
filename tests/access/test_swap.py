"""The live-warehouse swap: readers keep working, failed builds change nothing, Parquet follows.

See cjb/build.py (install_build) and cjb/exports.py for the mechanism.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from cjb.build import (
    build_id_of,
    build_warehouse,
    building_path,
    finalize_build,
    install_build,
    new_build_id,
)
from cjb.exports import parquet_dir

READER = Path(__file__).with_name("reader_loop.py")
CHEAP_REBUILDS = 20


def _cheap_rebuild(wh, warehouse: Path, i: int) -> tuple[str, dict[str, int]]:
    """A complete new build made without dbt: the live file copied, changed, finalized, swapped.

    Every mart loses ``i % 3 + 1`` rows (when it has them), so each build's row counts differ
    from the previous one's and a torn read would show up as counts that disagree with the marker.
    """
    building = building_path(warehouse)
    shutil.copy2(warehouse, building)
    con = duckdb.connect(str(building))
    try:
        for mart in wh.counts(con):
            con.execute(
                f'delete from marts."{mart}" where rowid in '
                f'(select rowid from marts."{mart}" limit {i % 3 + 1})'
            )
        counts = wh.counts(con)
    finally:
        con.close()
    build_id = new_build_id()
    finalize_build(building, build_id)
    assert install_build(building, warehouse) == build_id
    return build_id, counts


def _wait_for(out: Path, build_id: str, timeout: float = 60.0) -> None:
    """Wait until the reader has completed an iteration that saw ``build_id``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if out.exists() and f'"build_id": "{build_id}"' in out.read_text():
            return
        time.sleep(0.02)
    raise AssertionError(f"the reader never saw build {build_id}: {out.read_text()[-2000:]}")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _parquet_state(warehouse: Path) -> tuple[str, dict[str, str]]:
    link = parquet_dir(warehouse)
    return os.readlink(link), {p.name: _digest(p) for p in sorted(link.glob("*.parquet"))}


def test_readers_see_only_complete_builds_during_rebuilds(access_warehouse, wh, tmp_path):
    """A reader process loops over the live warehouse while 21 builds are swapped in.

    Design: a full dbt build of the project costs one to two minutes here, so 20 of them would
    be far too slow for CI. Instead the test makes 20 new builds the cheap way - copy the live
    file beside it, delete a few rows of every mart, ``finalize_build`` (build marker, comments,
    checkpoint) - and installs each through ``install_build``, the very function
    ``build_warehouse`` uses to swap a passed dbt build in (Parquet export into a new folder,
    ``os.replace`` of the file, switch of the ``parquet`` link). Halfway through, one real
    ``build_warehouse`` (dbt, ``select``ing the audit models: dbt rebuilds and tests them in a
    copy of the live file) goes through the same path. The reader, a separate process as an
    analyst's would be, opens a fresh read-only connection every iteration and checks the build
    is complete: every mart present, every table's row count equal to the build marker
    ``audit.warehouse_build``, the Parquet files all from one build. After each swap the test
    waits until the reader has seen the new build, so every build is observed, and swaps while
    the reader is mid-loop. A connection opened before the first swap must still read the
    original build at the end (snapshot), and new connections the last one.
    """
    warehouse = wh.copy(access_warehouse, tmp_path / "wh")
    con = duckdb.connect(str(warehouse), read_only=True)
    original_id = con.execute("select max(build_id) from audit.warehouse_build").fetchall()[0][0]
    original_counts = wh.counts(con)
    marts = sorted(original_counts)
    assert marts

    out, stop = tmp_path / "reader.jsonl", tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, str(READER), str(warehouse), ",".join(marts), str(out), str(stop)]
    )
    builds: dict[str, dict[str, int]] = {original_id: original_counts}
    order = [original_id]
    try:
        _wait_for(out, original_id)
        for i in range(CHEAP_REBUILDS):
            if i == CHEAP_REBUILDS // 2:
                # A real dbt build (of the audit models, on a copy of the live file: a full
                # build costs minutes), swapped in by build_warehouse itself.
                result = build_warehouse(warehouse, select=["landed_files", "quarantine"])
                assert result.success, result.render()
                build_id = result.build_id
                # ATTACH, not connect(): this process still holds ``con`` on the path, and
                # duckdb.connect() would hand back that cached (old) database instance.
                with duckdb.connect() as c:
                    c.execute(f"ATTACH '{warehouse}' AS w (READ_ONLY)")
                    c.execute("USE w")
                    counts = wh.counts(c)
                builds[build_id] = counts
                order.append(build_id)
                _wait_for(out, build_id)
            build_id, counts = _cheap_rebuild(wh, warehouse, i)
            builds[build_id] = counts
            order.append(build_id)
            _wait_for(out, build_id)
        # The connection opened before any swap still reads its own, complete snapshot.
        assert con.execute("select max(build_id) from audit.warehouse_build").fetchall()[0][0] == (
            original_id
        )
        assert wh.counts(con) == original_counts
    finally:
        stop.touch()
        reader.wait(timeout=60)
        con.close()

    records = [json.loads(line) for line in out.read_text().splitlines()]
    errors = [r for r in records if "error" in r]
    assert not errors, errors[0]["trace"]
    seen = [r["build_id"] for r in records]
    assert len(order) >= CHEAP_REBUILDS + 1
    # Every build was seen, in the order installed, and never an older one after a newer one.
    firsts = list(dict.fromkeys(seen))
    assert firsts == order
    assert all(order.index(a) <= order.index(b) for a, b in zip(seen, seen[1:], strict=False))
    # Parquet: always one complete build, with that build's row counts.
    for r in records:
        assert r["parquet_counts"] == builds[r["parquet_build_id"]]
    # New connections see the last build.
    assert build_id_of(warehouse) == order[-1]


def test_failed_build_leaves_live_warehouse_and_parquet_unchanged(access_warehouse, wh, tmp_path):
    """A dbt data test that fails (a landed-files row with an unknown status) fails the build:
    the live file and the Parquet exports stay byte-identical and the result says so. Temporary
    files left by a killed build are cleaned by this next build."""
    warehouse = wh.copy(access_warehouse, tmp_path / "wh")
    landing = warehouse.with_name("cjb_landing.duckdb")
    with duckdb.connect(str(landing)) as con:
        con.execute(
            "insert into audit.landed_files (file_name, source, period, sha256, rows_read, "
            "rows_landed, rows_quarantined, status, error, landed_at) values ('bad.csv', "
            "'police_crimes', '2018-10', 'x', 1, 1, 0, 'bogus', null, now())"
        )
    # Leftovers of a build that was killed (its process id is no longer running).
    dead = 2**22 + 12345
    leftover_file = warehouse.with_name(f".{warehouse.name}.building-{dead}")
    leftover_file.write_bytes(b"half a build")
    leftover_dir = warehouse.with_name(f".parquet.new-{dead}")
    leftover_dir.mkdir()
    (leftover_dir / "crime_summary.parquet").write_bytes(b"half")

    before_file = _digest(warehouse)
    before_parquet = _parquet_state(warehouse)

    # Only the audit models are selected (the build starts from a copy of the live file): the
    # failure comes from the real dbt test, at a fraction of a full build's cost.
    result = build_warehouse(warehouse, select=["landed_files"])

    assert not result.success
    assert not result.swapped
    assert result.tests_failed >= 1
    text = result.render()
    assert "FAILED" in text and "accepted_values" in text
    assert "left unchanged" in text
    assert _digest(warehouse) == before_file
    assert _parquet_state(warehouse) == before_parquet
    assert not leftover_file.exists() and not leftover_dir.exists()
    assert not list(warehouse.parent.glob(f".{warehouse.name}.building-*"))
    assert not list(warehouse.parent.glob(".parquet.new-*"))


def test_parquet_exports_match_the_marts(access_warehouse, wh):
    folder = parquet_dir(access_warehouse)
    assert folder.is_symlink() and folder.is_dir()
    with duckdb.connect(str(access_warehouse), read_only=True) as con:
        marts = wh.counts(con)
        assert sorted(p.stem for p in folder.glob("*.parquet")) == sorted(marts)
        for mart in marts:
            path = str(folder / f"{mart}.parquet")
            diff = con.execute(
                f'select count(*) from ((from marts."{mart}" except all from read_parquet(?)) '
                f'union all (from read_parquet(?) except all from marts."{mart}"))',
                [path, path],
            ).fetchall()[0][0]
            assert diff == 0, mart
            # Column types survive (DECIMAL stays DECIMAL, DATE stays DATE...).
            want = con.execute(
                "select column_name, data_type from duckdb_columns() where schema_name = 'marts' "
                "and table_name = ? order by column_index",
                [mart],
            ).fetchall()
            got = con.execute(
                "select column_name, column_type from (describe select * from read_parquet(?))",
                [path],
            ).fetchall()
            assert got == want, mart


def test_duckdb_15_client_reads_the_live_warehouse(access_warehouse, wh, duckdb15_python):
    """The file is written with storage_compatibility_version v1.5.0: a DuckDB 1.5 client
    (as bundled by many BI drivers) opens it read-only and reads the marts and their comments."""
    script = (
        "import duckdb, json, sys\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        'names = [r[0] for r in con.execute("select table_name from duckdb_tables() '
        "where schema_name = 'marts' order by 1\").fetchall()]\n"
        "counts = {n: con.execute(f'select count(*) from marts.\"{n}\"').fetchall()[0][0] "
        "for n in names}\n"
        'comments = con.execute("select count(*) from duckdb_tables() where schema_name = '
        "'marts' and comment is not null\").fetchall()[0][0]\n"
        "print(json.dumps({'version': duckdb.__version__, 'counts': counts, "
        "'comments': comments}))\n"
    )
    out = subprocess.run(
        [str(duckdb15_python), "-c", script, str(access_warehouse)],
        capture_output=True,
        text=True,
        check=True,
    )
    seen = json.loads(out.stdout)
    assert seen["version"].startswith("1.5.")
    with duckdb.connect(str(access_warehouse), read_only=True) as con:
        assert seen["counts"] == wh.counts(con)
    assert seen["comments"] == len(seen["counts"])


@pytest.mark.parametrize("where", ["elsewhere"])
def test_install_refuses_a_build_from_another_folder(access_warehouse, tmp_path, where):
    from cjb.errors import CjbError

    other = tmp_path / where / "x.duckdb"
    other.parent.mkdir()
    shutil.copy2(access_warehouse, other)
    with pytest.raises(CjbError, match="beside"):
        install_build(other, access_warehouse)


def test_parquet_swap_without_symlinks_falls_back_to_renames(tmp_path, monkeypatch):
    """Where the filesystem refuses symbolic links, ``parquet`` becomes a plain folder
    replaced by renames: still every file of one build, the old folder removed."""
    from cjb import exports

    warehouse = tmp_path / "cjb.duckdb"
    for n in (1, 2):
        building = tmp_path / f".cjb.duckdb.building-{n}"
        with duckdb.connect(str(building)) as con:
            con.execute(
                f"create schema marts; create table marts.m as select range as v from range({n})"
            )

        def no_symlink(*args, **kwargs):
            raise OSError("symbolic links not supported")

        monkeypatch.setattr(exports.os, "symlink", no_symlink)
        staged = exports.stage_parquet(warehouse, building, f"build-{n}")
        exports.swap_parquet(warehouse, staged)
        folder = exports.parquet_dir(warehouse)
        assert folder.is_dir() and not folder.is_symlink()
        with duckdb.connect() as con:
            assert con.execute(
                "select count(*) from read_parquet(?)", [str(folder / "m.parquet")]
            ).fetchall() == [(n,)]
    assert sorted(p.name for p in tmp_path.iterdir() if "parquet" in p.name) == ["parquet"]
