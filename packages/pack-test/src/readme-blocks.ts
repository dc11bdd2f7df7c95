import { builtinModules } from 'node:module';

/**
 * The doctest convention. Every ```ts / ```js (also typescript, javascript, mjs, cjs)
 * block of a README is a doctest: it is type-checked (TypeScript blocks) and run.
 * HTML comments right before a block (blank lines between are fine) change that:
 *
 * - `<!-- doctest: typecheck-only: <reason> -->` type-checks the block but does not run
 *   it (it needs what the test cannot give it: files on disk, a framework's request…);
 *   only for TypeScript blocks;
 * - `<!-- doctest: continues -->` appends the block to the previous block of the README
 *   (one program shown in two parts);
 * - `<!-- doctest-setup: <code> -->` prepends hidden code, for a fragment that uses
 *   names the README defines in prose (`declare const req: IncomingMessage;`).
 *
 * A line `// <file>.<ext>` at the start of a block, or after a blank line, starts a new
 * file of the same program (a worker script next to its main module); the first file is
 * the one run. Shell blocks are not run; their `pnpm add` / `npm install` lines are the
 * README's install line, which must name every package a block imports.
 */
export interface DoctestFile {
  name: string;
  code: string;
}

export interface Doctest {
  readme: string;
  /** 1-based position among the README's doctests. */
  index: number;
  /** Line of the opening fence, 1-based. */
  line: number;
  typescript: boolean;
  /** Set when the block is only type-checked, with the README's reason. */
  typecheckOnly?: string;
  files: DoctestFile[];
  /** Packages the visible code imports (bare specifiers, builtins excluded). */
  imports: string[];
}

export interface ParsedReadme {
  doctests: Doctest[];
  /** Every package named by an install line of the README. */
  installed: Set<string>;
}

const CODE_LANGS = new Map([
  ['ts', true],
  ['typescript', true],
  ['js', false],
  ['javascript', false],
  ['mjs', false],
  ['cjs', false],
]);
const SHELL_LANGS = new Set(['sh', 'shell', 'bash', 'console']);
const FILE_HEADER = /^\/\/ ([\w.-]+\.(?:[cm]?[jt]s))(?:\s|$)/;
const INSTALL = /^\s*(?:\$\s*)?(?:pnpm add|npm (?:install|i)|yarn add|bun add)\s+(.*)$/;

export class DoctestSyntaxError extends Error {
  override name = 'DoctestSyntaxError';
}

export function parseReadme(readme: string, text: string): ParsedReadme {
  const lines = text.split('\n');
  const doctests: Doctest[] = [];
  const installed = new Set<string>();
  let comments: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    if (line.trimStart().startsWith('<!--')) {
      const start = i;
      while (!(lines[i] ?? '').includes('-->') && i < lines.length - 1) i++;
      comments.push(lines.slice(start, i + 1).join('\n'));
      continue;
    }
    const fence = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
    if (fence === null) {
      comments = [];
      continue;
    }
    const marker = fence[2] ?? '```';
    const lang = (fence[3] ?? '').toLowerCase();
    const open = i;
    const body: string[] = [];
    for (i++; i < lines.length && !(lines[i] ?? '').trimStart().startsWith(marker); i++) {
      body.push(lines[i] ?? '');
    }
    const directives = comments;
    comments = [];
    if (SHELL_LANGS.has(lang)) {
      for (const shellLine of body) {
        const match = INSTALL.exec(shellLine);
        if (match === null) continue;
        for (const word of (match[1] ?? '').replace(/(^|\s)#.*$/, '').split(/\s+/)) {
          if (word === '' || word.startsWith('-')) continue;
          // `name@range` and aliases (`prom-client@npm:@promkit/prom-client`) install `name`.
          const name = word.startsWith('@')
            ? `@${word.slice(1).split('@')[0]}`
            : word.split('@')[0];
          installed.add(packageName(name ?? word));
        }
      }
      continue;
    }
    const typescript = CODE_LANGS.get(lang);
    if (typescript === undefined) continue;
    const doctest = toDoctest(readme, doctests, directives, body.join('\n'), open + 1, typescript);
    doctests.push(doctest);
  }
  return { doctests, installed };
}

