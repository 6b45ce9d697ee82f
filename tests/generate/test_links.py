"""Resends across months and people linked across sources."""

from __future__ import annotations

from collections import defaultdict
from datetime import date


def _date(value: str) -> date:
    d, m, y = value.split(" ")[0].split("/")
    return date(int(y), int(m), int(d))


def test_crimes_are_resent_when_their_outcome_arrives_or_changes(year_inbox):
    versions = defaultdict(list)
    for r in year_inbox.records("police_crimes"):
        versions[r["crime_ref"]].append(r)
    assigned_later = changed = 0
    for rows in versions.values():
        files = [r.file_name for r in rows]
        assert len(files) == len(set(files)), "a crime is sent at most once a month"
        for before, after in zip(rows, rows[1:], strict=False):
            assert before.period.start < after.period.start
            if before["outcome_type"] == "" and after["outcome_type"] != "":
                assigned_later += 1
            elif before["outcome_type"] and after["outcome_type"] != before["outcome_type"]:
                changed += 1
    assert assigned_later > 10_000
    assert changed > 100
    # A crime first sent without an outcome is most often how a month's new crimes arrive.
    first = [rows[0] for rows in versions.values()]
    assert sum(r["outcome_type"] == "" for r in first) / len(first) > 0.3


def test_crime_dates_are_ordered_and_inside_the_month(year_inbox):
    for r in year_inbox.records("police_crimes"):
        rec = _date(r["recorded_date"])
        assert rec <= r.period.end
        if r["offence_date"]:
            assert _date(r["offence_date"]) <= rec
        if r["outcome_type"]:
            assert _date(r["outcome_date"]) >= rec
            assert _date(r["outcome_date"]) <= r.period.end


def test_interventions_move_from_in_progress_to_a_result(year_inbox):
    versions = defaultdict(list)
    for r in year_inbox.records("oocr"):
        versions[r["disposal_id"]].append(r["intervention_outcome"])
    moves = {tuple(v) for v in versions.values() if len(v) > 1}
    assert moves == {("in_progress", "completed"), ("in_progress", "not_completed")}
    assert any(v == ["in_progress"] for v in versions.values())  # still in progress at the end


def test_women_with_disposals_are_assessed_by_the_fjsb(year_inbox):
    disposals = defaultdict(list)
    for r in year_inbox.records("oocr"):
        if r["sex"] == "F":
            disposals[r["person_id"]].append(_date(r["disposal_date"]))
    via_oocr = [r for r in year_inbox.records("fjsb_needs") if r["referral_route"] == "oocr"]
    assert len(via_oocr) > 40
    for r in via_oocr:
        assert r["person_id"] in disposals
        assert min(disposals[r["person_id"]]) <= _date(r["assessment_date"])
    assessed = defaultdict(set)
    for r in year_inbox.records("fjsb_needs"):
        assessed[r["person_id"]].add(r.period.label)
    assert any(len(q) > 1 for q in assessed.values()), "some women are assessed twice a year"


def test_iom_nominals_offend_before_adoption_and_after_deselection(year_inbox):
    nominals = {}
    for r in year_inbox.records("iom_cohort"):
        desel = _date(r["deselection_date"]) if r["deselection_date"] else None
        nominals[r["person_id"]] = (_date(r["adoption_date"]), desel)
    suspected = defaultdict(set)
    for r in year_inbox.records("police_crimes"):
        if r["suspect_person_id"] in nominals:
            suspected[r["suspect_person_id"]].add(_date(r["recorded_date"]))
    before = sum(any(d < nominals[p][0] for d in ds) for p, ds in suspected.items())
    after = sum(
        any(nominals[p][1] is not None and d > nominals[p][1] for d in ds)
        for p, ds in suspected.items()
    )
    assert before >= 20
    assert after >= 20


def test_trial_defendants_are_crime_suspects(year_inbox):
    suspects = {r["suspect_person_id"] for r in year_inbox.records("police_crimes")}
    defendants = [
        r["defendant_person_id"]
        for r in year_inbox.records("court_trials")
        if r["defendant_person_id"]
    ]
    linked = sum(d in suspects for d in defendants)
    assert linked / len(defendants) > 0.7
