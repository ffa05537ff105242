# Sourced by tests/run.sh and benchmarks/demo.sh. Finds CPython 3.12, creates the
# project's .venv with maturin and pytest, and builds hotloop into it (release).
# Afterwards HOTLOOP_ROOT, HOTLOOP_PYTHON (the venv's python) and PYO3_PYTHON are set.

HOTLOOP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# hotloop's extension is built for one CPython minor version at a time.
hotloop_find_python312() {
    if command -v pyenv >/dev/null 2>&1; then
        local newest
        newest="$(ls -d "$(pyenv root)"/versions/3.12.*/bin/python3.12 2>/dev/null | sort -V | tail -n 1)"
        if [ -n "$newest" ] && [ -x "$newest" ]; then
            echo "$newest"
            return
        fi
    fi
    if command -v python3.12 >/dev/null 2>&1; then
        command -v python3.12
        return
    fi
    echo "hotloop: CPython 3.12 not found: install it with pyenv ('pyenv install 3.12') or put python3.12 on PATH" >&2
    return 1
}

hotloop_make_venv() {
    local venv="$HOTLOOP_ROOT/.venv"
    if [ ! -x "$venv/bin/python" ]; then
        local python312
        python312="$(hotloop_find_python312)" || return 1
        echo "hotloop: creating $venv with $python312"
        "$python312" -m venv "$venv" || return 1
    fi
    HOTLOOP_PYTHON="$venv/bin/python"
    if [ ! -x "$venv/bin/maturin" ] || ! "$HOTLOOP_PYTHON" -c "import pytest" 2>/dev/null; then
        echo "hotloop: installing maturin and pytest into $venv"
        "$HOTLOOP_PYTHON" -m pip install --quiet --disable-pip-version-check maturin pytest || return 1
    fi
}

# `maturin develop` puts the extension next to the Python sources and links them
# into the venv; the build is stale when the venv cannot import it or any Rust
# source or build file is newer than it.
hotloop_build_is_stale() {
    local extension
    extension="$(ls "$HOTLOOP_ROOT"/python/hotloop/_hotloop.*.so 2>/dev/null | head -n 1)"
    [ -z "$extension" ] && return 0
    (cd / && "$HOTLOOP_PYTHON" -c "import hotloop._hotloop" 2>/dev/null) || return 0
    [ -n "$(cd "$HOTLOOP_ROOT" && find src tracer Cargo.toml Cargo.lock pyproject.toml -newer "$extension" -print -quit)" ]
}

hotloop_build() {
    hotloop_build_is_stale || return 0
    local log="$HOTLOOP_ROOT/target/maturin-develop.log"
    mkdir -p "$HOTLOOP_ROOT/target"
    echo "hotloop: building the extension (release; a few minutes on a cold cache)"
    if ! (cd "$HOTLOOP_ROOT" && VIRTUAL_ENV="$HOTLOOP_ROOT/.venv" \
            "$HOTLOOP_ROOT/.venv/bin/maturin" develop --release >"$log" 2>&1); then
        cat "$log" >&2
        echo "hotloop: build failed (log above, also in $log)" >&2
        return 1
    fi
}

# A wheel puts hotloop_autoenable.pth into site-packages (pyproject.toml's
# `include`); `maturin develop` does not, so the venv gets it here.
hotloop_install_pth() {
    local site
    site="$("$HOTLOOP_PYTHON" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')" || return 1
    cmp -s "$HOTLOOP_ROOT/python/hotloop_autoenable.pth" "$site/hotloop_autoenable.pth" ||
        cp "$HOTLOOP_ROOT/python/hotloop_autoenable.pth" "$site/hotloop_autoenable.pth"
}

# The report test renders hotloop's HTML report in headless Chromium (Debian's
# `chromium`); where it is missing and apt can install it, it is installed,
# else that test is skipped and says why.
hotloop_find_chromium() {
    command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 && return 0
    command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ] || return 0
    local log="$HOTLOOP_ROOT/target/chromium-install.log"
    mkdir -p "$HOTLOOP_ROOT/target"
    echo "hotloop: installing chromium for the report test (log: $log)"
    # At most five minutes in all, so that a machine without a mirror in reach
    # does not hold up the tests.
    timeout 300 bash -c 'apt-get install -y -q chromium || { apt-get update -q && apt-get install -y -q chromium; }' \
        >"$log" 2>&1 || echo "hotloop: chromium could not be installed; the report's rendering test will be skipped"
}

hotloop_make_venv || return 1
export PYO3_PYTHON="$HOTLOOP_PYTHON"
hotloop_build || return 1
hotloop_install_pth || return 1
