"""Import Great Expectations without pyspark, and with ``scipy.stats`` loaded only when used.
``cjb/landing/__init__.py`` imports this first, so it runs before any landing module imports GE."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import threading
import types

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


class _OnFirstUse(types.ModuleType):
    """Stands in ``sys.modules`` for a module until one of its attributes is first read.

    It carries the module's metadata (``__name__``, ``__file__``, ``__spec__``, ``__path__``
    ...), so code that only looks at modules does not load it: ``inspect.getmodule`` reads
    ``__file__`` of every module in ``sys.modules``, and dbt calls it when it sets up its
    adapter (``BehaviorFlagRendered._default_source``), once per build; a stand-in that loaded
    on any attribute (``importlib.util.LazyLoader``) was loaded there, which cost every
    ``cjb run`` and ``cjb build`` about 1.7 s. Any other attribute imports the real module
    (which then replaces the stand-in in ``sys.modules``) and is read from it.
    """

    _lock = threading.Lock()

    def __getattr__(self, attr: str) -> object:  # only for attributes the stand-in lacks
        return getattr(self._real(), attr)

    def _real(self) -> types.ModuleType:
        name = self.__name__
        parent, _, child = name.rpartition(".")
        with self._lock:
            # out of the way first: the real import must not find the stand-in, neither in
            # sys.modules nor as its parent package's attribute (``from scipy import stats``)
            if sys.modules.get(name) is self:
                del sys.modules[name]
            if parent and getattr(sys.modules.get(parent), child, None) is self:
                delattr(sys.modules[parent], child)
            return importlib.import_module(name)


def _load_on_first_use(name: str) -> None:
    """Put a stand-in for module ``name`` in ``sys.modules`` (``_OnFirstUse``): the module is
    imported when one of its attributes is first read.

    GE imports ``scipy.stats`` when it is imported, for three expectations and metrics landing
    never uses (KL divergence and two Kolmogorov-Smirnov tests); only their functions call it.
    Loading it costs about 1 s of every landing's start-up. With the stand-in, any code that
    does use ``scipy.stats`` gets the real module on first use. Nothing is done when the module
    is already imported or is not installed.
    """
    if name in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(name)  # imports the parent package (scipy: 10 ms)
    except ModuleNotFoundError:
        return
    if spec is None or spec.loader is None:
        return
    stand_in = _OnFirstUse(name)
    stand_in.__spec__ = spec
    stand_in.__loader__ = spec.loader
    stand_in.__package__ = spec.parent if spec.submodule_search_locations is None else name
    if spec.has_location:
        stand_in.__file__ = spec.origin
    if spec.submodule_search_locations is not None:
        stand_in.__path__ = list(spec.submodule_search_locations)
    sys.modules[name] = stand_in
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, stand_in)


_load_on_first_use("scipy.stats")
gx = _import_great_expectations()
