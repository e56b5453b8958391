// Sums a V8 sampling heap profile (the memory bench's BENCH_HEAP_SAMPLE file) by function and by the last four frames
// of the allocation stack, largest first: `node test/bench/side/heap-sample-summary.mjs <file> [rows]`.
import { readFileSync } from 'node:fs';

const [file, rows = '20'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node test/bench/side/heap-sample-summary.mjs <heap profile> [rows]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byFunction = new Map();
const bySite = new Map();
let total = 0;
const add = (map, key, bytes) => map.set(key, (map.get(key) ?? 0) + bytes);
const walk = (node, stack) => {
  const f = node.callFrame;
  const name = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(dist|src)\//, '$1/')}:${f.lineNumber + 1}`;
  const frames = [...stack, name].slice(-4);
  if (node.selfSize > 0) {
    total += node.selfSize;
    add(byFunction, name, node.selfSize);
    add(bySite, frames.join(' < '), node.selfSize);
  }
  for (const child of node.children) walk(child, frames);
};
walk(profile.head, []);
const mib = (n) => (n / 2 ** 20).toFixed(1).padStart(8);
const top = (map) => [...map].sort((a, b) => b[1] - a[1]).slice(0, Number(rows));
console.log(`${mib(total)} MiB sampled in all`);
for (const [name, bytes] of top(byFunction)) console.log(`${mib(bytes)}  ${name}`);
console.log('by allocation site (innermost frame last):');
for (const [site, bytes] of top(bySite)) console.log(`${mib(bytes)}  ${site}`);
