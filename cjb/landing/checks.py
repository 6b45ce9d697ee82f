"""Each contract rule as a check: helper columns computed in DuckDB plus one GE expectation.

Helper columns turn what a pandas expectation cannot see on one column (a parsed date, a flag's
spelling, a canonical offence code, a key's repeat count within the whole file, a pair of
columns joined for a code-list lookup) into plain columns. Every rule id then becomes exactly one
Great Expectations expectation over those columns, with the rule id in ``meta["rule"]``; a row
breaks the rule when the expectation lists its ``_row_number`` as unexpected.

Blank values are NULL after trimming, and the column-map expectations used here skip NULLs, so
"optional" needs no special case: only ``<column>_required`` looks at blanks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import great_expectations.expectations as gxe

from cjb.contract import FLAG_FALSE, FLAG_TRUE, Rule
from cjb.landing.reference import Reference
from cjb.landing.spec import LandingSpec

# Regular expressions shared by the SQL helpers (RE2) and the expectations (Python re).
# ``[0-9]`` rather than ``\d``: Python's ``\d`` accepts non-ASCII digits DuckDB cannot cast.
DATE_RE = r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}(?: (?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?)?"
INTEGER_RE = r"[+-]?[0-9]{1,9}"
DECIMAL_RE = r"[+-]?(?:[0-9]{1,14}(?:\.[0-9]*)?|\.[0-9]+)"
MONTH_RE = r"[0-9]{4}-(?:0[1-9]|1[0-2])"
LSOA_RE = r"(?:E01|W01)[0-9]{6}"
SNAKE_RE = r"[a-z][a-z0-9_]*"

FLAG_VALUES = (*FLAG_TRUE, *FLAG_FALSE, "unknown")

# Suite parameters filled per file: the file's period.
PERIOD_START = {"$PARAMETER": "period_start"}
PERIOD_END = {"$PARAMETER": "period_end"}


def sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def sql_list(values) -> str:
    return ", ".join(sql_str(v) for v in values)


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class Check:
    rule: Rule
    expectation: gxe.Expectation
    helpers: dict[str, str] = field(default_factory=dict)  # helper column -> SQL expression

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns the expectation reads (what a validation chunk must carry)."""
        cfg = self.expectation.configuration.kwargs
        return tuple(cfg[k] for k in ("column", "column_A", "column_B") if k in cfg)


def base_helpers(spec: LandingSpec) -> dict[str, str]:
    """Typed views of each field, over the trimmed text columns (blank is NULL)."""
    out: dict[str, str] = {}
    for f in spec.fields:
        c = q(f.name)
        if f.type == "date":
            out[f"{f.name}__date"] = (
                f"CASE WHEN regexp_full_match({c}, '{DATE_RE}') "
                f"THEN try_strptime(split_part({c}, ' ', 1), '%d/%m/%Y')::DATE END"
            )
        elif f.type == "flag":
            out[f"{f.name}__flag"] = f"lower({c})"
        elif f.type == "integer":
            out[f"{f.name}__int"] = (
                f"CASE WHEN regexp_full_match({c}, '{INTEGER_RE}') THEN CAST({c} AS BIGINT) END"
            )
        elif f.type == "decimal":
            out[f"{f.name}__dec"] = (
                f"CASE WHEN regexp_full_match({c}, '{DECIMAL_RE}') THEN CAST({c} AS DOUBLE) END"
            )
        elif f.type == "month":
            out[f"{f.name}__date"] = (
                f"CASE WHEN regexp_full_match({c}, '{MONTH_RE}') "
                f"THEN CAST({c} || '-01' AS DATE) END"
            )
        elif f.type == "double":
            out[f"{f.name}__dbl"] = f"try_cast({c} AS DOUBLE)"
    return out


def key_parts_sql(spec: LandingSpec, table: str = "") -> list[str]:
    """The parts of a row's key as compared for ``duplicate_key`` (dates compared as dates).

    ``_key_count``, how many rows of the file share the row's key (NULL when a key part is
    blank), is computed from these by ``cjb.landing.prepare``.
    """
    prefix = f"{table}." if table else ""
    parts = []
    for name in spec.key:
        f = spec.field(name)
        if f.type == "date":
            parts.append(
                f"coalesce(strftime({prefix}{q(name + '__date')}, '%Y-%m-%d'), {prefix}{q(name)})"
            )
        else:
            parts.append(f"{prefix}{q(name)}")
    return parts


