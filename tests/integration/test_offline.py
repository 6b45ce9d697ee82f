"""Running cjb sends no usage data: Prefect's telemetry is off once the flows are imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from prefect._internal.analytics.ci_detection import CI_ENV_VARS

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json
import flows.run  # what `cjb run` imports before Prefect starts a server or a flow
from prefect._internal.analytics.enabled import is_telemetry_enabled
from prefect.settings import get_current_settings
print(json.dumps({
    "sdk": is_telemetry_enabled(),
    "server": get_current_settings().server.analytics_enabled,
}))
"""


def _probe(**env: str) -> dict[str, bool]:
    clean = {
        k: v
        for k, v in os.environ.items()
        # the variables of any CI service turn Prefect's SDK telemetry off by themselves (its
        # own list): leave them out, so the probe shows what an operator's machine does
        if k not in {"DO_NOT_TRACK", "PREFECT_SERVER_ANALYTICS_ENABLED", *CI_ENV_VARS}
    }
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_prefect_sends_no_usage_data_by_default() -> None:
    assert _probe() == {"sdk": False, "server": False}


def test_an_operator_can_turn_prefect_analytics_back_on() -> None:
    assert _probe(DO_NOT_TRACK="0", PREFECT_SERVER_ANALYTICS_ENABLED="true") == {
        "sdk": True,
        "server": True,
    }
