"""Fixtures for the BI access layer: a built warehouse, a DuckDB 1.5 client, a PostgreSQL server.

- ``access_warehouse``: a live warehouse built by the real pipeline (generated inbox, landed,
  ``dbt build`` through ``cjb.build``), shared read-only by the session. Tests that change it
  copy its folder first (``copy_warehouse``).
- ``duckdb15_python``: a Python with ``duckdb==1.5.5`` in its own virtual environment, cached in
  ``.venv/duckdb15/`` (created on first use, about 10 s; delete the folder to refresh).
- ``pg``: a throwaway PostgreSQL cluster from Debian's ``postgresql`` package (``bin/system-deps``
  installs it): ``initdb`` into a temporary folder, run as the unprivileged ``postgres`` user
  when the tests run as root, listening on a free 127.0.0.1 port only (socket in the temporary
  folder), stopped and deleted after the session.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DUCKDB15_VERSION = "1.5.5"
DUCKDB15_VENV = PROJECT_ROOT / ".venv" / "duckdb15"


# --- warehouses ---------------------------------------------------------------------------


def copy_warehouse(src: Path, dst_dir: Path) -> Path:
    """Copy a live warehouse, its landing store and its Parquet exports into ``dst_dir``."""
    dst_dir.mkdir(parents=True, exist_ok=True)
    for name in (src.name, f"{src.stem}_landing.duckdb"):
        if (src.parent / name).exists():
            shutil.copy2(src.parent / name, dst_dir / name)
    link = src.parent / "parquet"
    if link.exists():
        target = link.resolve()
        shutil.copytree(target, dst_dir / target.name)
        os.symlink(target.name, dst_dir / "parquet")
    return dst_dir / src.name


def _pipeline_warehouse(base: Path, inbox: Path) -> Path:
    """Land a generated inbox and build it: the real pipeline, no Prefect."""
    from cjb.build import build_warehouse
    from cjb.landing import land_inbox

    warehouse = base / "cjb.duckdb"
    land_inbox(inbox, warehouse)
    result = build_warehouse(warehouse)
    assert result.success, result.render()
    return warehouse


@pytest.fixture(scope="session")
def access_warehouse(tmp_path_factory, request) -> Path:
    """A live warehouse built by the real pipeline (generated inbox, landed, dbt build through
    ``cjb.build``): the suite's shared ``demo_warehouse`` when the top-level conftest defines
    it (built once for every area), else one built here from ``small_inbox``. Read-only."""
    try:
        warehouse = request.getfixturevalue("demo_warehouse")
    except pytest.FixtureLookupError:
        warehouse = _pipeline_warehouse(
            tmp_path_factory.mktemp("access_warehouse"), request.getfixturevalue("small_inbox")
        )
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        marts = con.execute(
            "select count(*) from duckdb_tables() where schema_name = 'marts'"
        ).fetchall()[0][0]
    finally:
        con.close()
    assert marts > 0, "the build produced no public marts"
    return warehouse


@pytest.fixture(scope="session")
def wh():
    """Helpers for tests (test modules cannot import each other under importlib mode)."""

    class Helpers:
        copy = staticmethod(copy_warehouse)
        counts = staticmethod(mart_counts)

    return Helpers


def mart_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every public mart."""
    names = [
        r[0]
        for r in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
        ).fetchall()
    ]
    return {n: con.execute(f'select count(*) from marts."{n}"').fetchall()[0][0] for n in names}


