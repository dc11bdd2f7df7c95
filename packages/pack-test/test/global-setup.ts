import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { writeBlocks, writeFormatProbes } from '../src/consumer-files';
import { allDoctests, type ConsumerProject, createConsumerProject } from '../src/consumer-project';
import { typecheck } from '../src/typecheck';

declare module 'vitest' {
  export interface ProvidedContext {
    consumer: ConsumerProject;
    /** tsc's errors per file of the consumer project (README blocks, format probes). */
    diagnostics: Record<string, string[]>;
  }
}

// Packs and installs once, writes every README block and format probe into the project,
// and type-checks them all in one tsc run; the test files read the results.
export default function setup(project: TestProject): () => void {
  // PROMKIT_PACK_TEST_PROJECT=<dir> reuses a project kept by PROMKIT_KEEP_PACK_TEST, to
  // iterate on README blocks without packing and installing again (its tarballs are stale).
  const reuse = process.env.PROMKIT_PACK_TEST_PROJECT;
  const consumer =
    reuse === undefined
      ? createConsumerProject()
      : (JSON.parse(readFileSync(join(reuse, 'consumer.json'), 'utf8')) as ConsumerProject);
  writeFileSync(join(consumer.dir, 'consumer.json'), JSON.stringify(consumer));
  const files = [
    ...writeBlocks(consumer.dir, allDoctests()),
    ...writeFormatProbes(
      consumer.dir,
      consumer.tarballs.flatMap((t) => t.entryPoints),
    ),
  ];
  project.provide('consumer', consumer);
  project.provide('diagnostics', Object.fromEntries(typecheck(consumer.dir, files)));
  return () => {
    if (process.env.PROMKIT_KEEP_PACK_TEST === undefined && reuse === undefined) {
      rmSync(dirname(consumer.dir), { recursive: true, force: true });
    }
  };
}
