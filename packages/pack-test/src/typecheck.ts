import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv } from './consumer-project';

/**
 * Type-checks TypeScript files of the consumer project with its own TypeScript and the
 * packaged declarations, as a user's strict NodeNext project would. Returns the
 * diagnostics per file (paths relative to the project).
 */
export function typecheck(project: string, files: readonly string[]): Map<string, string[]> {
  const byFile = new Map<string, string[]>();
  let remaining = [...files];
  // tsc reports only syntax errors when a file has one; check the others again without it.
  for (;;) {
    const found = runTsc(project, remaining);
    for (const [file, lines] of found) byFile.set(file, lines);
    const syntaxOnly = [...found.values()].flat().every((line) => !/error TS[2-9]\d{3}/.test(line));
    if (found.size === 0 || !syntaxOnly || found.has('(tsc)')) return byFile;
    remaining = remaining.filter((file) => !found.has(file));
  }
}

function runTsc(project: string, files: readonly string[]): Map<string, string[]> {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2023'],
      types: ['node'],
      strict: true,
      noEmit: true,
      // Checking every third-party declaration file (hono, fastify…) costs ~45 s of a
      // 2-core machine; promkit's declarations are still checked through their use.
      skipLibCheck: true,
    },
    files,
  };
  writeFileSync(join(project, 'tsconfig.json'), `${JSON.stringify(config, null, 2)}\n`);
  const tsc = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], {
    cwd: project,
    encoding: 'utf8',
    env: cleanEnv(),
  });
  const byFile = new Map<string, string[]>();
  let last: string[] | undefined;
  let reported = false;
  for (const line of result.stdout.split('\n')) {
    const match = /^(.+?)\(\d+,\d+\): error TS\d+/.exec(line);
    if (match !== null) reported = true;
    if (match !== null) {
      const file = match[1] ?? '';
      last = byFile.get(file) ?? [];
      byFile.set(file, last);
      last.push(line);
    } else if (line.trim() !== '' && last !== undefined) {
      last.push(line);
    }
  }
  if (result.status !== 0 && !reported) {
    byFile.set('(tsc)', [`tsc exited ${result.status}: ${result.stdout}${result.stderr}`]);
  }
  return byFile;
}