# --- DuckDB 1.5 client ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def duckdb15_python() -> Path:
    """``python`` of a virtual environment with duckdb 1.5.5, cached in ``.venv/duckdb15``."""
    python = DUCKDB15_VENV / "bin" / "python"
    stamp = DUCKDB15_VENV / f".duckdb-{DUCKDB15_VERSION}"
    if not stamp.exists():
        shutil.rmtree(DUCKDB15_VENV, ignore_errors=True)
        base = getattr(sys, "_base_executable", sys.executable)
        subprocess.run([base, "-m", "venv", str(DUCKDB15_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", f"duckdb=={DUCKDB15_VERSION}"],
            check=True,
        )
        stamp.touch()
    return python


# --- PostgreSQL ----------------------------------------------------------------------------


def _pg_bin() -> Path:
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3])
    )
    if not candidates:
        pytest.fail(
            "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin: run "
            "bin/system-deps (installs Debian's postgresql package)"
        )
    return candidates[-1].parent


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    bin: Path
    host: str
    port: int
    socket_dir: Path
    admin: str
    admin_password: str
    database: str = "bi"
    publisher: str = "cjb_publisher"
    publisher_password: str = ""
    reader_password: str = ""

    def dsn(self, user: str | None = None, password: str | None = None, db: str | None = None):
        user = user or self.admin
        if password is None:
            password = {
                self.admin: self.admin_password,
                self.publisher: self.publisher_password,
                "cjb_reader": self.reader_password,
            }.get(user, "")
        return (
            f"host={self.host} port={self.port} dbname={db or self.database} user={user} "
            f"password={password} connect_timeout=10"
        )

    def url(self, user: str, password: str, driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://{user}:{password}@{self.host}:{self.port}/{self.database}"

    @property
    def publisher_dsn(self) -> str:
        return self.dsn(self.publisher)

    @property
    def reader_dsn(self) -> str:
        return self.dsn("cjb_reader")

    def psql(self, *args: str, user: str = "cjb_reader", check: bool = True):
        env = {
            **os.environ,
            "PGPASSWORD": self.dsn(user).split("password=")[1].split()[0],
            "PGCONNECT_TIMEOUT": "10",
        }
        return subprocess.run(
            [
                str(self.bin / "psql"),
                "-X",
                "-h",
                self.host,
                "-p",
                str(self.port),
                "-U",
                user,
                "-d",
                self.database,
                "-v",
                "ON_ERROR_STOP=1",
                *args,
            ],
            capture_output=True,
            text=True,
            env=env,
            check=check,
            timeout=60,
        )


def _as_postgres(cmd: list[str]) -> list[str]:
    """Run a server command as the unprivileged ``postgres`` user when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@pytest.fixture(scope="session")
def pg():
    """A throwaway PostgreSQL cluster on 127.0.0.1, with a non-superuser publisher role.

    The publisher owns database ``bi`` and has CREATEROLE (to manage ``cjb_reader``): the least
    a production publish account needs.
    """
    import psycopg

    bindir = _pg_bin()
    root = Path(tempfile.mkdtemp(prefix="cjb-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    admin_pw = secrets.token_hex(12)
    pwfile = root / "pw"
    pwfile.write_text(admin_pw + "\n")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
        shutil.chown(pwfile, "postgres")
    port = _free_port()
    subprocess.run(
        _as_postgres(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "cjb_admin",
                "--pwfile",
                str(pwfile),
                "--auth-local=scram-sha-256",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
            ]
        ),
        check=True,
        capture_output=True,
    )
    opts = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={sock} "
        "-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
    )
    subprocess.run(
        _as_postgres(
            [str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(root / "log"), "-w"]
            + ["-t", "60", "start"]
        ),
        check=True,
        capture_output=True,
    )
    server = PgServer(bindir, "127.0.0.1", port, sock, "cjb_admin", admin_pw)
    server.publisher_password = secrets.token_hex(12)
    server.reader_password = secrets.token_hex(12)
    saved = os.environ.get("CJB_READER_PASSWORD")
    try:
        with psycopg.connect(server.dsn(db="postgres"), autocommit=True) as con:
            con.execute(
                f"CREATE ROLE {server.publisher} LOGIN CREATEROLE "
                f"PASSWORD '{server.publisher_password}'"
            )
            con.execute(f"CREATE DATABASE {server.database} OWNER {server.publisher}")
        os.environ["CJB_READER_PASSWORD"] = server.reader_password
        yield server
    finally:
        if saved is None:
            os.environ.pop("CJB_READER_PASSWORD", None)
        else:
            os.environ["CJB_READER_PASSWORD"] = saved
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        time.sleep(0.2)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def published(pg, access_warehouse):
    """The session's warehouse published once into ``marts`` (read-only for tests)."""
    from cjb.publish import publish_marts

    result = publish_marts(access_warehouse, pg.publisher_dsn)
    return result
