"""Run each source's Great Expectations suite over a file, in pandas chunks.

Suites are built once per run (one expectation per contract rule, rule id in ``meta["rule"]``)
and evaluated over pandas batches fetched from the ``_prep`` table in chunks of
``CHUNK_ROWS`` records, so memory stays bounded whatever the file's size. Each batch is
validated with ``result_format`` COMPLETE and ``unexpected_index_column_names=["_row_number"]``:
the unexpected row numbers of each expectation are the rows that broke its rule. A row that
breaks several rules is quarantined once, under the first broken rule in the spec's rule order.

Great Expectations through duckdb-engine is broken here (see CONTRIBUTING.md), hence pandas.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from dataclasses import dataclass, field
from typing import Any

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

import duckdb  # noqa: E402
import great_expectations as gx  # noqa: E402
import pandas as pd  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402
from great_expectations.execution_engine import pandas_execution_engine  # noqa: E402
from great_expectations.expectations.expectation import Expectation  # noqa: E402

from cjb.contract import Period  # noqa: E402
from cjb.errors import CjbError  # noqa: E402
from cjb.landing.checks import Check, checks_for, q  # noqa: E402
from cjb.landing.reference import Reference, load_reference  # noqa: E402
from cjb.landing.spec import LandingSpec  # noqa: E402

# GE fingerprints every pandas batch below this size (md5 of a full-frame hash, twice per
# batch); the fingerprint only names the batch, and costs ~0.3 s per 250k-row chunk.
pandas_execution_engine.HASH_THRESHOLD = 0


class _ConfigurationCache:
    """Memoise ``Expectation.configuration`` during one ``batch.validate`` call.

    GE rebuilds an expectation's configuration from its pydantic fields on every access (about
    65 times per expectation per validation), which costs ~1 s per chunk for a 22-rule suite:
    more than evaluating the rules on 200k rows. Expectations are not changed during a
    validation, so within one call (``active``) each configuration is built once. Outside
    ``active`` the property behaves exactly as GE's own.
    """

    def __init__(self) -> None:
        self.original = Expectation.configuration
        self.cache: dict[int, tuple[Expectation, Any]] = {}
        self.depth = 0

    def __enter__(self) -> None:
        self.depth += 1

    def __exit__(self, *exc: object) -> None:
        self.depth -= 1
        if self.depth == 0:
            self.cache.clear()

    def get(self, expectation: Expectation) -> Any:
        if self.depth == 0:
            return self.original.fget(expectation)
        hit = self.cache.get(id(expectation))
        if hit is None or hit[0] is not expectation:
            hit = (expectation, self.original.fget(expectation))
            self.cache[id(expectation)] = hit
        return hit[1]


_configurations = _ConfigurationCache()
Expectation.configuration = property(_configurations.get)  # type: ignore[method-assign]

CHUNK_ROWS = int(os.environ.get("CJB_LANDING_CHUNK_ROWS", "200000"))
SAMPLE_SIZE = 20  # unexpected values kept per rule in the validation report

RESULT_FORMAT = {
    "result_format": "COMPLETE",
    "unexpected_index_column_names": ["_row_number"],
    "return_unexpected_index_query": False,
    "partial_unexpected_count": SAMPLE_SIZE,
}


@dataclass
class RuleResult:
    rule: str
    description: str
    expectation_type: str
    kwargs: dict[str, Any]
    element_count: int = 0
    unexpected_count: int = 0  # rows breaking this rule (a row may break several)
    quarantined: int = 0  # rows quarantined under this rule (their first broken rule)
    samples: list[dict[str, Any]] = field(default_factory=list)  # {row_number, value}

    @property
    def success(self) -> bool:
        return self.unexpected_count == 0


@dataclass
class Validation:
    suite_name: str
    rows: int
    chunks: int
    quarantine: dict[int, str]  # row number -> rule id (first broken rule)
    results: list[RuleResult]
    suite: dict[str, Any]  # the GE suite as JSON

    @property
    def success(self) -> bool:
        return not self.quarantine


def _plain(value: Any) -> Any:
    """A JSON-safe version of a value GE reports."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp | dt.date):
        return None if pd.isna(value) else value.isoformat()[:10]
    if hasattr(value, "item"):  # numpy scalar
        return _plain(value.item())
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def _exception(result) -> str | None:
    info = result.exception_info or {}
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    for v in info.values():
        if isinstance(v, dict) and v.get("raised_exception"):
            return str(v.get("exception_message"))
    return None


