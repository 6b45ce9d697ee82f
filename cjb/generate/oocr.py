"""oocr: police out-of-court resolutions, with interventions resolved in later months.

About 68 disposals a month (812 adults in 2022-23), 22 % women, about 39 % referred to an
intervention (318 of 812). A referred disposal is first sent ``in_progress`` and resent in a
later month as ``completed`` (about 63 %) or ``not_completed``; some stay in progress.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

import numpy as np

from cjb.contract import Period
from cjb.generate.dates import day
from cjb.generate.formatting import Cat, Days, Flags, Ids, Table
from cjb.generate.people import PersonPool

DISPOSALS_PER_MONTH = 68
DISPOSAL_WIDTH = 7
FAULT_DISPOSAL_BASE = 9_000_000
OUTCOME_22_FROM = day(date(2019, 4, 1))

TYPES = (
    "community_resolution",
    "conditional_caution",
    "simple_caution",
    "youth_caution",
    "youth_conditional_caution",
    "penalty_notice",
    "cannabis_khat_warning",
    "outcome_22",
)
ADULT_P = (0.50, 0.18, 0.10, 0.0, 0.0, 0.06, 0.10, 0.06)
YOUTH_P = (0.60, 0.0, 0.0, 0.25, 0.15, 0.0, 0.0, 0.0)
CODES = ("105A", "8N", "46", "58D", "58C", "9A", "92D", "92E", "49", "8L", "8R")
CODE_P = (20, 10, 25, 12, 5, 8, 3, 7, 5, 3, 2)
PND_CODES = ("46", "58D", "9A")
SEXES = ("M", "F", "U", "")
PROVIDERS = (
    "",
    "Intervention Hub",
    "Nelson Trust",
    "Nelson Trust, Swindon",
    "Intervention Hub, Devizes",
    "Turning Point",
    "Swindon & Wiltshire Drug and Alcohol Service",
)
WOMEN_PROVIDER_P = (0.05, 0.25, 0.45, 0.2, 0.05, 0.0, 0.0)
MEN_PROVIDER_P = (0.05, 0.55, 0.0, 0.0, 0.1, 0.15, 0.15)
OUTCOMES = ("", "in_progress", "completed", "not_completed")


@dataclass
class Disposals:
    seq: np.ndarray
    person: np.ndarray
    sex: np.ndarray
    age: np.ndarray
    date: np.ndarray
    dtype: np.ndarray
    code: np.ndarray
    prev_conv: np.ndarray
    prev_caut: np.ndarray
    referred: np.ndarray
    provider: np.ndarray
    outcome: np.ndarray  # as first sent
    resolve: np.ndarray  # day the intervention outcome is known (int32 max: never)
    final: np.ndarray  # outcome once resolved

    def take(self, idx: np.ndarray) -> Disposals:
        return Disposals(*(getattr(self, f.name)[idx] for f in fields(self)))

    @staticmethod
    def concat(*parts: Disposals) -> Disposals:
        return Disposals(
            *(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Disposals))
        )


NEVER = np.iinfo(np.int32).max


class OocrGenerator:
    def __init__(self, people: PersonPool, scale: float, horizon: int) -> None:
        self.people = people
        self.scale = scale
        self.horizon = horizon
        self.next_seq = 1
        self.next_fault = FAULT_DISPOSAL_BASE
        spell: list[str] = [""]
        for c in CODES:
            spell += [c, "0" * max(1, 5 - len(c)) + c, c.lower()]
        self.spellings = tuple(spell)
        p = np.array(CODE_P, dtype=float)
        self.code_p = p / p.sum()
        self.pending = self._draw(np.random.default_rng(0), 0, 0, 0, 0)
        # Adult women with a disposal so far: person numbers and ages (FJSB links to them).
        self.women: np.ndarray = np.zeros(0, dtype=np.int64)
        self.women_age: np.ndarray = np.zeros(0, dtype=np.int16)
        self.women_day: np.ndarray = np.zeros(0, dtype=np.int32)

    def _draw(
        self, rng: np.random.Generator, n: int, first: int, last: int, seq0: int
    ) -> Disposals:
        seq = np.arange(seq0, seq0 + n, dtype=np.int64)
        s = rng.random(n)
        sex = np.where(s < 0.22, 1, np.where(s < 0.23, 2, np.where(s < 0.235, 3, 0))).astype(
            np.int8
        )
        person = np.where(
            sex == 1, self.people.draw_women(rng, n), self.people.draw_men(rng, n)
        ).astype(np.int64)
        youth = rng.random(n) < 0.12
        age = np.where(
            youth,
            rng.integers(10, 18, size=n),
            np.minimum(18 + np.floor(rng.gamma(2.0, 9.0, n)), 85),
        ).astype(np.int16)
        when = rng.integers(first, last + 1, size=n).astype(np.int32)
        dtype = np.where(
            youth, rng.choice(8, size=n, p=YOUTH_P), rng.choice(8, size=n, p=ADULT_P)
        ).astype(np.int8)
        dtype = np.where((dtype == 7) & (when < OUTCOME_22_FROM), 0, dtype).astype(np.int8)
        code = rng.choice(len(CODES), size=n, p=self.code_p)
        code = np.where(dtype == 6, CODES.index("92E"), code)
        pnd = np.array([CODES.index(c) for c in PND_CODES])
        code = np.where(dtype == 5, pnd[rng.integers(len(pnd), size=n)], code)
        spelling = rng.choice(3, size=n, p=[0.9, 0.06, 0.04])
        code = np.where(rng.random(n) < 0.06, 0, 1 + code * 3 + spelling).astype(np.int16)

        def flag(p_yes: float, p_unknown: float) -> np.ndarray:
            r = rng.random(n)
            return np.where(r < p_unknown, -1, (r < p_unknown + p_yes).astype(np.int8)).astype(
                np.int8
            )

        prev_conv = flag(0.35, 0.05)
        prev_caut = flag(0.25, 0.05)
        referred = flag(0.39, 0.03)
        women_prov = rng.choice(len(PROVIDERS), size=n, p=WOMEN_PROVIDER_P)
        men_prov = rng.choice(len(PROVIDERS), size=n, p=MEN_PROVIDER_P)
        provider = np.where(referred == 1, np.where(sex == 1, women_prov, men_prov), 0).astype(
            np.int8
        )
        outcome = np.where(referred == 1, 1, 0).astype(np.int8)
        f = rng.random(n)
        final = np.where(f < 0.63, 2, np.where(f < 0.90, 3, 1)).astype(np.int8)
        next_month = last + 1
        resolve = np.maximum(when + 14 + np.floor(rng.gamma(2.0, 25.0, n)), next_month)
        resolve = np.where((referred == 1) & (final != 1), resolve, NEVER).astype(np.int32)
        return Disposals(
            seq, person, sex, age, when, dtype, code, prev_conv, prev_caut, referred, provider,
            outcome, resolve, final,
        )  # fmt: skip

    def month(self, period: Period, rng: np.random.Generator, n_templates: int) -> Table:
        first, last = day(period.start), day(period.end)
        n = int(rng.poisson(DISPOSALS_PER_MONTH * self.scale))
        new = self._draw(rng, n, first, last, self.next_seq)
        self.next_seq += n
        new = new.take(np.argsort(new.date, kind="stable"))
        adult_women = (new.sex == 1) & (new.age >= 18)
        self.women = np.concatenate([self.women, new.person[adult_women]])
        self.women_age = np.concatenate([self.women_age, new.age[adult_women]])
        self.women_day = np.concatenate([self.women_day, new.date[adult_women]])

        pending = self.pending
        due = (pending.resolve >= first) & (pending.resolve <= last)
        resent = pending.take(np.flatnonzero(due))
        resent.outcome = resent.final.copy()
        both = Disposals.concat(pending, new)
        keep = (both.resolve > last) & (both.resolve <= self.horizon)
        self.pending = both.take(np.flatnonzero(keep))
        templates = self._draw(rng, n_templates, first, last, self.next_fault)
        self.next_fault += n_templates
        rows = Disposals.concat(resent, new, templates)
        return {
            "disposal_id": Ids("OC", rows.seq, DISPOSAL_WIDTH),
            "person_id": self.people.ids(rows.person),
            "sex": Cat(SEXES, rows.sex),
            "age_at_disposal": Cat(tuple(str(i) for i in range(111)), rows.age),
            "disposal_date": Days(rows.date),
            "disposal_type": Cat(TYPES, rows.dtype),
            "ho_offence_code": Cat(self.spellings, rows.code),
            "previous_convictions": Flags(rows.prev_conv),
            "previous_cautions": Flags(rows.prev_caut),
            "intervention_referred": Flags(rows.referred),
            "intervention_provider": Cat(PROVIDERS, rows.provider),
            "intervention_outcome": Cat(OUTCOMES, rows.outcome),
        }
