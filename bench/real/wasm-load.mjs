// Load a module under Node.js and nothing more, for bench/real.sh's load-only
// rows: read the file, `new WebAssembly.Module(bytes)`, exit.
// V8 decodes and validates every function there, but by default compiles
// each one (Liftoff, later TurboFan) only when it is first called (lazy
// compilation: on by default in Node 20's V8 11.3, `node --v8-options`
// says so); run node with
// --no-wasm-lazy-compilation to compile them all up front, as `ebb validate`
// does.
// Usage: node wasm-load.mjs module.wasm
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node wasm-load.mjs module.wasm\n');
  process.exit(2);
}
const module = new WebAssembly.Module(readFileSync(file));
process.stdout.write(`${WebAssembly.Module.imports(module).length} imports, ` +
                     `${WebAssembly.Module.exports(module).length} exports\n`);
