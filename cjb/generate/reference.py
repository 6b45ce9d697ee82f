"""Reference code lists the generator draws from, read from the project's copies.

Everything comes from ``cjb.paths.REFERENCE_DIR`` (``seeds/reference``), never from ``../shared``.
Lists are returned in file order so that draws are deterministic for a seed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cjb.errors import CjbError
from cjb.paths import REFERENCE_DIR

WILTSHIRE_LAD = "E06000054"
SWINDON_LAD = "E06000030"

# The five courts that sit for Wiltshire and Swindon (ids from courts_*.csv).
MAGISTRATES_COURTS = ("187", "162", "51")  # Swindon, Salisbury, Chippenham & Trowbridge
CROWN_COURTS = ("345", "480")  # Swindon Combined, Salisbury


def _read(name: str) -> list[dict[str, str]]:
    path: Path = REFERENCE_DIR / name
    try:
        with path.open(newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))
    except FileNotFoundError as exc:
        raise CjbError(f"reference file {path} is missing") from exc


@dataclass(frozen=True)
class OffenceCode:
    code: str
    description: str
    group: str
    subgroup: str


@dataclass(frozen=True)
class Lsoa:
    code: str
    local_authority: str  # 'Wiltshire' or 'Swindon'


@dataclass(frozen=True)
class TrialReason:
    outcome: str  # 'cracked' or 'ineffective'
    code: str
    attributed_to: str  # prosecution, defence, court, other
    crown_only: bool


@cache
def offence_codes() -> dict[str, OffenceCode]:
    """Home Office offence codes by code, as written in ``ho_offence_codes.csv``."""
    out: dict[str, OffenceCode] = {}
    for r in _read("ho_offence_codes.csv"):
        code = r["offence_code"].strip()
        if code:
            out[code] = OffenceCode(
                code, r["offence_description"].strip(), r["offence_group"], r["offence_subgroup"]
            )
    return out


def normalise_offence_code(code: str) -> str:
    """The contract's comparison form: trimmed, leading zeros dropped, upper case."""
    return code.strip().lstrip("0").upper()


@cache
def known_offence_codes() -> frozenset[str]:
    return frozenset(normalise_offence_code(c) for c in offence_codes())


@cache
def outcome_types() -> tuple[str, ...]:
    """Outcome types 1-22 of ``hoc_outcome_types.csv`` (0, not yet assigned, left out)."""
    return tuple(
        r["outcome_type"] for r in _read("hoc_outcome_types.csv") if r["outcome_type"] != "0"
    )


@cache
def trial_reasons() -> tuple[TrialReason, ...]:
    return tuple(
        TrialReason(r["outcome"], r["code"], r["attributed_to"], r["court_scope"] == "crown_only")
        for r in _read("trial_reasons.csv")
    )


@cache
def court_ids(jurisdiction: str) -> frozenset[str]:
    name = {"magistrates": "courts_magistrates.csv", "crown": "courts_crown.csv"}[jurisdiction]
    return frozenset(r["id"].strip() for r in _read(name) if r["id"].strip())


@cache
def offence_groups() -> tuple[str, ...]:
    """Distinct ``offence_group`` values of ``offence_groups.csv`` in file order."""
    seen: dict[str, None] = {}
    for r in _read("offence_groups.csv"):
        seen.setdefault(r["offence_group"], None)
    return tuple(seen)


@cache
def wiltshire_lsoas() -> tuple[Lsoa, ...]:
    """LSOAs of Wiltshire and Swindon unitary authorities, in file order."""
    out = []
    for r in _read("geo_lsoa11_ward19_lad19.csv"):
        if r["LAD19CD"] in (WILTSHIRE_LAD, SWINDON_LAD):
            out.append(Lsoa(r["LSOA11CD"], r["LAD19NM"]))
    if not out:
        raise CjbError("no Wiltshire or Swindon LSOAs in geo_lsoa11_ward19_lad19.csv")
    return tuple(out)
