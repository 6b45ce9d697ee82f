"""Landing an inbox: one session (lock, store, GE suites, secret) and a function per file."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

import duckdb

from cjb.errors import CjbError
from cjb.landing.discover import FileIdentity, InboxFile, discover
from cjb.landing.load import insert_audit, land_transaction
from cjb.landing.lock import landing_lock
from cjb.landing.prepare import DUPLICATES_TABLE, PREP_DATA, PREP_TABLE, prepare_csv
from cjb.landing.pseudonymise import development_secret_warning, person_key_secret
from cjb.landing.read import (
    FileRejected,
    check_headers,
    missing_headers,
    read_csv,
    read_csv_header,
)
from cjb.landing.report import report_stem, validation_document, write_validation_report
from cjb.landing.spec import SPECS
from cjb.landing.summary import FileResult, LandingSummary
from cjb.landing.validate import SuiteRunner, resolve_executor
from cjb.paths import landing_path, rejected_dir, validation_dir
from cjb.store import open_store, transaction

log = logging.getLogger("cjb.landing")

MEMORY_LIMIT = os.environ.get("CJB_LANDING_MEMORY_LIMIT", "1GB")
WORKERS_ENV = "CJB_LANDING_WORKERS"
CHECKPOINT_THRESHOLD = "256MB"
TEMP_VIEWS = (PREP_TABLE,)
TEMP_TABLES = ("_in", PREP_DATA, DUPLICATES_TABLE, "_q", "_v")


def _now() -> dt.datetime:
    """Landing time: UTC, stored as a naive TIMESTAMP."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def landing_workers(chunk_rows: int | None = None, executor: str | None = None) -> int:
    """How many files land side by side: ``$CJB_LANDING_WORKERS``, else 2 (1 on one core).

    Each file's landing leaves a core idle about a third of the time (its Python steps, commits
    and single-threaded parts of DuckDB's work), which a second file fills. One file at a time
    when Great Expectations' pandas engine validates (``validate.resolve_executor``).
    """
    if resolve_executor(executor, chunk_rows) == "pandas":
        return 1
    value = os.environ.get(WORKERS_ENV, "").strip()
    if not value:
        return min(2, os.cpu_count() or 1)
    try:
        workers = int(value)
    except ValueError:
        workers = 0
    if workers < 1:
        raise CjbError(f"${WORKERS_ENV} must be a whole number of at least 1, not {value!r}")
    return workers


def landing_predecessors(files: Sequence[InboxFile]) -> list[int | None]:
    """For each file (in landing order), the index of the earlier file it must land after.

    Files land side by side except two that compete: the same bytes (the later is a
    duplicate of the earlier), or the same source and period (and force), where the file
    landed later wins a tie of periods (``macros/latest_version.sql``). Each such file waits
    for the last earlier file it competes with, so they land in the order found.
    """
    last_by_key: dict[tuple[object, ...], int] = {}
    out: list[int | None] = []
    for i, f in enumerate(files):
        keys = [("sha256", f.sha256)]
        if f.period is not None:
            keys.append(("period", f.source, f.period.label, f.force))
        earlier = [last_by_key[k] for k in keys if k in last_by_key]
        out.append(max(earlier) if earlier else None)
        for k in keys:
            last_by_key[k] = i
    return out


def landing_schedule(files: Sequence[InboxFile]) -> list[tuple[int, int | None]]:
    """The order in which to start landing ``files`` side by side: (index, index of the file
    it must land after) pairs, indexes into ``files`` (the order found).

    Largest file first (by bytes), so that the small files fill in beside the large ones
    instead of one large file landing alone at the end while the other worker idles: a
    national month's crimes file takes 10 to 20 times as long as any other source's, and
    found last (folder order) it ran alone for its last few seconds. A file that must wait
    for another (``landing_predecessors``) starts right after it, never before, so a worker
    never waits for a file that no worker has taken yet. The order of landing changes no
    standing version: competing files keep the order found, and others differ in period.
    """
    predecessors = landing_predecessors(files)
    sizes = [_size(f.path) for f in files]
    order: list[tuple[int, int | None]] = []
    started: set[int] = set()
    for i in sorted(range(len(files)), key=lambda i: -sizes[i]):  # stable: ties as found
        chain: list[int] = []
        j: int | None = i
        while j is not None and j not in started:
            chain.append(j)
            j = predecessors[j]
        for k in reversed(chain):  # the earliest predecessor first
            started.add(k)
            order.append((k, predecessors[k]))
    return order


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # gone since it was found: landing it reports why
        return 0


