import { describe, expect, it } from 'vitest';
import { DoctestSyntaxError, importsOf, parseReadme } from '../src/readme-blocks';

const fence = '```';

describe('parseReadme', () => {
  it('takes ts and js blocks as doctests and shell install lines as the install line', () => {
    const { doctests, installed } = parseReadme(
      'R.md',
      [
        `${fence}sh`,
        'pnpm add @promkit/hono hono@^4 @hono/node-server@2.1.8 # the server',
        'npm install -D tsx prom-client@npm:@promkit/prom-client@^0.1.0',
        fence,
        '',
        `${fence}js`,
        "import { serve } from '@hono/node-server';",
        "import { readFile } from 'node:fs/promises';",
        "import cluster from 'cluster';",
        "import './local.mjs';",
        fence,
        `${fence}console`,
        '$ node index.mjs',
        fence,
      ].join('\n'),
    );
    expect([...installed].sort()).toEqual([
      '@hono/node-server',
      '@promkit/hono',
      'hono',
      'prom-client',
      'tsx',
    ]);
    expect(doctests).toHaveLength(1);
    expect(doctests[0]).toMatchObject({ index: 1, line: 6, typescript: false });
    expect(doctests[0]?.imports).toEqual(['@hono/node-server']);
    expect(doctests[0]?.files.map((f) => f.name)).toEqual(['index.mjs']);
  });

  it('reads directives from the HTML comments right before a block', () => {
    const { doctests } = parseReadme(
      'R.md',
      [
        `${fence}ts`,
        'const a = 1;',
        fence,
        '<!-- doctest: typecheck-only: needs a TLS key pair -->',
        '<!-- doctest-setup:',
        'declare const req: unknown;',
        '-->',
        '',
        `${fence}ts`,
        'use(req);',
        fence,
        '<!-- doctest: continues -->',
        `${fence}ts`,
        'console.log(a);',
        fence,
      ].join('\n'),
    );
    expect(doctests.map((d) => d.typecheckOnly)).toEqual([
      undefined,
      'needs a TLS key pair',
      undefined,
    ]);
    expect(doctests[1]?.files[0]?.code).toBe('declare const req: unknown;\nuse(req);\n');
    // Appended to the block right before it, setup included.
    expect(doctests[2]?.files[0]?.code).toBe(
      'declare const req: unknown;\nuse(req);\n\nconsole.log(a);\n',
    );
  });

  it('a paragraph between a comment and a block cancels the comment', () => {
    const { doctests } = parseReadme(
      'R.md',
      ['<!-- doctest: typecheck-only: x -->', 'Some prose.', `${fence}ts`, 'x;', fence].join('\n'),
    );
    expect(doctests[0]?.typecheckOnly).toBeUndefined();
  });

  it('splits a block into files at `// name.ext` headers', () => {
    const { doctests } = parseReadme(
      'R.md',
      [
        `${fence}js`,
        '// main.mjs — node main.mjs',
        "new Worker('./worker.mjs');",
        '',
        '// worker.mjs',
        'work();',
        '// not.a.header.mjs: inside code, after a non-blank line',
        fence,
      ].join('\n'),
    );
    expect(doctests[0]?.files.map((f) => f.name)).toEqual(['main.mjs', 'worker.mjs']);
    expect(doctests[0]?.files[1]?.code).toContain('not.a.header.mjs');
  });

  it.each([
    ['<!-- doctest: typecheck-only -->', 'ts', /needs a reason/],
    ['<!-- doctest: typecheck-only: why -->', 'js', /must be a ts block/],
    ['<!-- doctest: skip -->', 'ts', /unknown doctest directive "skip"/],
    ['<!-- doctest: continues -->', 'ts', /no block before it/],
  ])('rejects %s before a %s block', (comment, lang, message) => {
    const text = [comment, `${fence}${lang}`, 'x;', fence].join('\n');
    expect(() => parseReadme('R.md', text)).toThrow(DoctestSyntaxError);
    expect(() => parseReadme('R.md', text)).toThrow(message);
  });
});

describe('importsOf', () => {
  it('names packages of static, dynamic, type-only and require imports', () => {
    const code = [
      "import type { Foo } from '@scope/a/sub';",
      "const b = await import('b/deep/file.js');",
      "const c = require('c');",
      "export { d } from 'd';",
      "import 'node:test';",
      "import http from 'http';",
    ].join('\n');
    expect(importsOf(code)).toEqual(['@scope/a', 'b', 'c', 'd']);
  });
});
