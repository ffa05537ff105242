#!/usr/bin/env bash
# One command from a fresh clone: build hotloop (if needed) and show it speeding
# up a loop-heavy program, next to plain CPython.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../tests/env.sh"
cd "$HOTLOOP_ROOT"
"$HOTLOOP_PYTHON" benchmarks/demo.py
