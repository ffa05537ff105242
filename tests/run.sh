#!/usr/bin/env bash
# Builds hotloop into .venv if needed, then runs the Rust tests and the pytest suite.
# Extra arguments go to pytest (e.g. `bash tests/run.sh -k differential`).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$HOTLOOP_ROOT"
hotloop_find_chromium

# The extension crate's test binary links libpython, which pyenv keeps outside
# the dynamic loader's default search path.
libpython_dir="$("$HOTLOOP_PYTHON" -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR"))')"
LD_LIBRARY_PATH="$libpython_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" cargo test --workspace --quiet

"$HOTLOOP_PYTHON" -m pytest -q "$@" tests
