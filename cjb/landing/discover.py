"""Find the files of an inbox: one sub-folder per source, files in a sensible landing order."""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from cjb.contract import AGENCY_SOURCES, POLICE_UK_FILE, Period, month_period, parse_file_name

POLICE_UK = "police_uk"
SOURCE_FOLDERS: tuple[str, ...] = (*AGENCY_SOURCES, POLICE_UK)
HASH_THREADS = min(4, os.cpu_count() or 1)


@dataclass(frozen=True)
class InboxFile:
    path: Path
    source: str  # the inbox folder
    sha256: str
    period: Period | None  # None when the name carries no valid period
    spec_name: str  # key of cjb.landing.spec.SPECS: the source, or police_uk_street/_outcomes
    force: str | None = None  # police_uk files: the force in the file name
    name_error: str | None = None  # why the name is not acceptable

    @property
    def name(self) -> str:
        return self.path.name


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def classify(path: Path, source: str, sha256: str) -> InboxFile:
    """Period, target and name problems of one inbox file, from its folder and name."""
    name = path.name
    if source == POLICE_UK:
        m = POLICE_UK_FILE.match(name)
        if m and 1 <= int(m["month"][5:]) <= 12:
            year, month = int(m["month"][:4]), int(m["month"][5:])
            return InboxFile(
                path,
                source,
                sha256,
                month_period(year, month),
                f"police_uk_{m['kind']}",
                m["force"],
            )
        return InboxFile(
            path,
            source,
            sha256,
            None,
            "police_uk_street",
            name_error=f"file name {name!r} does not follow YYYY-MM-<force>-street.csv "
            "or YYYY-MM-<force>-outcomes.csv",
        )
    contract = AGENCY_SOURCES[source]
    period = parse_file_name(contract, name)
    if period is None:
        expected = (
            f"{contract.stem}_YYYY-MM.csv"
            if contract.period_kind == "month"
            else f"{contract.stem}_YYYY-YY_Qn.csv"
        )
        return InboxFile(
            path,
            source,
            sha256,
            None,
            source,
            name_error=f"file name {name!r} does not carry a valid period for {source} "
            f"(expected {expected})",
        )
    return InboxFile(path, source, sha256, period, source)


def discover(inbox: Path) -> list[InboxFile]:
    """Every file of the inbox's source folders, by source, then period, then name.

    Files outside the source folders (``<inbox>/faults.csv``) and hidden files are ignored.
    """
    files: list[tuple[Path, str]] = []
    for source in SOURCE_FOLDERS:
        folder = inbox / source
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.is_file() and not path.name.startswith("."):
                files.append((path, source))
    # hashing releases the GIL: a national inbox (2 GB) hashes in half the time on two threads
    with ThreadPoolExecutor(max_workers=HASH_THREADS) as pool:
        hashes = list(pool.map(file_sha256, [path for path, _ in files]))
    found = [classify(path, source, h) for (path, source), h in zip(files, hashes, strict=True)]
    rank = {s: i for i, s in enumerate(SOURCE_FOLDERS)}
    found.sort(
        key=lambda f: (
            rank[f.source],
            f.period is None,
            f.period.start if f.period else None,
            f.name,
        )
    )
    return found
