"""``cjb demo``: the main job on its defaults, end to end, with nothing to configure.

Writes a sample inbox (synthetic extracts for every agency source plus the real public
data.police.uk files the project ships), lands it, builds and tests the warehouse, writes the
HTML scorecard, and prints where each is and how to query the marts.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from cjb.paths import SAMPLE_POLICE_UK_DIR

QUERY_EXAMPLES = (
    "select period_label, measure_code, value, rag_status, trend\n"
    "  from marts.wcjb_scorecard where period_label = '2018-19 Q3' order by measure_code",
    "select court_name, sum(trials_listed) as listed, sum(cracked_ineffective_prosecution) as prosecution\n"
    "  from marts.trial_effectiveness group by court_name order by listed desc",
    "select file_name, status, rows_read, rows_landed, rows_quarantined from audit.landed_files",
)


def write_sample_inbox(
    inbox: Path, *, seed: int, start: str, months: int, scale: float, faults: bool
) -> str:
    """A fresh sample inbox: generated extracts plus the shipped police_uk files."""
    from cjb.generate import generate

    if inbox.exists():
        shutil.rmtree(inbox)
    summary = generate(inbox, seed=seed, start=start, months=months, scale=scale, faults=faults)
    police_uk = inbox / "police_uk"
    police_uk.mkdir(parents=True, exist_ok=True)
    for f in sorted(SAMPLE_POLICE_UK_DIR.glob("*.csv")):
        shutil.copy2(f, police_uk / f.name)
    return summary.render()


def run_demo(
    out: Path,
    *,
    seed: int = 1,
    start: str = "2018-04",
    months: int = 12,
    scale: float = 1.0,
    faults: bool = False,
) -> int:
    from flows.run import run_flow

    out = Path(out)
    inbox = out / "inbox"
    warehouse = out / "warehouse" / "cjb.duckdb"

    print(f"1. Writing the sample inbox to {inbox}/ ...", flush=True)
    print(
        _indent(
            write_sample_inbox(
                inbox, seed=seed, start=start, months=months, scale=scale, faults=faults
            )
        )
    )
    print(f"   plus the real Wiltshire data.police.uk files in {inbox / 'police_uk'}/", flush=True)

    print(f"\n2. Landing and building the warehouse {warehouse} ...", flush=True)
    result = run_flow(inbox, warehouse, unit_tests=True)  # the demo shows every check
    print(_indent(result.render()))
    if not result.success:
        print("\nThe build failed: the live warehouse was left as it was.")
        return 1

    report_path = None
    try:
        from cjb.report import write_report
    except ImportError:
        write_report = None
    if write_report is not None:
        report_path = write_report(warehouse, out / "report.html")
        print(f"\n3. The WCJB scorecard report: {report_path}")

    print("\nWhere things are:")
    print(f"  sample inbox        {inbox}/")
    print(f"  live warehouse      {warehouse}   (marts.*, audit.*)")
    print(f"  landing store       {warehouse.with_name(warehouse.stem + '_landing.duckdb')}")
    print(f"  validation results  {warehouse.parent / 'validation'}/")
    if report_path:
        print(f"  HTML report         {report_path}")
    print("\nQuery the marts (read-only, safe while builds run):")
    for sql in QUERY_EXAMPLES:
        print(f'  bin/cjb query --warehouse {warehouse} "{" ".join(sql.split())}"')
    return 0


def _indent(text: str) -> str:
    return "\n".join(f"   {line}" if line else "" for line in text.splitlines())
