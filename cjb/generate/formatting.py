"""Writing extract files: column data, the per-file formatting style, and a fast CSV writer.

Generators hand over columns in compact form (day numbers, flag codes, categorical codes into a
table of strings); the writer turns a chunk of rows at a time into CSV text in the file's style,
so memory stays bounded however many rows a file holds. Every variation the contract allows
(byte-order mark, CRLF, header case and spaces, column order, an extra column, ``d/m/yyyy`` and
``dd/mm/yyyy`` dates with an optional time, every flag spelling, quoted commas and line breaks,
trailing empty lines) is a property of a :class:`FileStyle` chosen per file from the seed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np

from cjb.contract import Source
from cjb.generate.dates import day as day_number

CHUNK_ROWS = 50_000

# --- column data -------------------------------------------------------------------------------


class Column(Protocol):
    def __len__(self) -> int: ...

    def take(self, idx: np.ndarray) -> Column: ...

    def render(self, fmt: Formatter) -> list[str]: ...


def quote(value: str) -> str:
    """CSV-quote a value when it holds a comma, a quote or a line break."""
    if "," in value or '"' in value or "\n" in value or "\r" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def _quote_all(values: Sequence[str]) -> list[str]:
    values = list(values)
    joined = "".join(values)
    if "," in joined or '"' in joined or "\n" in joined or "\r" in joined:
        return [quote(v) for v in values]
    return values


@dataclass
class Text:
    """Arbitrary strings, quoted on output when needed."""

    values: np.ndarray  # object array of str

    def __len__(self) -> int:
        return len(self.values)

    def take(self, idx: np.ndarray) -> Text:
        return Text(self.values[idx])

    def render(self, fmt: Formatter) -> list[str]:
        return _quote_all(self.values.tolist())


@dataclass
class Cat:
    """Codes into a table of strings (quoted once per table, not per row)."""

    table: tuple[str, ...]
    codes: np.ndarray

    def __len__(self) -> int:
        return len(self.codes)

    def take(self, idx: np.ndarray) -> Cat:
        return Cat(self.table, self.codes[idx])

    def render(self, fmt: Formatter) -> list[str]:
        table = _quoted_table(self.table)
        return table[self.codes].tolist()


@cache
def _quoted_table(table: tuple[str, ...]) -> np.ndarray:
    return np.array([quote(v) for v in table], dtype=object)


@dataclass
class Ids:
    """Identifiers ``<prefix><number zero-padded to width>``; a negative number is blank."""

    prefix: str
    numbers: np.ndarray
    width: int

    def __len__(self) -> int:
        return len(self.numbers)

    def take(self, idx: np.ndarray) -> Ids:
        return Ids(self.prefix, self.numbers[idx], self.width)

    def render(self, fmt: Formatter) -> list[str]:
        fmt_one = f"{self.prefix}{{:0{self.width}d}}".format
        present = self.numbers >= 0
        if present.all():
            return list(map(fmt_one, self.numbers.tolist()))
        out = np.full(len(self.numbers), "", dtype=object)
        out[present] = list(map(fmt_one, self.numbers[present].tolist()))
        return out.tolist()


@dataclass
class Days:
    """Dates as day numbers (``cjb.generate.dates``); -1 is blank."""

    days: np.ndarray

    def __len__(self) -> int:
        return len(self.days)

    def take(self, idx: np.ndarray) -> Days:
        return Days(self.days[idx])

    def render(self, fmt: Formatter) -> list[str]:
        return fmt.dates(self.days)


@dataclass
class Flags:
    """Yes/no flags: 1 yes, 0 no, -1 unknown."""

    values: np.ndarray

    def __len__(self) -> int:
        return len(self.values)

    def take(self, idx: np.ndarray) -> Flags:
        return Flags(self.values[idx])

    def render(self, fmt: Formatter) -> list[str]:
        return fmt.flags(self.values)


Table = dict[str, Column]


def table_len(table: Mapping[str, Column]) -> int:
    return len(next(iter(table.values())))


def take(table: Mapping[str, Column], idx: np.ndarray) -> Table:
    return {k: v.take(idx) for k, v in table.items()}


def concat_text(*parts: np.ndarray) -> np.ndarray:
    return np.concatenate([np.asarray(p, dtype=object) for p in parts])


# --- style --------------------------------------------------------------------------------------

FLAG_VOCABS: tuple[tuple[str, str, str], ...] = (
    ("Y", "N", ""),
    ("Yes", "No", ""),
    ("TRUE", "FALSE", ""),
    ("1", "0", ""),
    ("y", "n", "Unknown"),
    ("yes", "no", "unknown"),
    ("True", "False", ""),
    ("YES", "NO", "Unknown"),
)
# 'mixed' files draw every value from every spelling the contract allows.
FLAG_TRUE_ALL = ("Y", "y", "Yes", "YES", "yes", "TRUE", "True", "true", "1", " Y ", "Yes ")
FLAG_FALSE_ALL = ("N", "n", "No", "NO", "no", "FALSE", "False", "false", "0", " N ", " no")
FLAG_UNKNOWN_ALL = ("", "Unknown", "unknown", "UNKNOWN", "  ")

EXTRA_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("extract_run_id", ("RUN-0001",)),
    ("notes", ("", "", "", "checked", "see case file, ref 12", "reviewed, no change")),
    ("source_system", ("NICHE", "NICHE RMS")),
    ("exported_by", ("analyst1", "mi team")),
)

FEATURES = (
    "bom",
    "crlf",
    "header_varied",
    "reorder",
    "extra_column",
    "short_dates",
    "time_hm",
    "time_hms",
    "flag_mixed",
    "trailing_empty",
)


@dataclass(frozen=True)
class FileStyle:
    bom: bool = False
    crlf: bool = False
    header_varied: bool = False
    reorder: bool = False
    extra_column: int = -1  # index into EXTRA_COLUMNS, -1 for none
    short_dates: bool = False  # d/m/yyyy instead of dd/mm/yyyy
    time_mode: str = "none"  # none, hm, hms, mixed (per row none/hm/hms)
    flag_vocab: int = 0  # index into FLAG_VOCABS, -1 for every spelling mixed
    trailing_empty: int = 0  # empty lines after the last record
    seed: int = 0  # per-file stream for per-row choices (times, mixed flags, header case)

    @property
    def newline(self) -> str:
        return "\r\n" if self.crlf else "\n"


def choose_style(rng: np.random.Generator, forced: Sequence[str] = ()) -> FileStyle:
    """A random style; ``forced`` features are switched on whatever the draw."""
    f = set(forced)
    r = rng.random(10)
    time_hm = "time_hm" in f or r[6] < 0.12
    time_hms = "time_hms" in f or r[7] < 0.12
    time_mode = (
        "mixed"
        if time_hm and time_hms
        else "hm"
        if time_hm
        else "hms"
        if time_hms
        else ("mixed" if r[9] < 0.05 else "none")
    )
    flag_mixed = "flag_mixed" in f or r[8] < 0.15
    return FileStyle(
        bom="bom" in f or r[0] < 0.25,
        crlf="crlf" in f or r[1] < 0.3,
        header_varied="header_varied" in f or r[2] < 0.3,
        reorder="reorder" in f or r[3] < 0.25,
        extra_column=int(rng.integers(len(EXTRA_COLUMNS)))
        if ("extra_column" in f or r[4] < 0.2)
        else -1,
        short_dates="short_dates" in f or r[5] < 0.4,
        time_mode=time_mode,
        flag_vocab=-1 if flag_mixed else int(rng.integers(len(FLAG_VOCABS))),
        trailing_empty=int(rng.integers(1, 4)) if ("trailing_empty" in f or r[9] > 0.8) else 0,
        seed=int(rng.integers(2**31)),
    )


# --- formatting values --------------------------------------------------------------------------

_TABLE_BASE = date(1900, 1, 1)
_TABLE_END = date(2101, 1, 1)


@cache
def _date_table(short: bool) -> tuple[int, np.ndarray]:
    base = day_number(_TABLE_BASE)
    n = day_number(_TABLE_END) - base
    ords = np.datetime64(_TABLE_BASE, "D") + np.arange(n, dtype="int64").astype("timedelta64[D]")
    ymd = ords.astype(str)  # 'YYYY-MM-DD'
    out = np.empty(n + 1, dtype=object)
    if short:
        out[:n] = [f"{int(s[8:10])}/{int(s[5:7])}/{s[:4]}" for s in ymd.tolist()]
    else:
        out[:n] = [f"{s[8:10]}/{s[5:7]}/{s[:4]}" for s in ymd.tolist()]
    out[n] = ""  # blank
    return base, out


@cache
def _time_tables() -> tuple[np.ndarray, np.ndarray]:
    minutes = np.array([f" {h:02d}:{m:02d}" for h in range(24) for m in range(60)], dtype=object)
    seconds = np.array([f":{s:02d}" for s in range(60)], dtype=object)
    return minutes, seconds


class Formatter:
    """Turns compact values into strings in one file's style."""

    def __init__(self, style: FileStyle) -> None:
        self.style = style
        self.rng = np.random.default_rng(style.seed)
        self._base, self._table = _date_table(style.short_dates)
        self._blank = len(self._table) - 1

    def date(self, d: int) -> str:
        """One date in the file's date format, without a time."""
        return str(self._table[d - self._base])

    def dates(self, days: np.ndarray) -> list[str]:
        idx = days.astype(np.int64) - self._base
        blank = days < 0
        if blank.any():
            idx = np.where(blank, self._blank, idx)
        out = self._table[idx]
        mode = self.style.time_mode
        if mode == "none":
            return out.tolist()
        minutes, seconds = _time_tables()
        n = len(days)
        # Office hours mostly, some night-time records.
        mins = self.rng.integers(0, 1440, size=n)
        with_time = ~blank
        if mode == "mixed":
            kind = self.rng.integers(0, 3, size=n)  # 0 none, 1 hm, 2 hms
            with_time &= kind > 0
            with_secs = kind == 2
        else:
            with_secs = np.full(n, mode == "hms")
        suffix = minutes[mins]
        secs = seconds[self.rng.integers(0, 60, size=n)]
        suffix = np.where(with_secs, suffix + secs, suffix)
        out = np.where(with_time, out + suffix, out)
        return out.tolist()

    def flag(self, v: int) -> str:
        t, f, u = FLAG_VOCABS[max(self.style.flag_vocab, 0)]
        return t if v == 1 else f if v == 0 else u

    def flags(self, values: np.ndarray) -> list[str]:
        if self.style.flag_vocab >= 0:
            t, f, u = FLAG_VOCABS[self.style.flag_vocab]
            table = np.array([u, f, t], dtype=object)  # index value + 1
            return table[values.astype(np.int64) + 1].tolist()
        n = len(values)
        t = np.array(FLAG_TRUE_ALL, dtype=object)[self.rng.integers(len(FLAG_TRUE_ALL), size=n)]
        f = np.array(FLAG_FALSE_ALL, dtype=object)[self.rng.integers(len(FLAG_FALSE_ALL), size=n)]
        u = np.array(FLAG_UNKNOWN_ALL, dtype=object)[
            self.rng.integers(len(FLAG_UNKNOWN_ALL), size=n)
        ]
        return np.where(values == 1, t, np.where(values == 0, f, u)).tolist()


