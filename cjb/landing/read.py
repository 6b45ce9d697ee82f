"""Read an inbox file as text with DuckDB's CSV reader, matching headers by name.

The header row is parsed first (Python's csv module, BOM-tolerant), then DuckDB reads the data
records into a temporary table of VARCHAR columns ``c0, c1, ...`` with a fixed dialect (comma,
double quotes, strict column count): no sniffing, so a malformed file is refused rather than
guessed at. Quoted commas and line breaks stay inside their field; empty lines are skipped and
are not records. Record numbers (from 1, header excluded) follow the table's insertion order.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb

from cjb.landing.spec import LandingSpec


class FileRejected(Exception):  # noqa: N818 - an outcome, not a failure of the run
    """The whole file is refused: unreadable, or a required column is missing."""

    def __init__(self, reason: str, rows_read: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.rows_read = rows_read


@dataclass(frozen=True)
class ReadFile:
    table: str  # temporary table of the records: c0, c1, ... VARCHAR
    rows: int
    headers: tuple[str, ...]  # normalised (trimmed, lower-cased) header of each column
    columns: dict[str, str]  # normalised header -> column of ``table`` (first occurrence)
    record_keys: tuple[str, ...]  # unique JSON key per column for raw_record


def normalise_header(name: str) -> str:
    return name.strip().lower()


def read_header(path: Path) -> list[str]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            header = next(csv.reader(f), None)
    except UnicodeDecodeError as exc:
        raise FileRejected(
            f"unreadable: not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    except csv.Error as exc:
        raise FileRejected(f"unreadable: malformed header row ({exc})") from None
    if not header or all(not h.strip() for h in header):
        raise FileRejected("unreadable: the file has no header row")
    return header


def _duckdb_reason(exc: Exception) -> str:
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    keep = [
        ln for ln in lines if not ln.lower().startswith(("possible", "*", "the search", "file ="))
    ]
    return "unreadable: " + " | ".join(keep[:4]).removeprefix("Invalid Input Error: ")


def read_csv(con: duckdb.DuckDBPyConnection, path: Path, table: str = "_in") -> ReadFile:
    """Load the file's records into a temporary table (all text); raise FileRejected if unreadable."""
    header = read_header(path)
    headers = tuple(normalise_header(h) for h in header)
    cols = {f"c{i}": "VARCHAR" for i in range(len(header))}
    struct = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in cols) + "}"
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM read_csv(?, "
            f"columns = {struct}, auto_detect = false, header = true, delim = ',', "
            "quote = '\"', escape = '\"', strict_mode = true, encoding = 'utf-8')",
            [str(path)],
        )
    except duckdb.IOException:
        raise
    except duckdb.Error as exc:
        raise FileRejected(_duckdb_reason(exc)) from None
    rows = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    columns: dict[str, str] = {}
    keys: list[str] = []
    for i, h in enumerate(headers):
        columns.setdefault(h, f"c{i}")
        key = h or f"column_{i + 1}"
        while key in keys:
            key += f"_{i + 1}"
        keys.append(key)
    return ReadFile(table, rows, headers, columns, tuple(keys))


def check_headers(read: ReadFile, spec: LandingSpec) -> None:
    """Reject the file when a required column is missing from its header."""
    missing = [h for h in spec.required_headers if h not in read.columns]
    if missing:
        raise FileRejected(
            f"missing required column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}",
            read.rows,
        )
