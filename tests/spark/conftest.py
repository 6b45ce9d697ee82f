"""One inbox built on both targets, once per session (tests/spark).

The suite's shared generated inbox (``small_inbox``: three months from 2018-10 at Wiltshire
scale, with labelled faults, so the quarantine is not empty) plus the real police_uk files is
landed once; the landing store is copied beside a second warehouse, so both builds read the
very same landed rows; then one build runs on DuckDB (everything, as ``cjb build``) and one on
Spark, side by side. The Spark build skips the data tests: the marts comparison proves the data, and at about
a second per test on Spark they would add five minutes. It runs every model, seed and unit test.
"""

from __future__ import annotations

import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from cjb.paths import SAMPLE_POLICE_UK_DIR


@dataclass
class ParityBuilds:
    duckdb: object  # cjb.build.BuildResult
    spark: object
    duckdb_seconds: float
    spark_seconds: float


@pytest.fixture(scope="session")
def parity_builds(small_inbox, tmp_path_factory) -> ParityBuilds:
    from cjb.build import build_warehouse
    from cjb.build_spark import build_warehouse_spark
    from cjb.landing import land_inbox

    root = tmp_path_factory.mktemp("spark_parity")
    inbox = root / "inbox"
    shutil.copytree(small_inbox, inbox)
    (inbox / "police_uk").mkdir(exist_ok=True)
    for f in SAMPLE_POLICE_UK_DIR.glob("*.csv"):
        shutil.copy2(f, inbox / "police_uk" / f.name)

    duck_wh = root / "duckdb" / "cjb.duckdb"
    spark_wh = root / "spark" / "cjb.duckdb"
    land_inbox(inbox, duck_wh)
    spark_wh.parent.mkdir()
    shutil.copy2(duck_wh.with_name("cjb_landing.duckdb"), spark_wh.with_name("cjb_landing.duckdb"))

    def timed(build, *args, **kwargs):
        started = time.monotonic()
        return build(*args, **kwargs), time.monotonic() - started

    # Side by side: the Spark build runs dbt in a child process (its own JVM), the DuckDB build
    # in this one; much of each is waiting on the other engine's latency, not the CPU.
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=2) as pool:
        spark_job = pool.submit(timed, build_warehouse_spark, spark_wh, exclude=["test_type:data"])
        duck_job = pool.submit(timed, build_warehouse, duck_wh, unit_tests=True)
        duck, duck_seconds = duck_job.result()
        spark, spark_seconds = spark_job.result()
    print(
        f"\nparity builds: DuckDB {duck_seconds:.0f} s, Spark {spark_seconds:.0f} s, "
        f"side by side {time.monotonic() - started:.0f} s"
    )
    return ParityBuilds(duck, spark, duck_seconds, spark_seconds)
