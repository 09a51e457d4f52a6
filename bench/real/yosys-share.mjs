// Write the data files Yosys reads at run time (its "share" directory:
// techmap.v, simlib.v, cell libraries...) out of an installed @yowasp/yosys
// package, for bench/real.sh. The package keeps them in gen/resources-yosys.js
// (most as strings, a few as URLs of files beside it) and its JS runtime mounts
// them at /share in the guest's file system; a WASI runtime gets them from a
// real directory mapped to /share instead.
// Usage: node yosys-share.mjs <package dir (.../@yowasp/yosys)> <output dir>
// The output dir gets a subdirectory "share".
import { mkdir, writeFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

const [pkg, out] = process.argv.slice(2);
if (!pkg || !out) {
  process.stderr.write('usage: node yosys-share.mjs <@yowasp/yosys dir> <output dir>\n');
  process.exit(2);
}
const res = await import(pathToFileURL(join(pkg, 'gen', 'resources-yosys.js')).href);
let files = 0;
async function walk(tree, dir) {
  await mkdir(dir, { recursive: true });
  for (const [name, v] of Object.entries(tree)) {
    const p = join(dir, name);
    if (typeof v === 'string') await writeFile(p, v);
    else if (v instanceof URL) await copyFile(fileURLToPath(v), p);
    else if (v instanceof Uint8Array) await writeFile(p, v);
    else { await walk(v, p); continue; }
    files++;
  }
}
for (const [name, tree] of Object.entries(res.filesystem)) await walk(tree, join(out, name));
process.stdout.write(`${files} files written under ${out}\n`);