class SuiteRunner:
    """One ephemeral GE context and one suite per landing spec, for a whole landing run."""

    def __init__(self, reference: Reference | None = None):
        self.reference = reference or load_reference()
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        asset = self.context.data_sources.add_pandas("cjb_landing").add_dataframe_asset("chunk")
        self.batch_definition = asset.add_batch_definition_whole_dataframe("chunk")
        self._suites: dict[str, tuple[Any, tuple[Check, ...], list[str]]] = {}

    def _suite(self, spec: LandingSpec):
        if spec.table not in self._suites:
            checks = checks_for(spec, self.reference)
            suite = gx.ExpectationSuite(
                name=f"cjb_landing_{spec.table}",
                meta={"source": spec.source, "rules": list(spec.rule_ids)},
            )
            for check in checks:
                suite.add_expectation(check.expectation)
            suite = self.context.suites.add(suite)
            columns = ["_row_number"]
            for check in checks:
                columns += [c for c in check.columns if c not in columns]
            self._suites[spec.table] = (suite, checks, columns)
        return self._suites[spec.table]

    def checks(self, spec: LandingSpec) -> tuple[Check, ...]:
        return self._suite(spec)[1]

    def validate(
        self,
        con: duckdb.DuckDBPyConnection,
        prep: str,
        spec: LandingSpec,
        period: Period,
        rows: int,
        file_name: str,
        chunk_rows: int | None = None,
    ) -> Validation:
        suite, checks, columns = self._suite(spec)
        chunk_rows = chunk_rows or CHUNK_ROWS
        priority = {rule_id: i for i, rule_id in enumerate(spec.rule_ids)}
        results = {
            c.rule.id: RuleResult(
                c.rule.id,
                c.rule.description,
                c.expectation.expectation_type,
                {k: v for k, v in c.expectation.configuration.kwargs.items() if k != "batch_id"},
            )
            for c in checks
        }
        person_columns = set(spec.person_key_fields)
        params = {
            "period_start": dt.datetime.combine(period.start, dt.time()),
            "period_end": dt.datetime.combine(period.end, dt.time()),
        }
        select = ", ".join(q(c) for c in columns)
        quarantine: dict[int, str] = {}
        chunks = 0
        for first in range(1, rows + 1, chunk_rows):
            frame = con.execute(
                f"SELECT {select} FROM {prep} WHERE _row_number BETWEEN ? AND ? "
                "ORDER BY _row_number",
                [first, first + chunk_rows - 1],
            ).df()
            for c in frame.columns:
                if pd.api.types.is_datetime64_any_dtype(frame[c]):
                    frame[c] = frame[c].astype("datetime64[ns]")
            batch = self.batch_definition.get_batch(batch_parameters={"dataframe": frame})
            with _configurations:
                outcome = batch.validate(
                    suite, result_format=RESULT_FORMAT, expectation_parameters=params
                )
            chunks += 1
            for r in outcome.results:
                rule = r.expectation_config.meta["rule"]
                error = _exception(r)
                if error is not None:
                    raise CjbError(
                        f"{file_name}: the Great Expectations check of rule {rule} "
                        f"could not run: {error}"
                    )
                res = results[rule]
                res.element_count += int(r.result.get("element_count") or 0)
                index = r.result.get("unexpected_index_list") or []
                res.unexpected_count += len(index)
                column = r.expectation_config.kwargs.get("column")
                for entry in index:
                    row = int(entry["_row_number"])
                    current = quarantine.get(row)
                    if current is None or priority[rule] < priority[current]:
                        quarantine[row] = rule
                    if len(res.samples) < SAMPLE_SIZE:
                        value = {k: _plain(v) for k, v in entry.items() if k != "_row_number"}
                        if column in person_columns:  # never a person key in clear
                            value = {k: "(person key withheld)" for k in value}
                        res.samples.append({"row_number": row, **value})
            del frame, batch, outcome
        for rule in quarantine.values():
            results[rule].quarantined += 1
        return Validation(
            suite.name,
            rows,
            chunks,
            quarantine,
            [results[c.rule.id] for c in checks],
            suite.to_json_dict(),
        )
