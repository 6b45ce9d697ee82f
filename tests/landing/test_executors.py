"""The two executors of the GE suites agree on every row: DuckDB SQL (fast) and GE's pandas engine.

Landing runs each source's Great Expectations suite as DuckDB SQL (``cjb.landing.sql_expectations``)
rather than through GE's pandas engine. These tests validate the same prepared files with both and
require, rule by rule, the same rows breaking it, and row by row the same quarantine rule, counts
and validation results: over a generated inbox with a labelled fault for every rule, the per-rule
fixture files of ``test_rules``, awkward values for every column, and the public police_uk files.
"""

from __future__ import annotations

import hashlib
import hmac
import shutil

import duckdb
import great_expectations.expectations as gxe
import pytest
from landing_helpers import PERIODS, valid_row, write_file
from test_rules import CASES, case_rows

from cjb.contract import AGENCY_SOURCES
from cjb.landing.discover import InboxFile, discover
from cjb.landing.prepare import prepare
from cjb.landing.pseudonymise import hmac_pads, hmac_sql, pseudonymise
from cjb.landing.read import check_headers, read_csv
from cjb.landing.spec import SPECS
from cjb.landing.sql_expectations import (
    UnsupportedExpectation,
    python_regex_to_re2,
    unexpected_sql,
)
from cjb.landing.validate import SuiteRunner, Validation
from cjb.paths import SAMPLE_POLICE_UK_DIR

# Awkward raw values tried in every column of every source (one row each, on a valid row).
AWKWARD = [
    "",
    "   ",
    "\t",
    " Unknown ",
    "yes",
    "TRUE",
    "0",
    "1",
    "-1",
    "+7",
    "007",
    "1.5",
    ".5",
    "12,5",
    "1e3",
    "٣",  # a non-ASCII digit
    "9999999999",
    "E01031000\n",  # trailing line break inside quotes: Python's '$' matches before it
    "E01031000",
    "W01000001 ",
    "0058a",
    "4.10",
    "105A",
    "31/11/2018",
    "30/11/2018",
    "1/12/2018",
    "01/12/2018 00:00",
    "30/11/2018 24:00",
    "1/10/2018 9:05:59",
    "2018-11-30",
    "cracked",
    "crown",
    "magistrates",
    "X",
    "A",
    "M1",
    "percent",
    "Wiltshire",
    "swindon",
    "recorded",
    "completed",
    "snake_case_code",
    "Not Snake",
]


def _outcome(validation: Validation, con: duckdb.DuckDBPyConnection) -> dict:
    quarantine = dict(con.execute("SELECT row_number, rule FROM _q").fetchall())
    ge = validation.ge_result().to_json_dict()
    return {
        "quarantine": quarantine,
        "unexpected_rows": validation.unexpected_rows,
        "results": [
            (
                r.rule,
                r.element_count,
                r.missing_count,
                r.unexpected_count,
                r.quarantined,
                r.samples,
            )
            for r in validation.results
        ],
        "ge_results": [(x["success"], x["expectation_config"], x["result"]) for x in ge["results"]],
        "ge_statistics": ge["statistics"],
    }


def both_executors(runner: SuiteRunner, f: InboxFile, chunk_rows: int = 1000) -> dict:
    """Validate one file with each executor; their outcomes, by executor."""
    con = duckdb.connect()
    try:
        spec = SPECS[f.spec_name]
        read = read_csv(con, f.path)
        check_headers(read, spec)
        prep = prepare(con, read, spec, runner.checks(spec))
        outcomes = {}
        for executor in ("pandas", "duckdb"):
            v = runner.validate(
                con,
                prep,
                spec,
                f.period,
                read.rows,
                f.name,
                chunk_rows=chunk_rows,
                executor=executor,
                keep_unexpected=True,
            )
            assert v.executor == executor
            outcomes[executor] = _outcome(v, con)
        return outcomes
    finally:
        con.close()


def assert_same(outcomes: dict, label: str) -> None:
    pandas, duck = outcomes["pandas"], outcomes["duckdb"]
    assert duck["unexpected_rows"] == pandas["unexpected_rows"], label
    assert duck["quarantine"] == pandas["quarantine"], label
    assert duck["results"] == pandas["results"], label
    assert duck["ge_results"] == pandas["ge_results"], label
    assert duck["ge_statistics"] == pandas["ge_statistics"], label


@pytest.fixture(scope="module")
def runner() -> SuiteRunner:
    return SuiteRunner()


