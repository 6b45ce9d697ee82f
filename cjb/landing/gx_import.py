"""Import Great Expectations safely. ``cjb/landing/__init__.py`` imports this first, so it runs
before any landing module imports GE."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


def _import_great_expectations():
    """Import GE without letting pyspark end the process.

    GE probes for pyspark on import; pyspark (installed for dbt-spark) calls ``sys.exit(0)``
    when imported by a ``python -c`` program, taking it for a doctest run
    (``pyspark/sql/connect/utils.py``): a landing started that way would stop silently with exit
    status 0. Its test is "``__main__`` has no ``__file__`` and the session is not interactive",
    so the import runs as if interactive; nothing else changes.
    """
    main = sys.modules.get("__main__")
    guard = (
        main is not None
        and getattr(main, "__spec__", None) is None
        and not hasattr(main, "__file__")
        and not hasattr(sys, "ps1")
    )
    if guard:
        sys.ps1 = ""
    try:
        import great_expectations
    finally:
        if guard:
            del sys.ps1
    return great_expectations


gx = _import_great_expectations()
