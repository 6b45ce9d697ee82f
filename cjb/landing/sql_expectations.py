"""Great Expectations expectations executed natively in DuckDB: each one as a SQL predicate.

The suites stay the definition of the rules (``cjb.landing.checks``: one GE expectation per
contract rule, rule id in ``meta["rule"]``). For speed, landing evaluates them as SQL over the
validation table instead of handing pandas batches to GE. Each expectation type the suites use
is translated here into the predicate "this row is unexpected", with GE's own semantics:

- column-map expectations skip NULLs (``to_be_in_set``, ``to_match_regex``, ``to_be_between``);
  ``to_not_be_null`` and ``to_be_null`` look only at NULLs;
- ``to_match_regex`` is Python's ``re.search`` (what GE's pandas engine runs): a trailing ``$``
  also matches before a final line break, so it becomes ``\\n?$`` in RE2;
- ``to_be_between`` compares inclusively unless ``strict_min`` / ``strict_max``; datetime bounds
  compare as timestamps;
- suite parameters (``{"$PARAMETER": "period_end"}``) are filled from the file's parameters.

Anything else (another expectation type, ``mostly`` below 1, a ``row_condition``, a regex with
``$`` elsewhere than at its end) raises ``UnsupportedExpectation`` when the suite is built, so
an expectation can never be silently ignored. ``tests/landing/test_executors.py`` runs both
executors over the same files and checks they find the same rows breaking the same rules.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from great_expectations.expectations.expectation import Expectation

NOT_NULL = "expect_column_values_to_not_be_null"
NULL = "expect_column_values_to_be_null"
IN_SET = "expect_column_values_to_be_in_set"
MATCH_REGEX = "expect_column_values_to_match_regex"
BETWEEN = "expect_column_values_to_be_between"
SUPPORTED = (NOT_NULL, NULL, IN_SET, MATCH_REGEX, BETWEEN)

# kwargs that do not change which rows are unexpected
_NEUTRAL_KWARGS = {"batch_id", "result_format", "catch_exceptions", "include_config", "meta"}
_KWARGS = {
    NOT_NULL: {"column"},
    NULL: {"column"},
    IN_SET: {"column", "value_set"},
    MATCH_REGEX: {"column", "regex"},
    BETWEEN: {"column", "min_value", "max_value", "strict_min", "strict_max"},
}


class UnsupportedExpectation(ValueError):
    """An expectation (or option) the DuckDB executor does not translate."""


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: Any) -> str:
    """A SQL literal for a value of an expectation's kwargs."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise UnsupportedExpectation(f"non-finite bound {value!r}")
        return repr(value)
    if isinstance(value, dt.datetime):
        return f"TIMESTAMP '{value.isoformat(sep=' ')}'"
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise UnsupportedExpectation(f"no SQL literal for {type(value).__name__} {value!r}")


def resolve(value: Any, parameters: dict[str, Any]) -> Any:
    """Fill a suite parameter ``{"$PARAMETER": name}`` from ``parameters``."""
    if isinstance(value, dict) and "$PARAMETER" in value:
        name = value["$PARAMETER"]
        if name not in parameters:
            raise UnsupportedExpectation(f"suite parameter {name!r} has no value")
        return parameters[name]
    return value


def python_regex_to_re2(regex: str) -> str:
    """RE2 pattern that ``regexp_matches`` (a search) accepts exactly where ``re.search`` does.

    The patterns the suites use are plain RE2/Python common syntax; the one difference that
    matters is ``$``, which in Python also matches before a final newline.
    """
    body = regex
    ends_with_dollar = body.endswith("$") and not body.endswith("\\$")
    if ends_with_dollar:
        body = body[:-1]
    # any other unescaped $ would need the same care: refuse it
    if re.search(r"(?<!\\)\$", body):
        raise UnsupportedExpectation(f"regex {regex!r}: '$' is supported only at the end")
    return body + "\\n?$" if ends_with_dollar else body


def _check_options(expectation: Expectation, kwargs: dict[str, Any], kind: str) -> None:
    unknown = set(kwargs) - _KWARGS[kind] - _NEUTRAL_KWARGS
    if unknown:
        raise UnsupportedExpectation(f"{kind}: option(s) {sorted(unknown)} are not translated")
    mostly = getattr(expectation, "mostly", 1.0)
    if mostly is not None and mostly < 1:
        raise UnsupportedExpectation(f"{kind}: mostly={mostly} (rows are quarantined one by one)")
    if getattr(expectation, "row_condition", None):
        raise UnsupportedExpectation(f"{kind}: row_condition is not translated")


def unexpected_sql(expectation: Expectation, parameters: dict[str, Any]) -> str:
    """SQL over the validation table: TRUE where the row is unexpected, else FALSE or NULL."""
    config = expectation.configuration
    kind = config.type
    if kind not in SUPPORTED:
        raise UnsupportedExpectation(f"expectation type {kind} is not translated to SQL")
    kwargs = dict(config.kwargs)
    _check_options(expectation, kwargs, kind)
    c = _q(kwargs["column"])
    if kind == NOT_NULL:
        return f"({c} IS NULL)"
    if kind == NULL:
        return f"({c} IS NOT NULL)"
    if kind == IN_SET:
        values = resolve(kwargs["value_set"], parameters)
        if values is None:  # GE: vacuously true
            return "FALSE"
        if not values:
            return f"({c} IS NOT NULL)"
        return f"({c} IS NOT NULL AND {c} NOT IN ({', '.join(literal(v) for v in values)}))"
    if kind == MATCH_REGEX:
        pattern = python_regex_to_re2(resolve(kwargs["regex"], parameters))
        return f"({c} IS NOT NULL AND NOT regexp_matches({c}, {literal(pattern)}))"
    # BETWEEN
    low = resolve(kwargs.get("min_value"), parameters)
    high = resolve(kwargs.get("max_value"), parameters)
    if low is None and high is None:
        raise UnsupportedExpectation(f"{kind}: min_value and max_value cannot both be None")
    parts = []
    if low is not None:
        parts.append(f"{c} {'<=' if kwargs.get('strict_min') else '<'} {literal(low)}")
    if high is not None:
        parts.append(f"{c} {'>=' if kwargs.get('strict_max') else '>'} {literal(high)}")
    return f"({c} IS NOT NULL AND ({' OR '.join(parts)}))"
