"""Build the warehouse on Apache Spark (``cjb build --target spark``), install it like a DuckDB build.

The same dbt project builds on DuckDB (the default, ``cjb.build``) and on Spark (profiles.yml
target ``spark``: dbt-spark's ``session`` method, pyspark in a local JVM; docs/spark.md). What
analysts get does not change with the engine: a Spark build ends as the same live DuckDB file
(``marts.*``, ``audit.*``, plus the ``core`` facts and dimensions and the ``reference`` seeds)
and the same Parquet exports under ``<warehouse dir>/parquet/``, installed by the same atomic
swap (``cjb.build.install_build``). ``cjb query``, ``cjb report``, ``cjb publish`` and every
BI connection work unchanged.

A build, in a private folder ``<warehouse dir>/.spark-build-<pid>/``:

1. **Hand-off.** Spark cannot attach the landing store. Every table of its ``raw`` and
   ``audit`` schemas is written with DuckDB's ``COPY ... TO ... (FORMAT parquet)`` to
   ``landing/<schema>/<table>/part-0.parquet`` (``audit`` becomes ``landing_audit``, since the
   audit models own ``audit`` on Spark; JSON columns as text). The dbt on-run-start macro
   ``register_landing`` registers each folder as an external Spark table, e.g.
   ``raw.police_crimes``, where the sources point on Spark.
2. **dbt build on Spark**, in a child process (``python -m cjb.build_spark``): Spark's static
   settings (table folder, catalog) are fixed for the life of its JVM, so an in-process build
   could not give a second build in the same process its own folder and catalog, and the JVM
   (about 1 GB) would stay in the ``cjb``, Prefect or pytest process afterwards. The child
   gets ``spark/`` (``CJB_SPARK_DIR``: tables under ``spark-warehouse/``, an in-memory catalog
   by default, or a Derby metastore there with ``CJB_SPARK_CATALOG=hive``) and ``threads: 1``.
   dbt's progress goes to stdout as with a DuckDB build; the JVM's log goes to
   ``<warehouse dir>/spark-logs/`` with dbt's own log. After dbt, the child lists the
   tables it built (schema, Spark column types, Parquet folder) into ``spark_tables.json``.
3. **Into DuckDB.** Only when every node passed: each table of ``marts``, ``audit``, ``core``
   and ``reference`` is created in a new DuckDB file with the column types Spark reported
   (mapped by ``duckdb_type``: string -> VARCHAR, int -> INTEGER, decimal(p,s) -> DECIMAL(p,s)
   ...) and filled from Spark's Parquet files; then ``finalize_build`` (descriptions as
   comments, ``audit.warehouse_build``) and ``install_build`` (Parquet exports, atomic swap).
   Staging and intermediate models are views on Spark and are not copied.

The private folder is deleted afterwards (a killed build's folder goes with the next build).
Partial builds (``select``) are DuckDB-only: a Spark build starts from an empty catalog.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from cjb.errors import CjbError
from cjb.paths import PROJECT_ROOT, landing_path
from cjb.store import open_store

INSTALL_HINT = "install with pip install -e '.[spark]'"

# Landing store schema -> Spark schema of the handed-off tables (the sources' schemas on Spark).
LANDING_SCHEMAS = {"raw": "raw", "audit": "landing_audit"}

# Spark schemas copied into the live DuckDB file (views of staging / intermediate are not).
COPIED_SCHEMAS = ("marts", "audit", "core", "reference")

_WORK_PREFIX = ".spark-build-"
_LOGS_DIR = "spark-logs"
_TABLES_FILE = "spark_tables.json"
_PARTIAL_PARSE_CACHE = PROJECT_ROOT / "target" / "spark_partial_parse.msgpack"


# --- types -----------------------------------------------------------------------------------

_SPARK_TO_DUCKDB = {
    "string": "VARCHAR",
    "boolean": "BOOLEAN",
    "tinyint": "TINYINT",
    "smallint": "SMALLINT",
    "int": "INTEGER",
    "integer": "INTEGER",
    "bigint": "BIGINT",
    "float": "FLOAT",
    "double": "DOUBLE",
    "date": "DATE",
    "timestamp": "TIMESTAMP",  # Spark TIMESTAMP (session time zone UTC) -> wall clock in UTC
    "timestamp_ntz": "TIMESTAMP",
    "binary": "BLOB",
}

# Columns whose DuckDB type Spark cannot carry: the landing store's JSON stays JSON.
_DUCKDB_TYPE_OVERRIDES = {("audit", "quarantine", "raw_record"): "JSON"}

# Logical kinds shared by both engines' spellings (what "the same column type" means when a
# DuckDB build and a Spark build are compared): DuckDB VARCHAR / JSON and Spark string are
# `string`, INTEGER / int `int32`, BIGINT / bigint `int64`, DECIMAL(5,1) / decimal(5,1)
# `decimal(5,1)`, DOUBLE / double `double`, DATE / date `date`, BOOLEAN / boolean `boolean`,
# TIMESTAMP / timestamp / timestamp_ntz `timestamp`.
_KINDS = {
    "varchar": "string",
    "string": "string",
    "text": "string",
    "json": "string",
    "boolean": "boolean",
    "bool": "boolean",
    "tinyint": "int8",
    "smallint": "int16",
    "int": "int32",
    "integer": "int32",
    "bigint": "int64",
    "hugeint": "int128",
    "float": "float",
    "real": "float",
    "double": "double",
    "date": "date",
    "timestamp": "timestamp",
    "timestamp_ntz": "timestamp",
    "timestamp with time zone": "timestamptz",
    "blob": "binary",
    "binary": "binary",
}


def duckdb_type(spark_type: str) -> str:
    """The DuckDB column type for a Spark type as Spark spells it (``simpleString``)."""
    t = spark_type.strip().lower()
    m = re.fullmatch(r"decimal\((\d+),\s*(\d+)\)", t)
    if m:
        return f"DECIMAL({m.group(1)},{m.group(2)})"
    if re.fullmatch(r"(var)?char\(\d+\)", t):
        return "VARCHAR"
    try:
        return _SPARK_TO_DUCKDB[t]
    except KeyError:
        raise CjbError(f"Spark column type {spark_type!r} has no DuckDB mapping") from None


def logical_type(type_name: str) -> str:
    """An engine's column type (DuckDB or Spark spelling) as its logical kind, e.g.
    ``DECIMAL(5,1)`` and ``decimal(5,1)`` -> ``decimal(5,1)``, ``VARCHAR`` and ``string`` ->
    ``string``, ``INTEGER`` and ``int`` -> ``int32``, ``BIGINT`` and ``bigint`` -> ``int64``."""
    t = type_name.strip().lower()
    m = re.fullmatch(r"(?:decimal|numeric)\((\d+),\s*(\d+)\)", t)
    if m:
        return f"decimal({int(m.group(1))},{int(m.group(2))})"
    if re.fullmatch(r"(var)?char\(\d+\)", t):
        return "string"
    return _KINDS.get(t, t)


# --- prerequisites ---------------------------------------------------------------------------


def check_spark_available() -> None:
    """Raise a CjbError naming the fix when the spark extra or Java 17+ is missing."""
    missing = [m for m in ("pyspark", "dbt.adapters.spark") if _find_spec(m) is None]
    if missing:
        raise CjbError(
            f"the Spark target needs {' and '.join(missing)} (the project's spark extra): "
            f"{INSTALL_HINT}"
        )
    java = _java_executable()
    if java is None:
        raise CjbError(
            "the Spark target needs Java 17 or later: no java on PATH and JAVA_HOME is not set "
            "(e.g. apt-get install openjdk-17-jre-headless)"
        )
    version = _java_major_version(java)
    if version is not None and version < 17:
        raise CjbError(f"the Spark target needs Java 17 or later; {java} is Java {version}")


def _find_spec(module: str):
    try:
        return importlib.util.find_spec(module)
    except ModuleNotFoundError:
        return None


def _java_executable() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


def _java_major_version(java: str) -> int | None:
    try:
        out = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not m:
        return None
    major = int(m.group(1))
    return int(m.group(2)) if major == 1 and m.group(2) else major  # "1.8" is Java 8


# --- the Parquet hand-off --------------------------------------------------------------------


def hand_off_landing(landing: Path, out_dir: Path) -> list[str]:
    """Write every raw and audit table of the landing store as Parquet for Spark.

    ``out_dir/<spark schema>/<table>/part-0.parquet``; returns ``schema.table`` names.
    """
    con = duckdb.connect(str(landing), read_only=True)
    written = []
    try:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where database_name = current_database() and schema_name in ('raw', 'audit') "
            "order by all"
        ).fetchall()
        for schema, table in tables:
            columns = con.execute(
                "select column_name, data_type from duckdb_columns() "
                "where database_name = current_database() and schema_name = ? "
                "and table_name = ? order by column_index",
                [schema, table],
            ).fetchall()
            select = ", ".join(
                f"cast({_ident(c)} as varchar) as {_ident(c)}" if t == "JSON" else _ident(c)
                for c, t in columns
            )
            folder = out_dir / LANDING_SCHEMAS[schema] / table
            folder.mkdir(parents=True)
            con.execute(
                f"COPY (SELECT {select} FROM {_ident(schema)}.{_ident(table)}) "
                f"TO {_lit(str(folder / 'part-0.parquet'))} (FORMAT parquet)"
            )
            written.append(f"{LANDING_SCHEMAS[schema]}.{table}")
    finally:
        con.close()
    return written


# --- the build -------------------------------------------------------------------------------


@dataclass
class SparkTable:
    schema: str
    name: str
    location: str
    columns: list[tuple[str, str]] = field(default_factory=list)  # (name, Spark type)


def work_dir(warehouse: Path) -> Path:
    return Path(warehouse).parent / f"{_WORK_PREFIX}{os.getpid()}"


def clean_leftovers(warehouse: Path) -> list[Path]:
    """Remove private folders of Spark builds whose process is gone."""
    from cjb.build import _pid_alive

    removed = []
    for p in Path(warehouse).parent.glob(f"{_WORK_PREFIX}*"):
        pid = p.name.rsplit("-", 1)[-1]
        if pid.isdigit() and _pid_alive(int(pid)):
            continue
        shutil.rmtree(p, ignore_errors=True)
        removed.append(p)
    return removed


def build_warehouse_spark(
    warehouse: Path,
    *,
    select: list[str] | None = None,
    exclude: list[str] | None = None,
):
    """Run ``dbt build`` on Spark and install the result as the live warehouse (see module doc).

    ``exclude`` is passed to dbt (e.g. ``["test_type:data"]`` when a caller proves the data
    some other way); nothing is installed unless every node that ran passed.
    """
    from cjb import build as duck

    if select:
        raise CjbError(
            "partial builds (select) run on DuckDB only: a Spark build starts from an empty "
            "catalog and builds everything"
        )
    check_spark_available()
    warehouse = Path(warehouse)
    landing = landing_path(warehouse)
    if not landing.exists():
        open_store(landing).close()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    duck.clean_leftovers(warehouse)
    clean_leftovers(warehouse)

    work = work_dir(warehouse)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    building = duck.building_path(warehouse)
    duck._unlink_db(building)
    logs = warehouse.parent / _LOGS_DIR
    result = duck.BuildResult(warehouse=warehouse, success=False, target="spark")
    # A fresh catalog every time: always a full rebuild. The installed file carries no
    # incremental refresh state, so the next DuckDB build after it is a full one too.
    result.refresh, result.refresh_reason = "full", "Spark builds always rebuild everything"
    try:
        hand_off_landing(landing, work / "landing")
        proc = _run_worker(work, exclude or [], logs)
        manifest = _read_json(work / "target" / "manifest.json")
        run_results = _read_json(work / "target" / "run_results.json")
        result.nodes = _nodes(run_results, manifest)
        tables = _read_tables(work / _TABLES_FILE)
        result.engine_types = {
            f"{t.schema}.{t.name}": list(t.columns) for t in tables if t.schema == "marts"
        }
        failed = any(n.status in duck._FAILED for n in result.nodes)
        if proc.returncode != 0 or run_results is None or failed:
            if not failed:
                result.error = (
                    f"dbt on Spark exited with status {proc.returncode}: "
                    f"{_tail(logs / 'spark.log')} (logs in {logs})"
                )
            return result
        _copy_into_duckdb(tables, building)
        build_id = duck.new_build_id()
        duck.finalize_build(building, build_id, descriptions=_descriptions(manifest))
        duck.install_build(building, warehouse)
        result.success = True
        result.swapped = True
        result.build_id = build_id
        return result
    except (OSError, duckdb.Error) as exc:
        result.success = False
        result.error = f"the Spark build could not complete: {exc}"
        return result
    finally:
        duck._unlink_db(building)
        if not os.environ.get("CJB_SPARK_KEEP_BUILD_DIR"):
            shutil.rmtree(work, ignore_errors=True)


def _run_worker(work: Path, exclude: list[str], logs: Path) -> subprocess.CompletedProcess:
    """dbt build --target spark in a child process (module doc: why not in-process)."""
    target = work / "target"
    target.mkdir()
    if _PARTIAL_PARSE_CACHE.exists():
        # dbt's parse of the project, kept from the previous Spark build (saves ~5 s).
        shutil.copy2(_PARTIAL_PARSE_CACHE, target / "partial_parse.msgpack")
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    root = str(PROJECT_ROOT)
    args = [
        "build",
        "--target",
        "spark",
        "--project-dir",
        root,
        "--profiles-dir",
        root,
        "--target-path",
        str(target),
        "--log-path",
        str(logs),
    ]
    if exclude:
        args += ["--exclude", *exclude]
    env = dict(os.environ)
    env.update(
        {
            "CJB_SPARK_DIR": str(work / "spark"),
            "CJB_LANDING_PARQUET": str(work / "landing"),
            "PYSPARK_PYTHON": sys.executable,
        }
    )
    # As DuckDB builds (cjb.build.run_dbt): dbt's per-node lines go to the log only.
    env["DBT_QUIET"] = os.environ.get("DBT_QUIET", "true")
    # The result is read back from target/run_results.json and manifest.json: always write them
    # (a DuckDB build running in this process at the same time turns them off in os.environ).
    env["DBT_WRITE_JSON"] = "true"
    env.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # offline: no lookup of the host's address
    (work / "spark").mkdir()
    with open(logs / "spark.log", "wb") as err:
        proc = subprocess.run(
            [sys.executable, "-m", "cjb.build_spark", str(work), *args],
            env=env,
            cwd=str(work),  # anything Spark or Derby writes relative lands in the build folder
            stderr=err,
            check=False,
        )
    parsed = target / "partial_parse.msgpack"
    if parsed.exists():
        tmp = _PARTIAL_PARSE_CACHE.with_name(f".{_PARTIAL_PARSE_CACHE.name}.{os.getpid()}")
        _PARTIAL_PARSE_CACHE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(parsed, tmp)
        os.replace(tmp, _PARTIAL_PARSE_CACHE)
    return proc


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _read_tables(path: Path) -> list[SparkTable]:
    data = _read_json(path) or []
    return [
        SparkTable(t["schema"], t["name"], t["location"], [tuple(c) for c in t["columns"]])
        for t in data
    ]


def _nodes(run_results: dict | None, manifest: dict | None) -> list:
    from cjb.build import NodeResult

    kinds = {}
    for section in ("nodes", "unit_tests", "sources"):
        for uid, node in ((manifest or {}).get(section) or {}).items():
            kinds[uid] = node.get("resource_type") or uid.split(".", 1)[0]
    out = []
    for r in (run_results or {}).get("results") or []:
        uid = r["unique_id"]
        out.append(
            NodeResult(
                unique_id=uid,
                resource_type=kinds.get(uid, uid.split(".", 1)[0]),
                status=r.get("status"),
                message=r.get("message"),
                failures=r.get("failures"),
            )
        )
    return out


def _descriptions(manifest: dict | None) -> dict[tuple[str, str], tuple[str, dict[str, str]]]:
    """(schema, relation) -> (description, {column: description}) of models and seeds."""
    out = {}
    for node in ((manifest or {}).get("nodes") or {}).values():
        if node.get("resource_type") not in ("model", "seed"):
            continue
        name = node.get("alias") or node["name"]
        columns = {
            col: (info.get("description") or "").strip()
            for col, info in (node.get("columns") or {}).items()
        }
        out[(node["schema"], name)] = ((node.get("description") or "").strip(), columns)
    return out


def _copy_into_duckdb(tables: list[SparkTable], building: Path) -> None:
    """Create every copied Spark table in a new DuckDB file, typed as Spark reported."""
    con = duckdb.connect(str(building), config={"storage_compatibility_version": "v1.5.0"})
    try:
        con.execute("SET TimeZone = 'UTC'")  # Spark wrote timestamps in its session zone, UTC
        for t in sorted(tables, key=lambda t: (t.schema, t.name)):
            if t.schema not in COPIED_SCHEMAS:
                continue
            rel = f"{_ident(t.schema)}.{_ident(t.name)}"
            cols = ", ".join(
                f"{_ident(c)} " + _DUCKDB_TYPE_OVERRIDES.get((t.schema, t.name, c), duckdb_type(ty))
                for c, ty in t.columns
            )
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {_ident(t.schema)}")
            con.execute(f"CREATE TABLE {rel} ({cols})")
            files = sorted(str(p) for p in _local_path(t.location).glob("*.parquet"))
            if files:
                con.execute(
                    f"INSERT INTO {rel} BY NAME SELECT * FROM read_parquet(?)",
                    [files],
                )
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _local_path(location: str) -> Path:
    if location.startswith("file:"):
        location = re.sub(r"^file:(//)?", "", location)
    return Path(location)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _tail(path: Path, lines: int = 5) -> str:
    try:
        text = path.read_text(errors="replace").strip().splitlines()
    except OSError:
        return ""
    picked = [ln for ln in text if "ERROR" in ln or "Error" in ln][-lines:] or text[-lines:]
    return " | ".join(ln.strip() for ln in picked)


# --- the child process -----------------------------------------------------------------------


def _list_spark_tables(out: Path) -> None:
    """In the child, after dbt: every table of the copied schemas with its types and folder."""
    from pyspark.sql import SparkSession

    spark = SparkSession.getActiveSession() or SparkSession.builder.getOrCreate()
    tables = []
    for schema in COPIED_SCHEMAS:
        if not spark.catalog.databaseExists(schema):
            continue
        for t in spark.catalog.listTables(schema):
            if (t.tableType or "").upper() == "VIEW" or t.isTemporary:
                continue
            name = f"{schema}.{t.name}"
            fields = spark.table(name).schema.fields
            location = next(
                (
                    r["data_type"]
                    for r in spark.sql(f"describe table extended {name}").collect()
                    if r["col_name"] == "Location"
                ),
                None,
            )
            tables.append(
                {
                    "schema": schema,
                    "name": t.name,
                    "location": location,
                    "columns": [[f.name, f.dataType.simpleString()] for f in fields],
                }
            )
    out.write_text(json.dumps(tables, indent=1))


def _child(argv: list[str]) -> int:
    work, dbt_args = Path(argv[0]), argv[1:]
    from dbt.cli.main import dbtRunner

    started = time.monotonic()
    res = dbtRunner().invoke(dbt_args)
    if res.success:
        _list_spark_tables(work / _TABLES_FILE)
    print(f"dbt on Spark: {time.monotonic() - started:.0f} s", file=sys.stderr)
    return 0 if res.success else 1


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
