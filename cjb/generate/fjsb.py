"""fjsb_needs: needs assessments of women on the Female Justice Support Board pathway.

About 60 assessments a quarter. Each need's prevalence among known answers is set exactly (to
rounding) to the published April 2023 - March 2024 figure, so a quarter's file reproduces it.
Women referred by the ``oocr`` route are women who had an out-of-court disposal earlier in the
run; some women are assessed again in a later quarter.
"""

from __future__ import annotations

import numpy as np

from cjb.contract import NEED_FLAGS, Period
from cjb.generate.dates import day
from cjb.generate.formatting import Cat, Days, Flags, Ids, Table
from cjb.generate.people import PersonPool

ASSESSMENTS_PER_QUARTER = 60
FAULT_ASSESSMENT_BASE = 900_000

# Published prevalence, percent of women assessed (000 FJSB gap analysis, 2023-24).
NEED_PREVALENCE: dict[str, float] = {
    "previous_conviction": 38,
    "problematic_drug_use": 37,
    "disability": 38,
    "problematic_alcohol_use": 44,
    "mental_health": 63,
    "domestic_abuse": 65,
    "self_harm_suicidal_ideation": 10,
    "sexual_trauma": 31,
    "neurodivergent": 10,
    "sex_work": 18,
    "housing_concern": 32,
    "financial_concern": 37,
}
ROUTES = ("oocr", "court", "probation", "police_custody", "self", "other")
ROUTE_P = (0.35, 0.15, 0.25, 0.10, 0.10, 0.05)
CATEGORIES = (
    "",
    "acquisitive",
    "motoring",
    "public_order",
    "violence",
    "damage_to_property",
    "weapons",
    "harassment",
    "dishonesty",
    "sexual",
    "drugs",
    "other",
)
CATEGORY_P = (6, 28, 6, 7, 25, 8, 1, 3, 1, 1, 8, 6)
AGES = tuple(str(i) for i in range(111))


class FjsbGenerator:
    def __init__(self, people: PersonPool, scale: float) -> None:
        self.people = people
        self.scale = scale
        self.next_seq = 1
        self.next_fault = FAULT_ASSESSMENT_BASE
        self.assessed: np.ndarray = np.zeros(0, dtype=np.int64)
        self.assessed_age: np.ndarray = np.zeros(0, dtype=np.int16)
        p = np.array(CATEGORY_P, dtype=float)
        self.category_p = p / p.sum()
        assert set(NEED_PREVALENCE) == set(NEED_FLAGS)

    def quarter(
        self,
        period: Period,
        rng: np.random.Generator,
        oocr_women: np.ndarray,
        oocr_women_age: np.ndarray,
        oocr_women_day: np.ndarray,
        n_templates: int,
    ) -> Table:
        n = int(rng.poisson(ASSESSMENTS_PER_QUARTER * self.scale))
        first, last = day(period.start), day(period.end)
        when = rng.integers(first, last + 1, size=n).astype(np.int32)
        route = rng.choice(len(ROUTES), size=n, p=ROUTE_P).astype(np.int8)
        person = self.people.draw_women(rng, n)
        age = (18 + np.minimum(np.floor(rng.gamma(2.5, 8.0, n)), 62)).astype(np.int16)
        # oocr route: a woman with an earlier disposal (distinct where there are enough).
        oocr = np.flatnonzero(route == 0)
        if len(oocr_women):
            uniq, first_seen = np.unique(oocr_women, return_index=True)
            k = min(len(oocr), len(uniq))
            pick = rng.choice(len(uniq), size=k, replace=False)
            person[oocr[:k]] = uniq[pick]
            age[oocr[:k]] = oocr_women_age[first_seen[pick]]
            # Assessed after the disposal (a week or more later where the quarter allows).
            after = np.minimum(oocr_women_day[first_seen[pick]] + 7, last)
            when[oocr[:k]] = np.maximum(when[oocr[:k]], after)
            route[oocr[k:]] = ROUTES.index("other")
        else:
            route[oocr] = ROUTES.index("other")
        # Some women assessed again, a quarter or more after their first assessment.
        if len(self.assessed):
            again = np.flatnonzero((rng.random(n) < 0.12) & (route != ROUTES.index("oocr")))
            idx = rng.integers(len(self.assessed), size=len(again))
            person[again] = self.assessed[idx]
            age[again] = self.assessed_age[idx]
        _, once = np.unique(person, return_index=True)
        keep = np.zeros(n, dtype=bool)
        keep[once] = True  # one assessment per woman per quarter
        self.assessed = np.concatenate([self.assessed, person[keep]])
        self.assessed_age = np.concatenate([self.assessed_age, age[keep]])
        rows = np.flatnonzero(keep)
        rows = rows[np.argsort(when[rows], kind="stable")]
        n = len(rows)
        person, age, route, when = person[rows], age[rows], route[rows], when[rows]
        age = np.where(rng.random(n) < 0.03, -1, age)

        needs = {
            name: self._exact_flags(rng, n, NEED_PREVALENCE[name] / 100) for name in NEED_FLAGS
        }
        # Fault templates: fresh women, independent draws.
        t = n_templates
        seq = np.concatenate(
            [
                np.arange(self.next_seq, self.next_seq + n),
                np.arange(self.next_fault, self.next_fault + t),
            ]
        ).astype(np.int64)
        fault_people = self.people.fault_base + 100_000 + (seq[n:] - FAULT_ASSESSMENT_BASE)
        self.next_seq += n
        self.next_fault += t
        person = np.concatenate([person, fault_people])
        age = np.concatenate([age, rng.integers(18, 60, size=t)])
        route = np.concatenate([route, rng.integers(1, len(ROUTES), size=t)])
        for name in NEED_FLAGS:
            p_yes = NEED_PREVALENCE[name] / 100
            extra = (rng.random(t) < p_yes).astype(np.int8)
            needs[name] = np.concatenate([needs[name], extra])
        total = n + t
        when = np.concatenate([when, rng.integers(first, last + 1, size=t)]).astype(np.int32)
        category = rng.choice(len(CATEGORIES), size=total, p=self.category_p)
        table: Table = {
            "assessment_id": Ids("FA", seq, 6),
            "person_id": self.people.ids(person),
            "assessment_date": Days(when),
            "age": Cat(("",) + AGES, (age + 1).astype(np.int64)),
            "referral_route": Cat(ROUTES, route),
            "index_offence_category": Cat(CATEGORIES, category),
        }
        for name in NEED_FLAGS:
            table[name] = Flags(needs[name])
        return table

    @staticmethod
    def _exact_flags(rng: np.random.Generator, n: int, prevalence: float) -> np.ndarray:
        """Flags whose yes / (yes + no) is the prevalence to rounding; a few unknown."""
        out = np.zeros(n, dtype=np.int8)
        unknown = rng.random(n) < rng.uniform(0.02, 0.08)
        known = np.flatnonzero(~unknown)
        yes = round(prevalence * len(known))
        out[rng.permutation(known)[:yes]] = 1
        out[unknown] = -1
        return out
