"""The ``cjb`` command line (``../shared/contracts/marts.md``, "Command line").

Each command is a thin shell over a plain function: argument parsing and printing here, the
work in ``cjb.generate``, ``flows.land``, ``flows.build`` and ``flows.run``.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from cjb.errors import CjbError
from cjb.paths import warehouse_path


def _add_warehouse(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--warehouse",
        metavar="FILE",
        help="live warehouse file (default: $CJB_WAREHOUSE, else warehouse/cjb.duckdb)",
    )


def _add_full_refresh(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every model from an empty warehouse instead of refreshing the live one "
        "with the newly landed files (docs/operations.md)",
    )


def _add_unit_tests(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--unit-tests",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="run dbt's unit tests (checks of the models' SQL on fixed fixtures) in this build, "
        "or not (--no-unit-tests); by default they run when the dbt project changed since "
        "the live build, and CI runs them on every change (docs/operations.md)",
    )


def _add_target(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--target",
        choices=("duckdb", "spark"),
        default="duckdb",
        help="engine that computes the build: duckdb (default) or spark (needs the spark extra "
        "and Java 17; the result is installed the same way, docs/spark.md)",
    )


def parse_source_scale(text: str) -> tuple[str, float]:
    """``SOURCE=SCALE`` for ``--source-scale``; the source name is checked by ``generate``."""
    name, sep, value = text.partition("=")
    name = name.strip()
    try:
        scale = float(value)
    except ValueError:
        scale = None
    if not sep or not name or scale is None:
        raise argparse.ArgumentTypeError(f"expected SOURCE=SCALE, e.g. oocr=1350, got {text!r}")
    return name, scale


def _add_generate_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument(
        "--start", default="2018-04", metavar="YYYY-MM", help="first month (default 2018-04)"
    )
    p.add_argument("--months", type=int, default=12, help="number of months (default 12)")
    p.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="volume multiplier: 1 is Wiltshire-sized, 150 national-sized (default 1)",
    )
    p.add_argument(
        "--faults",
        action="store_true",
        help="add labelled invalid rows, each breaking one named rule (listed in faults.csv)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cjb",
        description="Wiltshire Criminal Justice Board data warehouse.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "demo",
        help="the main job: sample inbox, landed, built and tested warehouse",
        description="Write a sample inbox (synthetic extracts for every source plus the real "
        "police_uk files), land it, build and test the warehouse, and print where each is.",
    )
    p.add_argument("--dir", default="demo", help="folder for the demo's outputs (default demo/)")
    _add_generate_options(p)

    p = sub.add_parser("generate", help="write synthetic agency extracts that follow the contract")
    p.add_argument("--out", required=True, metavar="DIR", help="inbox folder to write")
    _add_generate_options(p)
    p.add_argument(
        "--source-scale",
        type=parse_source_scale,
        action="append",
        default=[],
        metavar="SOURCE=X",
        help="volume multiplier for one source instead of --scale; repeatable. Sources: "
        "police_crimes, court_trials, oocr, fjsb_needs, iom_cohort, partner_measures. "
        "National benchmark (about 500,000 trials and 1,000,000 disposals in 11 months): "
        "--scale 150 --source-scale court_trials=486 --source-scale oocr=1042",
    )

    p = sub.add_parser("land", help="validate and land every new file of an inbox")
    p.add_argument("--inbox", required=True, metavar="DIR")
    _add_warehouse(p)
    p.add_argument(
        "--strict", action="store_true", help="exit non-zero on rejected files or quarantined rows"
    )

    p = sub.add_parser("build", help="build and test the warehouse with dbt")
    _add_warehouse(p)
    _add_full_refresh(p)
    _add_target(p)
    _add_unit_tests(p)

    p = sub.add_parser("run", help="land everything new in the inbox, then build and test")
    p.add_argument("--inbox", required=True, metavar="DIR")
    _add_warehouse(p)
    _add_full_refresh(p)
    _add_target(p)
    _add_unit_tests(p)
    p.add_argument(
        "--strict", action="store_true", help="exit non-zero on rejected files or quarantined rows"
    )
    p.add_argument(
        "--publish",
        metavar="DSN",
        help="after a successful run, publish the marts to this PostgreSQL DSN (as cjb publish)",
    )

    p = sub.add_parser("query", help="run one SQL statement against the live warehouse, read-only")
    p.add_argument("sql", help='the SQL, e.g. "select * from marts.wcjb_scorecard limit 5"')
    _add_warehouse(p)

    p = sub.add_parser(
        "report",
        help="write the HTML scorecard (one self-contained file that opens offline)",
        description="Write the Board's quarterly scorecard as one self-contained HTML file. "
        "Default quarter: the latest complete quarter of marts.wcjb_scorecard.",
    )
    _add_warehouse(p)
    p.add_argument(
        "--quarter",
        metavar="QUARTER",
        help="financial quarter, e.g. 2018-19Q3 or '2018-19 Q3' (default: the latest complete)",
    )
    p.add_argument(
        "--out",
        metavar="FILE",
        help="HTML file to write (default: reports/wcjb-scorecard-<quarter>.html beside the "
        "warehouse)",
    )
    p.add_argument(
        "--suppress-below",
        type=int,
        default=5,
        metavar="N",
        help="show counts from 1 to N-1 as <N and withhold what is built on them (default 5; "
        "0 turns suppression off)",
    )

    p = sub.add_parser(
        "publish",
        help="copy the public marts into PostgreSQL for BI tools (switched in one transaction)",
        description="Copy every public mart of the live warehouse into a PostgreSQL schema, with "
        "descriptions as comments, switch readers to the new tables in one transaction, and "
        "keep the read-only role cjb_reader (see docs/analyst-access.md).",
    )
    p.add_argument(
        "--postgres",
        required=True,
        metavar="DSN",
        help="libpq connection string or URI, e.g. 'host=db dbname=bi user=cjb_publisher' "
        "(password from PGPASSWORD or ~/.pgpass)",
    )
    _add_warehouse(p)
    p.add_argument("--schema", default="marts", help="PostgreSQL schema (default marts)")
    return parser


def _cmd_publish(args: argparse.Namespace) -> int:
    from cjb.publish import publish_marts

    print(publish_marts(warehouse_path(args.warehouse), args.postgres, args.schema).render())
    return 0


def _cmd_query(args: argparse.Namespace) -> int:
    from cjb.query import query

    print(query(warehouse_path(args.warehouse), args.sql))
    return 0


def _cmd_generate(args: argparse.Namespace) -> int:
    from cjb.generate import generate

    source_scales: dict[str, float] = {}
    for name, scale in args.source_scale:
        if name in source_scales:
            raise CjbError(f"--source-scale {name} is given more than once")
        source_scales[name] = scale
    summary = generate(
        Path(args.out),
        seed=args.seed,
        start=args.start,
        months=args.months,
        scale=args.scale,
        faults=args.faults,
        source_scales=source_scales or None,
    )
    print(summary.render())
    return 0


def _cmd_land(args: argparse.Namespace) -> int:
    from flows.land import land_flow

    summary = land_flow(Path(args.inbox), warehouse_path(args.warehouse))
    print(summary.render())
    return 1 if args.strict and summary.has_data_problems else 0


def _cmd_build(args: argparse.Namespace) -> int:
    from flows.build import build_flow

    result = build_flow(
        warehouse_path(args.warehouse),
        full_refresh=args.full_refresh,
        target=args.target,
        unit_tests=args.unit_tests,
    )
    print(result.render())
    return 0 if result.success else 1


def _cmd_run(args: argparse.Namespace) -> int:
    from flows.run import run_flow

    result = run_flow(
        Path(args.inbox),
        warehouse_path(args.warehouse),
        full_refresh=args.full_refresh,
        target=args.target,
        unit_tests=args.unit_tests,
    )
    print(result.render())
    if not result.success:
        return 1
    if getattr(args, "publish", None):
        from cjb.publish import publish_marts

        print(publish_marts(warehouse_path(args.warehouse), args.publish).render())
    return 1 if args.strict and result.has_data_problems else 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from cjb.demo import run_demo

    return run_demo(
        Path(args.dir),
        seed=args.seed,
        start=args.start,
        months=args.months,
        scale=args.scale,
        faults=args.faults,
    )


def _cmd_report(args: argparse.Namespace) -> int:
    from cjb.report import write_report

    out = write_report(
        warehouse_path(args.warehouse),
        Path(args.out) if args.out else None,
        quarter=args.quarter,
        suppress_below=args.suppress_below,
    )
    print(f"report: {out}")
    return 0


COMMANDS = {
    "demo": _cmd_demo,
    "generate": _cmd_generate,
    "land": _cmd_land,
    "build": _cmd_build,
    "run": _cmd_run,
    "query": _cmd_query,
    "report": _cmd_report,
    "publish": _cmd_publish,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except CjbError as exc:
        print(f"cjb {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"cjb {args.command}: interrupted", file=sys.stderr)
        return 130


_exit_status: int | None = None


def _exit_without_teardown() -> None:
    """Last exit handler of the ``cjb`` program: end the process without the interpreter's
    teardown.

    Python's teardown frees every object of every module one by one: after a ``cjb run``
    (dbt's manifest, Great Expectations, pandas, Prefect) that takes 1.4 s on this machine, and
    does nothing a finished command needs. By the time this runs the command has returned, every
    DuckDB file it opened is closed, the interpreter has joined the non-daemon threads and run
    every other exit handler (Prefect's among them); the log handlers and the standard streams
    are flushed here. A command that did not return normally (an uncaught exception) is left to
    the usual teardown.
    """
    if _exit_status is None:
        return
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed, or a broken pipe
            stream.flush()
    os._exit(_exit_status)


def entry() -> None:
    """The ``cjb`` program (console script; ``main`` is what tests and other code call)."""
    global _exit_status
    # registered before a command imports Prefect, dbt or GE: runs after their exit handlers
    atexit.register(_exit_without_teardown)
    status = main()
    _exit_status = status
    sys.exit(status)


if __name__ == "__main__":
    entry()
