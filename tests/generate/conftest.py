"""Generated inboxes shared by the generator tests, and a small reader for them.

The reader follows the contract, not the generator: byte-order mark dropped, header names
trimmed and lower-cased, records read with the csv module (a quoted line break stays inside its
record), empty lines skipped.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cjb.contract import AGENCY_SOURCES, Period, parse_file_name
from cjb.generate import GenerateSummary, generate


@dataclass
class Record:
    file_name: str
    period: Period
    row_number: int
    values: dict[str, str]  # header (trimmed, lower case) -> value (trimmed)

    def __getitem__(self, name: str) -> str:
        return self.values[name]


@dataclass
class Inbox:
    path: Path
    summary: GenerateSummary
    _cache: dict[str, list[Record]] = field(default_factory=dict)

    def files(self, source: str) -> list[Path]:
        return sorted((self.path / source).glob("*.csv"))

    def header(self, file: Path) -> list[str]:
        text = file.read_bytes().decode("utf-8-sig")
        return next(csv.reader(io.StringIO(text)))

    def records(self, source: str) -> list[Record]:
        if source not in self._cache:
            out = []
            for f in self.files(source):
                period = parse_file_name(AGENCY_SOURCES[source], f.name)
                assert period is not None, f.name
                reader = csv.reader(io.StringIO(f.read_bytes().decode("utf-8-sig")))
                header = [h.strip().lower() for h in next(reader)]
                n = 0
                for rec in reader:
                    if not rec or rec == [""]:
                        continue
                    n += 1
                    values = {h: v.strip() for h, v in zip(header, rec, strict=True)}
                    out.append(Record(f.name, period, n, values))
            self._cache[source] = out
        return self._cache[source]

    def latest(self, source: str, key: tuple[str, ...]) -> dict[tuple[str, ...], Record]:
        """The latest version of each record (files are read in period order)."""
        return {tuple(r[k] for k in key): r for r in self.records(source)}


@pytest.fixture(scope="session")
def year_inbox(tmp_path_factory) -> Inbox:
    """Twelve months from April 2018 at Wiltshire scale, no faults: the calibration run."""
    out = tmp_path_factory.mktemp("year_inbox")
    return Inbox(out, generate(out, seed=1, start="2018-04", months=12, scale=1.0))


@pytest.fixture(scope="session")
def fault_inbox(small_inbox) -> Inbox:
    """The shared three-month inbox with labelled faults (tests/conftest.py)."""
    from cjb.generate.generator import GenerateSummary as Summary

    return Inbox(small_inbox, Summary(small_inbox, 7, "2018-10", 3, 1.0))
