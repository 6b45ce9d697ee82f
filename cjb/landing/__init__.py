"""Landing: read, validate (Great Expectations), pseudonymise and land inbox files.

Plain functions, one job per module; ``flows/land.py`` wraps them in a Prefect flow.

- ``discover``: the inbox's files, their SHA-256, period and target, in landing order
- ``read``: DuckDB's CSV reader as text, headers matched by trimmed lower-cased name
- ``spec`` / ``checks``: each source's fields and one check (helper SQL + GE expectation) per rule
- ``prepare``: the per-file validation table of trimmed fields and helper columns
- ``validate``: the GE suites, run over pandas chunks; first broken rule per row
- ``pseudonymise``: person keys to HMAC-SHA256
- ``load``: raw rows, quarantine and audit in one transaction
- ``report``: validation results per file (JSON and Markdown)
- ``lock``: one landing per warehouse at a time
- ``session``: ``land_inbox`` and the per-file orchestration
- ``summary``: ``LandingSummary`` and ``FileResult``
"""

import cjb.landing.gx_import  # noqa: F401  (first: see its docstring)
from cjb.landing.session import LandingSession, land_inbox
from cjb.landing.summary import FileResult, LandingSummary

__all__ = ["FileResult", "LandingSession", "LandingSummary", "land_inbox"]