def key_given_sql(spec: LandingSpec) -> str | None:
    """TRUE where every part of the row's key is given (not blank); None without a key."""
    if not spec.key:
        return None
    return " AND ".join(f"{q(n)} IS NOT NULL" for n in spec.key)


def _meta(rule: Rule) -> dict:
    return {"rule": rule.id, "description": rule.description}


def _is_true(helper: str, sql: str, rule: Rule) -> Check:
    """A boolean helper that is NULL where the rule does not apply and false where it is broken."""
    return Check(
        rule,
        gxe.ExpectColumnValuesToBeInSet(column=helper, value_set=[True], meta=_meta(rule)),
        {helper: sql},
    )


def _days_between(rule: Rule, first: str, second: str) -> Check:
    """``second`` must not be before ``first`` (dates compared, times ignored)."""
    helper = f"_days_{first.removesuffix('_date')}_to_{second.removesuffix('_date')}"
    return Check(
        rule,
        gxe.ExpectColumnValuesToBeBetween(column=helper, min_value=0, meta=_meta(rule)),
        {helper: f"date_diff('day', {q(first + '__date')}, {q(second + '__date')})"},
    )


def _regex(rule: Rule, column: str, regex: str) -> Check:
    return Check(
        rule,
        gxe.ExpectColumnValuesToMatchRegex(column=column, regex=f"^{regex}$", meta=_meta(rule)),
    )


def _in_set(rule: Rule, column: str, values, helpers: dict[str, str] | None = None) -> Check:
    return Check(
        rule,
        gxe.ExpectColumnValuesToBeInSet(column=column, value_set=sorted(values), meta=_meta(rule)),
        helpers or {},
    )


def _between(rule: Rule, column: str, min_value=None, max_value=None) -> Check:
    return Check(
        rule,
        gxe.ExpectColumnValuesToBeBetween(
            column=column, min_value=min_value, max_value=max_value, meta=_meta(rule)
        ),
    )


def _standard_check(spec: LandingSpec, rule: Rule) -> Check | None:
    """Checks for the rules every column of a type carries (``cjb.contract._standard_rules``).

    A named rule may look like a standard one (``reason_code_required`` is a named rule of an
    optional column), so the column's contract decides, not the rule id alone.
    """
    if rule.id == "duplicate_key":
        return _between(rule, "_key_count", max_value=1)
    if rule.column is None or spec.contract is None:
        return None
    c = rule.column
    col = spec.contract.column(c)
    if rule.id == f"{c}_required" and col.required:
        return Check(rule, gxe.ExpectColumnValuesToNotBeNull(column=c, meta=_meta(rule)))
    if rule.id == f"{c}_date_format" and col.type == "date":
        return _is_true(
            f"{c}__is_date",
            f"CASE WHEN {q(c)} IS NOT NULL THEN {q(c + '__date')} IS NOT NULL END",
            rule,
        )
    if rule.id == f"{c}_flag_value" and col.type == "flag":
        return _in_set(rule, f"{c}__flag", FLAG_VALUES)
    if rule.id == f"{c}_integer" and col.type == "integer":
        return _regex(rule, c, INTEGER_RE)
    if rule.id == f"{c}_decimal" and col.type == "decimal":
        return _regex(rule, c, DECIMAL_RE)
    if rule.id == f"{c}_allowed" and col.allowed is not None:
        allowed = [v for v in col.allowed if v]
        if "" in col.allowed or col.required:
            return _in_set(rule, c, allowed)
        # blank is not allowed and not caught by a _required rule: check it here
        return _in_set(rule, f"{c}__or_blank", allowed, {f"{c}__or_blank": f"coalesce({q(c)}, '')"})
    return None


