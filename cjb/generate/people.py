"""The shared person pool: pseudonymous person keys (``P0001234``) used across every source.

Person numbers are split into fixed ranges so that links between sources are deliberate:

- ``[0, n_female)``: women (OoCR disposals with sex F, FJSB assessments, some crime suspects);
- ``[n_female, n_general)``: men (most suspects, defendants and disposals);
- ``[n_general, n_general + n_iom)``: IOM nominals, drawn as suspects only through
  :mod:`cjb.generate.iom` so that their offending before, during and after the scheme is shaped;
- ``[fault_base, ...)``: keys for labelled fault rows, never used by a good row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cjb.generate.formatting import Ids

PERSON_PREFIX = "P"


@dataclass(frozen=True)
class PersonPool:
    n_general: int
    n_female: int
    n_iom: int

    @classmethod
    def for_scale(cls, scale: float, months: int, iom_scale: float | None = None) -> PersonPool:
        """A pool for ``scale``, with the IOM range sized for ``iom_scale`` (default ``scale``)."""
        n_general = max(2_000, round(40_000 * scale))
        # Room for every nominal adopted over the run (about 7 a month at scale 1) and before it.
        iom_scale = scale if iom_scale is None else iom_scale
        n_iom = max(200, round((90 + 8 * (months + 30)) * iom_scale))
        return cls(n_general=n_general, n_female=n_general // 4, n_iom=n_iom)

    @property
    def iom_base(self) -> int:
        return self.n_general

    @property
    def fault_base(self) -> int:
        return self.n_general + self.n_iom

    @property
    def width(self) -> int:
        return max(7, len(str(self.fault_base + 1_000_000)))

    def ids(self, numbers: np.ndarray) -> Ids:
        """Person keys for person numbers (negative numbers are blank)."""
        return Ids(PERSON_PREFIX, np.asarray(numbers, dtype=np.int64), self.width)

    def key(self, number: int) -> str:
        return f"{PERSON_PREFIX}{number:0{self.width}d}"

    def draw_offenders(self, rng: np.random.Generator, n: int, female_share: float) -> np.ndarray:
        """Suspects or defendants: skewed towards a core of repeat offenders."""
        female = rng.random(n) < female_share
        u = rng.random(n) ** 1.8  # low numbers come up far more often
        women = (u * self.n_female).astype(np.int64)
        men = self.n_female + (u * (self.n_general - self.n_female)).astype(np.int64)
        return np.where(female, women, men)

    def draw_women(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return (rng.random(n) ** 1.5 * self.n_female).astype(np.int64)

    def draw_men(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.n_female + (rng.random(n) ** 1.5 * (self.n_general - self.n_female)).astype(
            np.int64
        )
