import { describe, expect, it } from 'vitest';
import { tablesOf } from '../src/extract/pdf-reading.js';
import { mendRowLabels } from '../src/extract/unruled-labels.js';
import { withoutStrokeNoise } from '../src/extract/ocr/leftover.js';
import type { PageContent, TextItem } from '../src/extract/types.js';

/**
 * Section 三 printed without rules (LibreOffice) and scanned, as OCR reads its labels: group labels (（三）不予公开)
 * in a column of their own at x 127, the rows' numbered labels at x 173, wrapped at a wide leading.
 */
const CHAR = 10.5;
const NUMBER_X = [284, 326, 364, 394, 432, 470, 502];
const ocr = (text: string, x: number, y: number, x1?: number): TextItem => {
  const w = [...text].reduce((s, ch) => s + (/[\x00-\xff]/.test(ch) ? CHAR * 0.6 : CHAR), 0);
  return { text, bbox: [x, y, x1 ?? x + w, y + CHAR], vertical: false, confidence: 0.9, via: 'ocr' };
};
const numbers = (y: number, ns: number[]): TextItem[] =>
  ns.map((n, i) => ({ text: String(n), bbox: [NUMBER_X[i], y, NUMBER_X[i] + 6 * String(n).length, y + CHAR], vertical: false, confidence: 0.95, via: 'ocr' }));
const LEAF = 173.3;
const GROUP = 127.1;

const pageOf = (items: TextItem[]): PageContent => ({ page: 4, width: 595, height: 842, segments: [], items });

/** Each row's label from its last enumerator on (the row's own label; a group label's characters may precede it). */
function rowLabels(page: PageContent): string[] {
  const tables = tablesOf(page);
  expect(tables).toHaveLength(1);
  const t = tables[0];
  return Array.from({ length: t.rowCount }, (_, i) => {
    const label = t.cells.filter((c) => c.row0 === i).sort((a, b) => a.x0 - b.x0)[0].text;
    const starts = [...label.matchAll(/[（(][一二三四五六七八九十]+[)）]|\d+[.．、]/g)].map((m) => m.index!);
    return label.slice(starts.length ? starts[starts.length - 1] : 0);
  });
}

describe('row labels of an unruled table read by OCR', () => {
  it('a numbered label whose point OCR dropped still opens its row (4保护… after 3.)', () => {
    const page = pageOf([
      ocr('1.属于国家秘密', LEAF, 100), ...numbers(100, [1, 0, 0, 0, 0, 0, 1]),
      ocr('2.其他法律行政法规', LEAF, 130), ocr('禁止公开', LEAF, 160),
      ocr('3.危及“三安全一稳', LEAF, 190), ocr('定”', LEAF, 220),
      ocr('4保护第三方合法权', LEAF, 250), ocr('（三）不', GROUP, 267), ocr('益', LEAF, 280), ocr('予公开', GROUP + 2, 295),
      ocr('5.属于三类内部事务', LEAF, 310), ...numbers(310, [2, 0, 0, 0, 0, 0, 2]),
    ]);
    expect(rowLabels(page)).toEqual(['1.属于国家秘密', '2.其他法律行政法规禁止公开', '3.危及“三安全一稳定”', '4.保护第三方合法权益', '5.属于三类内部事务']);
  });

  it('a group label read into one word with the row label beside it is parted at the row label', () => {
    const page = pageOf([
      ocr('1.信访举报投诉类申', LEAF, 100), ocr('请', LEAF, 130), ...numbers(100, [3, 0, 0, 0, 0, 0, 3]),
      ocr('2.重复申请', LEAF, 160),
      ocr('3.要求提供公开出版', LEAF, 190), ocr('（五）不物', GROUP, 219, 182.9),
      ocr('予处理。4.无正当理由大量反', GROUP + 2, 248, 264), ocr('复申请', LEAF, 277),
      ocr('5.要求行政机关确认', LEAF, 306),
      ocr('（六）其他处理', 122.4, 336, 191.5),
      ocr('（七）总计', 122.4, 366), ...numbers(366, [15, 0, 0, 0, 0, 0, 15]),
    ]);
    const labels = rowLabels(page);
    expect(labels.slice(0, 3)).toEqual(['1.信访举报投诉类申请', '2.重复申请', expect.stringMatching(/^3\.要求提供公开出版/)]);
    expect(labels.slice(3)).toEqual(['4.无正当理由大量反复申请', '5.要求行政机关确认', '（六）其他处理', '（七）总计']);
  });

  it('mends only what the labels\' order shows: a number out of order, or off the labels\' edge, stays as read', () => {
    const items = [ocr('1.属于国家秘密', LEAF, 100), ocr('2.其他法律行政法规', LEAF, 130), ocr('7保护第三方', LEAF, 160), ocr('3保护第三方', 80, 190), ocr('（六）其他处理', 122.4, 220, 191.5)];
    expect(mendRowLabels(items).map((i) => i.text)).toEqual(['1.属于国家秘密', '2.其他法律行政法规', '7保护第三方', '3保护第三方', '（六）其他处理']);
    // A text layer's words are what was printed.
    const printed = [ocr('1.属于国家秘密', LEAF, 100), ocr('2.其他', LEAF, 130), { ...ocr('3保护', LEAF, 160), via: undefined }];
    expect(mendRowLabels(printed)[2].text).toBe('3保护');
  });
});

describe('OCR noise of a few strokes', () => {
  it('is dropped (an unsure short reading of no number); numbers and sure words are kept', () => {
    const word = (text: string, x: number, h: number, confidence: number): TextItem => ({ text, bbox: [x, 100, x + 10, 100 + h], vertical: false, confidence, via: 'ocr' });
    const items = [word('四、结转下年度继续办理', 80, 10, 0.9), word('信息', 80, 10, 0.95), word('由', 290, 4.3, 0.26), word('一一', 295, 1.5, 0.67), word('0', 330, 5, 0.5), word('-', 360, 1, 0.5), word('一', 380, 1.5, 0.95)];
    expect(withoutStrokeNoise(items).map((i) => i.text)).toEqual(['四、结转下年度继续办理', '信息', '0', '-', '一']);
  });
});
