# Sourced by scripts/run and scripts/test after setup.sh: builds the browser half of the
# site into target/site (pkg/zgoda.js, pkg/zgoda_bg.wasm, pkg/zgoda.css and public/).
#
# This is what `cargo leptos build` did for us, done with plain cargo so that neither
# command needs cargo-leptos (a 12-minute install on a fresh machine) and so that the
# test command serves the very server binary `cargo test` already built: cargo-leptos
# builds the server again with its own RUSTFLAGS (`--cfg erase_components` in debug),
# which recompiled every dependency a second time.
#
# The file names follow leptos's `HydrationScripts` for a server compiled without
# cargo-leptos (no LEPTOS_OUTPUT_NAME at compile time): `<name>.js` and `<name>_bg.wasm`.

SITE_ROOT="$ROOT/target/site"
SITE_NAME="zgoda"

# The wasm as shipped: the `wasm-release` profile (opt-level "z", LTO, one codegen unit),
# then wasm-bindgen and binaryen's wasm-opt (from npm: Debian's breaks hydration).
build_site() {
  say "Building the browser bundle (wasm-release)"
  cargo build -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release --locked
  local wasm="$ROOT/target/wasm32-unknown-unknown/wasm-release/frontend.wasm"
  local next="$SITE_ROOT.next"
  rm -rf "$next"
  mkdir -p "$next/pkg"
  wasm-bindgen --target web --no-typescript --out-dir "$next/pkg" --out-name "$SITE_NAME" "$wasm"
  wasm-opt -Oz --enable-bulk-memory "$next/pkg/${SITE_NAME}_bg.wasm" -o "$next/pkg/${SITE_NAME}_bg.wasm"
  cp "$ROOT/style/main.css" "$next/pkg/$SITE_NAME.css"
  cp -R "$ROOT/public/." "$next/"
  # Swapped in whole, so a running server never serves a half-written bundle's parts.
  rm -rf "$SITE_ROOT"
  mv "$next" "$SITE_ROOT"
  report_bundle_size
}

report_bundle_size() {
  local wasm="$SITE_ROOT/pkg/${SITE_NAME}_bg.wasm" raw gz
  raw="$(wc -c < "$wasm")"
  gz="$(gzip -9 -c "$wasm" | wc -c)"
  printf 'wasm bundle: %s bytes, %s bytes gzipped\n' "$raw" "$gz"
}
