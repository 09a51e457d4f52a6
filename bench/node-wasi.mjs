// Run a WASI preview1 command module under Node.js, as a reference peer for
// bench/run.sh:   bench/run.sh --peer "node bench/node-wasi.mjs"
// Usage: node node-wasi.mjs [--dir HOST::GUEST]... module.wasm [args...]
// --dir preopens a host directory under the name the guest sees (as
// `ebb run --dir`); bench/real.sh uses it. Exits with the guest's exit code.
// Needs Node >= 20 (node:wasi, preview1).
import { readFile } from 'node:fs/promises';
import process from 'node:process';

// node:wasi prints an ExperimentalWarning on load; keep stderr clean.
process.removeAllListeners('warning');
const { WASI } = await import('node:wasi');

const argv = process.argv.slice(2);
const preopens = {};
while (argv[0] === '--dir') {
  const spec = argv[1] ?? '';
  const at = spec.indexOf('::');
  if (at < 0) {
    process.stderr.write(`node-wasi.mjs: --dir wants HOST::GUEST, got '${spec}'\n`);
    process.exit(2);
  }
  preopens[spec.slice(at + 2)] = spec.slice(0, at);
  argv.splice(0, 2);
}
const file = argv[0];
if (!file) {
  process.stderr.write('usage: node node-wasi.mjs [--dir HOST::GUEST]... module.wasm [args...]\n');
  process.exit(2);
}
const wasi = new WASI({
  version: 'preview1',
  args: argv,
  preopens,
  env: process.env,
  returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, {
  wasi_snapshot_preview1: wasi.wasiImport,
});
const code = wasi.start(instance);
process.exitCode = code ?? 0;
