"""Run each source's Great Expectations suite over a file; first broken rule per row.

Suites are built once per run (one expectation per contract rule, rule id in ``meta["rule"]``,
``cjb.landing.checks``). Two executors evaluate them over the file's validation table
(``_prep``, ``cjb.landing.prepare``) and give the same answer (``tests/landing/test_executors.py``
runs both over the same files and compares every row's outcome):

- ``duckdb`` (the default): each expectation translated to a SQL predicate
  (``cjb.landing.sql_expectations``) and evaluated set-based in one pass over the table; only the
  rows breaking a rule leave DuckDB. Fast and bounded in memory whatever the file's size.
- ``pandas``: GE's own pandas engine over batches fetched in chunks of ``chunk_rows`` records,
  with ``result_format`` COMPLETE and ``unexpected_index_column_names=["_row_number"]``. The
  reference implementation; chosen by passing ``chunk_rows`` or ``executor="pandas"`` (or
  ``CJB_LANDING_EXECUTOR=pandas``). Great Expectations through duckdb-engine is broken here (see
  CONTRIBUTING.md), hence pandas and not GE's SQL engine.

A row that breaks several rules is quarantined once, under the first broken rule in the spec's
rule order: the temporary table ``_q(row_number, rule)``. Either way the outcome is reported as a
GE ``ExpectationSuiteValidationResult`` (``Validation.ge_result``) with one
``ExpectationValidationResult`` per expectation: success, element and unexpected counts and the
first unexpected values with their row numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import threading
from dataclasses import dataclass, field
from typing import Any

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


import duckdb  # noqa: E402
import great_expectations as gx  # noqa: E402
import pandas as pd  # noqa: E402
from great_expectations.core import (  # noqa: E402
    ExpectationSuiteValidationResult,
    ExpectationValidationResult,
)
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402
from great_expectations.execution_engine import pandas_execution_engine  # noqa: E402
from great_expectations.expectations.expectation import Expectation  # noqa: E402
from great_expectations.expectations.expectation_configuration import (  # noqa: E402
    ExpectationConfiguration,
)

from cjb.contract import Period  # noqa: E402
from cjb.errors import CjbError  # noqa: E402
from cjb.landing.checks import Check, checks_for, q, sql_str  # noqa: E402
from cjb.landing.reference import Reference, load_reference  # noqa: E402
from cjb.landing.spec import LandingSpec  # noqa: E402
from cjb.landing.sql_expectations import NOT_NULL, NULL, resolve, unexpected_sql  # noqa: E402

# GE fingerprints every pandas batch below this size (md5 of a full-frame hash, twice per
# batch); the fingerprint only names the batch, and costs ~0.3 s per 250k-row chunk.
pandas_execution_engine.HASH_THRESHOLD = 0


class _ConfigurationCache:
    """Memoise ``Expectation.configuration`` during one ``batch.validate`` call.

    GE rebuilds an expectation's configuration from its pydantic fields on every access (about
    65 times per expectation per validation), which costs ~1 s per chunk for a 22-rule suite:
    more than evaluating the rules on 200k rows. Expectations are not changed during a
    validation, so within one call (``active``) each configuration is built once. Outside
    ``active`` the property behaves exactly as GE's own. Files landing side by side share it:
    the cache is cleared when the last of them leaves.
    """

    def __init__(self) -> None:
        self.original = Expectation.configuration
        self.cache: dict[int, tuple[Expectation, Any]] = {}
        self.depth = 0
        self.lock = threading.Lock()

    def __enter__(self) -> None:
        with self.lock:
            self.depth += 1

    def __exit__(self, *exc: object) -> None:
        with self.lock:
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

EXECUTORS = ("duckdb", "pandas")
CHUNK_ROWS = int(os.environ.get("CJB_LANDING_CHUNK_ROWS", "200000"))
SAMPLE_SIZE = 20  # unexpected values kept per rule in the validation report
QUARANTINE_TABLE = "_q"
VIOLATIONS_TABLE = "_v"

# Suite parameters every file fills (its period); placeholders when a suite is built.
_PLACEHOLDER_PARAMETERS = {
    "period_start": dt.datetime(2000, 1, 1),
    "period_end": dt.datetime(2000, 1, 31),
}

RESULT_FORMAT = {
    "result_format": "COMPLETE",
    "unexpected_index_column_names": ["_row_number"],
    "return_unexpected_index_query": False,
    "partial_unexpected_count": SAMPLE_SIZE,
}


def default_executor() -> str:
    executor = os.environ.get("CJB_LANDING_EXECUTOR", "duckdb")
    if executor not in EXECUTORS:
        raise CjbError(f"CJB_LANDING_EXECUTOR must be one of {', '.join(EXECUTORS)}")
    return executor


def resolve_executor(executor: str | None = None, chunk_rows: int | None = None) -> str:
    """The executor a validation uses: ``executor`` if given, else ``pandas`` when
    ``chunk_rows`` is given, else ``$CJB_LANDING_EXECUTOR`` (``duckdb`` unless set)."""
    return executor or ("pandas" if chunk_rows else default_executor())


@dataclass
class RuleResult:
    rule: str
    description: str
    expectation_type: str
    kwargs: dict[str, Any]
    column: str
    element_count: int = 0
    missing_count: int = 0  # NULLs in the column (skipped by column-map expectations)
    unexpected_count: int = 0  # rows breaking this rule (a row may break several)
    quarantined: int = 0  # rows quarantined under this rule (their first broken rule)
    samples: list[dict[str, Any]] = field(default_factory=list)  # {row_number, column: value}

    @property
    def success(self) -> bool:
        return self.unexpected_count == 0


@dataclass
class Validation:
    suite_name: str
    rows: int
    executor: str  # duckdb / pandas
    chunks: int
    quarantine_table: str  # temporary table (row_number, rule): each quarantined row's rule
    results: list[RuleResult]
    suite: dict[str, Any]  # the GE suite as JSON
    parameters: dict[str, Any]  # suite parameters of this file (its period)
    checks: tuple[Check, ...] = ()
    unexpected_rows: dict[str, list[int]] | None = None  # per rule, when asked for (tests)

    @property
    def quarantined(self) -> int:
        return sum(r.quarantined for r in self.results)

    @property
    def quarantined_by_rule(self) -> dict[str, int]:
        return {r.rule: r.quarantined for r in self.results if r.quarantined}

    @property
    def success(self) -> bool:
        return self.quarantined == 0

    def ge_result(self, meta: dict[str, Any] | None = None) -> ExpectationSuiteValidationResult:
        """The outcome as a Great Expectations suite validation result."""
        with _configurations:
            results = [
                _ge_expectation_result(c, r, self.parameters)
                for c, r in zip(self.checks, self.results, strict=True)
            ]
        successful = sum(r.success for r in results)
        return ExpectationSuiteValidationResult(
            success=successful == len(results),
            results=results,
            suite_name=self.suite_name,
            suite_parameters={k: _plain(v) for k, v in self.parameters.items()},
            statistics={
                "evaluated_expectations": len(results),
                "successful_expectations": successful,
                "unsuccessful_expectations": len(results) - successful,
                "success_percent": 100.0 * successful / len(results) if results else None,
            },
            meta={
                "great_expectations_version": gx.__version__,
                "executor": self.executor,
                "rows": self.rows,
                **(meta or {}),
            },
        )


def _percent(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def _ge_expectation_result(
    check: Check, r: RuleResult, parameters: dict[str, Any]
) -> ExpectationValidationResult:
    config = check.expectation.configuration
    kwargs = {
        k: _plain(resolve(v, parameters)) for k, v in config.kwargs.items() if k != "batch_id"
    }
    nonmissing = r.element_count - r.missing_count
    result: dict[str, Any] = {
        "element_count": r.element_count,
        "unexpected_count": r.unexpected_count,
        "unexpected_percent": _percent(r.unexpected_count, r.element_count)
        if config.type in (NULL, NOT_NULL)
        else _percent(r.unexpected_count, nonmissing),
        "partial_unexpected_list": [s.get(r.column) for s in r.samples],
        "unexpected_index_column_names": ["_row_number"],
        "partial_unexpected_index_list": [
            {r.column: s.get(r.column), "_row_number": s["row_number"]} for s in r.samples
        ],
    }
    if config.type not in (NULL, NOT_NULL):
        result |= {
            "missing_count": r.missing_count,
            "missing_percent": _percent(r.missing_count, r.element_count),
            "unexpected_percent_total": _percent(r.unexpected_count, r.element_count),
            "unexpected_percent_nonmissing": _percent(r.unexpected_count, nonmissing),
        }
    return ExpectationValidationResult(
        success=r.success,
        expectation_config=ExpectationConfiguration(
            type=config.type, kwargs=kwargs, meta=config.meta
        ),
        result=result,
        exception_info={
            "raised_exception": False,
            "exception_traceback": None,
            "exception_message": None,
        },
    )


def _plain(value: Any) -> Any:
    """A JSON-safe version of a value GE or DuckDB reports."""
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


def register_quarantine(
    con: duckdb.DuckDBPyConnection, quarantine: dict[int, str], table: str = QUARANTINE_TABLE
) -> str:
    """The temporary table ``(row_number, rule)`` of a quarantine computed in Python."""
    frame = pd.DataFrame(
        {
            "row_number": pd.Series(list(quarantine), dtype="int64"),
            "rule": pd.Series(list(quarantine.values()), dtype=object),
        }
    )
    con.register("_q_frame", frame)
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT CAST(row_number AS BIGINT) "
            "AS row_number, CAST(rule AS VARCHAR) AS rule FROM _q_frame"
        )
    finally:
        con.unregister("_q_frame")
    return table


class SuiteRunner:
    """One ephemeral GE context and one suite per landing spec, for a whole landing run."""

    def __init__(self, reference: Reference | None = None):
        self.reference = reference or load_reference()
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self._batch_definition = None
        self._suites: dict[str, tuple[Any, tuple[Check, ...], list[str]]] = {}
        self._suite_json: dict[str, str] = {}  # each suite as JSON text, built once
        self._suites_lock = threading.Lock()  # files of one source may land side by side

    @property
    def batch_definition(self):
        if self._batch_definition is None:  # the pandas executor's data source, on first use
            asset = self.context.data_sources.add_pandas("cjb_landing").add_dataframe_asset("chunk")
            self._batch_definition = asset.add_batch_definition_whole_dataframe("chunk")
        return self._batch_definition

    def _suite(self, spec: LandingSpec):
        with self._suites_lock:
            return self._build_suite(spec)

    def _build_suite(self, spec: LandingSpec):
        if spec.table not in self._suites:
            checks = checks_for(spec, self.reference)
            suite = gx.ExpectationSuite(
                name=f"cjb_landing_{spec.table}",
                meta={"source": spec.source, "rules": list(spec.rule_ids)},
            )
            for check in checks:
                # every expectation must translate to SQL: fail when the suite is built
                unexpected_sql(check.expectation, _PLACEHOLDER_PARAMETERS)
                suite.add_expectation(check.expectation)
            suite = self.context.suites.add(suite)
            columns = ["_row_number"]
            for check in checks:
                columns += [c for c in check.columns if c not in columns]
            self._suites[spec.table] = (suite, checks, columns)
            self._suite_json[spec.table] = json.dumps(suite.to_json_dict())
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
        executor: str | None = None,
        keep_unexpected: bool = False,
    ) -> Validation:
        """Validate the file's ``prep`` table; leaves the quarantine in ``_q``.

        ``executor`` defaults to ``pandas`` when ``chunk_rows`` is given, else to
        ``$CJB_LANDING_EXECUTOR`` (``duckdb`` unless set). ``keep_unexpected`` also returns every
        rule's unexpected row numbers (``Validation.unexpected_rows``).
        """
        executor = resolve_executor(executor, chunk_rows)
        if executor not in EXECUTORS:
            raise ValueError(f"executor must be one of {EXECUTORS}, not {executor!r}")
        with _configurations:  # each expectation's configuration built once per file
            return self._validate(
                con, prep, spec, period, rows, file_name, chunk_rows, executor, keep_unexpected
            )

    def _validate(
        self,
        con: duckdb.DuckDBPyConnection,
        prep: str,
        spec: LandingSpec,
        period: Period,
        rows: int,
        file_name: str,
        chunk_rows: int | None,
        executor: str,
        keep_unexpected: bool,
    ) -> Validation:
        suite, checks, columns = self._suite(spec)
        parameters = {
            "period_start": dt.datetime.combine(period.start, dt.time()),
            "period_end": dt.datetime.combine(period.end, dt.time()),
        }
        results = {
            c.rule.id: RuleResult(
                c.rule.id,
                c.rule.description,
                c.expectation.expectation_type,
                {k: v for k, v in c.expectation.configuration.kwargs.items() if k != "batch_id"},
                c.columns[0],
            )
            for c in checks
        }
        run = _validate_duckdb if executor == "duckdb" else self._validate_pandas
        chunks, unexpected = run(
            con,
            prep=prep,
            spec=spec,
            checks=checks,
            columns=columns,
            suite=suite,
            parameters=parameters,
            rows=rows,
            results=results,
            file_name=file_name,
            chunk_rows=chunk_rows or CHUNK_ROWS,
            keep_unexpected=keep_unexpected,
        )
        for rule, n in con.execute(
            f"SELECT rule, count(*) FROM {QUARANTINE_TABLE} GROUP BY rule"
        ).fetchall():
            results[rule].quarantined = n
        return Validation(
            suite.name,
            rows,
            executor,
            chunks,
            QUARANTINE_TABLE,
            [results[c.rule.id] for c in checks],
            json.loads(self._suite_json[spec.table]),
            parameters,
            checks,
            unexpected,
        )

    def _validate_pandas(
        self,
        con: duckdb.DuckDBPyConnection,
        *,
        prep: str,
        spec: LandingSpec,
        suite: Any,
        columns: list[str],
        parameters: dict[str, Any],
        rows: int,
        results: dict[str, RuleResult],
        file_name: str,
        chunk_rows: int,
        keep_unexpected: bool,
        **_: Any,
    ) -> tuple[int, dict[str, list[int]] | None]:
        priority = {rule_id: i for i, rule_id in enumerate(spec.rule_ids)}
        person_columns = set(spec.person_key_fields)
        select = ", ".join(q(c) for c in columns)
        quarantine: dict[int, str] = {}
        unexpected: dict[str, list[int]] = {rule: [] for rule in results}
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
                    suite, result_format=RESULT_FORMAT, expectation_parameters=parameters
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
                res.missing_count += int(frame[res.column].isna().sum())
                for entry in index:
                    row = int(entry["_row_number"])
                    if keep_unexpected:
                        unexpected[rule].append(row)
                    current = quarantine.get(row)
                    if current is None or priority[rule] < priority[current]:
                        quarantine[row] = rule
                    if len(res.samples) < SAMPLE_SIZE:
                        value = {k: _plain(v) for k, v in entry.items() if k != "_row_number"}
                        if res.column in person_columns:  # never a person key in clear
                            value = {k: "(person key withheld)" for k in value}
                        res.samples.append({"row_number": row, **value})
            del frame, batch, outcome
        register_quarantine(con, quarantine)
        return chunks, (unexpected if keep_unexpected else None)


def _validate_duckdb(
    con: duckdb.DuckDBPyConnection,
    *,
    prep: str,
    spec: LandingSpec,
    checks: tuple[Check, ...],
    columns: list[str],
    parameters: dict[str, Any],
    rows: int,
    results: dict[str, RuleResult],
    file_name: str,
    keep_unexpected: bool,
    **_: Any,
) -> tuple[int, dict[str, list[int]] | None]:
    """Every expectation as a predicate, evaluated in one pass; only breaking rows are kept."""
    try:
        predicates = [unexpected_sql(c.expectation, parameters) for c in checks]
    except ValueError as exc:
        raise CjbError(
            f"{file_name}: a Great Expectations check cannot run in DuckDB: {exc}"
        ) from None
    flags = [f"_u{i}" for i in range(len(checks))]
    values = ", ".join(q(c) for c in columns if c != "_row_number")
    computed = ", ".join(
        f"coalesce({p}, false) AS {f}" for p, f in zip(predicates, flags, strict=True)
    )
    # "any flag set" as a sum: DuckDB's optimizer spends ~40 ms per query factoring an OR of
    # this many predicates, which is most of a small file's validation
    any_broken = "(" + " + ".join(f"{f}::INTEGER" for f in flags) + ") > 0"
    first_rule = " ".join(
        f"WHEN {f} THEN {sql_str(c.rule.id)}" for f, c in zip(flags, checks, strict=True)
    )
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {VIOLATIONS_TABLE} AS\n"
            f"SELECT * FROM (SELECT _row_number, {values}, {computed} FROM {prep})\n"
            f"WHERE {any_broken}"
        )
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {QUARANTINE_TABLE} AS SELECT _row_number AS row_number, "
            f"CASE {first_rule} END AS rule FROM {VIOLATIONS_TABLE}"
        )
    except duckdb.Error as exc:
        raise CjbError(
            f"{file_name}: the Great Expectations checks could not run in DuckDB: {exc}"
        ) from None
    distinct_columns = list(dict.fromkeys(r.column for r in results.values()))
    counts = con.execute(
        "SELECT count(*), "
        + ", ".join(f"count({q(c)})" for c in distinct_columns)
        + f" FROM {prep}"
    ).fetchall()[0]
    non_null = dict(zip(distinct_columns, counts[1:], strict=True))
    broken = con.execute(
        "SELECT "
        + ", ".join(f"count(*) FILTER (WHERE {f})" for f in flags)
        + f" FROM {VIOLATIONS_TABLE}"
    ).fetchall()[0]
    person_columns = set(spec.person_key_fields)
    unexpected: dict[str, list[int]] = {}
    for check, flag, n in zip(checks, flags, broken, strict=True):
        res = results[check.rule.id]
        res.element_count = counts[0]
        res.missing_count = counts[0] - non_null[res.column]
        res.unexpected_count = n
        if keep_unexpected:
            unexpected[res.rule] = [
                r[0]
                for r in con.execute(
                    f"SELECT _row_number FROM {VIOLATIONS_TABLE} WHERE {flag} ORDER BY 1"
                ).fetchall()
            ]
        if not n:
            continue
        for row, value in con.execute(
            f"SELECT _row_number, {q(res.column)} FROM {VIOLATIONS_TABLE} WHERE {flag} "
            f"ORDER BY _row_number LIMIT {SAMPLE_SIZE}"
        ).fetchall():
            shown = "(person key withheld)" if res.column in person_columns else _plain(value)
            res.samples.append({"row_number": row, res.column: shown})
    return 1, (unexpected if keep_unexpected else None)
