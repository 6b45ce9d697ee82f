"""Code lists the rules check against, read once from the project's reference seeds."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cjb.paths import REFERENCE_DIR


def canonical_offence_code(code: str) -> str:
    """Home Office offence code compared without leading zeros, ignoring case (``0058a`` -> ``58A``)."""
    return code.strip().lstrip("0").upper()


def _column(path: Path, name: str) -> list[str]:
    with path.open(newline="", encoding="utf-8-sig") as f:
        return [row[name].strip() for row in csv.DictReader(f) if row[name].strip()]


@dataclass(frozen=True)
class Reference:
    offence_codes: frozenset[str]  # canonical (see canonical_offence_code)
    outcome_types: frozenset[str]  # hoc_outcome_types.csv codes 1..22 (1A, 3A included), not 0
    trial_reasons: frozenset[tuple[str, str]]  # (outcome, code)
    crown_only_reasons: frozenset[str]  # court_scope crown_only: X, Y, Z
    courts: frozenset[tuple[str, str]]  # (jurisdiction, id)
    offence_groups: frozenset[str]


@cache
def load_reference(directory: Path = REFERENCE_DIR) -> Reference:
    with (directory / "trial_reasons.csv").open(newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    reasons = [(r["outcome"].strip(), r["code"].strip()) for r in rows]
    crown_only = [r["code"].strip() for r in rows if r["court_scope"].strip() == "crown_only"]
    courts = {("magistrates", i) for i in _column(directory / "courts_magistrates.csv", "id")}
    courts |= {("crown", i) for i in _column(directory / "courts_crown.csv", "id")}
    return Reference(
        offence_codes=frozenset(
            canonical_offence_code(c)
            for c in _column(directory / "ho_offence_codes.csv", "offence_code")
        ),
        outcome_types=frozenset(
            c for c in _column(directory / "hoc_outcome_types.csv", "outcome_type") if c != "0"
        ),
        trial_reasons=frozenset(reasons),
        crown_only_reasons=frozenset(crown_only),
        courts=frozenset(courts),
        offence_groups=frozenset(_column(directory / "offence_groups.csv", "offence_group")),
    )
