"""Person keys replaced by HMAC-SHA256 under ``$CJB_PERSON_KEY_SECRET`` at landing.

Only a file's distinct keys are hashed (in Python) into a temporary lookup table ``_pk``; the
landing SQL joins it, so no table ever stores a key in clear.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os

import duckdb
import pandas as pd

from cjb.landing.checks import q

SECRET_ENV = "CJB_PERSON_KEY_SECRET"
DEVELOPMENT_SECRET = "cjb-development-secret-do-not-use-in-production"
KEY_TABLE = "_pk"

log = logging.getLogger("cjb.landing")


def person_key_secret() -> tuple[bytes, bool]:
    """The secret, and whether it is the documented development one."""
    secret = os.environ.get(SECRET_ENV) or DEVELOPMENT_SECRET
    return secret.encode("utf-8"), secret == DEVELOPMENT_SECRET


def development_secret_warning() -> str:
    return (
        f"WARNING: person keys are pseudonymised with the documented development secret "
        f"because ${SECRET_ENV} is not set to a secret of your own; do not use this "
        "warehouse for real data"
    )


def pseudonymise(secret: bytes, key: str) -> str:
    return hmac.new(secret, key.encode("utf-8"), hashlib.sha256).hexdigest()


def build_key_table(
    con: duckdb.DuckDBPyConnection, prep: str, columns: tuple[str, ...], secret: bytes
) -> str | None:
    """Temporary table ``_pk(k, h)``: each distinct (trimmed) key of the file and its hash."""
    if not columns:
        return None
    union = " UNION ".join(f"SELECT {q(c)} AS k FROM {prep}" for c in columns)
    keys = [
        r[0]
        for r in con.execute(f"SELECT DISTINCT k FROM ({union}) WHERE k IS NOT NULL").fetchall()
    ]
    frame = pd.DataFrame(
        {"k": pd.Series(keys, dtype=object), "h": [pseudonymise(secret, k) for k in keys]}
    )
    con.register("_pk_frame", frame)
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {KEY_TABLE} AS "
            "SELECT CAST(k AS VARCHAR) AS k, CAST(h AS VARCHAR) AS h FROM _pk_frame"
        )
    finally:
        con.unregister("_pk_frame")
    return KEY_TABLE
