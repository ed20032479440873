// Writes <file>.br (brotli, best) and <file>.gz (gzip -9) beside each file named, for the
// server to send to browsers that accept them. Node's zlib: nothing more to install.
"use strict";
const fs = require("fs");
const zlib = require("zlib");

for (const file of process.argv.slice(2)) {
  const bytes = fs.readFileSync(file);
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(bytes, { level: 9 }));
  fs.writeFileSync(
    `${file}.br`,
    zlib.brotliCompressSync(bytes, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
  );
}
