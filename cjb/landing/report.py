"""Validation results a data steward can read: JSON and Markdown per landed file.

Written under ``cjb.paths.validation_dir(warehouse)/<source>/<file>.<sha12>.{json,md}``: the
Great Expectations suite that ran, and per rule its expectation, the rows checked, the rows
breaking it, the rows quarantined under it and a sample of unexpected values with row numbers.
The JSON also holds the outcome as Great Expectations' own suite validation result
(``validation_result``, an ``ExpectationSuiteValidationResult`` as JSON).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cjb.landing.validate import Validation


def report_stem(validation_dir: Path, source: str, file_name: str, sha256: str) -> Path:
    return validation_dir / source / f"{Path(file_name).stem}.{sha256[:12]}"


def validation_document(
    validation: Validation, *, file_name: str, source: str, sha256: str, period: str
) -> dict[str, Any]:
    return {
        "file_name": file_name,
        "source": source,
        "sha256": sha256,
        "period": period,
        "suite_name": validation.suite_name,
        "executor": validation.executor,
        "success": validation.success,
        "statistics": {
            "rows_read": validation.rows,
            "rows_quarantined": validation.quarantined,
            "rows_landed": validation.rows - validation.quarantined,
            "evaluated_expectations": len(validation.results),
            "successful_expectations": sum(r.success for r in validation.results),
            "chunks": validation.chunks,
        },
        "results": [
            {
                "rule": r.rule,
                "description": r.description,
                "expectation_type": r.expectation_type,
                "kwargs": r.kwargs,
                "success": r.success,
                "element_count": r.element_count,
                "unexpected_count": r.unexpected_count,
                "quarantined": r.quarantined,
                "unexpected_sample": r.samples,
            }
            for r in validation.results
        ],
        "suite": validation.suite,
        "validation_result": validation.ge_result(
            {"file_name": file_name, "source": source, "sha256": sha256, "period": period}
        ).to_json_dict(),
    }


def _executed(doc: dict[str, Any]) -> str:
    if doc.get("executor") == "pandas":
        return f"pandas engine, {doc['statistics']['chunks']} chunk(s)"
    return "executed as DuckDB SQL"


def _markdown(doc: dict[str, Any]) -> str:
    s = doc["statistics"]
    lines = [
        f"# Validation of {doc['file_name']}",
        "",
        f"- source: `{doc['source']}`, period {doc['period']}",
        f"- sha256: `{doc['sha256']}`",
        f"- suite: `{doc['suite_name']}` (Great Expectations, {_executed(doc)})",
        f"- rows read {s['rows_read']}, landed {s['rows_landed']}, "
        f"quarantined {s['rows_quarantined']}",
        f"- expectations met: {s['successful_expectations']} of {s['evaluated_expectations']}",
        "",
        "| rule | expectation | rows breaking it | quarantined under it | sample (row: value) |",
        "|---|---|---:|---:|---|",
    ]
    for r in doc["results"]:
        sample = "; ".join(
            f"{x['row_number']}: " + ", ".join(str(v) for k, v in x.items() if k != "row_number")
            for x in r["unexpected_sample"][:5]
        )
        mark = "" if r["success"] else " ✗"
        lines.append(
            f"| `{r['rule']}`{mark} | {r['expectation_type']} | {r['unexpected_count']} "
            f"| {r['quarantined']} | {sample.replace('|', '/')} |"
        )
    return "\n".join(lines) + "\n"


def write_validation_report(stem: Path, doc: dict[str, Any]) -> Path:
    stem.parent.mkdir(parents=True, exist_ok=True)
    path = stem.with_name(stem.name + ".json")
    path.write_text(json.dumps(doc, indent=2, default=str))
    stem.with_name(stem.name + ".md").write_text(_markdown(doc))
    return path
