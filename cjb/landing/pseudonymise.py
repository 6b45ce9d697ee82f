"""Person keys replaced by HMAC-SHA256 under ``$CJB_PERSON_KEY_SECRET`` at landing.

Keys are hashed in the landing SQL as rows are inserted (``cjb.landing.load``), so no stored
table ever holds a key in clear. The hashing runs in DuckDB (RFC 2104 HMAC over DuckDB's
``sha256``, the secret's padded keys passed as query parameters, never stored), and gives
exactly Python's ``hmac.new(secret, key, sha256).hexdigest()`` (``pseudonymise``), which tests
check on awkward keys.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os

SECRET_ENV = "CJB_PERSON_KEY_SECRET"
DEVELOPMENT_SECRET = "cjb-development-secret-do-not-use-in-production"

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


def hmac_pads(secret: bytes) -> tuple[bytes, bytes]:
    """HMAC-SHA256's inner and outer padded keys (RFC 2104) for ``secret``."""
    key = hashlib.sha256(secret).digest() if len(secret) > 64 else secret
    key = key.ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def hmac_sql(expression: str) -> str:
    """SQL for the hex HMAC-SHA256 of a VARCHAR expression (UTF-8 bytes, as ``pseudonymise``).

    Takes two parameters, in order: the outer then the inner padded key (``hmac_pads``).
    """
    return f"sha256(?::BLOB || unhex(sha256(?::BLOB || encode({expression}))))"
