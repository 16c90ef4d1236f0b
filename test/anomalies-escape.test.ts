import { describe, expect, it } from 'vitest';
import { esc } from '../src/export/anomalies-html.js';
import { mdEsc } from '../src/export/anomalies-md.js';

describe('esc: report text into HTML', () => {
  it('turns markup into text', () => {
    expect(esc('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(esc('</style><style>body{display:none}')).toBe('&lt;/style&gt;&lt;style&gt;body{display:none}');
    expect(esc('<img src=x onerror=alert(1)>')).not.toMatch(/[<>]/);
  });

  it('closes no attribute, whichever quote it is in', () => {
    expect(esc(`" onmouseover="alert(1)`)).toBe('&quot; onmouseover=&quot;alert(1)');
    expect(esc(`' onfocus='x`)).toBe('&#39; onfocus=&#39;x');
  });

  it('escapes the ampersand first, so entities in the text stay text', () => {
    expect(esc('&lt;b&gt; & 青溪')).toBe('&amp;lt;b&amp;gt; &amp; 青溪');
  });

  it('leaves Chinese text and numbers alone, and shows null and numbers plainly', () => {
    expect(esc('行政复议 总计 0 ≠ 维持 10 + 纠正 1')).toBe('行政复议 总计 0 ≠ 维持 10 + 纠正 1');
    expect(esc(null)).toBe('');
    expect(esc(undefined)).toBe('');
    expect(esc(7730.28)).toBe('7730.28');
  });
});

describe('mdEsc: report text into Markdown', () => {
  it('keeps a table row whole and shows raw HTML as text', () => {
    expect(mdEsc('a | b\nc')).toBe('a \\| b c');
    expect(mdEsc('<script>x</script>')).toBe('\\<script\\>x\\</script\\>');
  });

  it('makes no links, emphasis or headings out of report text', () => {
    const s = mdEsc('[点此](http://example.invalid) *强调* # 标题 `code` ![i](x)');
    expect(s).not.toMatch(/(?<!\\)[[\]*`#!]/);
  });
});
