"""police_crimes: recorded crimes with outcomes that arrive, and change, months later.

Each crime's whole life is drawn when it is recorded: its offence, flags, place, suspect, final
outcome and the day that outcome is assigned (sometimes after an interim outcome), or a later
cancellation or transfer. A month's file holds every crime recorded in the month, as it stood at
the month's end (often with no outcome yet), and every earlier crime with an event in the month,
resent with its new state. Crimes with an event still to come are carried as numpy arrays only.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

import numpy as np

from cjb.contract import CRIME_FLAGS, Period
from cjb.generate import reference
from cjb.generate.dates import day
from cjb.generate.formatting import Cat, Days, Flags, Ids, Table
from cjb.generate.people import PersonPool

NEVER = np.iinfo(np.int32).max
CRIMES_PER_MONTH = 3_560  # 42,483 in calendar 2018; 10,792 in 2018-19 Q3
CRIME_REF_WIDTH = 9
FAULT_REF_BASE = 900_000_000

# Offence mix: group share of all crime and code weights within the group (004 report's 2018
# table, rounded towards the Board's brief: violence ~38 %, theft ~32 %, damage ~12.5 %).
OFFENCE_MIX: dict[str, tuple[float, dict[str, float]]] = {
    "violence": (
        0.379,
        {
            "8N": 25, "105A": 29, "8L": 12, "8R": 15, "8Q": 4, "3B": 2.5, "5D": 2, "104": 2.5,
            "8S": 1, "105B": 1.0, "8M": 0.6, "8P": 0.3, "11A": 1.2, "36": 0.3, "106": 0.3,
            "13": 0.2, "1": 0.04, "2": 0.06, "4.4": 0.05, "4.8": 0.05, "5E": 0.4,
        },
    ),
    "theft": (
        0.32,
        {
            "46": 27, "49": 17, "49A": 3, "40": 2, "41": 1.5, "42": 0.3, "43": 0.2, "47": 0.5,
            "28E": 8, "28F": 2, "28G": 0.5, "28H": 0.2, "29A": 0.3, "30C": 6, "30D": 1.2,
            "31A": 0.1, "45": 10, "48": 4.5, "126": 2, "37.2": 0.5, "44": 5.5, "39": 2.2,
            "35": 0.5,
        },
    ),
    "damage": (
        0.125,
        {"58A": 25, "58B": 15, "58C": 30, "58D": 24, "58J": 0.5, "56A": 1.5, "56B": 4},
    ),
    "public_order": (0.065, {"9A": 57, "9B": 3, "62A": 3, "66": 37}),
    "sexual": (
        0.04,
        {
            "19C": 18, "19D": 8, "19E": 5, "19F": 2, "19G": 1, "20A": 28, "20B": 5, "21": 3,
            "22B": 5, "22A": 2, "88E": 10, "88A": 3, "71": 2, "17A": 4, "73": 1, "88C": 2,
        },
    ),
    "drugs": (0.025, {"92A": 20, "92D": 15, "92E": 60, "92C": 5}),
    "robbery": (0.008, {"34A": 15, "34B": 85}),
    "weapons": (0.008, {"10D": 45, "10C": 30, "10B": 8, "10A": 2, "81": 5, "90": 10}),
    "misc": (
        0.030,
        {
            "54": 8, "79": 5, "83": 5, "802": 10, "99": 10, "86": 18, "33": 4, "33A": 4, "61A": 4,
            "38": 4, "59": 10, "95": 4, "96": 2, "27": 1, "24": 1, "69": 2, "80": 2, "814": 2,
            "61": 2, "60": 1, "67": 1,
        },
    ),
}  # fmt: skip

POSITIVE_PROB = {
    "violence": 0.13,
    "theft": 0.15,
    "damage": 0.09,
    "public_order": 0.19,
    "sexual": 0.08,
    "drugs": 0.72,
    "robbery": 0.15,
    "weapons": 0.60,
    "misc": 0.30,
}
DA_PROB = {"violence": 0.33, "damage": 0.08, "sexual": 0.25, "public_order": 0.05}
HATE_CODES = ("105B", "8M", "8P", "58J", "9B")
CYBER_PROB = {"8R": 0.7, "8L": 0.3, "86": 0.8, "33A": 0.5, "88A": 0.8, "88C": 0.3, "35": 0.5}
CSE_CODES = {"19D": 0.25, "19E": 0.25, "20B": 0.25, "21": 0.25, "22B": 0.25, "88A": 0.5, "71": 1.0}
KNIFE_PROB = {"10D": 1.0, "90": 1.0, "34B": 0.12, "34A": 0.15, "5D": 0.3, "3B": 0.05, "8N": 0.02}

# Outcome types (codes of hoc_outcome_types.csv) and their share within positive / not.
POSITIVE = ("1", "1A", "2", "3", "3A", "4", "6", "7", "8")
POSITIVE_MIX = {"1": 46, "1A": 4, "2": 5, "3": 15, "3A": 1, "4": 2, "6": 3, "7": 2, "8": 22}
DRUGS_POSITIVE_MIX = {"1": 30, "7": 40, "8": 15, "3": 12, "2": 3}
OTHER_MIX = {
    "14": 22, "15": 21, "16": 20, "18": 28, "21": 2, "10": 2, "9": 1, "20": 2, "17": 0.5,
    "5": 0.2, "11": 0.3, "12": 0.2, "13": 0.3, "19": 0.2, "22": 2,
}  # fmt: skip
NO_SUSPECT = ("14", "18", "19")
MEAN_DELAY = {"18": 20, "14": 30, "15": 55, "16": 40, "1": 70, "1A": 70, "4": 90}
OUTCOME_22_FROM = day(date(2019, 4, 1))

STATUSES = ("recorded", "cancelled", "transferred")
LOCATIONS = (
    "Station Road, Swindon",
    "outside Co-op, High Street",
    "Market Place, Devizes",
    "car park, Fisherton Street",
    "Regent Street, Swindon",
    "Trowbridge, BA14",
)
NOTES = (
    "Victim declined statement",
    "CCTV requested\nfollow-up by PCSO",
    "Suspect known to victim",
)
DESC_VARIANTS = 2 + len(LOCATIONS) + len(NOTES)


@dataclass
class CrimeState:
    """Crimes with an event still to come, one array per attribute."""

    seq: np.ndarray
    rec: np.ndarray
    off: np.ndarray
    code: np.ndarray
    desc: np.ndarray
    lsoa: np.ndarray
    la: np.ndarray
    flags: np.ndarray  # (n, 5) int8
    suspect: np.ndarray
    e1: np.ndarray
    e1_code: np.ndarray
    e2: np.ndarray
    e2_code: np.ndarray
    es: np.ndarray
    status: np.ndarray

    def __len__(self) -> int:
        return len(self.seq)

    def take(self, idx: np.ndarray) -> CrimeState:
        return CrimeState(*(getattr(self, f.name)[idx] for f in fields(self)))

    @staticmethod
    def concat(a: CrimeState, b: CrimeState) -> CrimeState:
        return CrimeState(
            *(np.concatenate([getattr(a, f.name), getattr(b, f.name)]) for f in fields(a))
        )


def _probs(weights: dict[str, float]) -> tuple[list[str], np.ndarray]:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return keys, p / p.sum()


class CrimeGenerator:
    def __init__(self, people: PersonPool, scale: float, horizon: int) -> None:
        self.people = people
        self.scale = scale
        self.horizon = horizon  # last day generated: later events are never sent
        self.next_seq = 1
        self.next_fault = FAULT_REF_BASE
        known = reference.offence_codes()
        codes: list[str] = []
        weights: list[float] = []
        groups: list[str] = []
        for group, (share, mix) in OFFENCE_MIX.items():
            total = sum(mix.values())
            for code, w in mix.items():
                if code not in known:
                    raise ValueError(f"offence mix code {code!r} not in ho_offence_codes.csv")
                codes.append(code)
                weights.append(share * w / total)
                groups.append(group)
        self.codes = codes
        self.code_p = np.array(weights) / sum(weights)
        self.code_group = groups
        # Spellings: canonical, leading zeros, lower case (all compare equal to the code).
        spell: list[str] = []
        for c in codes:
            spell += [c, "0" * max(1, 5 - len(c)) + c, c.lower()]
        self.spellings = tuple(spell)
        desc: list[str] = []
        for c in codes:
            d = known[c].description
            desc += [d, ""] + [f"{d}, {loc}" for loc in LOCATIONS] + [f"{d}\n{n}" for n in NOTES]
        self.descriptions = tuple(desc)
        n_codes = len(codes)
        self.positive_p = np.array([POSITIVE_PROB[g] for g in groups])
        self.is_drugs = np.array([g == "drugs" for g in groups])
        flag_p = np.zeros((n_codes, 5))
        for i, (c, g) in enumerate(zip(codes, groups, strict=True)):
            flag_p[i, 0] = DA_PROB.get(g, 0.01)
            flag_p[i, 1] = 1.0 if c in HATE_CODES else 0.004
            flag_p[i, 2] = CYBER_PROB.get(c, 0.012)
            flag_p[i, 3] = CSE_CODES.get(c, 0.0)
            flag_p[i, 4] = KNIFE_PROB.get(c, 0.001)
        self.flag_p = flag_p
        lsoas = reference.wiltshire_lsoas()
        self.lsoa_table = ("",) + tuple(ls.code for ls in lsoas)
        self.lsoa_la = np.array([1 if ls.local_authority == "Wiltshire" else 2 for ls in lsoas])
        # Swindon LSOAs a little busier per LSOA; a fixed, mild hot-spot pattern.
        w = np.where(self.lsoa_la == 2, 1.4, 1.0) * np.random.default_rng(54).gamma(
            3.0, 1 / 3.0, len(lsoas)
        )
        self.lsoa_p = w / w.sum()
        self.outcomes = ("",) + reference.outcome_types()
        ocode = {c: i for i, c in enumerate(self.outcomes)}
        pos_keys, self.pos_p = _probs(POSITIVE_MIX)
        self.pos_codes = np.array([ocode[k] for k in pos_keys])
        dpos_keys, self.dpos_p = _probs(DRUGS_POSITIVE_MIX)
        self.dpos_codes = np.array([ocode[k] for k in dpos_keys])
        oth_keys, self.oth_p = _probs(OTHER_MIX)
        self.oth_codes = np.array([ocode[k] for k in oth_keys])
        self.mean_delay = np.array([MEAN_DELAY.get(c, 35) for c in self.outcomes], dtype=float)
        self.no_suspect = np.array([c in NO_SUSPECT or c == "" for c in self.outcomes])
        self.charge = np.array([c in ("1", "1A") for c in self.outcomes])
        self.code_15 = ocode["15"]
        self.code_18 = ocode["18"]
        self.code_21 = ocode["21"]
        self.code_22 = ocode["22"]
        self.interim_final = np.array([c in POSITIVE or c in ("14", "16") for c in self.outcomes])
        self.pool = self._draw(np.random.default_rng(0), 0, 0, 0, 0)

    # --- drawing new crimes ---------------------------------------------------------------------

    def _draw(
        self, rng: np.random.Generator, n: int, first: int, last: int, seq0: int
    ) -> CrimeState:
        seq = np.arange(seq0, seq0 + n, dtype=np.int64)
        rec = rng.integers(first, last + 1, size=n).astype(np.int32)
        code = rng.choice(len(self.codes), size=n, p=self.code_p).astype(np.int16)
        spelling = rng.choice(3, size=n, p=[0.9, 0.06, 0.04])
        group_sexual = np.array([g == "sexual" for g in self.code_group])[code]
        # Offence date: same day mostly, days before often, sometimes long before.
        kind = rng.random(n)
        delay = np.where(
            kind < 0.55,
            0,
            np.where(kind < 0.92, rng.gamma(1.2, 2.5, n), rng.gamma(1.0, 60.0, n)),
        )
        non_recent = group_sexual & (rng.random(n) < 0.2)
        delay = np.where(non_recent, rng.integers(365, 20 * 365, n), delay)
        off = (rec - delay.astype(np.int32)).astype(np.int32)
        off = np.where(rng.random(n) < 0.03, -1, off).astype(np.int32)
        desc_variant = rng.choice(
            DESC_VARIANTS,
            size=n,
            p=[0.84, 0.09] + [0.05 / len(LOCATIONS)] * len(LOCATIONS) + [0.02 / len(NOTES)] * 3,
        )
        desc = (code.astype(np.int32) * DESC_VARIANTS + desc_variant).astype(np.int32)
        lsoa = rng.choice(len(self.lsoa_p), size=n, p=self.lsoa_p).astype(np.int16) + 1
        la = self.lsoa_la[lsoa - 1].astype(np.int8)
        no_lsoa = rng.random(n) < 0.02
        lsoa = np.where(no_lsoa, 0, lsoa).astype(np.int16)
        la = np.where((no_lsoa & (rng.random(n) < 0.5)) | (rng.random(n) < 0.01), 0, la)
        la = la.astype(np.int8)
        flags = (rng.random((n, 5)) < self.flag_p[code]).astype(np.int8)
        unknown = rng.random((n, 5)) < np.array([0.02, 0.015, 0.03, 0.04, 0.02])
        flags = np.where(unknown, -1, flags).astype(np.int8)

        # Final outcome and when it is assigned.
        positive = rng.random(n) < self.positive_p[code]
        drugs = self.is_drugs[code]
        pos = np.where(
            drugs,
            self.dpos_codes[rng.choice(len(self.dpos_p), size=n, p=self.dpos_p)],
            self.pos_codes[rng.choice(len(self.pos_p), size=n, p=self.pos_p)],
        )
        oth = self.oth_codes[rng.choice(len(self.oth_p), size=n, p=self.oth_p)]
        final = np.where(positive, pos, oth).astype(np.int8)
        mean = self.mean_delay[final]
        d1 = np.floor(rng.gamma(1.3, mean / 1.3)).astype(np.int32)
        e1 = (rec + d1).astype(np.int32)
        interim = self.interim_final[final] & (rng.random(n) < 0.06)
        e1_code = np.where(
            interim, np.where(rng.random(n) < 0.6, self.code_15, self.code_18), final
        ).astype(np.int8)
        e2 = np.where(
            interim, e1 + 1 + np.floor(rng.gamma(1.5, 30.0, n)).astype(np.int32), NEVER
        ).astype(np.int32)
        e2_code = np.where(interim, final, 0).astype(np.int8)
        # Outcome 22 exists only from April 2019.
        e1_code = np.where(
            (e1_code == self.code_22) & (e1 < OUTCOME_22_FROM), self.code_21, e1_code
        )
        e2_code = np.where(
            (e2_code == self.code_22) & (e2 < OUTCOME_22_FROM), self.code_21, e2_code
        )
        # Cancelled and transferred crimes: no outcome; half change status after recording.
        st = rng.random(n)
        status = np.where(st < 0.02, 1, np.where(st < 0.03, 2, 0)).astype(np.int8)
        later = rng.random(n) < 0.5
        es = np.where(
            status == 0,
            NEVER,
            np.where(later, rec + 1 + np.floor(rng.gamma(1.5, 25.0, n)).astype(np.int32), rec),
        ).astype(np.int32)
        e1 = np.where(status == 0, e1, NEVER).astype(np.int32)
        e2 = np.where(status == 0, e2, NEVER).astype(np.int32)
        has_suspect = ~self.no_suspect[final] & (status == 0)
        suspect = np.where(
            has_suspect, self.people.draw_offenders(rng, n, female_share=0.16), -1
        ).astype(np.int32)
        return CrimeState(
            seq=seq,
            rec=rec,
            off=off,
            code=(code.astype(np.int32) * 3 + spelling).astype(np.int16),
            desc=desc,
            lsoa=lsoa,
            la=la,
            flags=flags,
            suspect=suspect,
            e1=e1,
            e1_code=e1_code,
            e2=e2,
            e2_code=e2_code,
            es=es,
            status=status,
        )

    # --- a month's file -------------------------------------------------------------------------

    def month(
        self,
        period: Period,
        rng: np.random.Generator,
        nominal_suspects: np.ndarray,
        n_templates: int,
    ) -> tuple[Table, int, np.ndarray]:
        """The month's rows (fault templates last), the template count and charged suspects."""
        first, last = day(period.start), day(period.end)
        season = 1 + 0.05 * np.cos(2 * np.pi * (period.start.month - 7) / 12)
        n = int(rng.poisson(CRIMES_PER_MONTH * self.scale * season))
        new = self._draw(rng, n, first, last, self.next_seq)
        self.next_seq += n
        new = new.take(np.argsort(new.rec, kind="stable"))
        if len(nominal_suspects):
            slots = np.flatnonzero(new.suspect >= 0)
            k = min(len(slots), len(nominal_suspects))
            chosen = rng.choice(slots, size=k, replace=False)
            new.suspect[chosen] = nominal_suspects[:k]
        charged_mask = self.charge[np.where(new.e2 < NEVER, new.e2_code, new.e1_code)] & (
            new.suspect >= 0
        )
        charged = new.suspect[charged_mask]

        pool = self.pool
        touched = (
            ((pool.e1 >= first) & (pool.e1 <= last))
            | ((pool.e2 >= first) & (pool.e2 <= last))
            | ((pool.es >= first) & (pool.es <= last))
        )
        templates = self._draw(rng, n_templates, first, last, self.next_fault)
        self.next_fault += n_templates
        emit = CrimeState.concat(
            CrimeState.concat(pool.take(np.flatnonzero(touched)), new), templates
        )

        both = CrimeState.concat(pool, new)
        future = (
            ((both.e1 > last) & (both.e1 <= self.horizon))
            | ((both.e2 > last) & (both.e2 <= self.horizon))
            | ((both.es > last) & (both.es <= self.horizon))
        )
        self.pool = both.take(np.flatnonzero(future))
        return self._table(emit, last), n_templates, charged

    def _table(self, c: CrimeState, as_of: int) -> Table:
        done2 = c.e2 <= as_of
        done1 = c.e1 <= as_of
        outcome = np.where(done2, c.e2_code, np.where(done1, c.e1_code, 0))
        outcome_day = np.where(done2, c.e2, np.where(done1, c.e1, -1))
        status = np.where(c.es <= as_of, c.status, 0)
        table: Table = {
            "crime_ref": Ids("CR", c.seq, CRIME_REF_WIDTH),
            "recorded_date": Days(c.rec),
            "offence_date": Days(c.off),
            "ho_offence_code": Cat(self.spellings, c.code),
            "offence_description": Cat(self.descriptions, c.desc),
            "lsoa_code": Cat(self.lsoa_table, c.lsoa),
            "local_authority": Cat(("", "Wiltshire", "Swindon"), c.la),
        }
        for i, name in enumerate(CRIME_FLAGS):
            table[name] = Flags(c.flags[:, i])
        table["outcome_type"] = Cat(self.outcomes, outcome)
        table["outcome_date"] = Days(outcome_day)
        table["status"] = Cat(STATUSES, status)
        table["suspect_person_id"] = self.people.ids(c.suspect)
        return table
