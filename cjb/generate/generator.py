"""``generate``: write a synthetic inbox of agency extracts, month by month.

Each month's files are drawn and written before the next month is started, so memory holds one
month's rows plus the compact state carried between months (crimes awaiting an outcome,
interventions in progress, the IOM history). Every random draw comes from a stream keyed by the
seed, the source and the month, so a seed always writes the same bytes.

``scale`` multiplies every source's volume; ``source_scales`` replaces it for named sources (the
national benchmark wants more trials and out-of-court disposals per crime than Wiltshire has).
Each source keeps its own random stream, so an override changes that source's files and the
files of sources that draw on its state (``fjsb_needs`` refers women who had an ``oocr``
disposal, ``court_trials`` defendants are ``police_crimes`` charged suspects, ``police_crimes``
suspects include ``iom_cohort`` nominals) and leaves the others byte for byte as they were,
unless it grows the shared person pool (see ``PEOPLE_HEADROOM``), which renumbers every person.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cjb.contract import (
    AGENCY_SOURCES,
    Period,
    Source,
    file_name,
    month_period,
    quarter_period,
)
from cjb.errors import CjbError
from cjb.generate import faults as fault_rows
from cjb.generate.crimes import CrimeGenerator
from cjb.generate.dates import add_months, day
from cjb.generate.fjsb import FjsbGenerator
from cjb.generate.formatting import (
    CHUNK_ROWS,
    FEATURES,
    FileStyle,
    Formatter,
    Table,
    choose_style,
    table_len,
    take,
    write_file,
)
from cjb.generate.iom import IomGenerator
from cjb.generate.oocr import OocrGenerator
from cjb.generate.partner import PartnerGenerator
from cjb.generate.people import PersonPool
from cjb.generate.trials import TrialGenerator

SOURCE_ORDER = tuple(AGENCY_SOURCES)  # police_crimes, court_trials, oocr, fjsb_needs, ...
MAX_MONTHS = 1200
MAX_SCALE = 10_000.0
FAULTS_FILE = "faults.csv"
CHARGED_BUFFER = 5_000  # recent charged suspects kept for trial defendants, at scale 1
# The person pool follows the police_crimes scale, by far its biggest user (about 2,000 suspects
# a month at scale 1, against about 70 disposals, 20 assessments and a dozen defendants not
# already charged). Trials, disposals or assessments scaled up to this many times the crime
# scale share that pool; beyond it the pool grows with them.
PEOPLE_HEADROOM = 10.0

# Stream ids for numpy SeedSequence keys.
_STYLE, _FAULT_PLAN, _PLACEMENT, _PEOPLE = 100, 101, 102, 103


@dataclass
class GenerateSummary:
    out: Path
    seed: int
    start: str
    months: int
    scale: float
    files: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    faults: int = 0
    faults_file: Path | None = None
    source_scales: dict[str, float] = field(default_factory=dict)  # overrides of ``scale``

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def total_files(self) -> int:
        return sum(self.files.values())

    def render(self) -> str:
        lines = [
            f"Generated {self.total_files} files, {self.total_rows:,} rows "
            f"({self.months} months from {self.start}, seed {self.seed}, scale {self.scale:g})",
        ]
        for name in SOURCE_ORDER:
            line = f"  {name:<18} {self.files.get(name, 0):>4} files {self.rows.get(name, 0):>12,} rows"
            if name in self.source_scales:
                line += f"  (scale {self.source_scales[name]:g})"
            lines.append(line)
        if self.faults_file is not None:
            lines.append(
                f"  faults: {self.faults} labelled invalid rows, listed in {self.faults_file}"
            )
        else:
            lines.append("  faults: none")
        lines.append(f"  output: {self.out}")
        return "\n".join(lines)


def _parse_start(start: str) -> tuple[int, int]:
    m = re.fullmatch(r"(\d{4})-(\d{2})", start.strip())
    if not m or not 1 <= int(m[2]) <= 12 or not 1900 <= int(m[1]) <= 2090:
        raise CjbError(
            f"--start must be a month YYYY-MM (month 01-12, year 1900-2090), got {start!r}"
        )
    return int(m[1]), int(m[2])


def _check(months: int, scale: float) -> None:
    if not isinstance(months, int) or not 1 <= months <= MAX_MONTHS:
        raise CjbError(f"--months must be a whole number from 1 to {MAX_MONTHS}, got {months!r}")
    _check_scale(scale, "--scale")


def _check_scale(scale: float, what: str) -> None:
    if not (isinstance(scale, int | float) and math.isfinite(scale) and 0 < scale <= MAX_SCALE):
        raise CjbError(f"{what} must be a number above 0 and at most {MAX_SCALE:g}, got {scale!r}")


def _check_source_scales(source_scales: Mapping[str, float] | None) -> dict[str, float]:
    """The valid overrides, in source order; a ``CjbError`` names the first bad entry."""
    if source_scales is None:
        return {}
    if not isinstance(source_scales, Mapping):
        raise CjbError(
            f"source scales must map a source name to a scale, got {type(source_scales).__name__}"
        )
    for name, value in source_scales.items():
        if name not in SOURCE_ORDER:
            raise CjbError(
                f"--source-scale {name}={value!r}: unknown source {name!r}; "
                f"the sources are {', '.join(SOURCE_ORDER)}"
            )
        _check_scale(value, f"--source-scale {name}")
    return {name: source_scales[name] for name in SOURCE_ORDER if name in source_scales}


class _Streams:
    def __init__(self, seed: int) -> None:
        self.entropy = seed % 2**64

    def rng(self, *keys: int) -> np.random.Generator:
        return np.random.default_rng(np.random.SeedSequence([self.entropy, *keys]))


@dataclass(frozen=True)
class _File:
    source: Source
    period: Period
    month_index: int

    @property
    def name(self) -> str:
        return file_name(self.source, self.period)

    @property
    def key(self) -> tuple[str, str]:
        return (self.source.name, self.name)


def _plan_files(periods: list[Period]) -> list[_File]:
    files: list[_File] = []
    for k, p in enumerate(periods):
        for name in SOURCE_ORDER:
            src = AGENCY_SOURCES[name]
            if src.period_kind == "month":
                files.append(_File(src, p, k))
            elif p.start.month in (3, 6, 9, 12) and k >= 2:
                fy = p.start.year - (p.start.month <= 3)
                q = {6: 1, 9: 2, 12: 3, 3: 4}[p.start.month]
                files.append(_File(src, quarter_period(fy, q), k))
    return files


def _styles(files: list[_File], streams: _Streams) -> dict[tuple[str, str], FileStyle]:
    """Random styles, with every variation forced into at least one of the first month's files."""
    rng = streams.rng(_STYLE)
    first = [f for f in files if f.month_index == 0]
    with_flags = [f for f in first if any(c.type == "flag" for c in f.source.columns)] or first
    forced: dict[tuple[str, str], list[str]] = {f.key: [] for f in files}
    for feature in FEATURES:
        pool = with_flags if feature == "flag_mixed" else first
        forced[pool[int(rng.integers(len(pool)))].key].append(feature)
    return {
        f.key: choose_style(streams.rng(_STYLE, i + 1), forced[f.key]) for i, f in enumerate(files)
    }


