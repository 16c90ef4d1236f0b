import { describe, expect, it } from 'vitest';
import { T3_ROWS } from '../src/format/catalog.js';
import { enumeratorOf, matchLabel, normalizeLabel, similarity } from '../src/format/labels.js';
import { parseCellNumber } from '../src/format/numbers.js';
import { fixCjkCompat } from '../src/format/characters.js';
import { readMeta } from '../src/normalize/meta.js';

describe('labels', () => {
  it('normalises width, spaces and punctuation', () => {
    expect(normalizeLabel('（二）部分公开（区分处理的，只计这一情 形，不计其他情形）')).toBe(normalizeLabel('(二)部分公开(区分处理的,只计这一情形,不计其他情形)'));
    expect(enumeratorOf('（三）不予公开')).toBe('三');
    expect(enumeratorOf('2.重复申请')).toBe('2');
  });
  it('matches a mistyped label to its official row', () => {
    expect(matchLabel('2.其他法律行政止公开', T3_ROWS)?.id).toBe('denied.law_prohibited');
    expect(matchLabel('4.无正当理由大量反复 申请', T3_ROWS)?.id).toBe('rejected.excessive');
  });
  it('refuses a label that matches nothing well enough', () => {
    expect(matchLabel('本年度工作要点', T3_ROWS)).toBeNull();
  });
  it('scores a truncated label by what it shares', () => {
    expect(similarity('1.本机关不掌握相关', '1.本机关不掌握相关政府信息')).toBeGreaterThan(0.8);
  });
  it('matches a label cut short and misread by a character to its official row, and only that row', () => {
    // The first line of a narrow cell, read by OCR with 逾 as 论 (a PDF whose text layer was lost).
    expect(matchLabel('1.申请人无正当理由论期不', T3_ROWS)?.id).toBe('other.no_correction');
    // Two characters off in a short start is too far: not taken.
    expect(matchLabel('1.申请人无正论理由论期', T3_ROWS)).toBeNull();
  });
});

describe('numbers as printed', () => {
  it.each([
    ['12', 12], ['１２', 12], ['1,234', 1234], ['1，234', 1234], ['7730.28', 7730.28], ['-3', -3], [' 5 ', 5],
  ])('%s → %s', (raw, value) => expect(parseCellNumber(raw)).toEqual({ value, blank: false, ok: true }));
  it.each(['', '—', '/', '无', '－'])('"%s" is a blank', (raw) => expect(parseCellNumber(raw)).toEqual({ value: null, blank: true, ok: true }));
  it.each(['12件', 'l2', '1.2.3', '约5'])('"%s" is not a number', (raw) => expect(parseCellNumber(raw).ok).toBe(false));
});

describe('text and metadata', () => {
  it('maps radical look-alikes back to the ideographs', () => {
    expect(fixCjkCompat('⻘溪市人⺠政府')).toBe('青溪市人民政府');
  });
  it('reads agency and year from a title wrapped over two lines', () => {
    expect(readMeta(['相山区人力资源和社会保障局2020年政府\n信息公开工作年度报告\n一、总体情况'])).toEqual({
      title: '相山区人力资源和社会保障局2020年政府信息公开工作年度报告',
      agency: '相山区人力资源和社会保障局',
      year: 2020,
    });
  });
});
