# Sourced by scripts/run and scripts/test after setup.sh: builds the browser half of the
# site into target/site (pkg/zgoda.<hash>.js, pkg/zgoda.<hash>.wasm, each with .br and .gz,
# pkg/zgoda.css, hash.txt and public/).
#
# This is what `cargo leptos build` did for us, done with plain cargo so that neither
# command needs cargo-leptos (a 12-minute install on a fresh machine) and so that the
# test command serves the very server binary `cargo test` already built: cargo-leptos
# builds the server again with its own RUSTFLAGS (`--cfg erase_components` in debug),
# which recompiled every dependency a second time.
#
# The file names follow leptos's `HydrationScripts` with file hashing on:
# `<name>.<js hash>.js` and `<name>.<wasm hash>.wasm`, the hashes read from hash.txt.

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
  # Named by their content: a browser keeps them for a year and asks for nothing until
  # a build changes them. leptos's `HydrationScripts` reads the names from hash.txt
  # (the server turns that on when the file is there, see `startup::leptos_options`).
  local js_hash wasm_hash
  js_hash="$(sha256sum "$next/pkg/$SITE_NAME.js" | cut -c1-16)"
  wasm_hash="$(sha256sum "$next/pkg/${SITE_NAME}_bg.wasm" | cut -c1-16)"
  mv "$next/pkg/$SITE_NAME.js" "$next/pkg/$SITE_NAME.$js_hash.js"
  mv "$next/pkg/${SITE_NAME}_bg.wasm" "$next/pkg/$SITE_NAME.$wasm_hash.wasm"
  printf 'js: %s\nwasm: %s\n' "$js_hash" "$wasm_hash" > "$next/hash.txt"
  cp "$ROOT/style/main.css" "$next/pkg/$SITE_NAME.css"
  # Compressed once here instead of on every request: the server sends the .br or .gz
  # beside a file to a browser that accepts it.
  node "$ROOT/scripts/lib/precompress.js" "$next/pkg/$SITE_NAME.$js_hash.js" \
    "$next/pkg/$SITE_NAME.$wasm_hash.wasm" "$next/pkg/$SITE_NAME.css"
  cp -R "$ROOT/public/." "$next/"
  # The previous build's bundle stays beside the new one: a page rendered before the
  # swap (or by a node not yet upgraded) still finds the files it names.
  local old
  if [ -f "$SITE_ROOT/hash.txt" ]; then
    for old in $(sed -n 's/^\(js\|wasm\): //p' "$SITE_ROOT/hash.txt"); do
      cp "$SITE_ROOT/pkg/$SITE_NAME.$old".* "$next/pkg/" 2>/dev/null || true
    done
  fi
  # Swapped in whole, so a running server never serves a half-written bundle's parts.
  rm -rf "$SITE_ROOT"
  mv "$next" "$SITE_ROOT"
  report_bundle_size
}

# The wasm of the built site, by the name hash.txt gives it.
site_wasm() {
  printf '%s/pkg/%s.%s.wasm' "$SITE_ROOT" "$SITE_NAME" "$(sed -n 's/^wasm: //p' "$SITE_ROOT/hash.txt")"
}

# The gzipped wasm may not grow past this (bytes). Issue #18's budget is 400 KB for what a
# consultant's first page loads; until the manager part loads on demand, this ceiling
# only keeps the bundle from growing, and comes down with each step (docs/perf.md).
WASM_GZIP_CEILING=1460000

check_bundle_ceiling() {
  local gz
  gz="$(gzip -9 -c "$(site_wasm)" | wc -c)"
  if [ "$gz" -gt "$WASM_GZIP_CEILING" ]; then
    die "the wasm bundle is $gz bytes gzipped, over its ceiling of $WASM_GZIP_CEILING (scripts/lib/site.sh, docs/perf.md)"
  fi
}

report_bundle_size() {
  local wasm raw gz br
  wasm="$(site_wasm)"
  raw="$(wc -c < "$wasm")"
  gz="$(gzip -9 -c "$wasm" | wc -c)"
  br="$(wc -c < "$wasm.br")"
  printf 'wasm bundle: %s bytes, %s bytes gzipped, %s bytes as sent (brotli)\n' "$raw" "$gz" "$br"
}