def _specific_check(rule: Rule, ref: Reference) -> Check:
    """The named rules of each source (``extra_rules`` in ``cjb.contract``) and police_uk's."""
    r = rule.id
    if r in ("recorded_date_not_after_period_end", "listing_date_not_after_period_end"):
        return _between(rule, f"{rule.column}__date", max_value=PERIOD_END)
    if r == "assessment_date_in_period":
        return _between(rule, "assessment_date__date", PERIOD_START, PERIOD_END)
    if r == "offence_date_not_after_recorded_date":
        return _days_between(rule, "offence_date", "recorded_date")
    if r == "outcome_date_not_before_recorded_date":
        return _days_between(rule, "recorded_date", "outcome_date")
    if r == "deselection_date_not_before_adoption_date":
        return _days_between(rule, "adoption_date", "deselection_date")
    if r == "period_start_not_after_period_end":
        return _days_between(rule, "period_start", "period_end")
    if r == "ho_offence_code_known":
        return _in_set(
            rule,
            "ho_offence_code__canonical",
            ref.offence_codes,
            {"ho_offence_code__canonical": "upper(ltrim(ho_offence_code, '0'))"},
        )
    if r == "lsoa_code_pattern":
        return _regex(rule, "lsoa_code", LSOA_RE)
    if r == "outcome_type_known":
        return _in_set(rule, "outcome_type", ref.outcome_types)
    if r == "outcome_date_required_with_outcome":
        return _is_true(
            "_outcome_date_given",
            "CASE WHEN outcome_type IS NOT NULL THEN outcome_date IS NOT NULL END",
            rule,
        )
    if r == "court_code_in_jurisdiction_list":
        return _in_set(
            rule,
            "_jurisdiction_court",
            {f"{j}:{c}" for j, c in ref.courts},
            {
                "_jurisdiction_court": "CASE WHEN jurisdiction IN ('magistrates', 'crown') "
                "THEN jurisdiction || ':' || court_code END"
            },
        )
    if r == "reason_code_required":
        return _is_true(
            "_reason_code_given",
            "CASE WHEN trial_outcome IN ('cracked', 'ineffective') "
            "THEN reason_code IS NOT NULL END",
            rule,
        )
    if r == "reason_code_known_for_outcome":
        return _in_set(
            rule,
            "_outcome_reason",
            {f"{o}:{c}" for o, c in ref.trial_reasons},
            {
                "_outcome_reason": "CASE WHEN trial_outcome IN ('cracked', 'ineffective') "
                "THEN trial_outcome || ':' || reason_code END"
            },
        )
    if r == "reason_code_blank_otherwise":
        helper = "_reason_code_not_needed"
        return Check(
            rule,
            gxe.ExpectColumnValuesToBeNull(column=helper, meta=_meta(rule)),
            {helper: "CASE WHEN trial_outcome IN ('effective', 'vacated') THEN reason_code END"},
        )
    if r == "reason_code_crown_only":
        return _in_set(
            rule,
            "_jurisdiction_of_crown_only_reason",
            ["crown"],
            {
                "_jurisdiction_of_crown_only_reason": "CASE WHEN reason_code IN "
                f"({sql_list(sorted(ref.crown_only_reasons))}) THEN jurisdiction END"
            },
        )
    if r == "offence_group_known":
        return _in_set(rule, "offence_group", ref.offence_groups)
    if r == "defendant_count_at_least_one":
        return _between(rule, "defendant_count__int", min_value=1)
    if r == "age_at_disposal_range":
        return _between(rule, "age_at_disposal__int", 10, 110)
    if r == "age_range":
        return _between(rule, "age__int", 16, 110)
    if r == "intervention_outcome_without_referral":
        helper = "_intervention_outcome_not_referred"
        return Check(
            rule,
            gxe.ExpectColumnValuesToBeNull(column=helper, meta=_meta(rule)),
            {
                helper: f"CASE WHEN intervention_referred__flag IN ({sql_list(FLAG_FALSE)}) "
                "THEN intervention_outcome END"
            },
        )
    if r == "measure_code_snake_case":
        return _regex(rule, "measure_code", SNAKE_RE)
    if r == "value_matches_ratio":
        helper = "_percent_ratio_gap"
        return Check(
            rule,
            gxe.ExpectColumnValuesToBeBetween(column=helper, max_value=0.05, meta=_meta(rule)),
            {
                helper: "CASE WHEN unit = 'percent' AND denominator__dec <> 0 THEN "
                "round(abs(value__dec - numerator__dec / denominator__dec * 100), 9) END"
            },
        )
    if r == "month_format":
        # a blank month is not a month either: check the text with blank as ''
        return Check(
            rule,
            gxe.ExpectColumnValuesToMatchRegex(
                column="_month_text", regex=f"^{MONTH_RE}$", meta=_meta(rule)
            ),
            {"_month_text": "coalesce(month, '')"},
        )
    if r in ("longitude_number", "latitude_number"):
        c = rule.column
        return _is_true(
            f"{c}__is_number",
            f"CASE WHEN {q(c)} IS NOT NULL THEN {q(c + '__dbl')} IS NOT NULL END",
            rule,
        )
    raise KeyError(f"no check is defined for rule {rule.id!r}")


def checks_for(spec: LandingSpec, ref: Reference) -> tuple[Check, ...]:
    """One check per rule of the spec, in rule order."""
    out = []
    for rule in spec.rules:
        check = _standard_check(spec, rule)
        out.append(check if check is not None else _specific_check(rule, ref))
    return tuple(out)
