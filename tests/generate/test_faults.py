"""Labelled faults: the manifest covers every rule and points at real rows."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date

from cjb.contract import AGENCY_SOURCES


def _manifest(inbox) -> list[dict[str, str]]:
    with (inbox.path / "faults.csv").open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == ["source", "file_name", "row_number", "rule"]
        return list(reader)


def _row(inbox, source: str, file_name: str, row_number: int):
    for r in inbox.records(source):
        if r.file_name == file_name and r.row_number == row_number:
            return r
    raise AssertionError(f"{source}/{file_name} has no row {row_number}")


def test_manifest_covers_every_rule_of_every_source(fault_inbox):
    covered = defaultdict(set)
    for m in _manifest(fault_inbox):
        covered[m["source"]].add(m["rule"])
    for name, source in AGENCY_SOURCES.items():
        assert set(source.rule_ids) == covered[name], name


def test_every_listed_row_exists_and_rows_are_listed_once(fault_inbox):
    entries = _manifest(fault_inbox)
    seen = set()
    for m in entries:
        key = (m["source"], m["file_name"], int(m["row_number"]))
        assert key not in seen
        seen.add(key)
        _row(fault_inbox, *key)


def test_duplicate_key_rows_share_a_fresh_key(fault_inbox):
    groups = defaultdict(list)
    for m in _manifest(fault_inbox):
        if m["rule"] == "duplicate_key":
            r = _row(fault_inbox, m["source"], m["file_name"], int(m["row_number"]))
            key = tuple(r[k] for k in AGENCY_SOURCES[m["source"]].key)
            groups[(m["source"], m["file_name"])].append(key)
    assert {s for s, _ in groups} == set(AGENCY_SOURCES)
    for (source, _file_name), keys in groups.items():
        assert len(keys) == 2 and keys[0] == keys[1]
        elsewhere = [
            r
            for r in fault_inbox.records(source)
            if tuple(r[k] for k in AGENCY_SOURCES[source].key) == keys[0]
        ]
        assert len(elsewhere) == 2, "a fault key is never a good record's key"


def test_fault_rows_carry_the_broken_value(fault_inbox):
    def d(value: str) -> date:
        day, month, year = value.split(" ")[0].split("/")
        return date(int(year), int(month), int(day))

    for m in _manifest(fault_inbox):
        r = _row(fault_inbox, m["source"], m["file_name"], int(m["row_number"]))
        rule = m["rule"]
        if rule == "lsoa_code_pattern":
            assert r["lsoa_code"] == "E1234"
        elif rule == "recorded_date_not_after_period_end":
            assert d(r["recorded_date"]) > r.period.end
        elif rule == "outcome_type_known":
            assert r["outcome_type"] == "0" and r["outcome_date"]
        elif rule == "reason_code_crown_only":
            assert (r["jurisdiction"], r["reason_code"]) == ("magistrates", "X")
        elif rule == "value_matches_ratio":
            ratio = float(r["numerator"]) / float(r["denominator"]) * 100
            assert abs(float(r["value"]) - ratio) > 0.05
        elif rule.endswith("_required") and not rule.startswith("outcome_date"):
            assert r[rule.removesuffix("_required")] == ""


def test_no_faults_file_without_faults(year_inbox):
    assert not (year_inbox.path / "faults.csv").exists()