def generate(
    out: Path,
    *,
    seed: int = 1,
    start: str = "2018-04",
    months: int = 12,
    scale: float = 1.0,
    faults: bool = False,
    source_scales: Mapping[str, float] | None = None,
) -> GenerateSummary:
    """Write ``<out>/<source>/<file>`` for the six agency sources; see the package docstring.

    ``source_scales`` maps source names (``police_crimes``, ``court_trials``, ``oocr``,
    ``fjsb_needs``, ``iom_cohort``, ``partner_measures``) to a scale that replaces ``scale`` for
    that source's volume only.
    """
    year, month = _parse_start(start)
    _check(months, scale)
    overrides = _check_source_scales(source_scales)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise CjbError(f"--out {out} exists and is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CjbError(f"cannot create --out folder {out}: {exc}") from exc
    fault_rows.check_coverage()

    periods = [month_period(*add_months(year, month, k)) for k in range(months)]
    files = _plan_files(periods)
    streams = _Streams(seed)
    styles = _styles(files, streams)
    plan = (
        fault_rows.plan([f.key for f in files], streams.rng(_FAULT_PLAN))
        if faults
        else {f.key: [] for f in files}
    )
    summary = GenerateSummary(out, seed, f"{year:04d}-{month:02d}", months, float(scale))
    summary.source_scales = {name: float(v) for name, v in overrides.items()}
    manifest: list[tuple[str, str, int, str]] = []

    horizon = day(periods[-1].end)
    eff = {name: overrides.get(name, scale) for name in SOURCE_ORDER}
    pool_scale = max(
        eff["police_crimes"],
        max(eff["court_trials"], eff["oocr"], eff["fjsb_needs"]) / PEOPLE_HEADROOM,
    )
    people = PersonPool.for_scale(pool_scale, months, iom_scale=eff["iom_cohort"])
    crimes = CrimeGenerator(people, eff["police_crimes"], horizon)
    trials = TrialGenerator(people, eff["court_trials"])
    oocr = OocrGenerator(people, eff["oocr"], horizon)
    fjsb = FjsbGenerator(people, eff["fjsb_needs"])
    iom = IomGenerator(people, eff["iom_cohort"], periods, streams.rng(_PEOPLE))
    partner = PartnerGenerator(eff["partner_measures"])
    # Room for the charged suspects of the trials' scale too (the buffer only fills as far as
    # police_crimes charges people; defendants are drawn from it with replacement).
    charged_cap = max(500, round(CHARGED_BUFFER * max(eff["police_crimes"], eff["court_trials"])))

    by_month: dict[int, list[_File]] = {}
    for f in files:
        by_month.setdefault(f.month_index, []).append(f)

    for k, period in enumerate(periods):
        for f in by_month.get(k, []):
            src = f.source
            rules = plan[f.key]
            n_t = fault_rows.templates_needed(rules)
            rng = streams.rng(SOURCE_ORDER.index(src.name), k)
            if src.name == "police_crimes":
                table, _, charged = crimes.month(period, rng, iom.suspects(k), n_t)
                trials.add_charged(charged, charged_cap)
            elif src.name == "court_trials":
                table = trials.month(period, rng, n_t)
            elif src.name == "oocr":
                table = oocr.month(period, rng, n_t)
            elif src.name == "fjsb_needs":
                table = fjsb.quarter(f.period, rng, oocr.women, oocr.women_age, oocr.women_day, n_t)
            elif src.name == "iom_cohort":
                table = iom.month(period, rng, n_t)
            else:
                table = partner.month(
                    period, rng, _quarters_delivered(periods, k), _previous(period), n_t
                )
            rows, listed = _write(out, f, table, styles[f.key], rules, n_t, streams)
            summary.files[src.name] = summary.files.get(src.name, 0) + 1
            summary.rows[src.name] = summary.rows.get(src.name, 0) + rows
            manifest += [(src.name, f.name, r, rule) for r, rule in listed]

    faults_path = out / FAULTS_FILE
    if faults:
        manifest.sort(key=lambda m: (SOURCE_ORDER.index(m[0]), m[1], m[2]))
        with faults_path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(fault_rows.MANIFEST_COLUMNS)
            w.writerows(manifest)
        summary.faults = len(manifest)
        summary.faults_file = faults_path
    elif faults_path.is_file():
        faults_path.unlink()  # a manifest from an earlier run no longer describes the files
    return summary


def _previous(period: Period) -> Period:
    y, m = add_months(period.start.year, period.start.month, -1)
    return month_period(y, m)


def _quarters_delivered(periods: list[Period], k: int) -> list[Period]:
    """Quarters whose partner figures arrive in month k: the quarter that ended the month
    before, and a quarter ending with the run's last month (delivered in that month)."""
    out = []
    p = periods[k]
    prev = _previous(p)
    if prev.start.month in (3, 6, 9, 12):
        out.append(_quarter_ending(prev))
    if k == len(periods) - 1 and p.start.month in (3, 6, 9, 12) and k >= 2:
        out.append(_quarter_ending(p))
    return out


def _quarter_ending(p: Period) -> Period:
    fy = p.start.year - (p.start.month <= 3)
    return quarter_period(fy, {6: 1, 9: 2, 12: 3, 3: 4}[p.start.month])


def _write(
    out: Path,
    f: _File,
    table: Table,
    style: FileStyle,
    rules: list[str],
    n_templates: int,
    streams: _Streams,
) -> tuple[int, list[tuple[int, str]]]:
    """Place the fault templates (the table's last rows) among the first rows, break them,
    write the file; returns rows written and the manifest entries."""
    path = out / f.source.name / f.name
    n = table_len(table)
    if not n_templates:
        return write_file(path, f.source, table, style), []
    good = n - n_templates
    rng = streams.rng(_PLACEMENT, SOURCE_ORDER.index(f.source.name), f.month_index)
    window = min(n, CHUNK_ROWS)
    positions = np.sort(rng.choice(window, size=n_templates, replace=False))
    # Template j goes to positions[j]; good rows keep their order around them.
    order = np.empty(n, dtype=np.int64)
    is_template = np.zeros(n, dtype=bool)
    is_template[positions] = True
    order[positions] = good + np.arange(n_templates)
    order[~is_template] = np.arange(good)
    table = take(table, order)
    muts, listed = fault_rows.mutations(f.source, f.period, Formatter(style), rules, positions)
    return write_file(path, f.source, table, style, muts), listed