function toDoctest(
  readme: string,
  previous: readonly Doctest[],
  directives: readonly string[],
  code: string,
  line: number,
  typescript: boolean,
): Doctest {
  let typecheckOnly: string | undefined;
  let setup = '';
  let continues = false;
  for (const comment of directives) {
    const inner = comment.replace(/^\s*<!--/, '').replace(/-->\s*$/, '');
    const setupMatch = /^\s*doctest-setup:?\s*\n?([\s\S]*)$/.exec(inner);
    if (setupMatch !== null) {
      setup += `${(setupMatch[1] ?? '').trim()}\n`;
      continue;
    }
    const directive = /^\s*doctest:\s*([\w-]+)(?::\s*([\s\S]*?))?\s*$/.exec(inner);
    if (directive === null) continue;
    if (directive[1] === 'typecheck-only') {
      typecheckOnly = (directive[2] ?? '').trim();
      if (typecheckOnly === '') {
        throw new DoctestSyntaxError(`${readme}:${line}: typecheck-only needs a reason`);
      }
      if (!typescript) {
        throw new DoctestSyntaxError(
          `${readme}:${line}: a typecheck-only block must be a ts block (JavaScript blocks are checked by running them)`,
        );
      }
    } else if (directive[1] === 'continues') {
      continues = true;
    } else {
      throw new DoctestSyntaxError(
        `${readme}:${line}: unknown doctest directive "${directive[1]}"`,
      );
    }
  }
  const visible = code;
  const before = continues ? previous.at(-1) : undefined;
  if (continues && before === undefined) {
    throw new DoctestSyntaxError(`${readme}:${line}: "continues" but no block before it`);
  }
  const files = splitFiles(code, typescript);
  if (before !== undefined) {
    const [first, ...rest] = files;
    const [prevFirst, ...prevRest] = before.files;
    files.splice(
      0,
      files.length,
      {
        name: prevFirst?.name ?? 'index.ts',
        code: `${prevFirst?.code ?? ''}\n${first?.code ?? ''}`,
      },
      ...prevRest,
      ...rest,
    );
  }
  const entry = files[0];
  if (entry !== undefined && setup !== '') entry.code = `${setup}${entry.code}`;
  const result: Doctest = {
    readme,
    index: previous.length + 1,
    line,
    typescript,
    files,
    imports: importsOf(visible),
  };
  if (typecheckOnly !== undefined) result.typecheckOnly = typecheckOnly;
  return result;
}

function splitFiles(code: string, typescript: boolean): DoctestFile[] {
  const files: DoctestFile[] = [];
  let current: DoctestFile = { name: typescript ? 'index.ts' : 'index.mjs', code: '' };
  let previousBlank = true;
  for (const line of code.split('\n')) {
    const header = previousBlank ? FILE_HEADER.exec(line) : null;
    if (header !== null) {
      if (current.code.trim() !== '') files.push(current);
      current = { name: header[1] ?? current.name, code: '' };
    }
    current.code += `${line}\n`;
    previousBlank = line.trim() === '';
  }
  files.push(current);
  return files;
}

const BUILTINS = new Set(builtinModules);
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;

/** Bare specifiers of a piece of code, as package names; relative and builtin ones left out. */
export function importsOf(code: string): string[] {
  const names = new Set<string>();
  for (const match of code.matchAll(SPECIFIER)) {
    const specifier = match[1] ?? '';
    if (specifier.startsWith('.') || specifier.startsWith('/')) continue;
    if (specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0] ?? '')) continue;
    names.add(packageName(specifier));
  }
  return [...names].sort();
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}