def header_name(name: str, variant: int) -> str:
    """Header spellings the contract allows: any letter case, surrounding spaces."""
    if variant == 1:
        return name.upper()
    if variant == 2:
        return "_".join(p.capitalize() for p in name.split("_"))
    if variant == 3:
        return f" {name} "
    if variant == 4:
        return f"  {name.capitalize()}"
    return name


# --- writing ------------------------------------------------------------------------------------


@dataclass
class Mutation:
    """Raw values that replace a row's fields (a labelled fault), or a key copied from a row."""

    values: dict[str, str] = field(default_factory=dict)
    copy_key_from: int | None = None  # row index (0-based) whose key values to copy


def file_columns(source: Source, style: FileStyle) -> list[str]:
    """Contract columns in the file's order, plus the extra column's name when it has one."""
    cols = list(source.column_names)
    rng = np.random.default_rng(style.seed + 1)
    if style.reorder:
        cols = [cols[i] for i in rng.permutation(len(cols))]
    if style.extra_column >= 0:
        extra = EXTRA_COLUMNS[style.extra_column][0]
        cols.insert(int(rng.integers(len(cols) + 1)), extra)
    return cols


def write_file(
    path: Path,
    source: Source,
    table: Mapping[str, Column],
    style: FileStyle,
    mutations: Mapping[int, Mutation] | None = None,
) -> int:
    """Write ``table`` (every contract column) to ``path`` in ``style``; returns rows written."""
    fmt = Formatter(style)
    cols = file_columns(source, style)
    extra_name, extra_values = (
        EXTRA_COLUMNS[style.extra_column] if style.extra_column >= 0 else ("", ())
    )
    hdr_rng = np.random.default_rng(style.seed + 2)
    variants = (
        hdr_rng.integers(0, 5, size=len(cols)) if style.header_varied else np.zeros(len(cols), int)
    )
    nl = style.newline
    header = ",".join(quote(header_name(c, int(v))) for c, v in zip(cols, variants, strict=True))
    n = table_len(table)
    mutations = dict(mutations or {})
    key_pos = [cols.index(k) for k in source.key]
    extra_table = np.array([quote(v) for v in extra_values], dtype=object)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        f.write((("\ufeff" if style.bom else "") + header + nl).encode("utf-8"))
        for a in range(0, n, CHUNK_ROWS):
            b = min(n, a + CHUNK_ROWS)
            idx = np.arange(a, b)
            rendered: list[list[str]] = []
            for c in cols:
                if c == extra_name:
                    pick = fmt.rng.integers(len(extra_table), size=b - a)
                    rendered.append(extra_table[pick].tolist())
                else:
                    rendered.append(table[c].take(idx).render(fmt))
            for row, m in sorted(mutations.items()):
                if not a <= row < b:
                    continue
                i = row - a
                for name, value in m.values.items():
                    rendered[cols.index(name)][i] = quote(value)
                if m.copy_key_from is not None:
                    j = m.copy_key_from - a
                    for p in key_pos:
                        rendered[p][i] = rendered[p][j]
            text = nl.join(map(",".join, zip(*rendered, strict=True)))
            f.write((text + nl).encode("utf-8"))
        if style.trailing_empty:
            f.write((nl * style.trailing_empty).encode("utf-8"))
    return n
