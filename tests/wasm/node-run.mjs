// node-run.mjs -- the node side of node-run.sh: run a WASI preview1 command
// module with only the --env variables in its environment (as `ebb run`) and
// exit with its exit code.
import { readFile } from 'node:fs/promises';
import { argv, exit } from 'node:process';
import { WASI } from 'node:wasi';

const env = {};
let i = 2;
for (; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--') { i++; break; }
  if (a === '--env' && i + 1 < argv.length) {
    const kv = argv[++i], eq = kv.indexOf('=');
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
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
const wasi = new WASI({ version: 'preview1', args: argv.slice(i), env, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(path));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
exit(wasi.start(instance));
