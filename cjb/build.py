"""Build and test the warehouse with dbt, in-process.

The build writes a new DuckDB file beside the live warehouse and, only when every model built
and every dbt test passed, swaps it over the live path with ``os.replace`` (atomic on one
filesystem). Readers holding the live file keep their snapshot; new connections see the new
build; a failed build leaves the live warehouse untouched. The landing store is attached
read-only, so a build can never change what was landed.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from cjb.errors import CjbError
from cjb.paths import PROJECT_ROOT, landing_path
from cjb.store import open_store

# Statuses dbt reports per node.
_OK = {"success", "pass"}
_FAILED = {"error", "fail", "runtime error"}


@dataclass
class NodeResult:
    unique_id: str
    resource_type: str  # model, seed, test, unit_test, ...
    status: str
    message: str | None = None
    failures: int | None = None


@dataclass
class BuildResult:
    warehouse: Path
    success: bool
    nodes: list[NodeResult] = field(default_factory=list)
    error: str | None = None
    swapped: bool = False

    def counts(self, resource_types: tuple[str, ...]) -> Counter[str]:
        return Counter(n.status for n in self.nodes if n.resource_type in resource_types)

    @property
    def tests_passed(self) -> int:
        return self.counts(("test", "unit_test"))["pass"]

    @property
    def tests_failed(self) -> int:
        c = self.counts(("test", "unit_test"))
        return c["fail"] + c["error"]

    @property
    def failed_nodes(self) -> list[NodeResult]:
        return [n for n in self.nodes if n.status in _FAILED]

    def render(self) -> str:
        models = self.counts(("model",))
        seeds = self.counts(("seed",))
        tests = self.counts(("test", "unit_test"))
        lines = [
            "Build",
            f"  models built: {models['success']}"
            + (f", failed: {models['error']}" if models["error"] else ""),
            f"  seeds loaded: {seeds['success']}"
            + (f", failed: {seeds['error']}" if seeds["error"] else ""),
            f"  tests passed: {tests['pass']}, failed: {tests['fail'] + tests['error']}"
            + (f", warnings: {tests['warn']}" if tests["warn"] else ""),
        ]
        for node in self.failed_nodes:
            detail = (node.message or "").strip().splitlines()
            lines.append(f"  FAILED {node.unique_id}: {detail[0] if detail else node.status}")
        if self.error:
            lines.append(f"  error: {self.error}")
        if self.success:
            lines.append(f"  live warehouse: {self.warehouse}")
        else:
            lines.append(f"  the live warehouse {self.warehouse} was left unchanged")
        return "\n".join(lines)


def building_path(warehouse: Path) -> Path:
    """The file a build writes before it is swapped in (same folder, so os.replace is atomic)."""
    return warehouse.with_name(f".{warehouse.name}.building-{os.getpid()}")


def _dbt_args(command: str, extra: list[str]) -> list[str]:
    root = str(PROJECT_ROOT)
    return [
        command,
        "--project-dir",
        root,
        "--profiles-dir",
        root,
        "--target-path",
        str(PROJECT_ROOT / "target"),
        "--log-path",
        str(PROJECT_ROOT / "logs"),
        *extra,
    ]


def run_dbt(command: str, warehouse_file: Path, landing: Path, extra: list[str] | None = None):
    """Invoke dbt in-process with the profile pointed at ``warehouse_file`` and ``landing``."""
    from dbt.cli.main import dbtRunner

    env = {"CJB_BUILD_PATH": str(warehouse_file), "CJB_LANDING_PATH": str(landing)}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return dbtRunner().invoke(_dbt_args(command, extra or []))
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _nodes(res) -> list[NodeResult]:
    results = getattr(res.result, "results", None) or []
    out = []
    for r in results:
        node = r.node
        out.append(
            NodeResult(
                unique_id=node.unique_id,
                resource_type=str(getattr(node.resource_type, "value", node.resource_type)),
                status=str(getattr(r.status, "value", r.status)),
                message=r.message,
                failures=r.failures,
            )
        )
    return out


def build_warehouse(warehouse: Path, *, select: list[str] | None = None) -> BuildResult:
    """Run ``dbt build`` into a new file and swap it over ``warehouse`` when everything passed."""
    warehouse = Path(warehouse)
    landing = landing_path(warehouse)
    if not landing.exists():
        # A warehouse with nothing landed still builds (empty marts): create the empty store.
        open_store(landing).close()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    target = building_path(warehouse)
    for leftover in (target, target.with_name(target.name + ".wal")):
        leftover.unlink(missing_ok=True)

    extra = ["--select", *select] if select else []
    try:
        res = run_dbt("build", target, landing, extra)
    except Exception as exc:  # dbt raised instead of reporting
        target.unlink(missing_ok=True)
        raise CjbError(f"dbt build could not run: {exc}") from exc

    nodes = _nodes(res)
    error = None if res.exception is None else str(res.exception)
    success = bool(res.success) and error is None and not any(n.status in _FAILED for n in nodes)
    result = BuildResult(warehouse=warehouse, success=success, nodes=nodes, error=error)
    if success:
        os.replace(target, warehouse)
        result.swapped = True
    else:
        target.unlink(missing_ok=True)
    target.with_name(target.name + ".wal").unlink(missing_ok=True)
    return result
