"""Import Great Expectations without pyspark, and with ``scipy.stats`` loaded only when used.
``cjb/landing/__init__.py`` imports this first, so it runs before any landing module imports GE."""

from __future__ import annotations

import importlib.util
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


def _load_on_first_use(name: str) -> None:
    """Put module ``name`` in ``sys.modules`` as a lazy module: it is loaded (executed) when one
    of its attributes is first read (``importlib.util.LazyLoader``).

    GE imports ``scipy.stats`` when it is imported, for three expectations and metrics landing
    never uses (KL divergence and two Kolmogorov-Smirnov tests); only their functions call it.
    Loading it costs about 0.7 s of every landing's start-up. Lazily, any code that does use
    ``scipy.stats`` gets the real module on first use. Nothing is done when the module is
    already imported or is not installed.
    """
    if name in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(name)  # imports the parent package (scipy: 10 ms)
    except ModuleNotFoundError:
        return
    if spec is None or spec.loader is None:
        return
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, module)


_load_on_first_use("scipy.stats")
gx = _import_great_expectations()
