"""Per-source scales (``source_scales`` / ``--source-scale``): one source's volume, the rest as is.

Every source draws from its own random stream (keyed by seed, source and month), so scaling one
source leaves the files of sources that do not read its state byte for byte as they were. The
exceptions are by design: ``fjsb_needs`` refers women who had an ``oocr`` disposal, and
``court_trials`` defendants are ``police_crimes`` charged suspects.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math

import pytest

from cjb.cli import build_parser, main
from cjb.errors import CjbError
from cjb.generate import generate

RUN = dict(seed=5, start="2018-04", months=4, scale=1.0)


def _hashes(root) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*.csv"))
    }


def _source_hashes(root, source: str) -> dict[str, str]:
    return {k: v for k, v in _hashes(root).items() if k.startswith(f"{source}/")}


def _column(root, source: str, name: str) -> list[str]:
    """One column's trimmed values over a source's files (headers trimmed, lower-cased)."""
    values = []
    for f in sorted((root / source).glob("*.csv")):
        reader = csv.reader(io.StringIO(f.read_bytes().decode("utf-8-sig")))
        i = [h.strip().lower() for h in next(reader)].index(name)
        values += [rec[i].strip() for rec in reader if rec and rec != [""]]
    return values


@pytest.fixture(scope="module")
def base_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("base")
    return generate(out, **RUN)


@pytest.mark.parametrize(
    ("source", "factor", "unchanged"),
    [
        ("oocr", 10, ("police_crimes", "court_trials", "iom_cohort", "partner_measures")),
        ("court_trials", 5, ("police_crimes", "oocr", "fjsb_needs", "iom_cohort")),
    ],
)
def test_one_source_scales_and_the_others_keep_their_bytes(
    tmp_path, base_run, source, factor, unchanged
):
    s = generate(tmp_path, **RUN, source_scales={source: factor})
    expected = factor * base_run.rows[source]
    # Rows are Poisson counts plus resends: a few percent of noise at these volumes.
    assert abs(s.rows[source] - expected) < 0.15 * expected, (s.rows[source], expected)
    assert s.files == base_run.files
    for other in unchanged:
        assert _source_hashes(tmp_path, other) == _source_hashes(base_run.out, other), other
        assert s.rows[other] == base_run.rows[other], other
    # fjsb_needs draws as many assessments; only which women the oocr route refers changes.
    assert abs(s.rows["fjsb_needs"] - base_run.rows["fjsb_needs"]) <= 5


def test_no_override_or_an_override_equal_to_scale_writes_the_same_bytes(tmp_path, base_run):
    a = generate(tmp_path / "a", **RUN, source_scales={})
    b = generate(tmp_path / "b", **RUN, source_scales={"oocr": 1.0, "police_crimes": 1})
    assert _hashes(a.out) == _hashes(b.out) == _hashes(base_run.out)
    assert a.source_scales == {}
    assert b.source_scales == {"police_crimes": 1.0, "oocr": 1.0}


def test_sources_scaled_far_above_crimes_still_find_people(tmp_path):
    """Trials and disposals at 200 times the crime scale: the person pool grows with them, so
    disposals are spread over many people and most listings still name a defendant."""
    s = generate(
        tmp_path,
        seed=2,
        start="2018-04",
        months=2,
        scale=0.1,
        source_scales={"court_trials": 20, "oocr": 20},
    )
    assert s.rows["oocr"] > 2_500 and s.rows["court_trials"] > 3_500
    defendants = _column(tmp_path, "court_trials", "defendant_person_id")
    assert sum(1 for d in defendants if d) / len(defendants) > 0.85
    disposals = dict(
        zip(
            _column(tmp_path, "oocr", "disposal_id"),
            _column(tmp_path, "oocr", "person_id"),
            strict=True,
        )
    )
    assert len(set(disposals.values())) / len(disposals) > 0.9  # about 0.7 without growing


def test_summary_names_the_sources_with_their_own_scale(tmp_path):
    s = generate(tmp_path, seed=1, start="2018-04", months=1, scale=0.5, source_scales={"oocr": 3})
    lines = s.render().splitlines()
    assert "scale 0.5" in lines[0]
    assert [line.split()[0] for line in lines if "(scale" in line] == ["oocr"]
    assert any(line.split()[0] == "oocr" and line.endswith("(scale 3)") for line in lines)


@pytest.mark.parametrize(
    ("source_scales", "message"),
    [
        ({"crimes": 2}, "unknown source 'crimes'.*police_crimes, court_trials"),
        ({"oocr": 0}, "--source-scale oocr must be a number above 0"),
        ({"oocr": -3}, "--source-scale oocr"),
        ({"court_trials": math.nan}, "--source-scale court_trials"),
        ({"court_trials": math.inf}, "--source-scale court_trials"),
        ({"fjsb_needs": 10_001}, "at most 10000"),
        ({"oocr": "10"}, "--source-scale oocr"),
        ([("oocr", 10)], "source scales must map"),
    ],
)
def test_bad_source_scales_raise_a_clear_error(tmp_path, source_scales, message):
    with pytest.raises(CjbError, match=message):
        generate(tmp_path, months=1, scale=0.1, source_scales=source_scales)


def test_cli_parses_repeated_source_scales(tmp_path, capsys):
    args = build_parser().parse_args(
        [
            "generate",
            "--out",
            "x",
            "--source-scale",
            "court_trials=550",
            "--source-scale",
            "oocr=1e3",
        ]
    )
    assert args.source_scale == [("court_trials", 550.0), ("oocr", 1000.0)]
    assert build_parser().parse_args(["generate", "--out", "x"]).source_scale == []

    argv = ["generate", "--out", str(tmp_path), "--months", "1", "--scale", "0.2"]
    assert main([*argv, "--source-scale", "oocr=2", "--source-scale", "court_trials=0.5"]) == 0
    out = capsys.readouterr().out
    assert "(scale 2)" in out and "(scale 0.5)" in out
    assert (tmp_path / "oocr" / "oocr_2018-04.csv").is_file()


@pytest.mark.parametrize("value", ["oocr", "oocr=", "=3", "oocr=lots", "oocr:3"])
def test_cli_malformed_source_scale_is_an_argparse_error(value, capsys):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["generate", "--out", "x", "--source-scale", value])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--source-scale" in err and "SOURCE=SCALE" in err


def test_cli_unknown_or_repeated_source_exits_2_with_a_message(tmp_path, capsys):
    argv = ["generate", "--out", str(tmp_path), "--months", "1", "--scale", "0.1"]
    assert main([*argv, "--source-scale", "crimes=2"]) == 2
    assert "unknown source 'crimes'" in capsys.readouterr().err
    assert main([*argv, "--source-scale", "oocr=2", "--source-scale", "oocr=3"]) == 2
    assert "--source-scale oocr is given more than once" in capsys.readouterr().err
    assert main([*argv, "--source-scale", "oocr=-1"]) == 2
    assert "--source-scale oocr must be a number above 0" in capsys.readouterr().err
