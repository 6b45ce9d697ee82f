"""The monthly deployments: the whole job (``run_flow``: land, then build and test) on the 2nd of
each month at 06:00, or landing alone (``land_flow``, ``--flow land``).

Serve it from the project folder (the process stays up and starts a run on schedule; runs and
logs show in the Prefect UI)::

    .venv/bin/python -m flows.deploy --inbox /srv/cjb/inbox --warehouse /srv/cjb/warehouse/cjb.duckdb

With a long-running Prefect server (``prefect server start``; set ``PREFECT_API_URL``) the
schedule and runs persist across restarts; without one Prefect starts a temporary local server.
Trigger a run now with ``prefect deployment run 'cjb-run/monthly-run'`` (or
``'cjb-land/monthly-landing'`` when serving ``--flow land``). Change the
schedule with ``--cron`` (default ``0 6 2 * *``: agencies deliver in the first days of a month).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from flows.land import land_flow

DEPLOYMENT_NAME = "monthly-landing"
RUN_DEPLOYMENT_NAME = "monthly-run"
MONTHLY_CRON = "0 6 2 * *"


def landing_deployment(inbox: Path, warehouse: Path, cron: str = MONTHLY_CRON):
    """The deployment definition (a ``RunnerDeployment``), ready for ``prefect.serve``."""
    return land_flow.to_deployment(
        name=DEPLOYMENT_NAME,
        cron=cron,
        parameters={"inbox": str(inbox), "warehouse": str(warehouse)},
        description="Land every new agency and police_uk file of the inbox, monthly.",
        tags=["cjb", "landing"],
    )


def run_deployment(inbox: Path, warehouse: Path, cron: str = MONTHLY_CRON):
    """The monthly job: land every new file, then build and test the warehouse."""
    from flows.run import run_flow

    return run_flow.to_deployment(
        name=RUN_DEPLOYMENT_NAME,
        cron=cron,
        parameters={"inbox": str(inbox), "warehouse": str(warehouse)},
        description="Land every new file of the inbox, then build and test the warehouse, monthly.",
        tags=["cjb", "run"],
    )


def main(argv: Sequence[str] | None = None) -> None:
    from prefect import serve

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--inbox", required=True, type=Path)
    p.add_argument("--warehouse", default="warehouse/cjb.duckdb", type=Path)
    p.add_argument("--cron", default=MONTHLY_CRON)
    p.add_argument(
        "--flow",
        choices=("run", "land"),
        default="run",
        help="run: land then build and test (default); land: landing alone",
    )
    args = p.parse_args(argv)
    make = run_deployment if args.flow == "run" else landing_deployment
    serve(make(args.inbox.resolve(), args.warehouse.resolve(), args.cron))


if __name__ == "__main__":
    main()
