"""Flow runs finish without waiting for their heartbeat thread.

Prefect 3.8 sends a flow run's heartbeats (``PREFECT_FLOWS_HEARTBEAT_FREQUENCY``, default every
180 s; they let an automation mark a killed run Crashed) from a daemon thread that sleeps in
whole seconds. When a synchronous flow run ends, the engine stops the thread and joins it, so
every run waits for the thread's current one-second sleep to end: 0.5 s on average, up to 1 s.
``cjb run`` is three flow runs (``cjb-run`` and its subflows ``cjb-land`` and ``cjb-build``),
which cost it 1-1.7 s of waiting on this machine.

Prefect's asynchronous engine already leaves the thread to stop by itself
(``join_on_exit=False``); this module makes the synchronous engine do the same. Heartbeats are
sent exactly as before: the thread emits none once the run has ended (it checks the stop event
and the run's final state before each one) and, being a daemon, never holds the process open.
Imported by ``flows/__init__.py``, so it applies to every flow of this package.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from prefect import flow_engine

_prefect_send_heartbeats = getattr(flow_engine, "_send_heartbeats", None)


@contextmanager
def send_heartbeats_unjoined(engine: Any, join_on_exit: bool = False) -> Iterator[None]:
    """Prefect's heartbeat context, without joining the heartbeat thread on exit (whatever
    ``join_on_exit`` the engine passes)."""
    assert _prefect_send_heartbeats is not None
    with _prefect_send_heartbeats(engine, join_on_exit=False):
        yield


def install() -> None:
    """Use ``send_heartbeats_unjoined`` for every flow run (idempotent). A Prefect without
    ``_send_heartbeats`` (other than the pinned 3.8) is left as it is."""
    if _prefect_send_heartbeats is not None:
        flow_engine._send_heartbeats = send_heartbeats_unjoined


install()
