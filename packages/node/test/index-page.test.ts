import { describe, expect, it } from 'vitest';
import { indexPage } from '../src/index-page';

describe('indexPage', () => {
  it('escapes every interpolated value', () => {
    const html = indexPage({
      title: 'x<y',
      generator: 'x<y/1"2',
      description: "a & 'b'",
      metricsPath: '/m"e',
    });
    expect(html).toContain('<title>x&lt;y</title>');
    expect(html).toContain('content="x&lt;y/1&quot;2"');
    expect(html).toContain('<p>a &amp; &#39;b&#39;</p>');
    expect(html).toContain('<a href="./m%22e">/m&quot;e</a>');
  });
});
