"""Where things live: the project, its reference seeds, and the files beside a warehouse."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"
REFERENCE_DIR = SEEDS_DIR / "reference"
SAMPLE_POLICE_UK_DIR = Path(__file__).resolve().parent / "data" / "police_uk"

DEFAULT_WAREHOUSE = Path("warehouse") / "cjb.duckdb"


def warehouse_path(arg: str | os.PathLike[str] | None = None) -> Path:
    """The live warehouse: ``--warehouse``, else ``$CJB_WAREHOUSE``, else ``warehouse/cjb.duckdb``."""
    if arg:
        return Path(arg)
    env = os.environ.get("CJB_WAREHOUSE")
    return Path(env) if env else DEFAULT_WAREHOUSE


def landing_path(warehouse: Path) -> Path:
    """The landing store beside the live warehouse: raw tables and the audit, never rebuilt."""
    return warehouse.with_name(f"{warehouse.stem}_landing.duckdb")


def rejected_dir(warehouse: Path) -> Path:
    """Where rejected files are copied, unchanged, for a data steward to look at."""
    return warehouse.parent / "rejected"


def validation_dir(warehouse: Path) -> Path:
    """Great Expectations validation results (readable reports), one per landed file."""
    return warehouse.parent / "validation"