def test_executors_agree_on_a_generated_inbox_with_faults(runner, small_inbox):
    files = [f for f in discover(small_inbox) if f.source != "police_uk"]
    broken_rules = set()
    for f in files:
        outcomes = both_executors(runner, f, chunk_rows=700)  # several chunks per file
        assert_same(outcomes, f.name)
        broken_rules |= {(f.source, r) for r in outcomes["duckdb"]["quarantine"].values()}
    # the comparison covered a quarantined row for every rule of every agency source
    assert broken_rules == {(s.name, r.id) for s in AGENCY_SOURCES.values() for r in s.rules}


def test_executors_agree_on_every_rule_fixture(runner, tmp_path):
    for n, (source, rule_id) in enumerate(CASES):
        rows, bad = case_rows(source, rule_id)
        write_file(tmp_path / f"inbox{n}", source, rows)
        [f] = discover(tmp_path / f"inbox{n}")
        outcomes = both_executors(runner, f, chunk_rows=100)  # one chunk: GE costs ~0.2 s each
        assert_same(outcomes, f"{source}.{rule_id}")
        assert sorted(outcomes["duckdb"]["quarantine"].items()) == [(r, rule_id) for r in bad]


@pytest.mark.parametrize("source", list(AGENCY_SOURCES))
def test_executors_agree_on_awkward_values_in_every_column(runner, tmp_path, source):
    columns = AGENCY_SOURCES[source].column_names
    rows = []
    for column in columns:
        for value in AWKWARD:
            rows.append({**valid_row(source, len(rows) + 1), column: value})
    rows += [dict(rows[0]), dict(rows[5])]  # duplicate keys
    write_file(tmp_path, source, rows)
    [f] = discover(tmp_path)
    assert f.period == PERIODS[source]

    outcomes = both_executors(runner, f, chunk_rows=len(rows) // 3)

    assert_same(outcomes, source)
    assert len(outcomes["duckdb"]["quarantine"]) > len(columns)  # plenty of rows broke a rule


def test_executors_agree_on_public_police_uk_files(runner, tmp_path):
    folder = tmp_path / "police_uk"
    shutil.copytree(SAMPLE_POLICE_UK_DIR, folder, ignore=shutil.ignore_patterns("*.txt"))
    lines = (folder / "2018-11-wiltshire-street.csv").read_text().splitlines()
    for i, (month, lon) in enumerate([("Nov-2018", ""), ("2018-11", "north"), ("", "1e400")]):
        fields = lines[i + 1].split(",")
        fields[1], fields[4] = month, lon
        lines[i + 1] = ",".join(fields)
    (folder / "2018-11-wiltshire-street.csv").write_text("\n".join(lines) + "\n")
    files = discover(tmp_path)
    assert len(files) == 3
    for f in files:
        assert_same(both_executors(runner, f), f.name)


def test_regex_semantics_follow_python_re_search():
    con = duckdb.connect()
    regex = "^(?:E01|W01)[0-9]{6}$"
    pattern = python_regex_to_re2(regex)
    import re

    for value in ["E01031000", "E01031000\n", "E01031000\n\n", "xE01031000", "E010310001"]:
        duck = con.execute("SELECT regexp_matches(?, ?)", [value, pattern]).fetchall()[0][0]
        assert duck == bool(re.search(regex, value)), repr(value)
    with pytest.raises(UnsupportedExpectation):
        python_regex_to_re2("^a$|^b$")


def test_untranslatable_expectations_are_refused():
    with pytest.raises(UnsupportedExpectation):
        unexpected_sql(gxe.ExpectColumnValuesToBeUnique(column="a"), {})
    with pytest.raises(UnsupportedExpectation):
        unexpected_sql(gxe.ExpectColumnValuesToNotBeNull(column="a", mostly=0.9), {})


@pytest.mark.parametrize(
    "secret", [b"cjb-development-secret-do-not-use-in-production", b"s", b"k" * 65, b"\xff\x00"]
)
def test_hmac_in_duckdb_equals_python_hmac(secret):
    keys = ["P00001", "", "é-ß-漢字", "back\\x41slash", "quote'd", "x" * 200]
    inner, outer = hmac_pads(secret)
    con = duckdb.connect()
    got = [con.execute(f"SELECT {hmac_sql('?')}", [outer, inner, k]).fetchall()[0][0] for k in keys]
    assert got == [hmac.new(secret, k.encode(), hashlib.sha256).hexdigest() for k in keys]
    if secret == b"cjb-development-secret-do-not-use-in-production":
        assert got[0] == pseudonymise(secret, "P00001")
