"""Landing's start-up imports Great Expectations without the modules it never uses there
(``cjb/landing/gx_import.py``), and those modules still work when something does use them."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import inspect
import sys
import cjb.landing
print("pyspark" in sys.modules, "scipy.stats._stats_py" in sys.modules)
# what dbt does when it sets up its adapter: looks at every module's file, loading none
[inspect.getmodule(frame[0]) for frame in inspect.stack()]
print("scipy.stats._stats_py" in sys.modules)
from great_expectations.expectations.core import expect_column_kl_divergence_to_be_less_than as kl
print(round(kl.stats.entropy([0.5, 0.5], [0.9, 0.1]), 6), "scipy.stats._stats_py" in sys.modules)
"""


def test_landing_imports_ge_without_pyspark_and_loads_scipy_stats_on_first_use():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:3] == ["False False", "False", "0.510826 True"]
