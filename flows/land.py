"""Prefect flow: land every new file of an inbox (``cjb land``).

Thin: the tasks call the plain functions of ``cjb.landing``. Reading, validating and landing a
file is one task run per file; bad rows and rejected files are data (reported in the returned
``LandingSummary``), never task failures, so only I/O errors are retried. Files land side by
side on the flow's thread pool (``$CJB_LANDING_WORKERS``, default 2: ``landing_workers``), the
largest first (``landing_schedule``), except files that compete (the same bytes, or the same
source and period), which land in the order found (``landing_predecessors``).

A second landing into the same warehouse fails fast with ``LandingLockedError``: calling
``land_flow`` checks the warehouse's landing lock before any Prefect machinery starts, and the
flow holds the lock for its whole run.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import duckdb
from prefect import Flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from cjb.landing.discover import InboxFile
from cjb.landing.lock import ensure_unlocked
from cjb.landing.session import LandingSession, landing_schedule, landing_workers
from cjb.landing.summary import FileResult, LandingSummary


def _retry_on_io_error(task: Any, task_run: Any, state: Any) -> bool:
    """Retry a failed task run only when it failed on I/O (a busy disk, a file being copied)."""
    try:
        state.result()
    except (OSError, duckdb.IOException):
        return True
    except BaseException:
        return False
    return False


@task(
    name="discover inbox",
    retries=2,
    retry_delay_seconds=2,
    retry_condition_fn=_retry_on_io_error,
    cache_policy=NO_CACHE,
)
def discover_files(session: LandingSession, inbox: Path) -> list[InboxFile]:
    return session.discover(Path(inbox))


@task(
    name="land file",
    task_run_name="land {f.source}/{f.path.name}",
    retries=2,
    retry_delay_seconds=2,
    retry_condition_fn=_retry_on_io_error,
    cache_policy=NO_CACHE,
)
def land_file(session: LandingSession, f: InboxFile) -> FileResult | None:
    return session.land(f)


class LandingTaskRunner(ThreadPoolTaskRunner):
    """Prefect's thread pool with as many threads as files may land side by side, read when a
    flow run starts (``landing_workers``)."""

    def __init__(self, max_workers: int | None = None):
        super().__init__(max_workers=max_workers or 1)
        self._fixed = max_workers

    def __enter__(self):
        self._max_workers = self._fixed or landing_workers()
        return super().__enter__()

    def duplicate(self) -> LandingTaskRunner:
        return type(self)(self._fixed)


class _LockCheckedFlow(Flow):
    """A flow whose call fails fast (no flow run) when the warehouse's landing lock is held."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        signature = inspect.signature(self.fn)
        own = {k: v for k, v in kwargs.items() if k in signature.parameters}  # not return_state
        bound = signature.bind_partial(*args, **own).arguments
        if bound.get("warehouse") is not None:
            ensure_unlocked(Path(bound["warehouse"]))
        return super().__call__(*args, **kwargs)


def _lock_checked_flow(**options: Any):
    def decorate(fn):
        return _LockCheckedFlow(fn, **options)

    return decorate


@_lock_checked_flow(
    name="cjb-land",
    description="Land every new file of an inbox into the warehouse's landing store.",
    task_runner=LandingTaskRunner(),
)
def land_flow(inbox: Path, warehouse: Path) -> LandingSummary:
    """Find the inbox's new files and land each (validated, pseudonymised, atomically)."""
    logger = get_run_logger()
    with LandingSession(Path(warehouse)) as session:
        files = discover_files(session, Path(inbox))
        # deliveries landed before get no task run: a monthly run over an inbox that keeps
        # years of files makes a handful of task runs, not thousands
        new = [f for f in files if not session.skip_if_processed(f)]
        logger.info("%d file(s) in %s, %d already landed", len(files), inbox, len(files) - len(new))
        # the largest files start first; a file that competes with an earlier one waits for it
        futures: dict[int, Any] = {}
        for i, before in landing_schedule(new):
            wait_for = [futures[before]] if before is not None else None
            futures[i] = land_file.submit(session, new[i], wait_for=wait_for)
        for future in futures.values():
            future.wait()
        session.order_results(new)
        for i in range(len(new)):
            futures[i].result()  # the first file found that failed fails the flow
    logger.info("\n%s", session.summary.render())
    return session.summary
