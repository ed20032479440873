# Sourced by scripts/run and scripts/test: installs what is missing on a fresh Debian
# machine and skips what is already there. Nothing here downloads outside the package
# registries (crates.io, npm, Debian).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BINARYEN_BIN="$ROOT/end2end/node_modules/.bin"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}

APT_UPDATED=""
apt_install() {
  command -v apt-get >/dev/null || die "missing $*; install it with your package manager"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_system_packages() {
  local missing=()
  command -v cc >/dev/null || missing+=(gcc libc6-dev)
  command -v pkg-config >/dev/null || missing+=(pkg-config)
  command -v curl >/dev/null || missing+=(curl ca-certificates)
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then say "Installing ${missing[*]}"; apt_install "${missing[@]}"; fi
  command -v cargo >/dev/null || die "Rust is not installed: install rustup and a stable toolchain (1.88 or newer), then run this again"
}

ensure_wasm_target() {
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

# The wasm-bindgen command line must match the wasm-bindgen crate in Cargo.lock exactly.
ensure_wasm_bindgen() {
  local want
  want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
  [ -n "$want" ] || die "Cargo.lock names no wasm-bindgen version"
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $want\$"; then
    say "Installing wasm-bindgen-cli $want (about 2 minutes, once)"
    # Not --locked: its lock file names a crate version the registry no longer serves.
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
}

# Playwright's runner and binaryen's wasm-opt come from npm, pinned by package-lock.json.
ensure_node_modules() {
  local stamp="$ROOT/end2end/node_modules/.zgoda-lock-stamp"
  local sum
  sum="$(sha256sum "$ROOT/end2end/package-lock.json" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
    say "Installing end-to-end tools (npm ci)"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$sum" > "$stamp"
  fi
  export PATH="$BINARYEN_BIN:$PATH"
}

source "$ROOT/scripts/lib/site.sh"

# The integrator API's outside client, from PyPI into a virtual environment of its own.
ensure_schemathesis() {
  local req="$ROOT/end2end/api/requirements.txt" venv stamp sum
  sum="$(sha256sum "$req" | cut -d' ' -f1)"
  venv="$ROOT/.tools/schemathesis"
  stamp="$venv/.zgoda-requirements-stamp"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
    say "Installing schemathesis (PyPI, pinned in end2end/api/requirements.txt)"
    command -v python3 >/dev/null || apt_install python3
    rm -rf "$venv"
    python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv; rm -rf "$venv"; python3 -m venv "$venv"; }
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$req" || { rm -rf "$venv"; die "installing schemathesis failed"; }
    echo "$sum" > "$stamp"
  fi
  SCHEMATHESIS="$venv/bin/schemathesis"
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    say "Installing Chromium (Debian package)"
    apt_install chromium
  fi
}

ensure_build_tools() {
  ensure_system_packages
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_node_modules
}
