"""Incremental monthly refresh gives exactly the warehouse a full rebuild gives.

One scenario, built once for the module (about two minutes: three real dbt builds):

1. a generated inbox of four months (resends of old crimes whose outcome changed) and three
   hand-made deliveries of police crimes:
   - ``crimes_2019-01.csv`` delivered again, changed (a new delivery of the latest period): it
     resends an October crime with a new outcome (wins: latest period) and an October crime
     whose resend breaks a rule (quarantined: the earlier version stands);
   - ``crimes_2018-10.csv`` delivered late, changed (an old period, landed last): it resends a
     crime that a later month already resent (must not override it), a crime only October sent
     (wins: same period, landed later), the crime just resent in 2019-01 (must not override)
     and a crime never sent before (appears);
2. months 1-3 landed and built (full: no live warehouse), then month 4 and the extras landed
   and built again (incremental, from a copy of the live warehouse);
3. the same landing store built with ``full_refresh`` into a copy of that warehouse;
4. every public mart and the three incremental facts compared row for row (EXCEPT ALL both
   ways, the two files attached read-only).

The refresh is shown to be incremental three ways: the build says so, the refresh state records
that it took in only the files landed since, and a fact row no new file touches keeps a value
planted in the live warehouse before the build (a rebuild would have replaced it).
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from cjb.build import (
    FILES_TABLE,
    REFRESH_TABLE,
    BuildResult,
    build_warehouse,
    plan_refresh,
    unit_tests_due,
)
from cjb.generate import generate
from cjb.landing import land_inbox
from cjb.paths import landing_path
from cjb.store import open_store

INCREMENTAL_FACTS = ("fct_crimes", "fct_trial_listings", "fct_oocr_disposals")
SENTINEL = "planted before the incremental build"
NEW_CRIME = "CRTEST0000001"


@dataclass
class Scenario:
    incremental: Path  # live warehouse built full (3 months), then refreshed (month 4 + extras)
    full: Path  # the same landing store, rebuilt with full_refresh
    first: BuildResult
    refresh: BuildResult
    rebuild: BuildResult
    keys: dict[str, str]  # role -> crime_ref (and late_code: the late October's outcome)
    before: dict[str, tuple]  # crime_ref -> (outcome_type, source_file_name) after the first build
    first_files: set[str]  # SHA-256 of the files landed before the first build
    later_files: set[str]  # ... landed between the first build and the refresh
    sentinel_survived: bool
    stale_table_survived: bool


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows, the rows keyed by contract column name (generated headers vary in
    letter case and spacing, as the contract allows)."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header = [h.strip().lower() for h in next(reader)]
        return header, [dict(zip(header, r, strict=True)) for r in reader if r]


def _write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def _ref(row: dict[str, str]) -> str:
    return row["crime_ref"].strip()


def _with(row: dict[str, str], **changes: str) -> dict[str, str]:
    return {**row, **changes}


def _split_inbox(generated: Path, first: Path, later: Path, last_period: str) -> None:
    for path in generated.rglob("*.csv"):
        dest = later if path.stem.endswith(last_period) else first
        target = dest / path.relative_to(generated)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


def _extras(crimes: Path, resend_inbox: Path, late_inbox: Path) -> dict[str, str]:
    """Write the two hand-made deliveries; return the crime_refs by role."""
    header, october = _read_csv(crimes / "crimes_2018-10.csv")
    later_outcomes: dict[str, set[str]] = {}
    for name in ("crimes_2018-11.csv", "crimes_2018-12.csv", "crimes_2019-01.csv"):
        for r in _read_csv(crimes / name)[1]:
            later_outcomes.setdefault(_ref(r), set()).add(r["outcome_type"].strip().lstrip("0"))
    later_refs = set(later_outcomes)
    # Only rows whose status and dates are plain, so the changed rows stay valid.
    plain = [r for r in october if r["recorded_date"].strip() and r["status"].strip()]
    resent = [r for r in plain if _ref(r) in later_refs]
    only_october = [r for r in plain if _ref(r) not in later_refs]
    assert resent and len(only_october) >= 4, "the generated October must have both kinds"
    keys = {
        "resent_later": _ref(resent[0]),  # a later month resent it: the late file must lose
        "resend_wins": _ref(only_october[0]),  # resent in the 2019-01 redelivery: wins
        "quarantined": _ref(only_october[1]),  # its resend is quarantined: old version stands
        "late_wins": _ref(only_october[2]),  # resent only by the late October: wins (landed last)
        "untouched": _ref(only_october[3]),  # no later file: the incremental build keeps it
        "new": NEW_CRIME,
    }

    def outcome(row: dict[str, str], code: str) -> dict[str, str]:
        # outcome_date = recorded_date: never before it, and inside the file's month.
        return _with(row, outcome_type=code, outcome_date=row["recorded_date"])

    _write_csv(
        resend_inbox / "police_crimes" / "crimes_2019-01.csv",
        header,
        [
            outcome(only_october[0], "1"),
            # outcome set without its date: quarantined (outcome_date_required_with_outcome)
            _with(only_october[1], outcome_type="1", outcome_date=""),
        ],
    )
    # An outcome no later version of that crime carries, so the test sees which one stands.
    late_code = next(c for c in ("16", "17", "18") if c not in later_outcomes[_ref(resent[0])])
    keys["late_code"] = late_code
    _write_csv(
        late_inbox / "police_crimes" / "crimes_2018-10.csv",
        header,
        [
            outcome(resent[0], late_code),
            outcome(only_october[0], "5"),
            outcome(only_october[2], "1"),
            _with(only_october[2], crime_ref=NEW_CRIME, outcome_type="", outcome_date=""),
        ],
    )
    return keys


def _crime_versions(warehouse: Path, refs: list[str]) -> dict[str, tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            "select crime_ref, outcome_type, source_file_name from core.fct_crimes "
            "where crime_ref in (select unnest(?))",
            [refs],
        ).fetchall()
    finally:
        con.close()
    return {r[0]: (r[1], r[2]) for r in rows}


def _file_hashes(landing: Path) -> set[str]:
    con = duckdb.connect(str(landing), read_only=True)
    try:
        rows = con.execute("select sha256 from audit.landed_files where status = 'landed'")
        return {r[0] for r in rows.fetchall()}
    finally:
        con.close()


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> Scenario:
    base = tmp_path_factory.mktemp("incremental")
    generated = base / "generated"
    generate(generated, seed=5, start="2018-10", months=4)
    first_inbox, later_inbox = base / "inbox_months_1_3", base / "inbox_month_4"
    _split_inbox(generated, first_inbox, later_inbox, "2019-01")
    resend_inbox, late_inbox = base / "inbox_resend", base / "inbox_late"
    keys = _extras(generated / "police_crimes", resend_inbox, late_inbox)

    warehouse = base / "incremental" / "cjb.duckdb"
    land_inbox(first_inbox, warehouse)
    first = build_warehouse(warehouse)
    assert first.success, first.render()
    before = _crime_versions(warehouse, list(keys.values()))
    first_files = _file_hashes(landing_path(warehouse))

    for inbox in (later_inbox, resend_inbox, late_inbox):  # landed in this order
        land_inbox(inbox, warehouse)
    later_files = _file_hashes(landing_path(warehouse)) - first_files

    # Plant a value in a fact row no new file touches (a column nothing downstream reads).
    untouched = keys["untouched"]
    con = duckdb.connect(str(warehouse))
    try:
        (original,) = con.execute(
            "select offence_description_as_sent from core.fct_crimes where crime_ref = ?",
            [untouched],
        ).fetchall()[0]
        con.execute(
            "update core.fct_crimes set offence_description_as_sent = ? where crime_ref = ?",
            [SENTINEL, untouched],
        )
    finally:
        con.close()

    refresh = build_warehouse(warehouse)
    assert refresh.success, refresh.render()
    con = duckdb.connect(str(warehouse))
    try:
        (planted,) = con.execute(
            "select offence_description_as_sent from core.fct_crimes where crime_ref = ?",
            [untouched],
        ).fetchall()[0]
        # Put the original back so the comparison below covers every row.
        con.execute(
            "update core.fct_crimes set offence_description_as_sent = ? where crime_ref = ?",
            [original, untouched],
        )
    finally:
        con.close()

    # The full rebuild starts from a copy of the refreshed warehouse with a stale table in it:
    # full_refresh must start from an empty file, so the table must be gone afterwards.
    full = base / "full" / "cjb.duckdb"
    full.parent.mkdir()
    shutil.copy2(warehouse, full)
    shutil.copy2(landing_path(warehouse), landing_path(full))
    con = duckdb.connect(str(full))
    try:
        con.execute("create table marts.stale_mart as select 1 as x")
    finally:
        con.close()
    rebuild = build_warehouse(full, full_refresh=True)
    assert rebuild.success, rebuild.render()
    con = duckdb.connect(str(full), read_only=True)
    try:
        stale = con.execute(
            "select count(*) from duckdb_tables() where table_name = 'stale_mart'"
        ).fetchall()[0][0]
    finally:
        con.close()

    return Scenario(
        incremental=warehouse,
        full=full,
        first=first,
        refresh=refresh,
        rebuild=rebuild,
        keys=keys,
        before=before,
        first_files=first_files,
        later_files=later_files,
        sentinel_survived=planted == SENTINEL,
        stale_table_survived=bool(stale),
    )


def _compared_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    marts = con.execute(
        "select schema_name, table_name from duckdb_tables() "
        "where database_name = 'full_build' and schema_name = 'marts' order by table_name"
    ).fetchall()
    return marts + [("core", fact) for fact in INCREMENTAL_FACTS]


def test_incremental_refresh_gives_exactly_the_full_rebuild(scenario):
    con = duckdb.connect()
    try:
        con.execute(f"attach '{scenario.incremental}' as incremental_build (read_only)")
        con.execute(f"attach '{scenario.full}' as full_build (read_only)")
        tables = _compared_tables(con)
        assert len(tables) >= len(INCREMENTAL_FACTS) + 8, tables  # the eight public marts
        differences = {}
        for schema, table in tables:
            a = f"incremental_build.{schema}.{table}"
            b = f"full_build.{schema}.{table}"
            counts = [con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in (a, b)]
            only_a = con.execute(
                f"select count(*) from (select * from {a} except all select * from {b})"
            ).fetchall()[0][0]
            only_b = con.execute(
                f"select count(*) from (select * from {b} except all select * from {a})"
            ).fetchall()[0][0]
            if only_a or only_b or counts[0] != counts[1]:
                differences[f"{schema}.{table}"] = (counts, only_a, only_b)
            if table in INCREMENTAL_FACTS:
                assert counts[0] > 0, f"{schema}.{table} is empty"
        assert not differences, (
            f"(rows incremental/full, only incremental, only full): {differences}"
        )
    finally:
        con.close()


def test_resends_follow_the_contract_in_both_builds(scenario):
    keys = scenario.keys
    for warehouse in (scenario.incremental, scenario.full):
        now = _crime_versions(warehouse, list(keys.values()))
        # A resend in the latest period wins over the October version.
        assert now[keys["resend_wins"]] == ("1", "crimes_2019-01.csv")
        # A quarantined resend leaves the earlier version standing.
        assert now[keys["quarantined"]] == scenario.before[keys["quarantined"]]
        # A late delivery of October never overrides a version from a later period ...
        assert now[keys["resent_later"]][1] != "crimes_2018-10.csv"
        assert now[keys["resent_later"]][0] != keys["late_code"]
        # ... but wins over the October version it ties with on period (landed later).
        assert now[keys["late_wins"]] == ("1", "crimes_2018-10.csv")
        assert now[keys["new"]] == (None, "crimes_2018-10.csv")


def test_the_refresh_was_incremental(scenario):
    assert scenario.first.refresh == "full"
    assert scenario.refresh.refresh == "incremental", scenario.refresh.refresh_reason
    assert scenario.rebuild.refresh == "full"
    # A fact row no new file touches was not rebuilt.
    assert scenario.sentinel_survived
    con = duckdb.connect(str(scenario.incremental), read_only=True)
    try:
        by_build = dict(
            con.execute(
                f"select first_build_id, list(file_sha256) from audit.{FILES_TABLE} group by all"
            ).fetchall()
        )
        refreshes = con.execute(
            f"select build_id, refresh, files_taken_in from audit.{REFRESH_TABLE} order by built_at"
        ).fetchall()
    finally:
        con.close()
    assert set(by_build[scenario.first.build_id]) == scenario.first_files
    assert set(by_build[scenario.refresh.build_id]) == scenario.later_files
    assert [(b, r, n) for b, r, n in refreshes] == [
        (scenario.first.build_id, "full", len(scenario.first_files)),
        (scenario.refresh.build_id, "incremental", len(scenario.later_files)),
    ]


def test_full_refresh_starts_from_an_empty_warehouse(scenario):
    assert not scenario.stale_table_survived


def test_a_reset_landing_store_or_a_changed_project_forces_a_full_rebuild(
    scenario, tmp_path, monkeypatch
):
    live, landing = scenario.incremental, landing_path(scenario.incremental)
    plan = plan_refresh(live, landing)
    assert plan.mode == "incremental" and "0 landed file(s) new" in plan.reason
    # A landing store that lost files the live build took in (reset, replaced).
    empty = tmp_path / "cjb_landing.duckdb"
    open_store(empty).close()
    assert plan_refresh(live, empty).mode == "full"
    # The project (a model, a macro, a seed) changed since the live build.
    monkeypatch.setattr("cjb.build.project_fingerprint", lambda: "changed")
    assert plan_refresh(live, landing).mode == "full"
    monkeypatch.undo()
    # A live warehouse from before incremental refresh (no refresh state).
    old = tmp_path / "old.duckdb"
    shutil.copy2(live, old)
    con = duckdb.connect(str(old))
    try:
        con.execute(f"drop table audit.{FILES_TABLE}")
    finally:
        con.close()
    assert plan_refresh(old, landing).mode == "full"
    assert plan_refresh(live, landing, full_refresh=True).mode == "full"


def _unit_tests(build: BuildResult) -> list[str]:
    return [n.status for n in build.nodes if n.resource_type == "unit_test"]


def test_unit_tests_run_when_the_project_changed_or_when_asked(scenario, tmp_path, monkeypatch):
    """dbt's unit tests check the SQL on fixtures, not the data: a build runs them when the
    project changed since the live build, or when asked; otherwise it says it left them out."""
    # a new warehouse's first build, a refresh and a full rebuild of an unchanged project
    assert _unit_tests(scenario.first) == []
    assert scenario.first.unit_tests_skipped.startswith("first build of this warehouse")
    assert _unit_tests(scenario.refresh) == [] and _unit_tests(scenario.rebuild) == []
    assert "unchanged since the live build" in scenario.refresh.unit_tests_skipped
    assert "unit tests: not run (" in scenario.refresh.render()

    live, landing = scenario.incremental, landing_path(scenario.incremental)
    unchanged = plan_refresh(live, landing)
    assert unit_tests_due(unchanged, None) and unit_tests_due(unchanged, True) is None
    monkeypatch.setattr("cjb.build.project_fingerprint", lambda: "changed")
    changed = plan_refresh(live, landing)
    assert changed.project_changed and unit_tests_due(changed, None) is None
    assert unit_tests_due(plan_refresh(live, landing, full_refresh=True), None) is None
    assert unit_tests_due(changed, False) == "not asked for"

    # a real build of a changed project runs them (dim_calendar has three)
    copy = tmp_path / "wh" / "cjb.duckdb"
    copy.parent.mkdir()
    shutil.copy2(live, copy)
    shutil.copy2(landing, landing_path(copy))
    after_change = build_warehouse(copy, select=["dim_calendar"])
    assert after_change.success, after_change.render()
    assert _unit_tests(after_change) == ["pass"] * 3
    assert after_change.unit_tests_skipped is None
    assert "unit tests: not run" not in after_change.render()
    monkeypatch.undo()
    # ... and so does a build that asks, whatever changed
    asked = build_warehouse(copy, select=["dim_calendar"], unit_tests=True)
    assert asked.success and _unit_tests(asked) == ["pass"] * 3
    unasked = build_warehouse(copy, select=["dim_calendar"])
    assert unasked.success and _unit_tests(unasked) == []


@pytest.mark.parametrize(
    ("argv", "expected"),
    [([], None), (["--unit-tests"], True), (["--no-unit-tests"], False)],
)
def test_build_and_run_pass_the_unit_tests_choice_on(argv, expected, monkeypatch, tmp_path):
    import flows.build
    import flows.run
    from cjb.cli import main

    seen = []

    class Result:
        success, has_data_problems = True, False

        def render(self):
            return "stub"

    def record(*args, **kwargs):
        seen.append(kwargs["unit_tests"])
        return Result()

    monkeypatch.setattr(flows.build, "build_flow", record)
    monkeypatch.setattr(flows.run, "run_flow", record)
    warehouse = ["--warehouse", str(tmp_path / "cjb.duckdb")]
    assert main(["build", *warehouse, *argv]) == 0
    assert main(["run", "--inbox", str(tmp_path), *warehouse, *argv]) == 0
    assert seen == [expected, expected]
