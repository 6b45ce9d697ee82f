"""``cjb query``: run one SQL statement against the live warehouse, read-only, and print it."""

from __future__ import annotations

from pathlib import Path

import duckdb

from cjb.errors import CjbError


def query(warehouse: Path, sql: str, *, max_rows: int = 200) -> str:
    if not Path(warehouse).exists():
        raise CjbError(f"{warehouse}: no warehouse yet (run `cjb run --inbox DIR` or `cjb demo`)")
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as exc:
        raise CjbError(f"{warehouse}: cannot open read-only: {exc}") from exc
    try:
        cur = con.execute(sql)
        if cur.description is None:
            return "ok"
        header = [d[0] for d in cur.description]
        rows = cur.fetchall()
    except duckdb.Error as exc:
        raise CjbError(f"query failed: {exc}") from exc
    finally:
        con.close()
    return _table(header, rows[:max_rows]) + (
        f"\n(first {max_rows} rows shown)" if len(rows) > max_rows else f"\n({len(rows)} rows)"
    )


def _table(header: list[str], rows: list[tuple]) -> str:
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(header)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    sep = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join([line, sep, *body])
