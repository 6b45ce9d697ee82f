"""Parquet exports of the public marts, beside the live warehouse.

Every successful build writes each public mart (every table in the ``marts`` schema) as
``<warehouse dir>/parquet/<mart>.parquet`` with DuckDB's ``COPY ... TO ... (FORMAT parquet)``.

Atomicity: a build writes all its files into a fresh folder ``.parquet-<build id>/`` first.
``parquet`` itself is a relative symbolic link to the current build's folder, and the switch is
one ``os.replace`` of a new link over the old one (``rename(2)``: atomic on POSIX). So a reader
resolving ``parquet/...`` sees either every file of the previous build or every file of the new
one, never a mix and never a missing folder. The previous build's folder is kept until the
next swap, so a reader that resolved the old folder just before a swap can still finish; files
already open stay readable even after their folder is deleted (POSIX unlink semantics). Each
file also carries the build id in its Parquet key/value metadata (``cjb_build_id``). On a
filesystem without symbolic links, ``parquet`` is a plain folder replaced by two renames (old
aside, new in), which leaves it missing for an instant.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import duckdb

PARQUET_LINK = "parquet"
_BUILD_DIR_PREFIX = ".parquet-"
_NEW_DIR_PREFIX = ".parquet.new-"


def parquet_dir(warehouse: Path) -> Path:
    """``<warehouse dir>/parquet``: the public marts as Parquet, one file per mart."""
    return Path(warehouse).parent / PARQUET_LINK


def public_marts(con: duckdb.DuckDBPyConnection, schema: str = "marts") -> list[str]:
    """The tables of the ``marts`` schema (the public marts), sorted by name."""
    rows = con.execute(
        "select table_name from duckdb_tables() "
        "where database_name = current_database() and schema_name = ? order by table_name",
        [schema],
    ).fetchall()
    return [r[0] for r in rows]


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def write_parquet(
    con: duckdb.DuckDBPyConnection, out_dir: Path, build_id: str, schema: str = "marts"
) -> list[Path]:
    """Write every public mart of ``con`` into ``out_dir`` (created; must not exist)."""
    out_dir.mkdir(parents=True)
    written = []
    for mart in public_marts(con, schema):
        path = out_dir / f"{mart}.parquet"
        con.execute(
            f"COPY (SELECT * FROM {_quote_ident(schema)}.{_quote_ident(mart)}) "
            f"TO {_quote_literal(str(path))} "
            f"(FORMAT parquet, COMPRESSION zstd, KV_METADATA {{cjb_build_id: {_quote_literal(build_id)}}})"
        )
        written.append(path)
    return written


def stage_parquet(warehouse: Path, building: Path, build_id: str) -> Path:
    """Export the marts of the (not yet live) ``building`` file into a new hidden folder."""
    base = Path(warehouse).parent
    tmp = base / f"{_NEW_DIR_PREFIX}{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    con = duckdb.connect(str(building), read_only=True)
    try:
        write_parquet(con, tmp, build_id)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        con.close()
    final = base / f"{_BUILD_DIR_PREFIX}{build_id}"
    os.rename(tmp, final)
    return final


def swap_parquet(warehouse: Path, staged: Path) -> Path:
    """Point ``parquet`` at ``staged`` in one rename; delete all but the previous build's folder."""
    base = Path(warehouse).parent
    link = base / PARQUET_LINK
    tmp_link = base / f".{PARQUET_LINK}.link-{os.getpid()}"
    tmp_link.unlink(missing_ok=True)
    try:
        os.symlink(staged.name, tmp_link, target_is_directory=True)
    except OSError:
        return _swap_by_rename(link, staged)
    previous: Path | None = None
    if link.is_symlink():
        previous = (base / os.readlink(link)).resolve()
    elif link.exists():
        # A real folder (made by hand, or by the fallback below): move it aside once.
        aside = base / f"{_BUILD_DIR_PREFIX}legacy-{time.strftime('%Y%m%dT%H%M%S')}"
        os.rename(link, aside)
        previous = aside.resolve()
    os.replace(tmp_link, link)
    keep = {staged.resolve(), previous}
    for old in base.glob(f"{_BUILD_DIR_PREFIX}*"):
        if old.is_dir() and not old.is_symlink() and old.resolve() not in keep:
            shutil.rmtree(old, ignore_errors=True)
    return link


def _swap_by_rename(link: Path, staged: Path) -> Path:
    """Fallback where the filesystem has no symbolic links: rename the old folder aside and the
    new one into place. Each rename is atomic, but between the two ``parquet`` is missing for
    a moment (readers retry); the old folder is deleted afterwards."""
    aside = link.with_name(f"{_BUILD_DIR_PREFIX}old-{os.getpid()}")
    shutil.rmtree(aside, ignore_errors=True)
    if link.is_symlink():
        link.unlink()
    elif link.exists():
        os.rename(link, aside)
    os.rename(staged, link)
    shutil.rmtree(aside, ignore_errors=True)
    return link


def discard_staged(staged: Path | None) -> None:
    if staged is not None:
        shutil.rmtree(staged, ignore_errors=True)


def clean_leftovers(warehouse: Path, alive) -> list[Path]:
    """Remove temporary Parquet folders and links left by builds that were killed."""
    base = Path(warehouse).parent
    removed = []
    for prefix in (_NEW_DIR_PREFIX, f".{PARQUET_LINK}.link-"):
        for p in base.glob(f"{prefix}*"):
            pid = p.name.rsplit("-", 1)[-1]
            if pid.isdigit() and alive(int(pid)):
                continue
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
            removed.append(p)
    # Staged build folders that never became current (a build killed between staging and swap)
    # are neither the link's target nor the previous one: swap_parquet removes them next time.
    return removed
