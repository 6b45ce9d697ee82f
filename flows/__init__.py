"""Prefect flows: thin wrappers over the plain functions of ``cjb``.

``flows.heartbeats`` is imported first: flow runs finish without waiting for their heartbeat
thread (see its docstring).
"""

import flows.heartbeats  # noqa: F401
