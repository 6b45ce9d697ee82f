"""``cjb report`` on the command line."""

from __future__ import annotations

from cjb.cli import main


def test_report_writes_the_file_and_prints_its_path(fake_warehouse, tmp_path, capsys):
    out = tmp_path / "scorecard.html"
    rc = main(["report", "--warehouse", str(fake_warehouse), "--out", str(out)])
    assert rc == 0
    assert out.is_file()
    assert str(out) in capsys.readouterr().out
    assert "2018-19 Q3" in out.read_text(encoding="utf-8")


def test_quarter_with_a_space_and_suppression_option(fake_warehouse, tmp_path):
    out = tmp_path / "q2.html"
    rc = main(
        [
            "report",
            "--warehouse",
            str(fake_warehouse),
            "--quarter",
            "2018-19 Q2",
            "--suppress-below",
            "0",
            "--out",
            str(out),
        ]
    )
    assert rc == 0
    text = out.read_text(encoding="utf-8")
    assert "Quarter 2 2018-19" in text and "switched off" in text


def test_default_output_goes_beside_the_warehouse(fake_warehouse, tmp_path, monkeypatch):
    import shutil

    warehouse = tmp_path / "wh" / "cjb.duckdb"
    warehouse.parent.mkdir()
    shutil.copy(fake_warehouse, warehouse)
    monkeypatch.setenv("CJB_WAREHOUSE", str(warehouse))
    assert main(["report"]) == 0
    assert (tmp_path / "wh" / "reports" / "wcjb-scorecard-2018-19-Q3.html").is_file()


def test_an_unknown_quarter_exits_2_listing_the_available_ones(fake_warehouse, tmp_path, capsys):
    rc = main(["report", "--warehouse", str(fake_warehouse), "--quarter", "2015-16Q1"])
    assert rc == 2
    err = capsys.readouterr().err
    assert err.startswith("cjb report: error: quarter 2015-16 Q1 is not in marts.wcjb_scorecard")
    assert "available quarters: 2016-17 Q1" in err and "2018-19 Q4" in err
    assert "Traceback" not in err


def test_a_malformed_quarter_exits_2(fake_warehouse, capsys):
    rc = main(["report", "--warehouse", str(fake_warehouse), "--quarter", "Q3"])
    assert rc == 2
    assert "write it like 2018-19Q3" in capsys.readouterr().err


def test_a_missing_warehouse_exits_2(tmp_path, capsys):
    rc = main(["report", "--warehouse", str(tmp_path / "nope.duckdb")])
    assert rc == 2
    assert "nope.duckdb: no warehouse file there" in capsys.readouterr().err
