"""The lower dbt layers (staging, intermediate, core dims and facts) on a crafted landing store.

Each test reads the warehouse one real ``dbt build`` wrote (session fixtures in conftest.py).
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

from models_landing import tie_hash_winner

FACTS = (
    "fct_crimes",
    "fct_trial_listings",
    "fct_oocr_disposals",
    "fct_needs_assessments",
    "fct_needs_assessment_answers",
    "fct_iom_nominals",
    "fct_partner_measures",
    "fct_police_uk_crimes",
)


def one(con, sql, params=None):
    result = con.execute(sql, params or []).fetchall()
    assert len(result) == 1, result
    return result[0]


def by_key(con, sql):
    return {r[0]: r[1:] for r in con.execute(sql).fetchall()}


def test_crafted_build_passes_every_test(crafted_build):
    assert crafted_build.success, "\n".join(crafted_build.failed()) or crafted_build.error
    kinds = {}
    for n in crafted_build.nodes:
        kinds.setdefault(n.resource_type, []).append(n.status)
    assert kinds["unit_test"] and set(kinds["unit_test"]) == {"pass"}
    assert set(kinds["model"]) == {"success"}
    # Data tests pass; the only warning allowed is the police_uk LSOA outside the lookup.
    warned = [n.unique_id for n in crafted_build.nodes if n.status == "warn"]
    assert all("fct_police_uk_crimes_lsoa_code" in w for w in warned), warned
    assert set(kinds["test"]) <= {"pass", "warn"}


def test_empty_store_builds_empty_facts_and_full_dims(empty_build):
    import duckdb

    assert empty_build.success, "\n".join(empty_build.failed()) or empty_build.error
    con = duckdb.connect(str(empty_build.warehouse), read_only=True)
    try:
        for fact in FACTS:
            assert one(con, f"select count(*) from core.{fact}") == (0,), fact
        assert one(con, "select count(*) from core.dim_calendar") == (0,)
        assert one(con, "select count(*) from core.dim_offence") == (135,)
        assert one(con, "select count(*) from core.dim_need") == (12,)
        assert one(con, "select count(*) from core.dim_oocr_disposal_type") == (10,)
    finally:
        con.close()


def test_latest_version_wins(core_db):
    crimes = by_key(
        core_db, "select crime_ref, outcome_type, source_file_name from core.fct_crimes"
    )
    # A later file period wins although it landed earlier.
    assert crimes["C1"] == ("1", "crimes_2018-11.csv")
    # Two deliveries of one period: the later landing wins.
    assert crimes["C2"] == ("8", "crimes_resend_2018-10.csv")
    assert one(core_db, "select count(*) from core.fct_crimes where crime_ref = 'C1'") == (1,)
    # Same period, same landing instant, same row number: the higher file hash wins (on
    # DuckDB the hash is ranked among the files' hashes, macros/latest_version.sql).
    winner = tie_hash_winner()
    assert crimes["C10"] == (winner.rows[0]["outcome_type"], winner.file_name)

    trials = by_key(
        core_db,
        "select listing_id, trial_outcome, reason_code, attributed_to from core.fct_trial_listings",
    )
    assert trials["L1"] == ("cracked", "B", "prosecution")

    disposal = one(
        core_db,
        "select intervention_outcome, intervention_provider from core.fct_oocr_disposals "
        "where disposal_id = 'D1'",
    )
    assert disposal == ("completed", "Nelson Trust")

    nominals = by_key(
        core_db, "select adoption_date, deselection_date, is_on_scheme from core.fct_iom_nominals"
    )
    assert nominals[date(2018, 5, 1)] == (date(2018, 11, 15), False)
    assert nominals[date(2018, 6, 1)] == (None, True)

    assert one(core_db, "select value, numerator from core.fct_partner_measures") == (
        Decimal("81.0000"),
        Decimal("81.0000"),
    )


def test_codes_are_canonical_and_join_their_dims(core_db):
    crimes = by_key(
        core_db,
        "select crime_ref, offence_code, offence_group, offence_subgroup from core.fct_crimes",
    )
    assert crimes["C3"] == ("58A", "Criminal damage and arson", "Criminal damage")
    assert crimes["C4"] == ("4.10", "Violence against the person", "Homicide")
    assert one(
        core_db,
        "select outcome_type, is_positive_outcome, is_charge_summons from core.fct_crimes "
        "where crime_ref = 'C7'",
    ) == ("1A", True, True)
    assert one(
        core_db, "select offence_code from core.fct_oocr_disposals where disposal_id = 'D1'"
    ) == ("58A",)
    # Every crime found its offence group; every listing its court.
    assert one(core_db, "select count(*) from core.fct_crimes where offence_group is null") == (0,)
    assert one(
        core_db, "select count(*) from core.fct_trial_listings where court_name is null"
    ) == (0,)


def test_positive_set_and_pending(core_db):
    flags = by_key(
        core_db,
        "select crime_ref, is_positive_outcome, is_charge_summons, is_outcome_pending, is_recorded "
        "from core.fct_crimes",
    )
    assert flags["C1"] == (True, True, False, True)  # charged
    assert flags["C2"] == (True, False, False, True)  # community resolution (8)
    assert flags["C3"] == (False, False, True, True)  # no outcome yet
    assert flags["C5"] == (False, False, False, False)  # 14, cancelled


def test_unknown_stays_unknown_and_sex_reads_u(core_db):
    assert one(
        core_db,
        "select is_domestic_abuse, is_hate_crime from core.fct_crimes where crime_ref = 'C3'",
    ) == (None, True)
    sexes = by_key(core_db, "select disposal_id, sex from core.fct_oocr_disposals")
    assert sexes == {"D1": ("U",), "D2": ("F",), "D3": ("U",), "D4": ("M",)}
    answers = by_key(
        core_db,
        "select need, answer from core.fct_needs_assessment_answers where assessment_id = 'A1' "
        "and need in ('mental_health', 'housing_concern', 'sex_work', 'neurodivergent')",
    )
    assert answers == {
        "mental_health": ("yes",),
        "housing_concern": ("no",),
        "sex_work": ("unknown",),
        "neurodivergent": ("yes",),
    }
    assert one(core_db, "select count(*) from core.fct_needs_assessment_answers") == (24,)


def test_financial_periods_by_recorded_date(core_db):
    periods = by_key(
        core_db, "select crime_ref, month_start, financial_year, period_label from core.fct_crimes"
    )
    assert periods["C6"] == (date(2019, 3, 1), "2018-19", "2018-19 Q4")
    assert periods["C7"] == (date(2019, 4, 1), "2019-20", "2019-20 Q1")
    assert periods["C8"] == (date(2018, 12, 1), "2018-19", "2018-19 Q3")
    assert periods["C9"] == (date(2019, 1, 1), "2018-19", "2018-19 Q4")


def test_local_authority_from_extract_else_lsoa(core_db):
    las = by_key(core_db, "select crime_ref, local_authority from core.fct_crimes")
    assert las["C1"] == ("Wiltshire",)
    assert las["C4"] == ("Swindon",)  # blank in the extract, Swindon LSOA
    assert las["C9"] == (None,)  # neither


def test_police_uk_redelivered_month_replaces_the_file(core_db):
    rows = core_db.execute(
        "select crime_id, crime_type, is_anti_social_behaviour, local_authority, offence_group "
        "from core.fct_police_uk_crimes where force = 'wiltshire' order by crime_id nulls first"
    ).fetchall()
    assert rows == [
        (None, "Anti-social behaviour", True, "Swindon", "Anti-social behaviour"),
        ("new1", "Burglary", False, "Wiltshire", "Theft offences"),
        ("new3", "Other crime", False, None, "Miscellaneous crimes against society"),
    ]
    assert one(
        core_db, "select local_authority from core.fct_police_uk_crimes where force = 'dorset'"
    ) == ("Dorset",)


def test_relationships_hold(core_db):
    checks = {
        "crime offence": "select count(*) from core.fct_crimes f left join core.dim_offence d "
        "using (offence_code) where d.offence_code is null",
        "crime outcome": "select count(*) from core.fct_crimes f left join core.dim_crime_outcome_type d "
        "using (outcome_type) where f.outcome_type is not null and d.outcome_type is null",
        "crime day": "select count(*) from core.fct_crimes f left join core.dim_calendar d "
        "on f.recorded_date = d.date_day where d.date_day is null",
        "listing court": "select count(*) from core.fct_trial_listings f left join core.dim_court d "
        "using (court_key) where d.court_key is null",
        "listing reason": "select count(*) from core.fct_trial_listings f "
        "left join core.dim_trial_outcome_reason d using (reason_code) "
        "where f.reason_code is not null and d.reason_code is null",
        "disposal type": "select count(*) from core.fct_oocr_disposals f "
        "left join core.dim_oocr_disposal_type d using (disposal_type) where d.disposal_type is null",
        "answer need": "select count(*) from core.fct_needs_assessment_answers f "
        "left join core.dim_need d using (need) where d.need is null",
        "iom day": "select count(*) from core.fct_iom_nominals f left join core.dim_calendar d "
        "on f.adoption_date = d.date_day where d.date_day is null",
    }
    broken = {name: one(core_db, sql)[0] for name, sql in checks.items()}
    assert broken == dict.fromkeys(checks, 0)
    first, last, days = one(
        core_db, "select min(date_day), max(date_day), count(*) from core.dim_calendar"
    )
    assert (first, last) == (date(2018, 5, 1), date(2019, 4, 2))
    assert days == (last - first).days + 1


def test_docs_generate(crafted_build, tmp_path):
    from dbt.cli.main import dbtRunner

    from cjb.paths import PROJECT_ROOT

    # A copy: the session's read-only connection (core_db) holds the built file open, and
    # DuckDB refuses a second, differently configured connection to it in one process.
    copy = tmp_path / "cjb.duckdb"
    shutil.copyfile(crafted_build.warehouse, copy)
    env = {
        "CJB_BUILD_PATH": str(copy),
        "CJB_LANDING_PATH": str(crafted_build.landing),
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        res = dbtRunner().invoke(
            [
                "docs",
                "generate",
                "--project-dir",
                str(PROJECT_ROOT),
                "--profiles-dir",
                str(PROJECT_ROOT),
                "--target-path",
                str(tmp_path / "target"),
                "--log-path",
                str(tmp_path / "logs"),
                "--select",
                "+path:models/marts/core",
            ]
        )
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert res.success, res.exception
    catalog = Path(tmp_path / "target" / "catalog.json")
    assert catalog.exists()
    assert '"model.cjb.fct_crimes"' in catalog.read_text()


def test_required_columns_with_nulls_fail_the_build_naming_each_column(crafted_build, tmp_path):
    """``not_null_columns`` (one scan for a model's required columns) fails with one row per
    column that has nulls, and passes on the columns it does not list."""
    import duckdb

    from cjb.build import run_dbt

    copy = tmp_path / "cjb.duckdb"  # a copy: the session's fixtures read the built file
    shutil.copyfile(crafted_build.warehouse, copy)
    con = duckdb.connect(str(copy))
    try:
        con.execute(
            "update core.fct_crimes set offence_group = null, status = null where rowid = 0"
        )
        con.execute("update core.fct_crimes set lsoa_code = null")  # not required
    finally:
        con.close()

    res = run_dbt(
        "test",
        copy,
        crafted_build.landing,
        ["--select", "fct_crimes,test_name:not_null_columns", "--store-failures"],
    )

    results = [r for r in res.result.results if r.node.resource_type == "test"]
    assert [r.node.name for r in results] == ["not_null_columns_fct_crimes"]
    assert str(results[0].status) == "fail" and results[0].failures == 2
    con = duckdb.connect(str(copy), read_only=True)
    try:
        failures = con.execute(
            f"select column_name, null_rows from {results[0].node.relation_name} order by 1"
        ).fetchall()
    finally:
        con.close()
    assert failures == [("offence_group", 1), ("status", 1)]
