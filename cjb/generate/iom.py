"""iom_cohort: Integrated Offender Management nominals, a monthly snapshot of the scheme.

Nominals are adopted at about 6 a month and stay 6 to 24 months, which keeps about 75-80 on
the scheme at any time (77 in 2024, 85 % statutory). The whole history, from 30 months before the
first generated month, is drawn up front. Nominals are also crime suspects: more often in the year
before adoption than on the scheme, and less often after deselection, with at least one crime in
the month before an in-window adoption and the month after an in-window deselection, so that
pre/post reoffending windows always hold data.
"""

from __future__ import annotations

import numpy as np

from cjb.contract import Period
from cjb.generate.dates import day
from cjb.generate.formatting import Cat, Days, Table
from cjb.generate.people import PersonPool

ADOPTIONS_PER_MONTH = 6.2
LOOKBACK_MONTHS = 30
COHORTS = ("fixed", "flex", "free")
COHORT_P = (0.5, 0.35, 0.15)
AREAS = ("Swindon", "County")
BASES = ("statutory", "voluntary")
OGRS = ("", "low", "medium", "high", "very_high")
OGRS_P = (0.05, 0.10, 0.30, 0.35, 0.20)
NEVER = np.iinfo(np.int32).max
# Crimes a month with the nominal as suspect.
RATE_BEFORE = 0.5  # in the year before adoption
RATE_ON = 0.2
RATE_AFTER = 0.15
RATE_OTHER = 0.1


class IomGenerator:
    def __init__(
        self,
        people: PersonPool,
        scale: float,
        periods: list[Period],
        rng: np.random.Generator,
    ) -> None:
        self.people = people
        self.periods = periods
        first = day(periods[0].start)
        last = day(periods[-1].end)
        begin = first - int(LOOKBACK_MONTHS * 30.44)
        span_months = (last - begin) / 30.44
        n = min(max(1, round(ADOPTIONS_PER_MONTH * scale * span_months)), people.n_iom)
        # Evenly spread adoptions (jittered) keep the cohort steady from month to month.
        step = (last + 1 - begin) / n
        adoption = (begin + (np.arange(n) + rng.random(n)) * step).astype(np.int32)
        stay = np.floor((6 + np.minimum(rng.gamma(2.0, 3.0, n), 18)) * 30.44).astype(np.int32)
        deselection = adoption + stay
        on_in_window = deselection >= first
        idx = np.flatnonzero(on_in_window)
        self.adoption = adoption[idx]
        self.deselection = np.where(deselection[idx] <= last, deselection[idx], NEVER).astype(
            np.int32
        )
        m = len(idx)
        self.person = people.iom_base + np.arange(m, dtype=np.int64)
        self.cohort = rng.choice(3, size=m, p=COHORT_P).astype(np.int8)
        self.area = (rng.random(m) < 0.55).astype(np.int8)
        self.basis = (rng.random(m) < 0.15).astype(np.int8)
        self.ogrs = rng.choice(len(OGRS), size=m, p=OGRS_P).astype(np.int8)
        self.next_fault = 0
        self._suspects = self._plan_suspects(rng)

    def _plan_suspects(self, rng: np.random.Generator) -> list[np.ndarray]:
        """Per generated month, the nominals (person numbers) to place as crime suspects."""
        k = len(self.periods)
        starts = np.array([day(p.start) for p in self.periods])
        ends = np.array([day(p.end) for p in self.periods])
        a = self.adoption[:, None]
        d = self.deselection[:, None]
        before = ends[None, :] < a
        soon = before & (a - ends[None, :] <= 365)
        after = (d < NEVER) & (starts[None, :] > d)
        rate = np.where(
            soon, RATE_BEFORE, np.where(before, RATE_OTHER, np.where(after, RATE_AFTER, RATE_ON))
        )
        counts = rng.poisson(rate)
        # At least one crime the month before an in-window adoption / after a deselection.
        for i in range(len(self.person)):
            pre = np.flatnonzero(before[i])
            if len(pre) and pre[-1] < k - 1 and self.adoption[i] >= starts[0]:
                counts[i, pre[-1]] = max(counts[i, pre[-1]], 1)
            post = np.flatnonzero(after[i])
            if len(post):
                counts[i, post[0]] = max(counts[i, post[0]], 1)
        out = []
        for j in range(k):
            people = np.repeat(self.person, counts[:, j])
            out.append(rng.permutation(people))
        return out

    def suspects(self, month_index: int) -> np.ndarray:
        return self._suspects[month_index]

    def month(self, period: Period, rng: np.random.Generator, n_templates: int) -> Table:
        first, last = day(period.start), day(period.end)
        on = (self.adoption <= last) & (self.deselection >= first)
        idx = np.flatnonzero(on)
        desel = np.where(self.deselection[idx] <= last, self.deselection[idx], -1)
        t = n_templates
        person = np.concatenate(
            [
                self.person[idx],
                self.people.fault_base + 200_000 + self.next_fault + np.arange(t),
            ]
        )
        self.next_fault += t
        adoption = np.concatenate(
            [self.adoption[idx], rng.integers(first - 400, first, size=t)]
        ).astype(np.int32)
        return {
            "person_id": self.people.ids(person),
            "cohort": Cat(
                COHORTS, np.concatenate([self.cohort[idx], rng.choice(3, size=t, p=COHORT_P)])
            ),
            "area": Cat(AREAS, np.concatenate([self.area[idx], rng.integers(0, 2, size=t)])),
            "adoption_date": Days(adoption),
            "deselection_date": Days(np.concatenate([desel, np.full(t, -1)]).astype(np.int32)),
            "basis": Cat(BASES, np.concatenate([self.basis[idx], np.zeros(t, dtype=np.int8)])),
            "ogrs_band": Cat(
                OGRS, np.concatenate([self.ogrs[idx], rng.choice(len(OGRS), size=t, p=OGRS_P)])
            ),
        }
