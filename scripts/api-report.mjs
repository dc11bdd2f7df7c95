// API reports: one API Extractor config per exports entry of every published package
// (packages/<name>/api-extractor.json for ".", api-extractor.<subpath>.json for "./<subpath>"),
// read from the built .d.ts, report committed under packages/<name>/api/.
//   node scripts/api-report.mjs --update   rewrite the reports (pnpm api:update)
//   node scripts/api-report.mjs            fail when a public API differs from its report,
//                                          or an entry point has no config (pnpm api:check)
// Shared settings live in api-extractor.base.json: reports from the entry's .d.ts graph only
// (compiler.overrideTsconfig, `files` set here), no release tags (everything exported is
// public), no TSDoc lint (our JSDoc is for editors). projectFolder is set here too.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompilerState, Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = resolve(fileURLToPath(import.meta.url), '..', '..');
const update = process.argv.includes('--update');
const problems = [];
/** `{ where, config }` for every entry point to report on. */
const entries = [];

for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const packageFolder = join(root, 'packages', dir);
  const manifestPath = join(packageFolder, 'package.json');
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (manifest.private === true) continue;
  for (const [subpath, types] of typedEntries(manifest)) {
    const configName =
      subpath === '.'
        ? 'api-extractor.json'
        : `api-extractor.${subpath.slice(2).replaceAll('/', '-')}.json`;
    const configPath = join(packageFolder, configName);
    const where = `${manifest.name}${subpath === '.' ? '' : subpath.slice(1)}`;
    if (!existsSync(configPath)) {
      problems.push(
        `${where}: no ${relative(root, configPath)} (copy packages/${subpath === '.' ? 'koa/api-extractor' : 'core/api-extractor.http'}.json)`,
      );
      continue;
    }
    const configObject = ExtractorConfig.loadFile(configPath);
    configObject.projectFolder = packageFolder;
    configObject.compiler.overrideTsconfig.files = [join(packageFolder, types)];
    const config = ExtractorConfig.prepare({
      configObject,
      configObjectFullPath: configPath,
      packageJsonFullPath: manifestPath,
    });
    const entry = relative(packageFolder, config.mainEntryPointFilePath);
    if (entry !== types.replace(/^\.\//, '')) {
      problems.push(
        `${where}: ${configName} reads ${entry}, but exports["${subpath}"] is ${types}`,
      );
      continue;
    }
    if (!existsSync(config.mainEntryPointFilePath)) {
      problems.push(
        `${where}: ${relative(root, config.mainEntryPointFilePath)} missing (pnpm build)`,
      );
      continue;
    }
    entries.push({ where, config });
  }
}

// One TypeScript program for every entry point: the .d.ts graphs overlap (core, node's
// types, DOM) and parsing them once keeps the whole check to a few seconds.
const compilerState =
  entries.length === 0
    ? undefined
    : CompilerState.create(entries[0].config, {
        additionalEntryPoints: entries.map((e) => e.config.mainEntryPointFilePath),
      });
for (const { where, config } of entries) {
  if (update) mkdirSync(config.reportFolder, { recursive: true });
  const messages = [];
  const result = Extractor.invoke(config, {
    localBuild: update,
    compilerState,
    messageCallback(message) {
      if (message.logLevel === 'error' || message.logLevel === 'warning') {
        if (!message.messageId.startsWith('console-')) {
          messages.push(message.formatMessageWithLocation(root));
        }
      }
      message.handled = true;
    },
  });
  const report = relative(root, config.reportFilePath);
  for (const message of messages) problems.push(`${where}: ${message}`);
  if (result.apiReportChanged && !update) {
    problems.push(`${where}: public API differs from ${report}; run \`pnpm api:update\``);
    showDiff(config.reportFilePath, config.reportTempFilePath);
  } else if (result.errorCount === 0) {
    console.log(`${where}: ${result.apiReportChanged ? 'updated' : 'unchanged'} ${report}`);
  }
}

for (const problem of problems) console.error(`api: ${problem}`);
process.exitCode = problems.length === 0 ? 0 : 1;

/** `[subpath, types path]` for each exports entry that has types. */
function typedEntries(manifest) {
  const entries = [];
  for (const [subpath, target] of Object.entries(manifest.exports ?? { '.': manifest })) {
    const types = target?.import?.types ?? target?.types;
    if (typeof types === 'string') entries.push([subpath, types]);
  }
  return entries;
}

function showDiff(committed, fresh) {
  const diff = spawnSync('diff', ['-u', committed, fresh], { encoding: 'utf8' });
  const lines = (diff.stdout || diff.stderr || '').split('\n');
  console.error(lines.slice(0, 60).join('\n') + (lines.length > 60 ? '\n…' : ''));
}
