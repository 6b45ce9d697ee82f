"""Read an inbox file as text with DuckDB's CSV reader, matching headers by name.

The header row is parsed first (Python's csv module, BOM-tolerant), then DuckDB reads the data
records as VARCHAR columns ``c0, c1, ...`` with a fixed dialect (comma, double quotes, strict
column count): no sniffing, so a malformed file is refused rather than guessed at. Quoted
commas and line breaks stay inside their field; empty lines are skipped and are not records.
Record numbers (from 1, header excluded) follow the insertion order of the table the records
are read into: ``_prep_data`` when landing (``cjb.landing.prepare.prepare_csv``, one scan of
the file), ``_in`` here (``read_csv``: the records as read, for quarantined rows' raw_record).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb

from cjb.landing.spec import LandingSpec

# DuckDB's default longest line for read_csv (bytes): a longer line makes the file unreadable.
# Given a buffer_size, DuckDB accepts lines as long as the buffer instead, so a read with one
# checks its lines against this itself (cjb.landing.prepare.prepare_csv).
MAX_LINE_SIZE = 2_000_000


class FileRejected(Exception):  # noqa: N818 - an outcome, not a failure of the run
    """The whole file is refused: unreadable, or a required column is missing."""

    def __init__(self, reason: str, rows_read: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.rows_read = rows_read


@dataclass(frozen=True)
class CsvFile:
    """An inbox file's header, before its records are read."""

    path: Path
    headers: tuple[str, ...]  # normalised (trimmed, lower-cased) header of each column
    columns: dict[str, str]  # normalised header -> column ``c<i>`` (first occurrence)
    record_keys: tuple[str, ...]  # unique JSON key per column for raw_record
    header_bytes: int = 0  # at least the header line's length in the file

    def source(self, buffer_size: int | None = None) -> str:
        """``read_csv`` over the file's records (one parameter: the path), all text ``c0, c1, ...``.

        A fixed dialect (comma, double quotes, strict column count) and no sniffing, so a
        malformed file is refused rather than guessed at; with ``preserve_insertion_order`` (on
        by default) a table created from it holds the records in file order. ``buffer_size``
        (bytes) changes how the file is split into batches (``cjb.landing.prepare``), and the
        longest line accepted (see ``MAX_LINE_SIZE``).
        """
        struct = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(self.headers))) + "}"
        size = f", buffer_size = {int(buffer_size)}" if buffer_size else ""
        return (
            f"read_csv(?, columns = {struct}, auto_detect = false, header = true, delim = ',', "
            f"quote = '\"', escape = '\"', strict_mode = true, encoding = 'utf-8'{size})"
        )


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


def duckdb_reason(exc: Exception) -> str:
    """FileRejected's reason for an error of DuckDB's CSV reader."""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    keep = [
        ln for ln in lines if not ln.lower().startswith(("possible", "*", "the search", "file ="))
    ]
    return "unreadable: " + " | ".join(keep[:4]).removeprefix("Invalid Input Error: ")


def read_csv_header(path: Path) -> CsvFile:
    """The file's header (BOM-tolerant); raise FileRejected if it has none or is not UTF-8."""
    header = read_header(path)
    headers = tuple(normalise_header(h) for h in header)
    columns: dict[str, str] = {}
    keys: list[str] = []
    for i, h in enumerate(headers):
        columns.setdefault(h, f"c{i}")
        key = h or f"column_{i + 1}"
        while key in keys:
            key += f"_{i + 1}"
        keys.append(key)
    header_bytes = line_bytes_bound(sum(len(h.encode("utf-8")) for h in header), len(header))
    return CsvFile(path, headers, columns, tuple(keys), header_bytes)


def line_bytes_bound(field_bytes: int, n_fields: int) -> int:
    """At least the length in bytes of a CSV line whose ``n_fields`` values read as
    ``field_bytes`` bytes of text in all.

    In the file a field is its text, or quoted with its quotes doubled: at most twice its
    length plus two; plus a comma between fields, a line break of up to two bytes and a BOM.
    """
    return 2 * field_bytes + 3 * n_fields + 4


def read_csv(con: duckdb.DuckDBPyConnection, path: Path, table: str = "_in") -> ReadFile:
    """Load the file's records into a temporary table (all text); raise FileRejected if unreadable."""
    csv_file = read_csv_header(path)
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM {csv_file.source()}",
            [str(path)],
        )
    except duckdb.IOException:
        raise
    except duckdb.Error as exc:
        raise FileRejected(duckdb_reason(exc)) from None
    rows = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    return ReadFile(table, rows, csv_file.headers, csv_file.columns, csv_file.record_keys)


def missing_headers(columns: dict[str, str], spec: LandingSpec) -> list[str]:
    """The spec's required headers the file lacks."""
    return [h for h in spec.required_headers if h not in columns]


def check_headers(read: ReadFile, spec: LandingSpec) -> None:
    """Reject the file when a required column is missing from its header."""
    missing = missing_headers(read.columns, spec)
    if missing:
        raise FileRejected(
            f"missing required column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}",
            read.rows,
        )
