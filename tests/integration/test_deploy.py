"""The monthly deployment of the whole job (land, then build and test)."""

from __future__ import annotations

from pathlib import Path

from flows.deploy import MONTHLY_CRON, run_deployment


def test_monthly_run_deployment_lands_then_builds_on_the_second_of_each_month():
    deployment = run_deployment(Path("/srv/inbox"), Path("/srv/warehouse/cjb.duckdb"))
    assert deployment.name == "monthly-run"
    assert deployment.entrypoint.endswith("flows/run.py:run_flow")
    assert [s.schedule.cron for s in deployment.schedules] == [MONTHLY_CRON] == ["0 6 2 * *"]
    assert deployment.parameters == {
        "inbox": "/srv/inbox",
        "warehouse": "/srv/warehouse/cjb.duckdb",
    }
