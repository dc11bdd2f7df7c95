import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Doctest } from './readme-blocks';

/** Where a README block's files go in the consumer project, relative to it. */
export function blockDir(doctest: Doctest): string {
  const slug = doctest.readme.replace(/\/?README\.md$/, '').replace(/\//g, '-') || 'root';
  return join('blocks', `${slug}-${doctest.index}`);
}

/** Writes every block's files; returns the TypeScript ones (relative to the project). */
export function writeBlocks(project: string, doctests: readonly Doctest[]): string[] {
  const typescript: string[] = [];
  for (const doctest of doctests) {
    const dir = join(project, blockDir(doctest));
    mkdirSync(dir, { recursive: true });
    for (const file of doctest.files) {
      if (/\.[cm]?ts$/.test(file.name)) typescript.push(join(blockDir(doctest), file.name));
      // `export {}` keeps a block without imports a module, not a global script.
      const code = doctest.typescript ? `${file.code}\nexport {};\n` : file.code;
      writeFileSync(join(dir, file.name), code);
    }
  }
  return typescript;
}

export const FORMATS_DIR = 'formats';

/**
 * Programs loading every package as a user would: esm.mjs (`import`), cjs.cjs
 * (`require`), each printing the export names; types.mts and types.cts using every
 * package's exports, for the type check. Returns the TypeScript files.
 */
export function writeFormatProbes(project: string, names: readonly string[]): string[] {
  const dir = join(project, FORMATS_DIR);
  mkdirSync(dir, { recursive: true });
  const load = (how: string) =>
    `const out = {};\n${names
      .map((n) => `out[${JSON.stringify(n)}] = Object.keys(${how}(${JSON.stringify(n)})).sort();`)
      .join('\n')}\nconsole.log(JSON.stringify(out));\n`;
  writeFileSync(join(dir, 'esm.mjs'), load('await import'));
  writeFileSync(join(dir, 'cjs.cjs'), load('require'));
  const typeProbe = names
    .map(
      (n, i) =>
        `import * as p${i} from ${JSON.stringify(n)};\nexport const k${i}: string[] = Object.keys(p${i});`,
    )
    .join('\n');
  writeFileSync(join(dir, 'types.mts'), `${typeProbe}\n`);
  writeFileSync(join(dir, 'types.cts'), `${typeProbe}\n`);
  return [join(FORMATS_DIR, 'types.mts'), join(FORMATS_DIR, 'types.cts')];
}
