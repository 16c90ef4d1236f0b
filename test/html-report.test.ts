import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { extractFile, extractBytes } from '../src/pipeline/index.js';
import { readHtml } from '../src/extract/html-grid.js';
import { extractionOf } from '../src/pipeline/index.js';
const readHtmlReport = (b: Uint8Array) => extractionOf('html', b);

const CORPUS = '../shared/corpus';

describe('agency HTML pages of the corpus', () => {
  for (const name of ['gen08_2019_gov_office_chromium_separate', 'gen09_2021_city_gov_chromium_big']) {
    it(`${name}: every cell of its truth`, async () => {
      const truth = JSON.parse(readFileSync(`${CORPUS}/${name}_page_html.json`, 'utf8'));
      const r = await extractFile(`${CORPUS}/${name}_page.html`);
      expect(r.error).toBeUndefined();
      expect(r.source.kind).toBe('html');
      expect(r.cells).toEqual(truth.cells);
      expect(r.meta).toMatchObject({ agency: truth.meta.agency, year: truth.meta.year, format: truth.meta.format });
      for (const [key, p] of Object.entries(r.provenance)) {
        expect(p.via, key).toBe('html');
        expect(p.table && p.row && p.col, key).toBeTruthy();
      }
      expect(r.text?.pages[0]).toContain('一、总体情况');
    });
  }
});

/** Section 四 as Word's "Save as web page" writes it: gb2312, MsoNormal, <o:p>, spans in spans, merged header cells. */
const WORD_T4 = `<html xmlns:o="urn:schemas-microsoft-com:office:office">
<head><meta http-equiv=Content-Type content="text/html; charset=gb2312">
<style><!-- p.MsoNormal {margin:0cm;} --></style>
<script>document.write('<table><tr><td>行政复议</td><td>99</td></tr></table>')</script></head>
<body lang=ZH-CN>
<p class=MsoNormal><span style='font-family:黑体'>四、政府信息公开行政复议、行政诉讼情况<span lang=EN-US><o:p></o:p></span></span></p>
<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0>
 <tr>
  <td colspan=5 valign=top><p class=MsoNormal align=center><span style='font-size:10.5pt'>行政复议<span lang=EN-US><o:p></o:p></span></span></p></td>
  <td colspan=10><p class=MsoNormal align=center><span>行政诉讼<o:p></o:p></span></p></td>
 </tr>
 <tr>
  <td rowspan=2><p class=MsoNormal><span>结果<br>维持</span></p></td>
  <td rowspan=2><p class=MsoNormal><span>结果纠正</span></p></td>
  <td rowspan=2><p class=MsoNormal><span>其他结果</span></p></td>
  <td rowspan=2><p class=MsoNormal><span>尚未审结</span></p></td>
  <td rowspan=2><p class=MsoNormal><span><span lang=EN-US>总</span>计</span></p></td>
  <td colspan=5><p class=MsoNormal><span>未经复议直接起诉</span></p></td>
  <td colspan=5><p class=MsoNormal><span>复议后起诉</span></p></td>
 </tr>
 <tr>
  <td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>
  <td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>
 </tr>
 <tr>
  ${[3, 1, 0, 2, 6, 0, 1, 0, 0, 1, 2, 0, 0, 1, 3].map((v) => `<td><p class=MsoNormal align=center><span lang=EN-US style='font-size:10.5pt'>${v}<o:p></o:p></span></p></td>`).join('')}
 </tr>
</table>
<p class=MsoNormal><span>五、存在的主要问题及改进情况<o:p>&nbsp;</o:p></span></p>
</body></html>`;

describe('Word-exported HTML', () => {
  const bytes = iconv.encode(WORD_T4, 'gb2312');

  it('expands row and column spans into one grid', () => {
    const html = iconv.decode(bytes, 'gb2312');
    const { tables } = readHtml(html);
    expect(tables).toHaveLength(1); // the table inside the script is never parsed as markup
    const t = tables[0];
    expect(t.rowCount).toBe(4);
    const at = (text: string) => t.cells.filter((c) => c.text === text).map((c) => [c.row0, c.row1, c.x0, c.x1]);
    expect(at('行政复议')).toEqual([[0, 0, 0, 5]]);
    expect(at('行政诉讼')).toEqual([[0, 0, 5, 15]]);
    expect(at('结果 维持')).toEqual([[1, 2, 0, 1]]);
    expect(at('总计')).toEqual([[1, 2, 4, 5], [2, 2, 9, 10], [2, 2, 14, 15]]);
    expect(at('未经复议直接起诉')).toEqual([[1, 1, 5, 10]]);
    // Row 3 starts at column 5: columns 0–4 are held by the rowspans above.
    expect(t.cells.filter((c) => c.row0 === 2).map((c) => c.x0)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    const last = t.cells.filter((c) => c.row0 === 3);
    expect(last.map((c) => c.text)).toEqual(['3', '1', '0', '2', '6', '0', '1', '0', '0', '1', '2', '0', '0', '1', '3']);
    expect(last[14].source).toEqual({ page: 1, table: 1, row: 4, col: 15 });
    expect(last.every((c) => c.via === 'html' && c.confidence === 1 && c.x1 === c.x0 + 1)).toBe(true);
  });

  it('is decoded by its declared charset and mapped like a PDF table', async () => {
    const ex = await readHtmlReport(bytes);
    expect(ex.cells).toMatchObject({
      't4.review.upheld': 3, 't4.review.corrected': 1, 't4.review.pending': 2, 't4.review.total': 6,
      't4.suit_direct.corrected': 1, 't4.suit_direct.total': 1,
      't4.suit_after_review.upheld': 2, 't4.suit_after_review.pending': 1, 't4.suit_after_review.total': 3,
    });
    expect(ex.provenance['t4.review.total']).toMatchObject({ table: 1, row: 4, col: 5, text: '6', via: 'html' });
    expect(ex.text.pages[0]).toContain('四、政府信息公开行政复议、行政诉讼情况');
    expect(ex.text.pages[0]).not.toContain('document.write');
  });

  it('gives a page without tables a record, not a crash', async () => {
    const r = await extractBytes('empty.html', Buffer.from('<html><body><p>无</p></body></html>'));
    expect(r.error).toBeUndefined();
    expect(r.cells).toEqual({});
    expect(r.notes).toContainEqual({ code: 'no_table', text: 'no table found in the page' });
  });
});
