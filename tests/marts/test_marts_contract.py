"""Each public mart's columns, in order, as ../shared/contracts/marts.md lists them, and their
types as the YAML contract declares them, read from the built warehouse."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

PROJECT = Path(__file__).resolve().parents[2]
MARTS_MD = PROJECT.parent / "shared" / "contracts" / "marts.md"
PUBLIC_YML = PROJECT / "models" / "marts" / "public" / "_public.yml"


def marts_md_columns() -> dict[str, list[str]]:
    """Column lists under each '### marts.<name>' heading (the backticked list)."""
    text = MARTS_MD.read_text(encoding="utf-8")
    out: dict[str, list[str]] = {}
    for m in re.finditer(r"^### marts\.(\w+)[^\n]*\n+`([^`]+)`", text, flags=re.M):
        out[m.group(1)] = [c.strip() for c in m.group(2).replace("\n", " ").split(",")]
    return out


def yaml_contract() -> dict[str, list[tuple[str, str]]]:
    doc = yaml.safe_load(PUBLIC_YML.read_text(encoding="utf-8"))
    return {
        m["name"]: [(str(c["name"]), c["data_type"]) for c in m["columns"]] for m in doc["models"]
    }


# The contract writes portable type names (Spark and DuckDB); DuckDB reports its own.
ALIASES = {"STRING": "VARCHAR", "INT": "INTEGER", "LONG": "BIGINT"}


def norm(t: str) -> str:
    t = re.sub(r"\s+", "", t).upper()
    return ALIASES.get(t, t)


MARTS = (
    "wcjb_scorecard",
    "trial_effectiveness",
    "trial_outcome_reasons",
    "crime_summary",
    "oocr_summary",
    "fjsb_needs_prevalence",
    "fjsb_offence_profile",
    "iom_outcomes",
)


def _expected() -> dict[str, list[str]]:
    """marts.md's column lists; CI always has ../shared beside the project, so there its absence
    fails the test rather than skipping it."""
    if not MARTS_MD.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{MARTS_MD} is missing: CI runs with ../shared beside the project")
        pytest.skip(f"{MARTS_MD} is not beside the project")
    return marts_md_columns()


def test_marts_md_lists_the_eight_marts():
    assert set(_expected()) == set(MARTS)


@pytest.mark.parametrize("mart", MARTS)
def test_columns_and_types(q, mart):
    EXPECTED = _expected()
    built = q(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'marts' AND table_name = ? ORDER BY ordinal_position",
        [mart],
    )
    assert [c for c, _ in built] == EXPECTED[mart]
    contract = yaml_contract()[mart]
    assert [c for c, _ in contract] == EXPECTED[mart]
    assert [norm(t) for _, t in built] == [norm(t) for _, t in contract]
