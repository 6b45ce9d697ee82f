"""The Prefect flow, the ``cjb land`` command, the lock and the deployment."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from landing_helpers import query, valid_row, write_file

from cjb.cli import main
from cjb.paths import landing_path


def test_land_flow_runs_for_real(prefect_server, inbox, warehouse):
    from flows.land import land_flow

    write_file(inbox, "oocr", [valid_row("oocr", i) for i in range(1, 4)])
    write_file(inbox, "iom_cohort", [valid_row("iom_cohort", 1)], name="iom_cohort_2018.csv")

    summary = land_flow(inbox, warehouse)

    assert [(f.file_name, f.status) for f in summary.files] == [
        ("oocr_2018-11.csv", "landed"),
        ("iom_cohort_2018.csv", "rejected"),
    ]
    assert summary.has_data_problems
    assert query(warehouse, "SELECT count(*) FROM raw.oocr") == [(3,)]

    # next month: only the new delivery gets a task run; those processed before are skipped
    write_file(inbox, "oocr", [valid_row("oocr", i) for i in range(4, 6)], name="oocr_2018-12.csv")
    state = land_flow(inbox, warehouse, return_state=True)
    summary = state.result()
    assert [(f.file_name, f.status) for f in summary.files] == [("oocr_2018-12.csv", "landed")]
    assert sorted(summary.skipped) == ["iom_cohort/iom_cohort_2018.csv", "oocr/oocr_2018-11.csv"]
    assert sorted(_task_run_names(state.state_details.flow_run_id)) == [
        "discover inbox",
        "land oocr/oocr_2018-12.csv",
    ]


def _task_run_names(flow_run_id) -> list[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
    return [re.sub(r"-[0-9a-f]{3}$", "", r.name) for r in runs]


def test_cli_land(prefect_server, inbox, warehouse, capsys):
    rows = [valid_row("police_crimes", i) for i in range(1, 4)]
    rows[2]["status"] = "open"
    write_file(inbox, "police_crimes", rows)

    assert main(["land", "--inbox", str(inbox), "--warehouse", str(warehouse)]) == 0

    out = capsys.readouterr().out
    assert "files: 1 landed, 0 rejected, 0 duplicate" in out
    assert "police_crimes/crimes_2018-11.csv: 1 (status_allowed 1)" in out
    # --strict turns data problems (here a quarantined row) into a non-zero exit
    rows.append(valid_row("police_crimes", 4))
    write_file(inbox, "police_crimes", rows, name="crimes_2018-12.csv")
    assert main(["land", "--strict", "--inbox", str(inbox), "--warehouse", str(warehouse)]) == 1


def _start_paused_landing(tmp_path: Path, warehouse: Path) -> tuple[subprocess.Popen, Path]:
    """A real landing in another process, paused inside its transaction (test hook)."""
    inbox = tmp_path / "running"
    write_file(inbox, "oocr", [valid_row("oocr", 1)])
    marker = tmp_path / "paused"
    env = os.environ | {"CJB_TEST_PAUSE_FILE": str(marker), "CJB_TEST_PAUSE_SECONDS": "120"}
    code = (
        "import sys; from pathlib import Path; from cjb.landing import land_inbox; "
        "land_inbox(Path(sys.argv[1]), Path(sys.argv[2]))"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(inbox), str(warehouse)], env=env)
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)
    return proc, inbox


def test_second_land_fails_fast_with_a_clear_message(tmp_path, inbox, warehouse, capsys):
    proc, _ = _start_paused_landing(tmp_path, warehouse)
    try:
        write_file(inbox, "oocr", [valid_row("oocr", 2)])
        started = time.monotonic()
        code = main(["land", "--inbox", str(inbox), "--warehouse", str(warehouse)])
        elapsed = time.monotonic() - started
    finally:
        proc.kill()
        proc.wait()

    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("cjb land: error: another cjb land or cjb run is already landing")
    assert f"into warehouse {warehouse}" in err
    assert "Traceback" not in err
    assert elapsed < 30  # no flow run was started (not a timing assertion on landing itself)


def test_store_held_by_another_process_is_a_clear_error(tmp_path, inbox, warehouse):
    from cjb.errors import CjbError
    from cjb.landing import land_inbox
    from cjb.store import open_store

    open_store(landing_path(warehouse)).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True);"
            " time.sleep(120)",
            str(landing_path(warehouse)),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        write_file(inbox, "oocr", [valid_row("oocr", 1)])
        with pytest.raises(CjbError, match="is open in another process"):
            land_inbox(inbox, warehouse)
    finally:
        holder.kill()
        holder.wait()


def test_monthly_deployment_definition():
    from flows.deploy import MONTHLY_CRON, landing_deployment

    deployment = landing_deployment(Path("/srv/inbox"), Path("/srv/warehouse/cjb.duckdb"))

    assert deployment.name == "monthly-landing"
    assert deployment.entrypoint.endswith("flows/land.py:land_flow")
    assert [s.schedule.cron for s in deployment.schedules] == [MONTHLY_CRON] == ["0 6 2 * *"]
    assert deployment.parameters == {
        "inbox": "/srv/inbox",
        "warehouse": "/srv/warehouse/cjb.duckdb",
    }
