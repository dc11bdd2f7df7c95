import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type ConsumerProject, createConsumerProject } from '../src/consumer-project';

declare module 'vitest' {
  export interface ProvidedContext {
    consumer: ConsumerProject;
  }
}

export default function setup(project: TestProject): () => void {
  // PROMKIT_PACK_TEST_PROJECT=<dir> reuses a project kept by PROMKIT_KEEP_PACK_TEST, to
  // iterate on README blocks without packing and installing again (its tarballs are stale).
  const reuse = process.env.PROMKIT_PACK_TEST_PROJECT;
  const consumer =
    reuse === undefined
      ? createConsumerProject()
      : (JSON.parse(readFileSync(join(reuse, 'consumer.json'), 'utf8')) as ConsumerProject);
  writeFileSync(join(consumer.dir, 'consumer.json'), JSON.stringify(consumer));
  project.provide('consumer', consumer);
  return () => {
    if (process.env.PROMKIT_KEEP_PACK_TEST === undefined && reuse === undefined) {
      rmSync(dirname(consumer.dir), { recursive: true, force: true });
    }
  };
}
