"""What a landing run did: per-file results and a readable summary."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class FileResult:
    file_name: str
    source: str
    period: str | None
    sha256: str
    status: str  # landed / rejected / duplicate
    rows_read: int | None = None
    rows_landed: int = 0
    rows_quarantined: int = 0
    error: str | None = None
    rejected_copy: Path | None = None
    validation_report: Path | None = None
    quarantined_by_rule: dict[str, int] = field(default_factory=dict)


@dataclass
class LandingSummary:
    warehouse: Path
    landing_store: Path
    files: list[FileResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already processed: same name and bytes
    development_secret: bool = False

    def _count(self, status: str) -> int:
        return sum(f.status == status for f in self.files)

    @property
    def files_landed(self) -> int:
        return self._count("landed")

    @property
    def files_rejected(self) -> int:
        return self._count("rejected")

    @property
    def files_duplicate(self) -> int:
        return self._count("duplicate")

    @property
    def rows_landed(self) -> int:
        return sum(f.rows_landed for f in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)

    @property
    def has_data_problems(self) -> bool:
        """Any rejected file or quarantined row (``--strict`` exits non-zero on them)."""
        return self.files_rejected > 0 or self.rows_quarantined > 0

    def render(self) -> str:
        lines = [f"Landing into {self.landing_store}"]
        if self.development_secret:
            lines.append(
                "WARNING: person keys were pseudonymised with the development secret "
                "(set CJB_PERSON_KEY_SECRET)"
            )
        lines.append(
            f"files: {self.files_landed} landed, {self.files_rejected} rejected, "
            f"{self.files_duplicate} duplicate, {len(self.skipped)} already landed (skipped)"
        )
        per_source: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for f in self.files:
            s = per_source[f.source]
            s[0] += f.status == "landed"
            s[1] += (f.rows_read or 0) if f.status == "landed" else 0
            s[2] += f.rows_landed
            s[3] += f.rows_quarantined
        if per_source:
            width = max(len("source"), *(len(s) for s in per_source))
            lines.append("")
            lines.append(
                f"{'source':<{width}}  {'files':>5}  {'rows read':>10}  {'landed':>10}  "
                f"{'quarantined':>11}"
            )
            for source, (n, read, landed, quarantined) in per_source.items():
                lines.append(
                    f"{source:<{width}}  {n:>5}  {read:>10,}  {landed:>10,}  {quarantined:>11,}"
                )
            lines.append(
                f"{'total':<{width}}  {self.files_landed:>5}  "
                f"{sum(v[1] for v in per_source.values()):>10,}  {self.rows_landed:>10,}  "
                f"{self.rows_quarantined:>11,}"
            )
        quarantined = [f for f in self.files if f.rows_quarantined]
        if quarantined:
            lines.append("")
            lines.append("Quarantined rows (audit.quarantine), by file and rule:")
            for f in quarantined:
                rules = ", ".join(f"{r} {n}" for r, n in sorted(f.quarantined_by_rule.items()))
                lines.append(f"  {f.source}/{f.file_name}: {f.rows_quarantined} ({rules})")
        rejected = [f for f in self.files if f.status == "rejected"]
        if rejected:
            lines.append("")
            lines.append("Rejected files:")
            for f in rejected:
                lines.append(f"  {f.source}/{f.file_name}: {f.error}")
                if f.rejected_copy:
                    lines.append(f"    copy kept at {f.rejected_copy}")
        duplicates = [f for f in self.files if f.status == "duplicate"]
        if duplicates:
            lines.append("")
            lines.append("Duplicate deliveries (not read):")
            for f in duplicates:
                lines.append(f"  {f.source}/{f.file_name}: {f.error}")
        return "\n".join(lines)
