"""Import Great Expectations without pyspark. ``cjb/landing/__init__.py`` imports this first, so
it runs before any landing module imports GE."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


def _import_great_expectations():
    """Import GE with its pyspark probe answered "not installed".

    GE probes for pyspark on import, for its Spark engine, which landing never uses (rules run
    as DuckDB SQL, or on pandas batches). pyspark is installed with the spark extra, and
    importing it adds 0.2-1 s to the start-up of every command that lands. Worse, pyspark calls
    ``sys.exit(0)`` when imported by a ``python -c`` program, taking it for a doctest run
    (``pyspark/sql/connect/utils.py``): a landing started that way would stop silently with
    exit status 0. So while GE is imported, ``import pyspark`` fails as if it were missing
    (a ``None`` entry in ``sys.modules``); afterwards the entry is removed, and the Spark build
    (``cjb.build_spark``) imports pyspark as usual. When pyspark is already imported, GE finds
    it as it is.
    """
    blocked = "pyspark" not in sys.modules
    if blocked:
        sys.modules["pyspark"] = None  # type: ignore[assignment]
    try:
        import great_expectations
    finally:
        if blocked and sys.modules.get("pyspark", 0) is None:
            del sys.modules["pyspark"]
    return great_expectations


gx = _import_great_expectations()
