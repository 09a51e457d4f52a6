// Run a WASI preview1 command module under Node.js, as a reference peer for
// bench/run.sh:   bench/run.sh --peer "node bench/node-wasi.mjs"
// Usage: node node-wasi.mjs module.wasm [args...]
// Exits with the guest's exit code. Needs Node >= 20 (node:wasi, preview1).
import { readFile } from 'node:fs/promises';
import process from 'node:process';

// node:wasi prints an ExperimentalWarning on load; keep stderr clean.
process.removeAllListeners('warning');
const { WASI } = await import('node:wasi');

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node node-wasi.mjs module.wasm [args...]\n');
  process.exit(2);
}
const wasi = new WASI({
  version: 'preview1',
  args: process.argv.slice(2),
  env: process.env,
  returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, {
  wasi_snapshot_preview1: wasi.wasiImport,
});
const code = wasi.start(instance);
process.exitCode = code ?? 0;
