"""Find the files of an inbox: one sub-folder per source, files in a sensible landing order."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from cjb.contract import AGENCY_SOURCES, POLICE_UK_FILE, Period, month_period, parse_file_name

POLICE_UK = "police_uk"
SOURCE_FOLDERS: tuple[str, ...] = (*AGENCY_SOURCES, POLICE_UK)
HASH_THREADS = min(4, os.cpu_count() or 1)
# A file changed this recently before it was hashed may change again within the same timestamp
# tick on a filesystem with coarse timestamps: its hash is not remembered (hashed again next run).
SETTLED_SECONDS = 2.0


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


@dataclass(frozen=True)
class FileIdentity:
    """What says a file is unchanged since it was hashed: its resolved path, device and inode,
    size, modification time and status-change time (nanoseconds).

    Rewriting a file's bytes always moves its ctime, which no user can set back (``touch`` and
    ``os.utime`` set only the mtime), so a file with the same identity has the same bytes; a
    symbolic link is followed to the file it points at.
    """

    path: str
    device: int
    inode: int
    size: int
    mtime_ns: int
    ctime_ns: int

    @classmethod
    def of(cls, path: Path) -> FileIdentity:
        st = path.stat()
        return cls(
            str(path.resolve()), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns
        )


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


def discover(
    inbox: Path,
    known: Mapping[FileIdentity, str] | None = None,
    hashed: dict[FileIdentity, str] | None = None,
) -> list[InboxFile]:
    """Every file of the inbox's source folders, by source, then period, then name.

    Files outside the source folders (``<inbox>/faults.csv``) and hidden files are ignored.

    ``known`` maps files hashed before (``FileIdentity``) to their SHA-256: those are not read
    again (an inbox keeps years of files; reading them all every month would cost more each
    month). Every other file is read and hashed; when ``hashed`` is given, the hashes worth
    remembering are added to it (not those of files changed within ``SETTLED_SECONDS`` of
    being hashed).
    """
    files: list[tuple[Path, str]] = []
    for source in SOURCE_FOLDERS:
        folder = inbox / source
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.is_file() and not path.name.startswith("."):
                files.append((path, source))
    known = known or {}
    identities = [FileIdentity.of(path) for path, _ in files]
    to_hash = [i for i, ident in enumerate(identities) if ident not in known]
    started_ns = time.time_ns()
    # hashing releases the GIL: a national inbox (2 GB) hashes in half the time on two threads
    with ThreadPoolExecutor(max_workers=HASH_THREADS) as pool:
        paths = [files[i][0] for i in to_hash]
        computed = dict(zip(to_hash, pool.map(file_sha256, paths), strict=True))
    settled_ns = started_ns - int(SETTLED_SECONDS * 1e9)
    if hashed is not None:
        for i, sha in computed.items():
            ident = identities[i]
            # unchanged while it was read (else the hash may be of neither version), and not
            # changed just before: only then does the identity stand for these bytes
            if (
                ident == FileIdentity.of(files[i][0])
                and max(ident.mtime_ns, ident.ctime_ns) < settled_ns
            ):
                hashed[ident] = sha
    hashes = [computed[i] if i in computed else known[identities[i]] for i in range(len(files))]
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
