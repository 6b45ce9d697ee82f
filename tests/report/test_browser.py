"""The report as a reader sees it: opened offline in headless Chromium.

No console error, no failed request, no request at all besides the page itself, and every
scorecard measure of the quarter on the dashboard with the figure ``marts.wcjb_scorecard``
holds (or its disclosure-control stand-in). Screenshots are kept in the test's folder (and
copied to ``$CJB_REPORT_SCREENSHOTS`` when set).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from chromium_cdp import find_chromium, open_page

from cjb.report import write_report
from cjb.report.sdc import is_small

SCRIPT = """(() => ({
  title: document.title,
  measures: Object.fromEntries([...document.querySelectorAll('tr[data-measure]')].map(
    tr => [tr.dataset.measure, tr.querySelector('td.value').textContent.trim()])),
  pages: document.querySelectorAll('[data-measure-page]').length,
  svgs: document.querySelectorAll('svg').length,
  images: document.images.length,
}))()"""


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if not found:
        pytest.fail("Chromium is not installed: run bin/system-deps (apt-get install chromium)")
    return found


def _number(text: str, unit: str) -> float:
    """The figure a dashboard cell shows, as a number in the measure's unit."""
    m = re.fullmatch(r"(?:(\d+) min )?(\d+) s", text)
    if unit == "seconds" and m:
        return int(m.group(1) or 0) * 60 + int(m.group(2))
    found = re.match(r"[−+-]?[\d,]+(?:\.\d+)?", text)
    assert found, f"no figure in {text!r}"
    return float(found.group(0).replace(",", "").replace("−", "-"))


def test_report_opens_offline_without_errors_and_shows_every_measure(
    any_warehouse, chromium, tmp_path
):
    page = write_report(any_warehouse, tmp_path / "report.html")
    run = open_page(chromium, page, tmp_path, SCRIPT)
    keep = os.environ.get("CJB_REPORT_SCREENSHOTS")  # a folder to keep the pictures in
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for shot in (run.screenshot, run.full_screenshot):
            shutil.copy(shot, Path(keep) / f"{any_warehouse.parent.name}-{shot.name}")
    print(f"screenshots: {run.screenshot} {run.full_screenshot}")

    assert run.console_errors == []
    assert run.failed_requests == []
    assert run.requests == [page.resolve().as_uri()], "the page fetched something"
    assert run.screenshot.stat().st_size > 10_000

    facts = run.facts
    quarter = facts["title"].removeprefix("WCJB performance scorecard ")
    assert facts["images"] == 0 and facts["svgs"] > 2 * len(facts["measures"])
    with duckdb.connect(str(any_warehouse), read_only=True) as con:
        rows = con.execute(
            "select measure_code, value, unit, numerator, denominator "
            "from marts.wcjb_scorecard where period_label = ?",
            [quarter],
        ).fetchall()
    assert rows, f"no scorecard rows for {quarter}"
    assert set(facts["measures"]) == {r[0] for r in rows}
    assert facts["pages"] == len(rows)
    for code, value, unit, numerator, denominator in rows:
        shown = facts["measures"][code]
        if shown == "<5":
            assert unit == "count" and is_small(value, 5), code
        elif shown == "[c]":
            assert is_small(numerator, 5) or is_small(denominator, 5), code
        elif shown == "–":
            assert value is None, code
        else:
            assert value is not None, code
            assert _number(shown, unit) == pytest.approx(float(value), abs=0.051), (code, shown)
