"""The definitions the report quotes: the public marts' model and column descriptions.

Where they come from, in order (first that has a description wins, per table and per column):

1. table and column COMMENTs in the warehouse itself (written by dbt when ``persist_docs`` is
   on), so the report states exactly what the file it reads says;
2. the dbt YAML of the public marts (``models/marts/public/*.yml``), read directly: it exists on
   a fresh checkout and needs neither ``dbt docs generate`` nor ``target/``. ``{{ doc("...") }}``
   references are resolved from the project's ``{% docs %}`` blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import yaml

from cjb.paths import PROJECT_ROOT
from cjb.report.data import SCHEMA, rows

PUBLIC_MODELS_DIR = PROJECT_ROOT / "models" / "marts" / "public"
_DOC_REF = re.compile(r"""\{\{\s*doc\(\s*['"]([^'"]+)['"]\s*\)\s*\}\}""")
_DOC_BLOCK = re.compile(r"\{%-?\s*docs\s+(\w+)\s*-?%\}(.*?)\{%-?\s*enddocs\s*-?%\}", re.S)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


@dataclass
class TableDoc:
    description: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    sources: set[str] = field(default_factory=set)

    def column(self, name: str) -> str | None:
        return self.columns.get(name)


def _clean(text: str | None, docs: dict[str, str]) -> str | None:
    if not text:
        return None
    text = _DOC_REF.sub(lambda m: docs.get(m.group(1), ""), str(text))
    text = _JINJA.sub("", text)
    text = " ".join(text.split())
    return text or None


def _docs_blocks(root: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for md in sorted(root.glob("models/**/*.md")):
        for name, body in _DOC_BLOCK.findall(md.read_text(encoding="utf-8")):
            out[name] = body.strip()
    return out


def _from_yaml(models_dir: Path, root: Path) -> dict[str, TableDoc]:
    docs = _docs_blocks(root)
    out: dict[str, TableDoc] = {}
    for yml in sorted([*models_dir.glob("*.yml"), *models_dir.glob("*.yaml")]):
        try:
            content = yaml.safe_load(yml.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError:
            continue  # a half-written file of a colleague: the comments or defaults stand in
        label = str(yml.relative_to(root)) if yml.is_relative_to(root) else str(yml)
        for model in content.get("models") or []:
            if not isinstance(model, dict) or not model.get("name"):
                continue
            names = {model["name"], (model.get("config") or {}).get("alias")}
            doc = TableDoc(description=_clean(model.get("description"), docs))
            for col in model.get("columns") or []:
                if isinstance(col, dict) and col.get("name"):
                    d = _clean(col.get("description"), docs)
                    if d:
                        doc.columns[col["name"]] = d
            doc.sources.add(label)
            for n in names - {None}:
                out[n] = doc
    return out


def _from_comments(con: duckdb.DuckDBPyConnection) -> dict[str, TableDoc]:
    out: dict[str, TableDoc] = {}
    for r in rows(
        con, "select table_name, comment from duckdb_tables() where schema_name = ?", [SCHEMA]
    ):
        out.setdefault(r["table_name"], TableDoc()).description = _clean(r["comment"], {})
    for r in rows(
        con,
        "select table_name, column_name, comment from duckdb_columns() "
        "where schema_name = ? and comment is not null",
        [SCHEMA],
    ):
        d = _clean(r["comment"], {})
        if d:
            out.setdefault(r["table_name"], TableDoc()).columns[r["column_name"]] = d
    for doc in out.values():
        if doc.description or doc.columns:
            doc.sources.add("the warehouse's table and column comments")
    return out


def load_definitions(
    con: duckdb.DuckDBPyConnection,
    models_dir: Path = PUBLIC_MODELS_DIR,
    root: Path = PROJECT_ROOT,
) -> dict[str, TableDoc]:
    """Descriptions of every public mart: comments first, then the dbt YAML."""
    merged = _from_comments(con)
    for name, ydoc in _from_yaml(models_dir, root).items():
        doc = merged.setdefault(name, TableDoc())
        if not doc.description and ydoc.description:
            doc.description = ydoc.description
            doc.sources |= ydoc.sources
        for col, text in ydoc.columns.items():
            if col not in doc.columns:
                doc.columns[col] = text
                doc.sources |= ydoc.sources
    return merged
