// node-run.mjs -- the node side of node-run.sh: run a WASI preview1 command
// module with only the --env variables in its environment and the --dir
// HOST[::GUEST] directories preopened (as `ebb run`), and exit with its exit
// code. Used by tests/wasm and tests/wasi.
import { readFile } from 'node:fs/promises';
import { argv, exit } from 'node:process';
import { WASI } from 'node:wasi';

const env = {}, preopens = {};
let i = 2;
for (; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--') { i++; break; }
  if (a === '--env' && i + 1 < argv.length) {
    const kv = argv[++i], eq = kv.indexOf('=');
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
    continue;
  }
  if ((a === '--dir' && i + 1 < argv.length) || a.startsWith('--dir=')) {
    const d = a === '--dir' ? argv[++i] : a.slice(6), sep = d.indexOf('::');
    if (sep < 0) preopens[d] = d;
    else preopens[d.slice(sep + 2)] = d.slice(0, sep);
    continue;
  }
  if (a.startsWith('--env=')) {
    const kv = a.slice(6), eq = kv.indexOf('=');
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
    continue;
  }
  break;
}
const path = argv[i];
const wasi = new WASI({ version: 'preview1', args: argv.slice(i), env, preopens, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(path));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
exit(wasi.start(instance));
