"""The report of the hand-made warehouse: quarter, figures, disclosure control, definitions,
and that the page carries everything it needs."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from cjb.errors import CjbError
from cjb.report import build_report, write_report
from cjb.report.definitions import load_definitions


class _Cells(HTMLParser):
    """Texts of the dashboard's cells, per measure (``tr[data-measure]``)."""

    def __init__(self):
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self._measure: str | None = None
        self._cell: list[str] | None = None
        self._in_svg = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and "data-measure" in a:
            self._measure = a["data-measure"]
            self.rows[self._measure] = []
        elif tag == "td" and self._measure:
            self._cell = []
        elif tag == "svg":
            self._in_svg += 1

    def handle_endtag(self, tag):
        if tag == "svg":
            self._in_svg -= 1
        elif tag == "td" and self._measure and self._cell is not None:
            self.rows[self._measure].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr":
            self._measure = None

    def handle_data(self, data):
        if self._cell is not None and not self._in_svg:
            self._cell.append(data)


def dashboard(html: str) -> dict[str, list[str]]:
    """measure code -> [measure, value, previous, last year, rolling, change, target, status,
    trend, context]."""
    p = _Cells()
    p.feed(html)
    return p.rows


@pytest.fixture(scope="module")
def report(fake_warehouse) -> str:
    html, q = build_report(fake_warehouse)
    assert q.label == "2018-19 Q3"
    return html


def test_default_quarter_is_the_latest_complete_one(report):
    # Q4 has scorecard rows, but the monthly data stop in January 2019.
    assert "<title>WCJB performance scorecard 2018-19 Q3</title>" in report
    assert "Quarter 3 2018-19 (1 October to 31 December 2018)" in report
    assert "latest complete quarter" in report


def test_every_measure_of_the_quarter_is_shown_with_its_figure(report, fake_warehouse):
    cells = dashboard(report)
    with duckdb.connect(str(fake_warehouse), read_only=True) as con:
        codes = {
            r[0]
            for r in con.execute(
                "select measure_code from marts.wcjb_scorecard where period_label = '2018-19 Q3'"
            ).fetchall()
        }
    assert set(cells) == codes
    assert cells["crime_volume"][1] == "10,792"
    assert cells["trials_listed"][1] == "245"
    assert cells["pct_cracked_ineffective_prosecution"][1] == "24.5%"
    assert cells["positive_outcome_ratio"][1] == "14.9%"
    assert cells["priority_response_time"][1].endswith(" s")


def test_small_counts_are_suppressed_and_rates_on_them_withheld(report):
    cells = dashboard(report)
    assert cells["cse_crime_volume"][1] == "<5"  # 3
    assert cells["oocr_intervention_completion_rate"][1] == "[c]"  # 3 of 4
    assert cells["iom_cohort_size"][1] == "5"  # at the threshold
    assert cells["deaths_following_contact"][1] == "0"  # zero is shown
    # The rolling 12 months and the change rest on the small quarter: withheld too.
    assert cells["cse_crime_volume"][4] == "[c]"
    assert cells["cse_crime_volume"][5] == "[c]"
    # The rule is explained.
    assert "counts from 1 to 4 are shown as “&lt;5”" in report
    # Out-of-court section: 3 disposals and their completion rate.
    assert re.search(r"Conditional caution</td>\s*<td[^>]*>Unknown</td>\s*<td[^>]*>&lt;5<", report)
    # Section tables hide the small FJSB need and its prevalence.
    assert re.search(r"Sex work</td>(\s*<td[^>]*>[^<]*</td>){4}\s*<td[^>]*>\[c\]<", report)


def test_suppression_can_be_turned_off(fake_warehouse):
    html, _ = build_report(fake_warehouse, suppress_below=0)
    cells = dashboard(html)
    assert cells["cse_crime_volume"][1] == "3"
    assert cells["oocr_intervention_completion_rate"][1] == "75.0%"
    assert "switched off" in html
    with pytest.raises(CjbError, match="suppress-below"):
        build_report(fake_warehouse, suppress_below=-1)


def test_the_page_is_self_contained(report):
    assert "<script" not in report.lower()
    assert "@import" not in report and "url(http" not in report
    # No attribute that would fetch anything: only in-page links and XML namespaces.
    for attr, value in re.findall(r'\b(src|href|xlink:href|action|poster)="([^"]*)"', report):
        assert value.startswith("#"), (attr, value)
    assert report.count("<svg") >= 2 * 14  # a sparkline and a chart per measure, and more
    assert "<style>" in report


def test_sections_state_their_definitions(report):
    for title in (
        "Cracked and ineffective trials",
        "Out-of-court resolutions",
        "Female Justice Support Board: gap analysis",
        "Integrated Offender Management: outcomes",
    ):
        assert f">{title}</h2>" in report
    # From the warehouse's own comments.
    assert "Trials by month and court: listed = effective + cracked + ineffective" in report
    assert "Definitions used" in report
    # RAG is given in words, not colour alone, and explained.
    assert "✕</span> Red" in report and "Status against target (RAG)" in report


def test_definitions_fall_back_to_the_dbt_yaml(tmp_path, fake_warehouse):
    models = tmp_path / "models" / "marts" / "public"
    models.mkdir(parents=True)
    (models / "_public.yml").write_text(
        "version: 2\nmodels:\n  - name: oocr_summary\n    description: '{{ doc(\"oocr\") }}'\n"
        "    columns:\n      - name: disposals\n        description: Disposals given.\n"
        "  - name: trial_effectiveness\n    description: from yaml\n"
    )
    (models / "docs.md").write_text(
        "{% docs oocr %}\nOne row per year, sex and type.\n{% enddocs %}"
    )
    with duckdb.connect(str(fake_warehouse), read_only=True) as con:
        docs = load_definitions(con, models_dir=models, root=tmp_path)
    assert docs["oocr_summary"].description == "One row per year, sex and type."
    assert docs["oocr_summary"].column("disposals") == "Disposals given."
    # The warehouse's comment wins over the YAML.
    assert docs["trial_effectiveness"].description.startswith("Trials by month and court")


def test_write_report_writes_one_file(fake_warehouse, tmp_path):
    out = write_report(fake_warehouse, tmp_path / "r" / "report.html", quarter="2018-19Q2")
    assert out == tmp_path / "r" / "report.html"
    text = out.read_text(encoding="utf-8")
    assert "Quarter 2 2018-19" in text
    assert [p.name for p in out.parent.iterdir()] == ["report.html"]


def test_the_warehouse_is_opened_read_only(fake_warehouse, tmp_path):
    before = fake_warehouse.stat().st_mtime_ns
    write_report(fake_warehouse, tmp_path / "x.html")
    assert fake_warehouse.stat().st_mtime_ns == before
    with pytest.raises(CjbError, match="no warehouse file"):
        write_report(tmp_path / "missing.duckdb", tmp_path / "y.html")
    assert not (tmp_path / "missing.duckdb").exists()


def test_a_warehouse_without_a_scorecard_is_a_clear_error(tmp_path):
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    with pytest.raises(CjbError, match="no marts.wcjb_scorecard"):
        build_report(Path(path))
