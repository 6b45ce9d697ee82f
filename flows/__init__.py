"""Prefect flows: thin wrappers over the plain functions of ``cjb``.

Before Prefect is imported, its usage data is turned off, as dbt's (``dbt_project.yml``) and
Great Expectations' (``cjb/landing/gx_import.py``) are: the warehouse holds criminal justice
data and runs offline. ``DO_NOT_TRACK`` stops the SDK's telemetry, and
``PREFECT_SERVER_ANALYTICS_ENABLED`` the heartbeat of the temporary server a command starts
(which inherits this environment). Offline, that heartbeat could only fail, and it sometimes
printed a traceback ("database is locked") in the middle of a run. An operator who sets
either variable keeps their own value.

``flows.heartbeats`` is imported next: flow runs finish without waiting for their heartbeat
thread (see its docstring).
"""

import os

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

import flows.heartbeats  # noqa: E402, F401
