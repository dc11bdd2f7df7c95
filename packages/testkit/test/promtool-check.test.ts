import { describe, expect, it } from 'vitest';
import { promtoolCheck } from '../src/index';

describe('promtoolCheck', () => {
  it('exits 0 for a valid text page', async () => {
    const result = await promtoolCheck('# HELP x A gauge.\n# TYPE x gauge\nx 1\n');
    expect(result).toEqual({ code: 0, output: '' });
  });

  it('exits 1 with the parser message for garbage', async () => {
    const result = await promtoolCheck('this is { not a metric page\n');
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/error/i);
  });

  it('exits 3 with the finding for a lint problem', async () => {
    const result = await promtoolCheck(
      '# HELP x_total A counter.\n# TYPE x_total gauge\nx_total 1\n',
    );
    expect(result.code).toBe(3);
    expect(result.output).toContain('x_total');
  });
});
