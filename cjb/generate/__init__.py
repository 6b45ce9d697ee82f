"""The synthetic agency-extract generator behind ``cjb generate``.

``generate(out, seed=1, start="2018-04", months=12, scale=1.0, faults=False,
source_scales=None)`` writes ``<out>/<source>/<file>`` for the six agency sources of
``cjb.contract.AGENCY_SOURCES``, named and shaped exactly as ``../shared/contracts/extracts.md``
says, with Wiltshire-sized volumes and
proportions at scale 1 (calibrated to the Board's published figures), people linked across
sources, resends of records whose outcome changed, and every formatting variation the contract
allows. With ``faults=True`` it adds labelled invalid rows, each breaking exactly one named rule,
and lists them in ``<out>/faults.csv``. ``source_scales`` (e.g. ``{"oocr": 1350}``) replaces
``scale`` for the named sources only. Deterministic for a seed; streams month by month in
bounded memory at any scale.

Modules: ``generator`` (the month loop and summary), ``crimes``, ``trials``, ``oocr``, ``fjsb``,
``iom``, ``partner`` (one per source), ``people`` (the shared person pool), ``formatting`` (file
styles and the CSV writer), ``faults`` (fault rows and the manifest), ``reference`` (code lists
from ``seeds/reference``), ``dates`` (day numbers).
"""

from cjb.generate.generator import GenerateSummary, generate

__all__ = ["GenerateSummary", "generate"]
