"""The installed ``cjb`` program (``cjb.cli.entry``) ends without the interpreter's teardown:
it must still exit with the command's status, print every line, leave the landing store
complete and stop the temporary Prefect server it started."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from landing_helpers import query, valid_row, write_file

CJB = Path(sys.executable).with_name("cjb")


def _env() -> dict[str, str]:
    """No Prefect server of the test session's, and output buffered as it is for users."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PREFECT_") and k != "PYTHONUNBUFFERED"
    }


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CJB), *args], capture_output=True, text=True, env=_env(), timeout=300
    )


def _alive(process_group: int) -> bool:
    try:
        os.killpg(process_group, 0)
    except ProcessLookupError:
        return False
    return True


def test_land_exits_with_its_status_and_output_and_leaves_nothing_running(inbox, warehouse):
    bad = valid_row("oocr", 2)
    bad["disposal_date"] = "not a date"
    write_file(inbox, "oocr", [valid_row("oocr", 1), bad, valid_row("oocr", 3)])

    # its own session, so any process it started (the temporary Prefect server) can be found
    process = subprocess.Popen(
        [str(CJB), "land", "--inbox", str(inbox), "--warehouse", str(warehouse), "--strict"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=300)
        left_running = _alive(process.pid)
    finally:
        if _alive(process.pid):
            os.killpg(process.pid, signal.SIGKILL)

    assert process.returncode == 1, err  # --strict: a row was quarantined
    assert "oocr_2018-11.csv" in out
    assert out.rstrip().splitlines()[-1].strip()  # the summary's last line was written
    assert not left_running, "a process the command started outlived it"
    assert query(warehouse, "SELECT count(*) FROM raw.oocr") == [(2,)]
    assert query(warehouse, "SELECT count(*) FROM audit.quarantine") == [(1,)]


def test_an_error_exits_2_with_its_message(tmp_path):
    result = _run("report", "--warehouse", str(tmp_path / "missing" / "cjb.duckdb"))
    assert result.returncode == 2
    assert result.stderr.startswith("cjb report: error:")


def test_query_prints_every_row(tmp_path):
    import duckdb

    from cjb.query import query

    warehouse = tmp_path / "cjb.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("CREATE TABLE t AS SELECT range AS n, 'row ' || range AS label FROM range(150)")
    con.close()
    sql = "SELECT * FROM t ORDER BY n"

    result = _run("query", sql, "--warehouse", str(warehouse))

    assert result.returncode == 0, result.stderr
    assert result.stdout == query(warehouse, sql) + "\n"
