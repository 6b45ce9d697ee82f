"""What a landing target looks like: the fields of a file, its raw table and its ordered rules.

One ``LandingSpec`` per agency source (from ``cjb.contract``) and one per kind of public
police_uk file (street, outcomes), so the rest of landing treats them alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from cjb.contract import (
    AGENCY_SOURCES,
    PERSON_KEY_COLUMNS,
    POLICE_UK_OUTCOMES_HEADER,
    POLICE_UK_RAW_TYPES,
    POLICE_UK_STREET_HEADER,
    Rule,
    Source,
)

# Field types: the contract's column types plus the police_uk ones.
#   text, date, flag, integer, decimal, person_key (agency files)
#   month ('YYYY-MM' landed as the first day of the month), double (police_uk coordinates)


@dataclass(frozen=True)
class Field:
    name: str  # column of the raw table
    header: str  # header name in the file, trimmed and lower-cased
    type: str
    optional_header: bool = False


@dataclass(frozen=True)
class LandingSpec:
    source: str  # inbox folder (and audit ``source``)
    table: str  # raw table name, without schema
    fields: tuple[Field, ...]
    key: tuple[str, ...]  # field names; empty for police_uk (no duplicate_key rule)
    rules: tuple[Rule, ...]  # in priority order: a row is quarantined under its first broken rule
    contract: Source | None = None

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rules)

    @property
    def required_headers(self) -> tuple[str, ...]:
        return tuple(f.header for f in self.fields if not f.optional_header)

    @property
    def person_key_fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.type == "person_key")

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


def agency_spec(source: Source) -> LandingSpec:
    fields = tuple(
        Field(
            c.name,
            c.name,
            "person_key" if c.name in PERSON_KEY_COLUMNS else c.type,
            c.optional_header,
        )
        for c in source.columns
    )
    return LandingSpec(source.name, source.name, fields, source.key, source.rules, source)


# The public files' only rules: the published header (checked when the file is read), a
# parsable month, and coordinates that are numbers (the raw table types them DOUBLE).
POLICE_UK_RULES: tuple[Rule, ...] = (
    Rule("month_format", "month", "Month must be YYYY-MM"),
    Rule("longitude_number", "longitude", "Longitude must be blank or a number"),
    Rule("latitude_number", "latitude", "Latitude must be blank or a number"),
)

_POLICE_UK_HEADERS = {"street": POLICE_UK_STREET_HEADER, "outcomes": POLICE_UK_OUTCOMES_HEADER}
_POLICE_UK_TYPES = {"VARCHAR": "text", "DOUBLE": "double", "DATE": "month"}


def police_uk_spec(kind: str) -> LandingSpec:
    headers = _POLICE_UK_HEADERS[kind].split(",")
    fields = tuple(
        Field(name, header.strip().lower(), _POLICE_UK_TYPES[duck])
        for (name, duck), header in zip(POLICE_UK_RAW_TYPES[kind].items(), headers, strict=True)
    )
    return LandingSpec("police_uk", f"police_uk_{kind}", fields, (), POLICE_UK_RULES)


SPECS: dict[str, LandingSpec] = {name: agency_spec(s) for name, s in AGENCY_SOURCES.items()}
SPECS["police_uk_street"] = police_uk_spec("street")
SPECS["police_uk_outcomes"] = police_uk_spec("outcomes")
