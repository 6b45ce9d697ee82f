"""``cjb publish``: copy the public marts into PostgreSQL for BI tools, atomically.

Every table of the live warehouse's ``marts`` schema is copied into a PostgreSQL schema (default
``marts``) in three steps:

1. **Snapshot.** The warehouse is opened read-only once, so the whole publish reads one build
   even if a new build is swapped in meanwhile.
2. **Load.** Each mart is created in a fresh staging schema ``<schema>_load_<time>_<pid>`` (no
   reader can see it) with faithfully mapped column types (``DECIMAL(p,s)`` -> ``numeric(p,s)``,
   ``VARCHAR`` -> ``text``, ``DATE``, ``TIMESTAMP``, ``BOOLEAN``, ``BIGINT``, ``DOUBLE`` ->
   ``double precision``, ...; ``NOT NULL`` kept), filled with ``COPY ... FROM STDIN`` from a
   CSV file DuckDB writes (both sides in C: no per-row Python), given the model's and every
   column's description as ``COMMENT ON TABLE/COLUMN`` (read from the warehouse's own table and
   column comments, which ``cjb build`` writes from the dbt documentation), and analysed.
3. **Switch, in ONE transaction.** Lock the live tables, drop them, move the loaded tables into
   the target schema (``ALTER TABLE ... SET SCHEMA``), drop tables of marts that no longer exist,
   grant the reader role, drop the staging schema, commit. A reader's statement sees either
   every old table or every new one: never a missing or half-loaded mart. Statements already
   reading an old table finish first (the switch waits for their locks, up to
   ``lock_timeout`` per attempt, retried); new statements queue behind the switch for the few
   milliseconds it holds its locks. If anything fails the transaction rolls back and the
   published marts stay as they were.

The read-only role ``cjb_reader`` (``READER_ROLE``) is created when missing as a ``NOLOGIN``
group role: grant it to the people and service accounts that read the marts
(``GRANT cjb_reader TO alice``). When ``$CJB_READER_PASSWORD`` is set, the role itself is given
``LOGIN`` with that password instead (one shared BI account). Either way it gets ``USAGE`` on the
marts schema, ``SELECT`` on its tables (and by default privileges on tables created there
later) and nothing else: no ``CREATE`` on any schema, no superuser/createdb/createrole. The
result warns when PostgreSQL itself lets every role create in a schema (``public`` before
PostgreSQL 15).

Publishes into one schema are serialised with a PostgreSQL advisory lock; staging schemas left
by a killed publish are dropped by the next one.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from cjb.errors import CjbError

READER_ROLE = "cjb_reader"
READER_PASSWORD_ENV = "CJB_READER_PASSWORD"

# DuckDB type -> PostgreSQL type. DECIMAL(p,s) and ENUM are handled in pg_type().
_TYPES = {
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "HUGEINT": "numeric(39,0)",
    "UTINYINT": "smallint",
    "USMALLINT": "integer",
    "UINTEGER": "bigint",
    "UBIGINT": "numeric(20,0)",
    "UHUGEINT": "numeric(39,0)",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "VARCHAR": "text",
    "DATE": "date",
    "TIME": "time",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP_S": "timestamp(0)",
    "TIMESTAMP_MS": "timestamp(3)",
    "TIMESTAMP_NS": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "TIME WITH TIME ZONE": "timetz",
    "INTERVAL": "interval",
    "UUID": "uuid",
    "JSON": "jsonb",
}
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


def pg_type(duckdb_type: str) -> str | None:
    """The PostgreSQL type for a DuckDB column type (None when there is no faithful one)."""
    t = duckdb_type.strip().upper()
    m = _DECIMAL.fullmatch(t)
    if m:
        return f"numeric({m.group(1)},{m.group(2)})"
    if t.startswith("ENUM("):
        return "text"
    return _TYPES.get(t)


@dataclass
class Column:
    name: str
    duckdb_type: str
    pg_type: str
    nullable: bool
    comment: str | None


@dataclass
class Mart:
    name: str
    comment: str | None
    columns: list[Column]
    rows: int = 0


@dataclass
class PublishResult:
    warehouse: Path
    schema: str
    marts: list[Mart] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    build_id: str | None = None
    reader_role: str = READER_ROLE
    reader_login: bool = False
    reader_password_from_env: bool = False
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(m.rows for m in self.marts)

    def render(self) -> str:
        lines = [
            "Publish",
            f"  warehouse: {self.warehouse}"
            + (f" (build {self.build_id})" if self.build_id else ""),
            f"  PostgreSQL schema: {self.schema}",
        ]
        for m in self.marts:
            lines.append(f"  {self.schema}.{m.name}: {m.rows} rows, {len(m.columns)} columns")
        for name in self.removed:
            lines.append(f"  removed {self.schema}.{name} (no longer in the warehouse)")
        lines.append(
            f"  {len(self.marts)} marts, {self.rows} rows in {self.seconds:.1f} s, switched in "
            "one transaction"
        )
        if self.reader_password_from_env:
            how = f"LOGIN, password from ${READER_PASSWORD_ENV}"
        elif self.reader_login:
            how = "LOGIN"
        else:
            how = f"group role: GRANT {self.reader_role} TO <user>"
        lines.append(f"  read-only role: {self.reader_role} ({how})")
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_marts(con: duckdb.DuckDBPyConnection, schema: str = "marts") -> list[Mart]:
    """The public marts of a warehouse with their columns, types and descriptions."""
    tables = con.execute(
        "select table_name, comment from duckdb_tables() "
        "where database_name = current_database() and schema_name = ? order by table_name",
        [schema],
    ).fetchall()
    marts = []
    for name, comment in tables:
        cols = con.execute(
            "select column_name, data_type, is_nullable, comment from duckdb_columns() "
            "where database_name = current_database() and schema_name = ? and table_name = ? "
            "order by column_index",
            [schema, name],
        ).fetchall()
        columns = []
        for col, dtype, nullable, col_comment in cols:
            target = pg_type(dtype)
            if target is None:
                raise CjbError(
                    f"{schema}.{name}.{col}: DuckDB type {dtype} has no PostgreSQL equivalent "
                    "cjb publish supports"
                )
            columns.append(Column(col, dtype, target, bool(nullable), col_comment or None))
        marts.append(Mart(name, comment or None, columns))
    return marts


def _connect_pg(dsn: str):
    import psycopg

    try:
        return psycopg.connect(dsn, autocommit=True, application_name="cjb publish")
    except psycopg.Error as exc:
        raise CjbError(f"cannot connect to PostgreSQL: {exc}") from exc


def _load_mart(duck, pg, staging: str, mart: Mart, tmpdir: Path, source_schema: str) -> None:
    from psycopg import sql

    cols_sql = sql.SQL(", ").join(
        sql.SQL("{} {}{}").format(
            sql.Identifier(c.name),
            sql.SQL(c.pg_type),
            sql.SQL("" if c.nullable else " NOT NULL"),
        )
        for c in mart.columns
    )
    table = sql.Identifier(staging, mart.name)
    csv_path = tmpdir / f"{mart.name}.csv"
    select = ", ".join(_q(c.name) for c in mart.columns)
    duck.execute(
        f"COPY (SELECT {select} FROM {_q(source_schema)}.{_q(mart.name)}) TO "
        f"'{str(csv_path).replace(chr(39), chr(39) * 2)}' (FORMAT csv, HEADER false)"
    )
    with pg.transaction(), pg.cursor() as cur:
        cur.execute(sql.SQL("CREATE TABLE {} ({})").format(table, cols_sql))
        copy_sql = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
            table, sql.SQL(", ").join(sql.Identifier(c.name) for c in mart.columns)
        )
        with cur.copy(copy_sql) as copy, open(csv_path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                copy.write(chunk)
        mart.rows = cur.rowcount if cur.rowcount >= 0 else 0
        if mart.comment:
            cur.execute(
                sql.SQL("COMMENT ON TABLE {} IS {}").format(table, sql.Literal(mart.comment))
            )
        for c in mart.columns:
            if c.comment:
                cur.execute(
                    sql.SQL("COMMENT ON COLUMN {}.{} IS {}").format(
                        table, sql.Identifier(c.name), sql.Literal(c.comment)
                    )
                )
    csv_path.unlink(missing_ok=True)
    pg.execute(sql.SQL("ANALYZE {}").format(table))


def _ensure_reader_role(cur, role: str, warnings: list[str]) -> bool:
    """Create or correct the read-only role; returns whether it can log in."""
    from psycopg import sql

    ident = sql.Identifier(role)
    password = os.environ.get(READER_PASSWORD_ENV)
    row = cur.execute(
        "select rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolcanlogin "
        "from pg_roles where rolname = %s",
        [role],
    ).fetchone()
    if row is None:
        cur.execute(
            sql.SQL(
                "CREATE ROLE {} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS "
                "NOINHERIT NOLOGIN"
            ).format(ident)
        )
        can_login = False
    else:
        supr, createdb, createrole, repl, bypass, can_login = row
        if supr or repl or bypass:
            raise CjbError(
                f"role {role} is a superuser, replication or bypassrls role: it cannot be the "
                "read-only role (fix it or drop it)"
            )
        if createdb or createrole:
            cur.execute(sql.SQL("ALTER ROLE {} NOCREATEDB NOCREATEROLE").format(ident))
    if password:
        cur.execute(sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(ident, sql.Literal(password)))
        can_login = True
    return bool(can_login)


def _grant_reader(cur, role: str, schema: str, tables: list[str], warnings: list[str]) -> None:
    from psycopg import sql

    ident, sch = sql.Identifier(role), sql.Identifier(schema)
    cur.execute(sql.SQL("REVOKE ALL ON SCHEMA {} FROM PUBLIC").format(sch))
    cur.execute(sql.SQL("REVOKE CREATE ON SCHEMA {} FROM {}").format(sch, ident))
    cur.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sch, ident))
    for t in tables:
        cur.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(sql.Identifier(schema, t), ident))
    cur.execute(
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT SELECT ON TABLES TO {}").format(
            sch, ident
        )
    )
    creatable = [
        r[0]
        for r in cur.execute(
            "select nspname from pg_namespace where has_schema_privilege(%s, oid, 'CREATE') "
            "order by nspname",
            [role],
        ).fetchall()
    ]
    if creatable:
        warnings.append(
            f"role {role} can create objects in schema(s) {', '.join(creatable)} through "
            "PUBLIC; run REVOKE CREATE ON SCHEMA <name> FROM PUBLIC (PostgreSQL 15+ does this "
            "for public by default)"
        )
    if cur.execute(
        "select has_database_privilege(%s, current_database(), 'CREATE')", [role]
    ).fetchone()[0]:
        warnings.append(f"role {role} can create schemas in this database through PUBLIC")


def _switch(pg, staging: str, schema: str, marts: list[Mart], role: str, comment: str, result):
    """Replace the published tables by the loaded ones in ONE transaction."""
    from psycopg import sql

    names = [m.name for m in marts]
    with pg.transaction(), pg.cursor() as cur:
        cur.execute("SET LOCAL lock_timeout = '10s'")
        cur.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        live = [
            r[0]
            for r in cur.execute(
                "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                "where n.nspname = %s and c.relkind in ('r', 'p') order by c.relname",
                [schema],
            ).fetchall()
        ]
        if live:
            # Take every lock first, in one statement and a fixed order (no deadlock with
            # readers touching several tables), then do the switch while holding them all.
            cur.execute(
                sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(
                    sql.SQL(", ").join(sql.Identifier(schema, t) for t in live)
                )
            )
        for t in live:
            cur.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(schema, t)))
        for t in names:
            cur.execute(
                sql.SQL("ALTER TABLE {} SET SCHEMA {}").format(
                    sql.Identifier(staging, t), sql.Identifier(schema)
                )
            )
        result.reader_login = _ensure_reader_role(cur, role, result.warnings)
        result.reader_password_from_env = bool(os.environ.get(READER_PASSWORD_ENV))
        _grant_reader(cur, role, schema, names, result.warnings)
        cur.execute(
            sql.SQL("COMMENT ON SCHEMA {} IS {}").format(
                sql.Identifier(schema), sql.Literal(comment)
            )
        )
        cur.execute(sql.SQL("DROP SCHEMA {}").format(sql.Identifier(staging)))
    result.removed = [t for t in live if t not in names]


def _lock_key(schema: str) -> str:
    return f"cjb publish {schema}"


def _drop_staging_leftovers(pg, schema: str) -> None:
    from psycopg import sql

    prefix = f"{schema}_load_"
    for (name,) in pg.execute(
        "select nspname from pg_namespace where starts_with(nspname, %s)", [prefix]
    ).fetchall():
        pg.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


def publish_marts(
    warehouse: Path,
    dsn: str,
    schema: str = "marts",
    *,
    reader_role: str = READER_ROLE,
    attempts: int = 6,
) -> PublishResult:
    """Copy every public mart of ``warehouse`` into PostgreSQL ``schema`` (see module doc)."""
    import psycopg

    warehouse = Path(warehouse)
    started = time.perf_counter()
    if not warehouse.exists():
        raise CjbError(f"{warehouse}: no warehouse yet (run `cjb run --inbox DIR` or `cjb demo`)")
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,40}", schema):
        raise CjbError(f"--schema {schema!r}: use lower-case letters, digits and _ (max 41)")
    if schema in ("public", "information_schema") or schema.startswith("pg_"):
        raise CjbError(f"--schema {schema}: publish into a schema of its own (default marts)")
    try:
        duck = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as exc:
        raise CjbError(f"{warehouse}: cannot open read-only: {exc}") from exc
    result = PublishResult(warehouse=warehouse, schema=schema, reader_role=reader_role)
    try:
        duck.execute("SET TimeZone = 'UTC'")
        result.marts = read_marts(duck)
        if not result.marts:
            raise CjbError(f"{warehouse}: no public marts (schema marts is empty) to publish")
        try:
            result.build_id = duck.execute(
                "select max(build_id) from audit.warehouse_build"
            ).fetchall()[0][0]
        except duckdb.CatalogException:
            result.build_id = None

        pg = _connect_pg(dsn)
        try:
            key = _lock_key(schema)
            if not pg.execute("select pg_try_advisory_lock(hashtext(%s))", [key]).fetchone()[0]:
                raise CjbError(f"another cjb publish into schema {schema} is running")
            _drop_staging_leftovers(pg, schema)
            staging = f"{schema}_load_{time.strftime('%Y%m%d%H%M%S')}_{os.getpid()}"
            pg.execute(f"CREATE SCHEMA {_q(staging)}")
            try:
                with tempfile.TemporaryDirectory(prefix="cjb-publish-") as tmp:
                    for mart in result.marts:
                        _load_mart(duck, pg, staging, mart, Path(tmp), "marts")
                comment = (
                    "WCJB public marts, published by cjb publish from "
                    f"{warehouse.name}"
                    + (f" build {result.build_id}" if result.build_id else "")
                    + f" at {time.strftime('%Y-%m-%d %H:%M:%S %Z')}. Read with role {reader_role}."
                )
                for attempt in range(1, attempts + 1):
                    try:
                        _switch(pg, staging, schema, result.marts, reader_role, comment, result)
                        break
                    except (
                        psycopg.errors.LockNotAvailable,
                        psycopg.errors.DeadlockDetected,
                    ) as exc:
                        if attempt == attempts:
                            raise CjbError(
                                f"could not switch schema {schema}: readers held its tables "
                                f"through {attempts} attempts ({exc}); the published marts are "
                                "unchanged"
                            ) from exc
                        time.sleep(min(2.0 * attempt, 10.0))
            except BaseException:
                with suppress(psycopg.Error):  # the connection may be what failed
                    pg.execute(f"DROP SCHEMA IF EXISTS {_q(staging)} CASCADE")
                raise
            finally:
                with suppress(psycopg.Error):  # released with the session anyway
                    pg.execute("select pg_advisory_unlock(hashtext(%s))", [key])
        except psycopg.Error as exc:
            raise CjbError(
                f"publish to PostgreSQL failed; published marts unchanged: {exc}"
            ) from exc
        finally:
            pg.close()
    finally:
        duck.close()
    result.seconds = time.perf_counter() - started
    return result
