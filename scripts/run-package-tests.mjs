// Runs every workspace package's test suite, one package at a time (tests start real
// servers on a 2-core machine). A vitest suite also writes its JSON report to
// .test-results/<package>.json; every run's exit code goes to .test-results/runs.json,
// which summarize-tests.mjs reads. Exits 0: the summary decides.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(root, '.test-results');

function workspaceDirs() {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const patterns = [...yaml.matchAll(/^\s*-\s*['"]?([^'"\s#]+)['"]?/gm)].map((m) => m[1]);
  const dirs = [];
  for (const pattern of patterns) {
    if (pattern.endsWith('/*')) {
      const parent = join(root, pattern.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const entry of readdirSync(parent, { withFileTypes: true }).sort((a, b) =>
        a.name.localeCompare(b.name),
      )) {
        if (entry.isDirectory()) dirs.push(join(parent, entry.name));
      }
    } else {
      dirs.push(join(root, pattern));
    }
  }
  return dirs.filter((dir) => existsSync(join(dir, 'package.json')));
}

function reportName(pkgName) {
  return pkgName.replace(/^@/, '').replace(/[^a-zA-Z0-9._-]+/g, '-');
}

function run(label, command, args, cwd) {
  console.log(`\n[test] ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  return result.status ?? 1;
}

rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });
const runs = [];

for (const dir of workspaceDirs()) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const script = pkg.scripts?.test;
  if (typeof script !== 'string') continue;
  const name = pkg.name ?? relative(root, dir);
  if (/^vitest(\s+run)?(\s|$)/.test(script)) {
    const report = join(resultsDir, `${reportName(name)}.json`);
    const extra = script.replace(/^vitest(\s+run)?/, '').trim();
    const args = ['exec', 'vitest', 'run', ...(extra === '' ? [] : extra.split(/\s+/))];
    args.push('--passWithNoTests', '--reporter=default', '--reporter=json');
    args.push(`--outputFile.json=${report}`);
    const exitCode = run(name, 'pnpm', args, dir);
    runs.push({ name, kind: 'vitest', report: relative(resultsDir, report), exitCode });
  } else {
    runs.push({ name, kind: 'script', exitCode: run(name, 'pnpm', ['run', 'test'], dir) });
  }
}

const bench = join(root, 'bench', 'package.json');
if (existsSync(bench)) {
  const pkg = JSON.parse(readFileSync(bench, 'utf8'));
  if (typeof pkg.scripts?.smoke === 'string') {
    const exitCode = run(`${pkg.name} smoke`, 'pnpm', ['--filter', pkg.name, 'smoke'], root);
    runs.push({ name: `${pkg.name} smoke`, kind: 'script', exitCode });
  }
}

writeFileSync(join(resultsDir, 'runs.json'), `${JSON.stringify(runs, null, 2)}\n`);
