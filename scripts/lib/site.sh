# Sourced by scripts/run and scripts/test after setup.sh: builds the browser half of the
# site into target/site (pkg/zgoda.<hash>.js and .wasm with hash.txt, the whole bundle;
# pkg/zgoda-consultant.<hash>.js and .wasm with hash-consultant.txt, the consultant part's;
# each with .br and .gz; pkg/zgoda.css and public/).
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
# then wasm-bindgen and binaryen's wasm-opt (from npm: Debian's breaks hydration). Two
# bundles (app/src/shell/bundle.rs): the consultant part's (`zgoda-consultant`,
# hash-consultant.txt) and the whole one for the manager part (`zgoda`, hash.txt, the
# crate's `manager` feature), which a release without the split also names.
build_site() {
  say "Building the browser bundles (wasm-release)"
  local next="$SITE_ROOT.next"
  rm -rf "$next"
  mkdir -p "$next/pkg"
  build_bundle "$next" "$SITE_NAME-consultant" hash-consultant.txt
  build_bundle "$next" "$SITE_NAME" hash.txt manager
  cp "$ROOT/style/main.css" "$next/pkg/$SITE_NAME.css"
  node "$ROOT/scripts/lib/precompress.js" "$next/pkg/$SITE_NAME.css"
  cp -R "$ROOT/public/." "$next/"
  # The previous build's bundles stay beside the new ones: a page rendered before the
  # swap (or by a node not yet upgraded) still finds the files it names.
  local old hashes name
  for hashes in hash.txt hash-consultant.txt; do
    [ -f "$SITE_ROOT/$hashes" ] || continue
    name="$SITE_NAME"
    [ "$hashes" = hash.txt ] || name="$SITE_NAME-consultant"
    for old in $(sed -n 's/^\(js\|wasm\): //p' "$SITE_ROOT/$hashes"); do
      cp "$SITE_ROOT/pkg/$name.$old".* "$next/pkg/" 2>/dev/null || true
    done
  done
  # Swapped in whole, so a running server never serves a half-written bundle's parts.
  rm -rf "$SITE_ROOT"
  mv "$next" "$SITE_ROOT"
  report_bundle_size
}

# One bundle into "$1/pkg": named "$2", its file names in "$1/$3", built with the
# frontend crate's features "$4" (none for the consultant bundle).
build_bundle() {
  local next="$1" name="$2" hashes="$3" features="${4:-}"
  cargo build -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release --locked \
    ${features:+--features "$features"}
  local wasm="$ROOT/target/wasm32-unknown-unknown/wasm-release/frontend.wasm"
  wasm-bindgen --target web --no-typescript --out-dir "$next/pkg" --out-name "$name" "$wasm"
  wasm-opt -Oz --enable-bulk-memory "$next/pkg/${name}_bg.wasm" -o "$next/pkg/${name}_bg.wasm"
  # Named by their content: a browser keeps them for a year and asks for nothing until
  # a build changes them. leptos's `HydrationScripts` reads the names from the hash file
  # (the server turns that on when hash.txt is there, see `startup::leptos_options`).
  local js_hash wasm_hash
  js_hash="$(sha256sum "$next/pkg/$name.js" | cut -c1-16)"
  wasm_hash="$(sha256sum "$next/pkg/${name}_bg.wasm" | cut -c1-16)"
  mv "$next/pkg/$name.js" "$next/pkg/$name.$js_hash.js"
  mv "$next/pkg/${name}_bg.wasm" "$next/pkg/$name.$wasm_hash.wasm"
  printf 'js: %s\nwasm: %s\n' "$js_hash" "$wasm_hash" > "$next/$hashes"
  # Compressed once here instead of on every request: the server sends the .br or .gz
  # beside a file to a browser that accepts it.
  node "$ROOT/scripts/lib/precompress.js" "$next/pkg/$name.$js_hash.js" "$next/pkg/$name.$wasm_hash.wasm"
}

# The wasm of the built site's bundle "$1" (hash-consultant.txt, or hash.txt for the
# whole one), by the name its hash file gives it.
site_wasm() {
  local hashes="${1:-hash-consultant.txt}" name="$SITE_NAME"
  [ "$hashes" = hash.txt ] || name="$SITE_NAME-consultant"
  printf '%s/pkg/%s.%s.wasm' "$SITE_ROOT" "$name" "$(sed -n 's/^wasm: //p' "$SITE_ROOT/$hashes")"
}

# What a consultant's sign-in loads, gzipped (bytes). Issue #18's budget is 400 KB; this
# ceiling keeps the bundle from growing on the way there and comes down with each step
# (docs/perf.md).
WASM_GZIP_CEILING=715000
# The whole bundle, loaded on the first page of the manager part, may not grow past this.
MANAGER_WASM_GZIP_CEILING=1365000

check_bundle_ceiling() {
  local gz
  gz="$(gzip -9 -c "$(site_wasm)" | wc -c)"
  if [ "$gz" -gt "$WASM_GZIP_CEILING" ]; then
    die "the consultant bundle is $gz bytes gzipped, over its ceiling of $WASM_GZIP_CEILING (scripts/lib/site.sh, docs/perf.md)"
  fi
  gz="$(gzip -9 -c "$(site_wasm hash.txt)" | wc -c)"
  if [ "$gz" -gt "$MANAGER_WASM_GZIP_CEILING" ]; then
    die "the whole (manager part) bundle is $gz bytes gzipped, over its ceiling of $MANAGER_WASM_GZIP_CEILING (scripts/lib/site.sh, docs/perf.md)"
  fi
}

report_bundle_size() {
  local hashes wasm raw gz br
  for hashes in hash-consultant.txt hash.txt; do
    wasm="$(site_wasm "$hashes")"
    raw="$(wc -c < "$wasm")"
    gz="$(gzip -9 -c "$wasm" | wc -c)"
    br="$(wc -c < "$wasm.br")"
    printf 'wasm bundle %s: %s bytes, %s bytes gzipped, %s bytes as sent (brotli)\n' \
      "$(basename "$wasm")" "$raw" "$gz" "$br"
  done
}
