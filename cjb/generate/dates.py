"""Day numbers: dates as int32 days since 1970-01-01, the generator's compact date form."""

from __future__ import annotations

from datetime import date

import numpy as np

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
BLANK = -1  # a blank date in a day array


def day(d: date) -> int:
    return d.toordinal() - EPOCH_ORDINAL


def to_date(n: int) -> date:
    return date.fromordinal(int(n) + EPOCH_ORDINAL)


def add_months(year: int, month: int, k: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + k
    return idx // 12, idx % 12 + 1


def uniform_days(rng: np.random.Generator, first: int, last: int, n: int) -> np.ndarray:
    """n days uniformly between first and last inclusive."""
    return rng.integers(first, last + 1, size=n, dtype=np.int64).astype(np.int32)
