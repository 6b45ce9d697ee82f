"""Determinism, file names, headers, arguments and the command line."""

from __future__ import annotations

import hashlib

import pytest

from cjb.cli import main
from cjb.contract import AGENCY_SOURCES, file_name, month_period, quarter_period
from cjb.errors import CjbError
from cjb.generate import generate


def _hashes(root) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_one_seed_writes_identical_bytes_and_another_seed_differs(tmp_path):
    args = dict(start="2018-12", months=4, scale=0.2, faults=True)
    a = _hashes(generate(tmp_path / "a", seed=3, **args).out)
    b = _hashes(generate(tmp_path / "b", seed=3, **args).out)
    c = _hashes(generate(tmp_path / "c", seed=4, **args).out)
    assert a == b
    assert len(a) == 4 * 5 + 1 + 1  # monthly files, one quarter (2018-19 Q4), faults.csv
    assert a.keys() == c.keys()
    assert all(a[k] != c[k] for k in a if k != "faults.csv")


def test_file_names_follow_the_contract_for_every_source_and_period(year_inbox):
    months = [month_period(2018 + (m < 4), m) for m in (*range(4, 13), 1, 2, 3)]
    quarters = [quarter_period(2018, q) for q in (1, 2, 3, 4)]
    for name, source in AGENCY_SOURCES.items():
        expected = [
            file_name(source, p) for p in (months if source.period_kind == "month" else quarters)
        ]
        assert sorted(f.name for f in year_inbox.files(name)) == sorted(expected), name
    assert not (year_inbox.path / "faults.csv").exists()


def test_quarterly_files_only_for_quarters_inside_the_run(tmp_path):
    s = generate(tmp_path, start="2018-05", months=5, scale=0.1)
    assert sorted(p.name for p in (tmp_path / "fjsb_needs").iterdir()) == [
        "fjsb_needs_2018-19_Q2.csv"
    ]
    assert s.files["fjsb_needs"] == 1
    assert s.files["police_crimes"] == 5


def test_headers_hold_every_contract_column(year_inbox, fault_inbox):
    for inbox in (year_inbox, fault_inbox):
        for name, source in AGENCY_SOURCES.items():
            for f in inbox.files(name):
                header = [h.strip().lower() for h in inbox.header(f)]
                assert len(header) == len(set(header)), f
                assert set(source.column_names) <= set(header), f
                assert len(set(header) - set(source.column_names)) <= 1, f


def test_summary_counts_files_and_rows(year_inbox):
    s = year_inbox.summary
    for name in AGENCY_SOURCES:
        assert s.files[name] == len(year_inbox.files(name))
        assert s.rows[name] == len(year_inbox.records(name))
    text = s.render()
    assert "police_crimes" in text and str(year_inbox.path) in text
    assert f"{s.rows['police_crimes']:,}" in text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": "2018-13"}, "--start"),
        ({"start": "April 2018"}, "--start"),
        ({"months": 0}, "--months"),
        ({"scale": 0}, "--scale"),
        ({"scale": float("nan")}, "--scale"),
    ],
)
def test_bad_arguments_raise_a_clear_error(tmp_path, kwargs, message):
    with pytest.raises(CjbError, match=message):
        generate(tmp_path, **kwargs)


def test_cli_generate_writes_an_inbox_and_prints_a_summary(tmp_path, capsys):
    assert main(["generate", "--out", str(tmp_path), "--months", "1", "--scale", "0.2"]) == 0
    out = capsys.readouterr().out
    assert "police_crimes" in out and str(tmp_path) in out
    assert (tmp_path / "police_crimes" / "crimes_2018-04.csv").is_file()
    assert (tmp_path / "partner_measures" / "partner_measures_2018-04.csv").is_file()


def test_cli_bad_argument_exits_2_with_a_message(tmp_path, capsys):
    assert main(["generate", "--out", str(tmp_path), "--start", "2018-13"]) == 2
    err = capsys.readouterr().err
    assert "cjb generate: error:" in err and "2018-13" in err
    assert main(["generate", "--out", str(tmp_path), "--months", "0"]) == 2
    assert "--months" in capsys.readouterr().err
