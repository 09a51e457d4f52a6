// Evaluate a piece of Ruby in CRuby's WebAssembly build under Node.js, through
// the npm package's own JS API (@ruby/wasm-wasi's DefaultRubyVM, over node:wasi),
// for bench/real.sh; the counterpart of ebb_ruby_eval (bench/real/ruby_eval.c).
// Usage: node ruby-node.mjs <node_modules dir> <ruby+stdlib.wasm> [CODE]
// Prints what the script prints, then "=> " and the result's to_s.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

process.removeAllListeners('warning'); // node:wasi's ExperimentalWarning
const [nm, wasm, code = 'puts (1..20).map { |i| i * i }.sum'] = process.argv.slice(2);
if (!nm || !wasm) {
  process.stderr.write('usage: node ruby-node.mjs <node_modules dir> <ruby+stdlib.wasm> [CODE]\n');
  process.exit(2);
}
const { DefaultRubyVM } = await import(
  pathToFileURL(join(nm, '@ruby', 'wasm-wasi', 'dist', 'esm', 'node.js')).href);
const module = await WebAssembly.compile(await readFile(wasm));
const { vm } = await DefaultRubyVM(module);
const result = vm.eval(code);
vm.eval('$stdout.flush; $stderr.flush');
process.stdout.write(`=> ${result.toString()}\n`);
