"""The formatting variations the contract allows all appear, spread over files."""

from __future__ import annotations

import csv
import io
import re

from cjb.contract import AGENCY_SOURCES, CRIME_FLAGS

ALL_FLAG_SPELLINGS = {"y", "n", "yes", "no", "true", "false", "1", "0", "", "unknown"}


def _all_files(inbox):
    return [f for name in AGENCY_SOURCES for f in inbox.files(name)]


def test_file_level_variations_appear_but_not_everywhere(fault_inbox):
    files = _all_files(fault_inbox)
    raw = {f: f.read_bytes() for f in files}
    checks = {
        "bom": lambda b: b.startswith(b"\xef\xbb\xbf"),
        "crlf": lambda b: b"\r\n" in b,
        "trailing empty line": lambda b: b.endswith(b"\n\n") or b.endswith(b"\r\n\r\n"),
    }
    for what, check in checks.items():
        hits = [f.name for f, b in raw.items() if check(b)]
        assert hits, f"no file with {what}"
        assert len(hits) < len(files), f"every file has {what}"


def test_headers_vary_in_case_spaces_order_and_extra_columns(fault_inbox):
    mixed_case = spaced = reordered = extra = 0
    for name, source in AGENCY_SOURCES.items():
        for f in fault_inbox.files(name):
            header = fault_inbox.header(f)
            mixed_case += any(h.strip() != h.strip().lower() for h in header)
            spaced += any(h != h.strip() for h in header)
            names = [h.strip().lower() for h in header]
            contract_order = [h for h in names if h in source.column_names]
            reordered += contract_order != list(source.column_names)
            extra += len(set(names) - set(source.column_names))
    assert mixed_case and spaced and reordered and extra


def test_dates_vary_in_format_and_sometimes_carry_a_time(fault_inbox):
    values = [
        r[c]
        for name, source in AGENCY_SOURCES.items()
        for r in fault_inbox.records(name)
        for c in source.column_names
        if source.column(c).type == "date" and r[c]
    ]
    patterns = {
        "d/m/yyyy": r"\d/\d{1,2}/\d{4}|\d{1,2}/\d/\d{4}",
        "dd/mm/yyyy": r"\d{2}/\d{2}/\d{4}",
        "HH:MM": r"\S+ \d{2}:\d{2}",
        "HH:MM:SS": r"\S+ \d{2}:\d{2}:\d{2}",
    }
    for what, pattern in patterns.items():
        assert any(re.fullmatch(pattern, v) for v in values), what


def test_every_flag_spelling_appears(fault_inbox):
    seen: set[str] = set()
    raw: set[str] = set()
    for r in fault_inbox.records("police_crimes") + fault_inbox.records("oocr"):
        for flag in (*CRIME_FLAGS, "previous_convictions", "intervention_referred"):
            if flag in r.values:
                seen.add(r[flag].lower())
    for name, source in AGENCY_SOURCES.items():
        flags = [c.name for c in source.columns if c.type == "flag"]
        for f in fault_inbox.files(name):
            reader = csv.reader(io.StringIO(f.read_bytes().decode("utf-8-sig")))
            header = [h.strip().lower() for h in next(reader)]
            cols = [header.index(c) for c in flags]
            raw |= {rec[i] for rec in reader if rec and rec != [""] for i in cols}
    assert seen >= ALL_FLAG_SPELLINGS
    assert {"Y", "yes", "TRUE", "False"} & raw
    assert any(v != v.strip() for v in raw), "flags with surrounding spaces"
    assert any(v not in (v.lower(), v.upper()) for v in raw), "mixed-case flags"


def test_quoted_commas_and_line_breaks(fault_inbox):
    descriptions = [r["offence_description"] for r in fault_inbox.records("police_crimes")]
    assert any("," in d for d in descriptions)
    assert any("\n" in d for d in descriptions)
    providers = {r["intervention_provider"] for r in fault_inbox.records("oocr")}
    assert any("," in p for p in providers)
    assert {"Intervention Hub", "Nelson Trust"} <= providers


def test_offence_code_spellings_vary_but_name_known_codes(fault_inbox):
    codes = [r["ho_offence_code"] for r in fault_inbox.records("police_crimes")]
    assert any(c.startswith("0") for c in codes)
    assert any(c != c.upper() for c in codes)
