"""Build and test the warehouse with dbt, in-process.

The build writes a new DuckDB file beside the live warehouse and, only when every model built
and every dbt test passed, swaps it over the live path with ``os.replace`` (atomic on one
filesystem). Readers holding the live file keep their snapshot; new connections see the new
build; a failed build leaves the live warehouse untouched. The landing store is attached
read-only, so a build can never change what was landed.

Installing a passed build (``install_build``, the one code path every swap goes through):

1. ``finalize_build`` writes into the new file the dbt descriptions of every model and seed
   as DuckDB table and column comments (so they travel with the file: DuckDB clients see them
   in ``duckdb_tables()``/``duckdb_columns()``, and ``cjb publish`` copies them into
   PostgreSQL ``COMMENT``s) and ``audit.warehouse_build`` (build id, time, row count of every
   table of ``marts`` and ``audit``), then checkpoints it.
2. The public marts are exported as Parquet into a new folder (``cjb.exports``); a failure here
   leaves everything live untouched.
3. ``os.replace`` the new file over the live one, then switch the ``parquet`` link to the new
   folder (one ``rename`` each, atomic on their own; the two happen milliseconds apart).

Temporary files of a killed build (``.<name>.building-<pid>``, ``.parquet.new-<pid>``) are
removed by the next build once their process is gone. Installs into one folder are serialised
by a lock file (``.<name>.install.lock``). The file is written with DuckDB's
``storage_compatibility_version`` v1.5.0 (profiles.yml) so DuckDB 1.5 clients can open it.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from cjb import exports
from cjb.errors import CjbError
from cjb.paths import PROJECT_ROOT, landing_path
from cjb.store import open_store

log = logging.getLogger(__name__)

# Statuses dbt reports per node.
_OK = {"success", "pass"}
_FAILED = {"error", "fail", "runtime error"}


@dataclass
class NodeResult:
    unique_id: str
    resource_type: str  # model, seed, test, unit_test, ...
    status: str
    message: str | None = None
    failures: int | None = None


@dataclass
class BuildResult:
    warehouse: Path
    success: bool
    nodes: list[NodeResult] = field(default_factory=list)
    error: str | None = None
    swapped: bool = False
    build_id: str | None = None
    refresh: str | None = None  # "full" or "incremental" (see plan_refresh)
    refresh_reason: str | None = None
    # why dbt's unit tests were left out of this build (None when they ran): see unit_tests_due
    unit_tests_skipped: str | None = None
    target: str = "duckdb"  # the dbt target that computed the build: duckdb or spark
    # Spark builds: the column types Spark reported for each public mart ("marts.<name>" ->
    # [(column, Spark type)]), before the marts were copied into the DuckDB file.
    engine_types: dict[str, list[tuple[str, str]]] | None = None

    def counts(self, resource_types: tuple[str, ...]) -> Counter[str]:
        return Counter(n.status for n in self.nodes if n.resource_type in resource_types)

    @property
    def tests_passed(self) -> int:
        return self.counts(("test", "unit_test"))["pass"]

    @property
    def tests_failed(self) -> int:
        c = self.counts(("test", "unit_test"))
        return c["fail"] + c["error"]

    @property
    def failed_nodes(self) -> list[NodeResult]:
        return [n for n in self.nodes if n.status in _FAILED]

    def render(self) -> str:
        models = self.counts(("model",))
        seeds = self.counts(("seed",))
        tests = self.counts(("test", "unit_test"))
        lines = [
            "Build" if self.target == "duckdb" else f"Build (on {self.target.capitalize()})",
            f"  models built: {models['success']}"
            + (f", failed: {models['error']}" if models["error"] else ""),
            f"  seeds loaded: {seeds['success']}"
            + (f", failed: {seeds['error']}" if seeds["error"] else ""),
            f"  tests passed: {tests['pass']}, failed: {tests['fail'] + tests['error']}"
            + (f", warnings: {tests['warn']}" if tests["warn"] else ""),
        ]
        if self.unit_tests_skipped:
            lines.append(
                f"  unit tests: not run ({self.unit_tests_skipped}; --unit-tests runs them)"
            )
        for node in self.failed_nodes:
            detail = (node.message or "").strip().splitlines()
            lines.append(f"  FAILED {node.unique_id}: {detail[0] if detail else node.status}")
        if self.error:
            lines.append(f"  error: {self.error}")
        if self.refresh:
            lines.append(f"  refresh: {self.refresh} ({self.refresh_reason})")
        if self.success:
            lines.append(f"  live warehouse: {self.warehouse}")
            if self.swapped:
                lines.append(f"  parquet exports: {exports.parquet_dir(self.warehouse)}")
        else:
            lines.append(f"  the live warehouse {self.warehouse} was left unchanged")
        return "\n".join(lines)


def building_path(warehouse: Path) -> Path:
    """The file a build writes before it is swapped in (same folder, so os.replace is atomic).

    One name per warehouse (builds of a warehouse take turns: ``build_lock``), so the dbt
    profile renders the same from build to build and dbt can parse the project partially
    (a changed profile makes dbt parse everything again: about 10 s).
    """
    return warehouse.with_name(f".{warehouse.name}.building")


@contextmanager
def _file_lock(lock: Path, *, busy: str | None = None) -> Iterator[None]:
    """Hold an exclusive lock on the file ``lock`` (released if the process dies).

    Waits for another holder, or with ``busy`` raises ``CjbError(busy)`` at once instead.
    """
    with open(lock, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (fcntl.LOCK_NB if busy else 0))
        except BlockingIOError:
            raise CjbError(busy) from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextmanager
def build_lock(warehouse: Path) -> Iterator[None]:
    """One build of a warehouse at a time; a second one fails at once and says why."""
    warehouse = Path(warehouse)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with _file_lock(
        warehouse.with_name(f".{warehouse.name}.build.lock"),
        busy=f"another build of {warehouse} is running; let it finish and build again",
    ):
        yield


def _dbt_args(command: str, extra: list[str]) -> list[str]:
    root = str(PROJECT_ROOT)
    return [
        command,
        "--project-dir",
        root,
        "--profiles-dir",
        root,
        "--target-path",
        str(PROJECT_ROOT / "target"),
        "--log-path",
        str(PROJECT_ROOT / "logs"),
        *extra,
    ]


def run_dbt(
    command: str,
    warehouse_file: Path,
    landing: Path,
    extra: list[str] | None = None,
    *,
    manifest=None,
):
    """Invoke dbt in-process with the profile pointed at ``warehouse_file`` and ``landing``.

    dbt runs in the warehouse's folder with both paths relative to it, so the rendered profile
    is the same for every warehouse of the same name (``cjb.duckdb``): dbt then parses the
    project partially, from target/partial_parse.msgpack, instead of from scratch (a changed
    profile costs a full parse, about 10 s). The process's working directory is the warehouse's
    folder for the duration of the call (and restored after it); a Spark build in the same
    process runs dbt in a child process with its own environment and folder.

    ``manifest``, a project dbt has parsed already (``parse_ahead``), is used instead of
    parsing it again.
    """
    from dbt.cli.main import dbtRunner

    # dbt's state (flags, adapters, logging) is one per process: a parse ahead of another
    # warehouse's build that is still running ends first
    _wait_for_parses_ahead()
    folder = Path(warehouse_file).resolve().parent
    with _dbt_environment(warehouse_file, landing):
        cwd = os.getcwd()
        os.chdir(folder)
        try:
            with _duckdb_closed_after():
                return dbtRunner(manifest=manifest).invoke(_dbt_args(command, extra or []))
        finally:
            os.chdir(cwd)


@contextmanager
def _dbt_environment(warehouse_file: Path, landing: Path) -> Iterator[None]:
    """The environment a dbt call of a build sees (set for the block, then restored).

    The profile's paths are relative to the warehouse's folder (``run_dbt``), so the profile
    renders the same for a parse ahead of the build (``parse_ahead``) as for the build itself.
    """
    folder = Path(warehouse_file).resolve().parent
    env = {
        "CJB_BUILD_PATH": os.path.relpath(Path(warehouse_file).resolve(), folder),
        "CJB_LANDING_PATH": os.path.relpath(Path(landing).resolve(), folder),
    }
    # dbt's per-node lines go to logs/dbt.log, not the console: the build summary reports the
    # counts and every failure. DBT_QUIET=false in the environment brings them back.
    env["DBT_QUIET"] = os.environ.get("DBT_QUIET", "true")
    # logs/dbt.log at info level (every node's result and failure), not debug (every SQL
    # statement: 10 MB a national build, and seconds of the build's time); DBT_LOG_LEVEL_FILE=debug
    # brings the statements back. The failures come back through the result object, so dbt
    # need not write target/run_results.json and manifest.json (DBT_WRITE_JSON=true to have them).
    env["DBT_LOG_LEVEL_FILE"] = os.environ.get("DBT_LOG_LEVEL_FILE", "info")
    env["DBT_WRITE_JSON"] = os.environ.get("DBT_WRITE_JSON", "false")
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


# --- parsing the project ahead of a build -------------------------------------------------
#
# Before its first node, an in-process dbt build imports dbt (about 1.8 s on the benchmark
# machine) and parses the project partially (about 1.7 s), in Python, one core. `cjb run` lands
# first and builds after, so it calls `parse_ahead` before landing: a background thread imports
# dbt and parses while the landing runs, and the build hands the parsed project to dbt
# (``dbtRunner(manifest=...)``, dbt's way to reuse a parse). The build uses it only if the
# project is unchanged since (``project_fingerprint``); otherwise, or if that parse failed,
# dbt parses as it always does. docs/operations.md, "Building at scale".


@dataclass
class _ParseAhead:
    fingerprint: str  # the project when the parse started
    done: threading.Event = field(default_factory=threading.Event)
    manifest: object | None = None
    error: BaseException | None = None


_PARSED_AHEAD: dict[Path, _ParseAhead] = {}
_PARSED_AHEAD_LOCK = threading.Lock()
PARSE_AHEAD_THREAD = "cjb-parse-ahead"


def parse_ahead(warehouse: Path) -> None:
    """Start importing dbt and parsing the project, in a background thread, for the next
    DuckDB build of ``warehouse`` in this process (which waits for it, and then uses it)."""
    key = Path(warehouse).resolve()
    job = _ParseAhead(project_fingerprint())
    with _PARSED_AHEAD_LOCK:
        _PARSED_AHEAD[key] = job
    threading.Thread(
        target=_parse_project, args=(key, job), name=PARSE_AHEAD_THREAD, daemon=True
    ).start()


def _parse_project(warehouse: Path, job: _ParseAhead) -> None:
    try:
        from dbt.cli.main import dbtRunner

        # no change of working directory (the landing runs meanwhile): parsing opens no
        # database, and every path dbt reads or writes while parsing is absolute (_dbt_args)
        with _dbt_environment(building_path(warehouse), landing_path(warehouse)):
            res = dbtRunner().invoke(_dbt_args("parse", []))
        if res.success and res.result is not None:
            job.manifest = res.result
        else:
            job.error = res.exception or CjbError("dbt parse failed")
    except BaseException as exc:  # reported by the build, which then parses itself
        job.error = exc
    finally:
        job.done.set()


def _wait_for_parses_ahead() -> None:
    with _PARSED_AHEAD_LOCK:
        running = list(_PARSED_AHEAD.values())
    for job in running:
        job.done.wait()


def _parsed_ahead(warehouse: Path, fingerprint: str):
    """The project parsed ahead of this build of ``warehouse`` (waiting for the parse to end),
    or None: none was started, it failed, or the project changed since it started."""
    with _PARSED_AHEAD_LOCK:
        job = _PARSED_AHEAD.pop(Path(warehouse).resolve(), None)
    if job is None:
        return None
    job.done.wait()
    if job.error is not None:
        log.warning("dbt parses the project again: parsing it ahead failed (%s)", job.error)
        return None
    if job.fingerprint != fingerprint:
        log.info("dbt parses the project again: it changed since it was parsed ahead")
        return None
    return job.manifest


@contextmanager
def _duckdb_closed_after() -> Iterator[None]:
    """Close every DuckDB database dbt-duckdb opens in the block, when it ends.

    The profile keeps dbt-duckdb's database open for the whole dbt call (``keep_open: true``).
    With ``keep_open: false`` dbt-duckdb closes it whenever no node holds a connection, which
    with two threads happens between nodes dozens of times a build; each time it checkpoints,
    then opens the file again, attaches the landing store and starts from a cold cache (65
    times, about 4 s of work, in a national incremental build). But at the end of the call
    dbt-duckdb only drops its reference to the open database, which would keep the file open
    in this process (no swap, no other reader): so every database it opened in the block is
    closed here, after dbt has closed its own connections.
    """
    try:
        from dbt.adapters.duckdb import environments
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # no dbt-duckdb: nothing to close
        yield
        return
    opened: list = []
    create = environments.create

    def create_and_track(credentials):
        env = create(credentials)
        opened.append(env)
        return env

    environments.create = create_and_track
    try:
        yield
    finally:
        environments.create = create
        # dbt-duckdb reuses the environment of an earlier call with the same profile (the paths
        # are relative, so the same for every build) and opens its database again: close that
        # one too. A closed environment opens its database afresh when next used.
        current = getattr(DuckDBConnectionManager, "_ENV", None)
        if current is not None and current not in opened:
            opened.append(current)
        for env in opened:
            env.close()


def _nodes(res) -> list[NodeResult]:
    results = getattr(res.result, "results", None) or []
    out = []
    for r in results:
        node = r.node
        out.append(
            NodeResult(
                unique_id=node.unique_id,
                resource_type=str(getattr(node.resource_type, "value", node.resource_type)),
                status=str(getattr(r.status, "value", r.status)),
                message=r.message,
                failures=r.failures,
            )
        )
    return out


TARGETS = ("duckdb", "spark")

# An incremental refresh rebuilds and tests what newly landed data can change, in the copy of
# the live warehouse it starts from: every model downstream of a source, and the tests of those
# models. The project is unchanged since the live build (else plan_refresh asks for a full
# rebuild), so the views are already in place as they were, and the seeds and the dimensions
# built from seeds alone hold what they held. Unit tests: unit_tests_due.
INCREMENTAL_SELECTION = [
    "--select",
    "source:*+",
    "--exclude",
    "config.materialized:view",
]
WITHOUT_UNIT_TESTS = ["--exclude-resource-type", "unit_test"]


def unit_tests_due(plan: RefreshPlan, unit_tests: bool | None) -> str | None:
    """Why this build leaves dbt's unit tests out, or None when it runs them.

    Unit tests check the models' SQL on fixed fixtures, never the data: their outcome depends
    only on the project, and CI runs them on every change. As dbt recommends for production,
    builds of a project the warehouse has already been built with skip them. They run when the
    project changed since the live build (or the live build predates that record), and
    whenever asked (``unit_tests=True``, ``cjb build --unit-tests``); ``unit_tests=False``
    leaves them out.
    """
    if unit_tests is True:
        return None
    if unit_tests is False:
        return "not asked for"
    if plan.project_changed:
        return None
    if plan.first:
        return "first build of this warehouse; CI runs them on every change to the project"
    return "the project is unchanged since the live build, which ran them or skipped them so"


def build_warehouse(
    warehouse: Path,
    *,
    select: list[str] | None = None,
    target: str = "duckdb",
    full_refresh: bool = False,
    unit_tests: bool | None = None,
) -> BuildResult:
    """Run ``dbt build`` into a new file and swap it over ``warehouse`` when everything passed.

    With ``select`` (dbt node selection), the new file starts as a copy of the live warehouse
    and only the selected nodes are rebuilt and tested.

    On DuckDB every build starts from a copy of the live warehouse, so the incremental facts
    take in only the files landed since (``plan_refresh``); ``full_refresh`` (or a reason
    ``plan_refresh`` finds: no refresh state, a changed project, a reset landing store)
    rebuilds everything from an empty file instead (``dbt build --full-refresh``).

    ``target="spark"`` computes the build on Apache Spark instead (``cjb.build_spark``: needs
    the spark extra and Java 17) and installs it the same way: same live file, same Parquet
    exports.

    On DuckDB, dbt's unit tests run when the project changed since the live build, or when
    ``unit_tests`` is True; otherwise they are left out (``unit_tests_due``). Spark builds run
    what they are asked to (``cjb.build_spark``).
    """
    if target not in TARGETS:
        raise CjbError(f"unknown build target {target!r}: choose one of {', '.join(TARGETS)}")
    with build_lock(warehouse):
        if target == "spark":
            from cjb.build_spark import build_warehouse_spark

            return build_warehouse_spark(warehouse, select=select)
        return _build_duckdb(
            Path(warehouse), select=select, full_refresh=full_refresh, unit_tests=unit_tests
        )


def _build_duckdb(
    warehouse: Path, *, select: list[str] | None, full_refresh: bool, unit_tests: bool | None
) -> BuildResult:
    landing = landing_path(warehouse)
    if not landing.exists():
        # A warehouse with nothing landed still builds (empty marts): create the empty store.
        open_store(landing).close()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(warehouse)
    target = building_path(warehouse)
    _unlink_db(target)

    plan = plan_refresh(warehouse, landing, full_refresh=full_refresh, partial=bool(select))
    extra = ["--select", *select] if select else []
    if plan.full:
        extra.append("--full-refresh")
    elif not select:
        extra += INCREMENTAL_SELECTION
    skip_unit_tests = unit_tests_due(plan, unit_tests)
    if skip_unit_tests:
        extra += WITHOUT_UNIT_TESTS
    if warehouse.exists() and (select or not plan.full):
        # Start from a copy of the live warehouse: the incremental facts need their previous
        # state, and a partial build must still swap in a complete warehouse (the selected
        # models rebuilt, everything else as it was).
        clone_file(warehouse, target)
    manifest = _parsed_ahead(warehouse, plan.fingerprint)
    try:
        res = run_dbt("build", target, landing, extra, manifest=manifest)
    except Exception as exc:  # dbt raised instead of reporting
        _unlink_db(target)
        raise CjbError(f"dbt build could not run: {exc}") from exc

    nodes = _nodes(res)
    error = None if res.exception is None else str(res.exception)
    success = bool(res.success) and error is None and not any(n.status in _FAILED for n in nodes)
    result = BuildResult(warehouse=warehouse, success=success, nodes=nodes, error=error)
    result.refresh, result.refresh_reason = plan.mode, plan.reason
    result.unit_tests_skipped = skip_unit_tests
    try:
        if success:
            build_id = new_build_id()
            record_refresh(target, plan, build_id)
            finalize_build(target, build_id, descriptions=_descriptions(res))
            install_build(target, warehouse)
            result.swapped = True
            result.build_id = build_id
    except (OSError, duckdb.Error) as exc:
        result.success = False
        result.error = f"could not install the new build: {exc}"
    finally:
        _unlink_db(target)
    return result


# --- installing a build -------------------------------------------------------------------

BUILD_TABLE = "warehouse_build"  # audit.warehouse_build

_BUILD_TABLE_COMMENT = (
    "One row per table of the marts and audit schemas in this build of the warehouse: "
    "which build it is, when it was built and how many rows each table holds."
)
_BUILD_COLUMN_COMMENTS = {
    "build_id": "Identifies the build (UTC build time and process id); also stored in each "
    "Parquet export's key/value metadata as cjb_build_id.",
    "built_at": "When the build was installed (UTC).",
    "schema_name": "Schema of the table: marts or audit.",
    "table_name": "Table name.",
    "row_count": "Rows in the table in this build.",
}


def new_build_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ") + f"-{os.getpid()}"


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process is not building now: its own leftovers are stale
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _unlink_db(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def clean_leftovers(warehouse: Path) -> list[Path]:
    """Delete temporary files of builds whose process is gone (killed or crashed builds).

    Called under ``build_lock``: no other build of this warehouse is running, so a build file
    lying there is a leftover.
    """
    warehouse = Path(warehouse)
    removed = []
    building = building_path(warehouse)
    for p in (building, building.with_name(building.name + ".wal")):
        if p.exists():
            p.unlink()
            removed.append(p)
    for p in warehouse.parent.glob(f".{warehouse.name}.building-*"):
        pid = p.name.rsplit("-", 1)[-1].removesuffix(".wal")
        if pid.isdigit() and _pid_alive(int(pid)):
            continue
        p.unlink(missing_ok=True)
        removed.append(p)
    removed += exports.clean_leftovers(warehouse, _pid_alive)
    return removed


def _descriptions(res) -> dict[tuple[str, str], tuple[str, dict[str, str]]]:
    """(schema, relation) -> (description, {column: description}) for models and seeds built."""
    out = {}
    for r in getattr(res.result, "results", None) or []:
        node = r.node
        kind = str(getattr(node.resource_type, "value", node.resource_type))
        if kind not in ("model", "seed", "snapshot"):
            continue
        name = getattr(node, "alias", None) or node.name
        columns = {
            col: (info.description or "").strip()
            for col, info in (getattr(node, "columns", None) or {}).items()
        }
        out[(node.schema, name)] = ((node.description or "").strip(), columns)
    return out


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def finalize_build(
    building: Path,
    build_id: str,
    *,
    descriptions: dict[tuple[str, str], tuple[str, dict[str, str]]] | None = None,
) -> None:
    """Write descriptions as comments and ``audit.warehouse_build`` into a complete build."""
    con = duckdb.connect(str(building))
    try:
        relations = {
            (s, n): kind
            for s, n, kind in con.execute(
                "select schema_name, table_name, 'TABLE' from duckdb_tables() "
                "where database_name = current_database() "
                "union all select schema_name, view_name, 'VIEW' from duckdb_views() "
                "where database_name = current_database() and not internal"
            ).fetchall()
        }
        for (schema, name), (text, columns) in (descriptions or {}).items():
            kind = relations.get((schema, name))
            if kind is None:
                continue
            rel = f"{_ident(schema)}.{_ident(name)}"
            if text:
                con.execute(f"COMMENT ON {kind} {rel} IS {_lit(text)}")
            for col, col_text in columns.items():
                # A documented column the relation lacks is dbt's to report: skip it here.
                if col_text:
                    with suppress(duckdb.Error):
                        con.execute(f"COMMENT ON COLUMN {rel}.{_ident(col)} IS {_lit(col_text)}")
        con.execute("CREATE SCHEMA IF NOT EXISTS audit")
        con.execute(
            f"CREATE OR REPLACE TABLE audit.{BUILD_TABLE} (build_id VARCHAR NOT NULL, "
            "built_at TIMESTAMP NOT NULL, schema_name VARCHAR NOT NULL, "
            "table_name VARCHAR NOT NULL, row_count BIGINT NOT NULL)"
        )
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where database_name = current_database() and schema_name in ('marts', 'audit') "
            "and table_name <> ? order by all",
            [BUILD_TABLE],
        ).fetchall()
        built_at = datetime.now(UTC).replace(tzinfo=None)
        for schema, name in tables:
            (count,) = con.execute(
                f"select count(*) from {_ident(schema)}.{_ident(name)}"
            ).fetchall()[0]
            con.execute(
                f"INSERT INTO audit.{BUILD_TABLE} VALUES (?, ?, ?, ?, ?)",
                [build_id, built_at, schema, name, count],
            )
        con.execute(f"COMMENT ON TABLE audit.{BUILD_TABLE} IS {_lit(_BUILD_TABLE_COMMENT)}")
        for col, text in _BUILD_COLUMN_COMMENTS.items():
            con.execute(f"COMMENT ON COLUMN audit.{BUILD_TABLE}.{col} IS {_lit(text)}")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def build_id_of(warehouse_file: Path) -> str | None:
    """The build id recorded in a warehouse file (None for a file without one)."""
    con = duckdb.connect(str(warehouse_file), read_only=True)
    try:
        return con.execute(f"select max(build_id) from audit.{BUILD_TABLE}").fetchall()[0][0]
    except duckdb.CatalogException:
        return None
    finally:
        con.close()


@contextmanager
def install_lock(warehouse: Path) -> Iterator[None]:
    """Serialise installs into one warehouse folder (released if the process dies)."""
    with _file_lock(Path(warehouse).with_name(f".{Path(warehouse).name}.install.lock")):
        yield


def install_build(building: Path, warehouse: Path) -> str:
    """Make a complete, finalized build file live: Parquet exports first, then both swaps.

    ``building`` must sit in the live warehouse's folder (``os.replace`` is atomic only within
    one filesystem). Returns the build id. Raises (leaving everything live unchanged) when the
    Parquet export fails.
    """
    building, warehouse = Path(building), Path(warehouse)
    if building.resolve().parent != warehouse.resolve().parent:
        raise CjbError(f"{building}: a build must be written beside {warehouse} to be swapped in")
    build_id = build_id_of(building) or new_build_id()
    with install_lock(warehouse):
        staged = exports.stage_parquet(warehouse, building, build_id)
        try:
            # A write-ahead log left beside the live file belongs to the old file: it must never
            # be replayed onto the new one.
            warehouse.with_name(warehouse.name + ".wal").unlink(missing_ok=True)
            os.replace(building, warehouse)
        except BaseException:
            exports.discard_staged(staged)
            raise
        exports.swap_parquet(warehouse, staged)
    return build_id


# --- incremental refresh ------------------------------------------------------------------
#
# A DuckDB build starts from a copy of the live warehouse; the incremental facts
# (macros/incremental_refresh.sql) take in only the raw rows of files not yet in
# ``audit.warehouse_build_files``. That table is written here, after dbt passed and before the
# build is finalized: the files landed when the build *started* (read before dbt runs, so a file
# landed meanwhile is at worst taken in again next time, never skipped). Partial builds
# (``select``) leave it as it was. docs/operations.md, "Incremental refresh and full rebuilds".

FILES_TABLE = "warehouse_build_files"  # audit.warehouse_build_files
REFRESH_TABLE = "warehouse_refreshes"  # audit.warehouse_refreshes

# What the dbt project's results depend on: a change to any of these (a model, a macro, a seed
# the Board edits, the project's vars) or to the tools rebuilds everything once.
_PROJECT_INPUTS = ("dbt_project.yml", "models", "macros", "seeds")

_FILES_COMMENT = (
    "One row per landed file whose rows the incremental facts of this warehouse have taken in, "
    "and the build that first took it in (since the last full rebuild)."
)
_REFRESH_COMMENT = (
    "One row per build since the last full rebuild: full or incremental, why, and how many "
    "landed files it took in."
)


@dataclass
class RefreshPlan:
    mode: str  # "full" or "incremental"
    reason: str
    landed: list[tuple[str, str, str, str | None]]  # (sha256, source, file_name, period)
    fingerprint: str
    partial: bool = False
    project_changed: bool = False  # the live build was made with another project (or unknown)
    first: bool = False  # no live warehouse yet

    @property
    def full(self) -> bool:
        return self.mode == "full"


def project_fingerprint(root: Path = PROJECT_ROOT) -> str:
    """SHA-256 over the dbt project's inputs and the tool versions (a few milliseconds)."""
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256()
    for dist in ("dbt-core", "dbt-duckdb", "duckdb"):
        digest.update(f"{dist}={version(dist)}\n".encode())
    for name in _PROJECT_INPUTS:
        base = root / name
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in files:
            rel = path.relative_to(root)
            if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
                continue
            digest.update(f"{rel.as_posix()}\n".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _landed_files(landing: Path) -> list[tuple[str, str, str, str | None]]:
    con = duckdb.connect(str(landing), read_only=True)
    try:
        return con.execute(
            "select sha256, source, file_name, period from audit.landed_files "
            "where status = 'landed' order by landed_at, sha256"
        ).fetchall()
    finally:
        con.close()


def plan_refresh(
    warehouse: Path, landing: Path, *, full_refresh: bool = False, partial: bool = False
) -> RefreshPlan:
    """Decide whether this build can refresh the live warehouse or must rebuild from empty.

    Full when asked, when there is no live warehouse or it carries no refresh state (built
    before incremental refresh), when the dbt project or the tools changed since it was built
    (``project_fingerprint``: new logic or seeds must reach every row), and when the landing
    store no longer holds every file the live build took in (a reset or replaced store: rows
    the facts hold may be gone).
    """
    landed = _landed_files(landing)
    fingerprint = project_fingerprint()

    def plan(mode: str, reason: str, changed: bool = False, first: bool = False) -> RefreshPlan:
        return RefreshPlan(mode, reason, landed, fingerprint, partial, changed, first)

    if not Path(warehouse).exists():
        reason = "full refresh requested" if full_refresh else "no live warehouse yet"
        return plan("full", reason, first=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        built = {
            r[0] for r in con.execute(f"select file_sha256 from audit.{FILES_TABLE}").fetchall()
        }
        last = con.execute(
            f"select project_fingerprint from audit.{REFRESH_TABLE} order by built_at desc limit 1"
        ).fetchall()
    except duckdb.CatalogException:
        built, last = set(), []
        no_state = True
    else:
        no_state = False
    finally:
        con.close()
    changed = no_state or not last or last[0][0] != fingerprint
    if full_refresh:
        return plan("full", "full refresh requested", changed)
    if no_state:
        return plan("full", "the live warehouse has no incremental refresh state", changed)
    if changed:
        return plan("full", "the dbt project or its tools changed since the live build", changed)
    missing = built - {row[0] for row in landed}
    if missing:
        return plan(
            "full",
            f"the landing store lacks {len(missing)} file(s) the live build took in "
            "(reset or replaced)",
        )
    new = len({row[0] for row in landed} - built)
    return plan("incremental", f"{new} landed file(s) new since the live build")


def record_refresh(building: Path, plan: RefreshPlan, build_id: str) -> None:
    """Write the refresh state into a passed build (before ``finalize_build``)."""
    if plan.partial:
        return  # a partial build may not have taken every file into every fact
    con = duckdb.connect(str(building))
    try:
        con.execute("CREATE SCHEMA IF NOT EXISTS audit")
        if plan.full:
            con.execute(f"DROP TABLE IF EXISTS audit.{FILES_TABLE}")
            con.execute(f"DROP TABLE IF EXISTS audit.{REFRESH_TABLE}")
        con.execute(
            f"CREATE TABLE IF NOT EXISTS audit.{FILES_TABLE} (file_sha256 VARCHAR NOT NULL, "
            "source VARCHAR NOT NULL, file_name VARCHAR NOT NULL, period VARCHAR, "
            "first_build_id VARCHAR NOT NULL)"
        )
        con.execute(
            f"CREATE TABLE IF NOT EXISTS audit.{REFRESH_TABLE} (build_id VARCHAR NOT NULL, "
            "built_at TIMESTAMP NOT NULL, refresh VARCHAR NOT NULL, reason VARCHAR NOT NULL, "
            "files_taken_in BIGINT NOT NULL, project_fingerprint VARCHAR NOT NULL)"
        )
        before = con.execute(f"select count(*) from audit.{FILES_TABLE}").fetchall()[0][0]
        if plan.landed:
            con.executemany(
                f"INSERT INTO audit.{FILES_TABLE} SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS "
                f"(SELECT 1 FROM audit.{FILES_TABLE} WHERE file_sha256 = ?)",
                [[sha, src, name, period, build_id, sha] for sha, src, name, period in plan.landed],
            )
        after = con.execute(f"select count(*) from audit.{FILES_TABLE}").fetchall()[0][0]
        con.execute(
            f"INSERT INTO audit.{REFRESH_TABLE} VALUES (?, ?, ?, ?, ?, ?)",
            [
                build_id,
                datetime.now(UTC).replace(tzinfo=None),
                plan.mode,
                plan.reason,
                after - before,
                plan.fingerprint,
            ],
        )
        con.execute(f"COMMENT ON TABLE audit.{FILES_TABLE} IS {_lit(_FILES_COMMENT)}")
        con.execute(f"COMMENT ON TABLE audit.{REFRESH_TABLE} IS {_lit(_REFRESH_COMMENT)}")
    finally:
        con.close()


_FICLONE = 0x40049409  # Linux ioctl: share the source's blocks (btrfs, XFS, ...)


def clone_file(src: Path, dst: Path) -> None:
    """Copy ``src`` to ``dst``: a reflink where the filesystem supports one, else a full copy."""
    try:
        with open(src, "rb") as fin, open(dst, "wb") as fout:
            fcntl.ioctl(fout.fileno(), _FICLONE, fin.fileno())
        shutil.copystat(src, dst)
    except OSError:
        shutil.copy2(src, dst)
