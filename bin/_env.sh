# Sourced by bin/cjb and bin/test: make sure the project's virtual environment exists and is
# current, creating it on a machine with nothing installed. The install is pinned by
# constraints.txt (the versions the tests ran with), and redone when pyproject.toml or
# constraints.txt change.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${CJB_VENV:-$ROOT/.venv}"
EXTRAS="${1:-}"
stamp="$VENV/.cjb-install-$(cat "$ROOT/pyproject.toml" "$ROOT/constraints.txt" | sha256sum | cut -c1-16)${EXTRAS:+-$EXTRAS}"
if [ ! -f "$stamp" ]; then
    PY="${CJB_PYTHON:-}"
    if [ -z "$PY" ]; then
        for candidate in python3.11 python3; do
            if command -v "$candidate" >/dev/null 2>&1 && \
               "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
                PY="$candidate"; break
            fi
        done
    fi
    if [ -z "$PY" ]; then
        echo "cjb needs Python 3.11 (python3.11 or python3 on PATH, or set CJB_PYTHON)" >&2
        exit 1
    fi
    echo "Setting up the virtual environment in $VENV (first run only, about a minute)..." >&2
    [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip >&2
    "$VENV/bin/python" -m pip install --quiet -c "$ROOT/constraints.txt" -e "$ROOT${EXTRAS:+[$EXTRAS]}" >&2
    rm -f "$VENV"/.cjb-install-*
    touch "$stamp"
fi
export PATH="$VENV/bin:$PATH"
