import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { figure, type BenchFigure, type BenchSuite } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const resultsFile = join(here, 'results', 'latest.json');

async function loadSuites(): Promise<BenchSuite[]> {
  const files = (await readdir(join(here, 'suites'))).filter((f) => f.endsWith('.ts')).sort();
  const suites: BenchSuite[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(here, 'suites', f)).href)) as { suite?: BenchSuite };
    if (mod.suite) suites.push(mod.suite);
  }
  return suites;
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3);
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const all = await loadSuites();
  const unknown = wanted.filter((w) => !all.some((s) => s.name === w));
  if (unknown.length > 0) {
    console.error(`unknown bench ${unknown.join(', ')}; available: ${all.map((s) => s.name).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const chosen = wanted.length === 0 ? all : all.filter((s) => wanted.includes(s.name));
  const ctx = { log: (m: string) => process.stderr.write(`  ${m}\n`), quick: process.env.BENCH_QUICK === '1' };
  const figures: BenchFigure[] = [];
  for (const s of chosen) {
    process.stderr.write(`bench ${s.name}: ${s.description}\n`);
    for (const f of await s.run(ctx)) {
      const done = figure(f);
      figures.push(done);
      console.log(`${done.name.padEnd(44)} ${fmt(done.value).padStart(12)} ${done.unit.padEnd(14)} vs ${fmt(done.referenceValue).padStart(12)} ${done.reference}  ratio ${fmt(done.ratio ?? NaN)}${done.note ? `  (${done.note})` : ''}`);
    }
  }
  let previous: BenchFigure[] = [];
  try {
    previous = JSON.parse(await readFile(resultsFile, 'utf8')) as BenchFigure[];
  } catch {
    previous = [];
  }
  const names = new Set(figures.map((f) => f.name));
  const merged = [...previous.filter((f) => !names.has(f.name)), ...figures].map(({ name, value, unit, reference, referenceValue, ratio }) => ({
    name,
    value,
    unit,
    reference,
    referenceValue,
    ratio,
  }));
  await mkdir(dirname(resultsFile), { recursive: true });
  await writeFile(resultsFile, `${JSON.stringify(merged, null, 2)}\n`);
  process.stderr.write(`wrote ${figures.length} figure(s) to ${resultsFile}\n`);
}

await main();
