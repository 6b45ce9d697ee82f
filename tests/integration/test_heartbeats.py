"""Flow runs send heartbeats but do not wait for the heartbeat thread when they end
(``flows/heartbeats.py``)."""

from __future__ import annotations

import threading


def test_flow_run_sends_heartbeats_and_ends_without_joining_their_thread(
    prefect_server, monkeypatch
):
    from prefect import flow, flow_engine
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    import flows  # noqa: F401  (installs flows.heartbeats)

    emitted = threading.Event()
    release = threading.Event()
    heartbeat_threads: list[threading.Thread] = []
    joined: list[threading.Thread] = []

    def emit(self, resource, related):
        heartbeat_threads.append(threading.current_thread())
        emitted.set()
        release.wait(60)  # the heartbeat is still being sent when the run ends

    original_join = threading.Thread.join

    def join(self, timeout=None):
        joined.append(self)
        return original_join(self, timeout)

    monkeypatch.setattr(flow_engine.BaseFlowRunEngine, "_emit_flow_run_heartbeat", emit)
    monkeypatch.setattr(threading.Thread, "join", join)

    @flow(name="heartbeat-probe")
    def probe() -> int:
        assert emitted.wait(60), "no heartbeat was sent while the flow ran"
        return 1

    try:
        with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: 30}):
            assert probe() == 1
        assert len(heartbeat_threads) == 1
        assert heartbeat_threads[0] not in joined
        assert heartbeat_threads[0].daemon and heartbeat_threads[0].is_alive()
    finally:
        release.set()
