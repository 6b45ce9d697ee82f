"""court_trials: trial listings at the five Wiltshire courts, with outcomes and reasons.

Shares follow the 2018-19 Q3 performance report: about 82 trials listed a month (245 in the
quarter), roughly 42 % effective, 36 % cracked and 22 % ineffective, a quarter of listed trials
cracked or ineffective for prosecution reasons, plus vacated listings (about 10 % of rows). A few
listings are resent the next month with a corrected outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from cjb.contract import Period
from cjb.generate import reference
from cjb.generate.dates import day
from cjb.generate.formatting import Cat, Days, Ids, Table, Text
from cjb.generate.people import PersonPool

ROWS_PER_MONTH = 91  # ~82 listed + ~9 vacated
OUTCOMES = ("effective", "cracked", "ineffective", "vacated")
OUTCOME_P = (0.378, 0.329, 0.193, 0.10)
COURTS = (("187", 0.28), ("162", 0.17), ("51", 0.25), ("345", 0.18), ("480", 0.12))
CRACKED_W = {"A": 44, "B": 7, "C": 5, "D": 2, "E": 3, "F": 1, "G": 1.5, "H": 0.5,
             "I": 7, "J": 17, "K": 5, "L": 3}  # fmt: skip
INEFFECTIVE_W = {
    "M1": 4, "M2": 5, "M3": 3, "N1": 6, "N2": 3, "N3": 11, "O1": 4, "O2": 2, "P": 3,
    "Q1": 3, "Q2": 4, "Q3": 1, "R": 3, "S1": 6, "S2": 5, "S3": 3, "S4": 2, "T": 1,
    "U1": 2, "U2": 1, "V": 1, "W1": 6, "W2": 3, "W3": 8, "W4": 1, "W5": 1,
    "X": 2, "Y": 1, "Z": 1,
}  # fmt: skip
URN_UNITS = ("SW", "SA", "CH", "TR", "DV", "WB")
FAULT_LISTING_BASE = 90_000_000


@dataclass
class Listings:
    seq: np.ndarray
    urn: np.ndarray  # object
    court: np.ndarray
    listing: np.ndarray
    outcome: np.ndarray
    reason: np.ndarray
    group: np.ndarray
    count: np.ndarray  # object
    defendant: np.ndarray

    def take(self, idx: np.ndarray) -> Listings:
        return Listings(*(getattr(self, f.name)[idx] for f in fields(self)))

    @staticmethod
    def concat(*parts: Listings) -> Listings:
        return Listings(
            *(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Listings))
        )


class TrialGenerator:
    def __init__(self, people: PersonPool, scale: float) -> None:
        self.people = people
        self.scale = scale
        self.next_seq = 1
        self.next_fault = FAULT_LISTING_BASE
        self.courts = tuple(c for c, _ in COURTS)
        p = np.array([w for _, w in COURTS])
        self.court_p = p / p.sum()
        self.crown = np.array([c in reference.CROWN_COURTS for c in self.courts])
        reasons = {r.code: r for r in reference.trial_reasons()}
        self.reasons = ("",) + tuple(reasons)
        index = {c: i for i, c in enumerate(self.reasons)}
        self.cracked_codes = np.array([index[c] for c in CRACKED_W])
        w = np.array(list(CRACKED_W.values()), dtype=float)
        self.cracked_p = w / w.sum()
        self.ineff_codes = np.array([index[c] for c in INEFFECTIVE_W])
        w = np.array(list(INEFFECTIVE_W.values()), dtype=float)
        self.ineff_p_crown = w / w.sum()
        w_mags = np.where([reasons[c].crown_only for c in INEFFECTIVE_W], 0.0, w)
        self.ineff_p_mags = w_mags / w_mags.sum()
        self.groups = ("",) + reference.offence_groups()
        self.charged: np.ndarray = np.zeros(0, dtype=np.int64)  # recent charged suspects
        self.last_month: Listings | None = None

    def add_charged(self, suspects: np.ndarray, cap: int) -> None:
        self.charged = np.concatenate([self.charged, suspects.astype(np.int64)])[-cap:]

    def _reason(
        self, rng: np.random.Generator, outcome: np.ndarray, court: np.ndarray
    ) -> np.ndarray:
        n = len(outcome)
        crown = self.crown[court]
        cracked = self.cracked_codes[rng.choice(len(self.cracked_p), size=n, p=self.cracked_p)]
        ineff = np.where(
            crown,
            self.ineff_codes[rng.choice(len(self.ineff_codes), size=n, p=self.ineff_p_crown)],
            self.ineff_codes[rng.choice(len(self.ineff_codes), size=n, p=self.ineff_p_mags)],
        )
        return np.where(outcome == 1, cracked, np.where(outcome == 2, ineff, 0)).astype(np.int16)

    def _draw(self, rng: np.random.Generator, n: int, period: Period, seq0: int) -> Listings:
        first, last = day(period.start), day(period.end)
        seq = np.arange(seq0, seq0 + n, dtype=np.int64)
        court = rng.choice(len(self.courts), size=n, p=self.court_p).astype(np.int8)
        outcome = rng.choice(4, size=n, p=OUTCOME_P).astype(np.int8)
        units = rng.integers(len(URN_UNITS), size=n)
        nums = rng.integers(1, 99_999, size=n)
        yy = period.start.year % 100
        urn = np.array(
            [f"54{URN_UNITS[u]}{x:05d}{yy:02d}" for u, x in zip(units, nums, strict=True)],
            dtype=object,
        )
        g = rng.integers(1, len(self.groups), size=n)
        group = np.where(rng.random(n) < 0.25, 0, g).astype(np.int16)
        k = rng.random(n)
        count = np.where(k < 0.5, "", np.where(k < 0.9, "1", np.where(k < 0.97, "2", "3"))).astype(
            object
        )
        d = rng.random(n)
        from_charged = (d < 0.8) & (len(self.charged) > 0)
        pick = (
            self.charged[rng.integers(len(self.charged), size=n)]
            if len(self.charged)
            else np.full(n, -1, dtype=np.int64)
        )
        other = self.people.draw_offenders(rng, n, female_share=0.15)
        defendant = np.where(from_charged, pick, np.where(d < 0.92, other, -1)).astype(np.int64)
        return Listings(
            seq=seq,
            urn=urn,
            court=court,
            listing=rng.integers(first, last + 1, size=n).astype(np.int32),
            outcome=outcome,
            reason=self._reason(rng, outcome, court),
            group=group,
            count=count,
            defendant=defendant,
        )

    def month(self, period: Period, rng: np.random.Generator, n_templates: int) -> Table:
        n = int(rng.poisson(ROWS_PER_MONTH * self.scale))
        new = self._draw(rng, n, period, self.next_seq)
        self.next_seq += n
        new = new.take(np.argsort(new.listing, kind="stable"))
        parts = []
        if self.last_month is not None and len(self.last_month.seq):
            prev = self.last_month
            resend = np.flatnonzero(rng.random(len(prev.seq)) < 0.03)
            if len(resend):
                r = prev.take(resend)
                r.outcome = ((r.outcome + rng.integers(1, 3, size=len(resend))) % 3).astype(np.int8)
                r.reason = self._reason(rng, r.outcome, r.court)
                parts.append(r)
        self.last_month = new
        templates = self._draw(rng, n_templates, period, self.next_fault)
        self.next_fault += n_templates
        rows = Listings.concat(*parts, new, templates)
        jurisdiction = np.where(self.crown[rows.court], 1, 0)
        return {
            "listing_id": Ids("L", rows.seq, 8),
            "case_urn": Text(rows.urn),
            "court_code": Cat(self.courts, rows.court),
            "jurisdiction": Cat(("magistrates", "crown"), jurisdiction),
            "listing_date": Days(rows.listing),
            "trial_outcome": Cat(OUTCOMES, rows.outcome),
            "reason_code": Cat(self.reasons, rows.reason),
            "offence_group": Cat(self.groups, rows.group),
            "defendant_count": Text(rows.count),
            "defendant_person_id": self.people.ids(rows.defendant),
        }
