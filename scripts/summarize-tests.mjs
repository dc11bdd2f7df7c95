// Reads .test-results/ (written by run-package-tests.mjs) and prints, alone on the last
// line, `Tests: N passed, M failed[, K skipped]`. Exits 1 when anything failed or no test
// ran. A run that failed without a failed test in its report (a crash, an unhandled
// error) counts as one failed test, so the line agrees with the code; a non-vitest script
// (bench smoke) counts as one test.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '.test-results');
const runsFile = join(resultsDir, 'runs.json');
const runs = existsSync(runsFile) ? JSON.parse(readFileSync(runsFile, 'utf8')) : [];

let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];

for (const run of runs) {
  let runFailed = 0;
  if (run.kind === 'vitest') {
    const file = join(resultsDir, run.report);
    if (existsSync(file)) {
      const report = JSON.parse(readFileSync(file, 'utf8'));
      passed += report.numPassedTests ?? 0;
      runFailed = report.numFailedTests ?? 0;
      skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
      console.log(
        `${run.name}: ${report.numPassedTests} passed, ${runFailed} failed` +
          ` (${report.testResults?.length ?? 0} files)`,
      );
    } else {
      problems.push(`${run.name}: vitest wrote no report (exit code ${run.exitCode})`);
    }
  } else if (run.exitCode === 0) {
    passed += 1;
    console.log(`${run.name}: passed`);
  }
  if (run.exitCode !== 0 && runFailed === 0) {
    runFailed = 1;
    if (run.kind === 'vitest')
      problems.push(`${run.name}: exited ${run.exitCode} (see its output)`);
    else problems.push(`${run.name}: exited ${run.exitCode}`);
  }
  failed += runFailed;
}

// test.sh passes the exit codes of the steps before the tests (build, lint) as
// --step-exit=NAME=CODE; each failed step counts as one failure.
for (const arg of process.argv.slice(2)) {
  const match = /^--step-exit=([^=]+)=(\d+)$/.exec(arg);
  if (match === null || match[2] === '0') continue;
  failed += 1;
  problems.push(`${match[1]}: exited ${match[2]} (see its output above)`);
}

for (const problem of problems) console.log(`FAILED ${problem}`);
if (passed + failed === 0) console.log('No test ran.');
console.log(
  `Tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`,
);
process.exitCode = failed > 0 || passed + failed === 0 ? 1 : 0;