def open_landing_store(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the landing store for writing, or say clearly who holds it."""
    try:
        return open_store(path)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise CjbError(
                f"the landing store {path} is open in another process (an analyst's session "
                "or another tool); close it and run cjb land again"
            ) from None
        raise


class LandingSession:
    """Everything one landing run shares. Use as a context manager."""

    def __init__(self, warehouse: Path, chunk_rows: int | None = None, executor: str | None = None):
        self.warehouse = Path(warehouse)
        self.store_path = landing_path(self.warehouse)
        self.rejected_dir = rejected_dir(self.warehouse)
        self.validation_dir = validation_dir(self.warehouse)
        self.chunk_rows = chunk_rows  # validate with GE's pandas engine in chunks of this size
        self.executor = executor  # duckdb / pandas (cjb.landing.validate)
        self.secret, dev = person_key_secret()
        self.summary = LandingSummary(self.warehouse, self.store_path, development_secret=dev)
        self._lock = landing_lock(self.warehouse)
        self._con: duckdb.DuckDBPyConnection | None = None
        self._owner = threading.get_ident()  # the thread that opens the store uses it
        self._local = threading.local()  # other threads: a connection (cursor) each
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._guard = threading.Lock()
        self._in_flight = 0  # files being landed now (landing side by side)
        self._runner: SuiteRunner | None = None
        self._landed: dict[str, str] = {}  # sha256 -> file name, status landed
        self._processed: set[tuple[str, str, str]] = set()  # (source, file name, sha256)

    @property
    def con(self) -> duckdb.DuckDBPyConnection | None:
        """The store's connection for the calling thread.

        The thread that opened the session uses the store's connection; every other thread (a
        landing worker) gets its own cursor of it, with its own transactions and temporary
        tables, closed with the session.
        """
        if self._con is None or threading.get_ident() == self._owner:
            return self._con
        con = getattr(self._local, "con", None)
        if con is None:
            with self._guard:
                con = self._con.cursor()
                self._cursors.append(con)
            con.execute("SET enable_progress_bar = false")  # a per-connection setting
            self._local.con = con
        return con

    def __enter__(self) -> LandingSession:
        self._lock.__enter__()
        self._owner = threading.get_ident()
        try:
            self._con = open_landing_store(self.store_path)
            self.con.execute("SET enable_progress_bar = false")
            # bounded memory whatever the inbox: DuckDB spills beyond this (default 1GB)
            self.con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
            # landing relies on it: raw rows are inserted in file order without sorting
            self.con.execute("SET preserve_insertion_order = true")
            # Small files' rows go to the write-ahead log; at the default threshold (16 MB) a
            # commit every few files checkpoints, rewriting each table's last row group, ~1 s
            # over a national inbox's small files. The log is checkpointed when the store closes.
            self.con.execute(f"SET checkpoint_threshold = '{CHECKPOINT_THRESHOLD}'")
            for source, name, sha, status in self.con.execute(
                "SELECT source, file_name, sha256, status FROM audit.landed_files"
            ).fetchall():
                self._processed.add((source, name, sha))
                if status == "landed":
                    self._landed.setdefault(sha, name)
        except BaseException:
            self.close()
            raise
        if self.summary.development_secret:
            log.warning(development_secret_warning())
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        for cursor in self._cursors:
            cursor.close()
        self._cursors.clear()
        if self._con is not None:
            self._con.close()
            self._con = None
        self._lock.__exit__(None, None, None)

    @property
    def runner(self) -> SuiteRunner:
        with self._guard:
            if self._runner is None:  # built once per run, on first use
                self._runner = SuiteRunner()
        return self._runner

    def discover(self, inbox: Path) -> list[InboxFile]:
        """The inbox's files (``cjb.landing.discover``), reading only those not hashed before.

        The hash of every file read is remembered in ``audit.inbox_file_hashes`` with the
        file's identity (path, device, inode, size, modification and status-change times): an
        unchanged file is not read again next run, however many months the inbox keeps.
        """
        assert self.con is not None, "use LandingSession as a context manager"
        known = {
            FileIdentity(*row[:6]): row[6]
            for row in self.con.execute(
                "SELECT path, device, inode, size, mtime_ns, ctime_ns, sha256 "
                "FROM audit.inbox_file_hashes"
            ).fetchall()
        }
        hashed: dict[FileIdentity, str] = {}
        files = discover(inbox, known, hashed)
        if hashed:
            now = _now()
            with transaction(self.con):
                self.con.executemany(
                    "DELETE FROM audit.inbox_file_hashes WHERE path = ?",
                    [[ident.path] for ident in hashed],
                )
                self.con.executemany(
                    "INSERT INTO audit.inbox_file_hashes VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        [i.path, i.device, i.inode, i.size, i.mtime_ns, i.ctime_ns, sha, now]
                        for i, sha in hashed.items()
                    ],
                )
        return files

    def land_all(self, files: Sequence[InboxFile], workers: int | None = None) -> None:
        """Land ``files`` (found in this order), up to ``workers`` side by side, the largest
        first (``landing_schedule``; one worker lands them in the order found).

        Each file waits for the earlier file it competes with (``landing_predecessors``); the
        summary lists the files in the order found, whatever order they finished in. A file
        that fails stops nothing already running; the first failure is raised at the end, and
        the files waiting for it are not landed.
        """
        workers = workers or landing_workers(self.chunk_rows, self.executor)
        files = list(files)
        if workers == 1 or len(files) < 2:
            for f in files:
                self.land(f)
            return
        futures: dict[int, Future] = {}
        with ThreadPoolExecutor(workers, thread_name_prefix="cjb-land") as pool:
            for i, before in landing_schedule(files):
                after = futures[before] if before is not None else None
                futures[i] = pool.submit(_after, after, self.land, files[i])
        self.order_results(files)
        for i in range(len(files)):
            futures[i].result()  # the first file found that failed

    def order_results(self, files: Sequence[InboxFile]) -> None:
        """List the summary's files in the order of ``files`` (files land side by side)."""
        rank = {(f.source, f.name, f.sha256): i for i, f in enumerate(files)}
        self.summary.files.sort(
            key=lambda r: rank.get((r.source, r.file_name, r.sha256), len(rank))
        )

    # -- per file ---------------------------------------------------------------------------

    def skip_if_processed(self, f: InboxFile) -> bool:
        """True (and counted as skipped) when this exact delivery was already processed."""
        if (f.source, f.name, f.sha256) in self._processed:
            self.summary.skipped.append(f"{f.source}/{f.name}")
            return True
        return False

    def land(self, f: InboxFile) -> FileResult | None:
        """Land one inbox file; None when this exact delivery was already processed."""
        assert self.con is not None, "use LandingSession as a context manager"
        if self.skip_if_processed(f):
            return None
        if f.sha256 in self._landed:
            result = self._record(
                f,
                "duplicate",
                error=f"same bytes as {self._landed[f.sha256]}, already landed; not read",
            )
        elif f.name_error:
            result = self._reject(f, f.name_error, None)
        else:
            with self._guard:
                self._in_flight += 1
            try:
                result = self._land_valid_name(f)
            except FileRejected as exc:
                result = self._reject(f, exc.reason, exc.rows_read)
            finally:
                self._drop_temp_tables()
                with self._guard:  # no file starts while the memory is given back
                    self._in_flight -= 1
                    if not self._in_flight:
                        self._release_memory()
        self._processed.add((f.source, f.name, f.sha256))
        if result.status == "landed":
            self._landed.setdefault(f.sha256, f.name)
        self.summary.files.append(result)
        return result

    def _land_valid_name(self, f: InboxFile) -> FileResult:
        con = self.con
        assert con is not None and f.period is not None
        spec = SPECS[f.spec_name]
        csv_file = read_csv_header(f.path)
        if missing_headers(csv_file.columns, spec):
            # refused; read it all first, as an unreadable file is refused as such
            check_headers(read_csv(con, f.path), spec)
        checks = self.runner.checks(spec)
        prep, rows = prepare_csv(con, csv_file, spec, checks)
        validation = self.runner.validate(
            con, prep, spec, f.period, rows, f.name, self.chunk_rows, self.executor
        )
        report = write_validation_report(
            report_stem(self.validation_dir, f.source, f.name, f.sha256),
            validation_document(
                validation,
                file_name=f.name,
                source=f.source,
                sha256=f.sha256,
                period=f.period.label,
            ),
        )
        read = None
        if validation.quarantined:  # their records as read, from the file read as text
            read = read_csv(con, f.path)
            if read.rows != rows:
                raise CjbError(f"{f.path} changed while it was being landed; land it again")
        landed_at = _now()
        rows_landed = land_transaction(
            con,
            spec=spec,
            read=read,
            prep=prep,
            rows_read=rows,
            quarantine_table=validation.quarantine_table,
            rows_quarantined=validation.quarantined,
            secret=self.secret,
            file_name=f.name,
            sha256=f.sha256,
            period_label=f.period.label,
            period_start=f.period.start,
            force=f.force,
            landed_at=landed_at,
        )
        return FileResult(
            f.name,
            f.source,
            f.period.label,
            f.sha256,
            "landed",
            rows_read=rows,
            rows_landed=rows_landed,
            rows_quarantined=validation.quarantined,
            validation_report=report,
            quarantined_by_rule=validation.quarantined_by_rule,
        )

    def _reject(self, f: InboxFile, reason: str, rows_read: int | None) -> FileResult:
        folder = self.rejected_dir / f.source
        folder.mkdir(parents=True, exist_ok=True)
        copy = folder / f"{Path(f.name).stem}.{f.sha256[:12]}{Path(f.name).suffix}"
        shutil.copyfile(f.path, copy)
        return self._record(f, "rejected", error=reason, rows_read=rows_read, copy=copy)

    def _record(
        self,
        f: InboxFile,
        status: str,
        *,
        error: str,
        rows_read: int | None = None,
        copy: Path | None = None,
    ) -> FileResult:
        """Audit row for a file that lands nothing (rejected or duplicate), in a transaction."""
        assert self.con is not None
        period = f.period.label if f.period else None
        with transaction(self.con):
            insert_audit(
                self.con,
                file_name=f.name,
                source=f.source,
                period=period,
                sha256=f.sha256,
                rows_read=rows_read,
                rows_landed=0,
                rows_quarantined=0,
                status=status,
                error=error,
                landed_at=_now(),
            )
        return FileResult(
            f.name,
            f.source,
            period,
            f.sha256,
            status,
            rows_read=rows_read,
            error=error,
            rejected_copy=copy,
        )

    def _release_memory(self) -> None:
        """Give back the memory of the file just landed.

        DuckDB keeps the blocks it wrote cached (up to the memory limit) and its freed memory
        allocated, so a landing's footprint would grow file by file; lowering the limit evicts
        the cached blocks (they are on disk) and releases the memory, then it is restored.
        The limit is the database's, so this runs only when no other file is being landed
        (``land``); DuckDB's limit bounds the memory meanwhile.
        """
        if self.con is None:
            return
        try:
            self.con.execute("SET memory_limit = '32MB'")
        except duckdb.Error:  # could not evict enough: nothing lost, keep going
            pass
        finally:
            self.con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")

    def _drop_temp_tables(self) -> None:
        if self.con is None:
            return
        for v in TEMP_VIEWS:
            self.con.execute(f"DROP VIEW IF EXISTS temp.{v}")
        for t in TEMP_TABLES:
            self.con.execute(f"DROP TABLE IF EXISTS temp.{t}")


def land_inbox(
    inbox: Path, warehouse: Path, chunk_rows: int | None = None, executor: str | None = None
) -> LandingSummary:
    """Land every new file of ``inbox`` into the landing store beside ``warehouse``.

    Rules run as DuckDB SQL unless ``executor="pandas"`` or ``chunk_rows`` asks for Great
    Expectations' pandas engine (``cjb.landing.validate``).
    """
    inbox = Path(inbox)
    if not inbox.is_dir():
        raise CjbError(f"inbox {inbox} is not a folder")
    with LandingSession(warehouse, chunk_rows, executor) as session:
        session.land_all(session.discover(inbox))
    return session.summary


def _after(before: Future | None, land: Callable[[InboxFile], object], f: InboxFile) -> object:
    """``land(f)`` once ``before`` (the file it competes with) has landed."""
    if before is not None:
        before.result()  # raises when that file failed: this one is not landed
    return land(f)
