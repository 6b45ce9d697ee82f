"""Person keys never land in clear: HMAC-SHA256 under $CJB_PERSON_KEY_SECRET."""

from __future__ import annotations

import hashlib
import hmac
import logging

from landing_helpers import query, valid_row, write_file

from cjb.landing import land_inbox
from cjb.landing.pseudonymise import DEVELOPMENT_SECRET
from cjb.paths import validation_dir

SOURCES = ("police_crimes", "court_trials", "oocr", "fjsb_needs", "iom_cohort")


def _inbox_with_keys(inbox):
    for source in SOURCES:
        rows = [valid_row(source, i) for i in range(1, 4)]
        bad = valid_row(source, 42)  # a quarantined row carries a key too
        bad[next(iter(bad))] = ""  # blank first column: breaks <first>_required
        write_file(inbox, source, [*rows, bad])


def _hmac(secret: str, key: str) -> str:
    return hmac.new(secret.encode(), key.encode(), hashlib.sha256).hexdigest()


def test_no_person_key_in_clear_anywhere(inbox, warehouse):
    _inbox_with_keys(inbox)

    summary = land_inbox(inbox, warehouse)

    assert all(f.rows_quarantined == 1 for f in summary.files)
    text_columns = query(
        warehouse,
        "SELECT table_schema, table_name, column_name FROM information_schema.columns "
        "WHERE data_type IN ('VARCHAR', 'JSON') AND table_schema IN ('raw', 'audit')",
    )
    assert len(text_columns) > 40
    for schema, table, column in text_columns:
        hits = query(
            warehouse,
            f'SELECT count(*) FROM {schema}.{table} WHERE CAST("{column}" AS VARCHAR) '
            "SIMILAR TO '.*P000[0-9][0-9].*'",
        )
        assert hits == [(0,)], f"clear person key in {schema}.{table}.{column}"
    for report in validation_dir(warehouse).rglob("*.*"):
        assert "P0004" not in report.read_text() and "P0000" not in report.read_text()


def test_same_key_same_hash_across_sources(inbox, warehouse):
    _inbox_with_keys(inbox)
    land_inbox(inbox, warehouse)

    expected = _hmac(DEVELOPMENT_SECRET, "P00001")
    assert query(
        warehouse, "SELECT suspect_person_id FROM raw.police_crimes WHERE _row_number = 1"
    ) == [(expected,)]
    for table, column in [
        ("court_trials", "defendant_person_id"),
        ("oocr", "person_id"),
        ("fjsb_needs", "person_id"),
        ("iom_cohort", "person_id"),
    ]:
        assert query(warehouse, f"SELECT {column} FROM raw.{table} WHERE _row_number = 1") == [
            (expected,)
        ]
    # quarantined rows: the raw record's key is hashed the same way
    assert query(
        warehouse,
        "SELECT DISTINCT raw_record->>'person_id' FROM audit.quarantine WHERE source = 'oocr'",
    ) == [(_hmac(DEVELOPMENT_SECRET, "P00042"),)]


def test_different_secret_different_hash(inbox, tmp_path, monkeypatch, caplog):
    write_file(inbox, "oocr", [valid_row("oocr", 1)])
    monkeypatch.setenv("CJB_PERSON_KEY_SECRET", "a-production-secret")

    with caplog.at_level(logging.WARNING, logger="cjb.landing"):
        summary = land_inbox(inbox, tmp_path / "a" / "cjb.duckdb")

    assert not summary.development_secret
    assert "development secret" not in caplog.text
    assert query(tmp_path / "a" / "cjb.duckdb", "SELECT person_id FROM raw.oocr") == [
        (_hmac("a-production-secret", "P00001"),)
    ]
    assert _hmac("a-production-secret", "P00001") != _hmac(DEVELOPMENT_SECRET, "P00001")


def test_unset_secret_uses_the_development_secret_with_a_warning(
    inbox, warehouse, monkeypatch, caplog
):
    write_file(inbox, "oocr", [valid_row("oocr", 1)])
    write_file(inbox, "iom_cohort", [valid_row("iom_cohort", 1)])
    monkeypatch.delenv("CJB_PERSON_KEY_SECRET", raising=False)

    with caplog.at_level(logging.WARNING, logger="cjb.landing"):
        summary = land_inbox(inbox, warehouse)

    warnings = [r for r in caplog.records if "development secret" in r.getMessage()]
    assert len(warnings) == 1  # once per run, not per file
    assert "CJB_PERSON_KEY_SECRET" in warnings[0].getMessage()
    assert summary.development_secret
    assert "development secret" in summary.render()
    assert query(warehouse, "SELECT person_id FROM raw.oocr") == [
        (_hmac(DEVELOPMENT_SECRET, "P00001"),)
    ]
