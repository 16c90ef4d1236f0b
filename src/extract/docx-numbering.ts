import type { AnyNode, Element } from 'domhandler';
import { parseWordXml } from './docx-xml.js';

/**
 * Word's automatic numbering, written out: a heading typed as 总体情况 under a list whose level reads
 * "%1、" in 中文数字 is printed 一、总体情况, and the readers downstream look for that 一、 (section
 * headings, （三）不予公开, 1.属于国家秘密). The numbers live in word/numbering.xml (formats, start values,
 * level texts), a paragraph points at them directly or through its style (word/styles.xml); each level's
 * counter runs on in document order and restarts when a level above it moves.
 */

interface Level {
  start: number;
  format: string;
  text: string;
}

export class Numbering {
  private abstracts = new Map<string, Map<number, Level>>();
  /** w:num → its abstract list and the levels it restarts (w:startOverride). */
  private nums = new Map<string, { abstract: string; overrides: Map<number, number> }>();
  /** numId and level a paragraph style gives its paragraphs. */
  private styles = new Map<string, { numId?: string; ilvl?: number; basedOn?: string }>();
  private counters = new Map<string, number[]>();
  private started = new Set<string>();

  constructor(numberingXml: string | null, stylesXml: string | null) {
    const numbering = numberingXml ? parseWordXml(numberingXml) : [];
    for (const a of all(numbering, 'w:abstractNum')) {
      const levels = new Map<number, Level>();
      for (const lvl of all(a.children, 'w:lvl')) {
        levels.set(Number(lvl.attribs['w:ilvl'] ?? 0), {
          start: Number(val(lvl, 'w:start') ?? 1),
          format: val(lvl, 'w:numFmt') ?? 'decimal',
          text: val(lvl, 'w:lvlText') ?? '',
        });
      }
      this.abstracts.set(a.attribs['w:abstractNumId'] ?? '', levels);
    }
    for (const n of all(numbering, 'w:num')) {
      const overrides = new Map<number, number>();
      for (const o of all(n.children, 'w:lvlOverride')) {
        const start = val(o, 'w:startOverride');
        if (start !== undefined) overrides.set(Number(o.attribs['w:ilvl'] ?? 0), Number(start));
      }
      this.nums.set(n.attribs['w:numId'] ?? '', { abstract: val(n, 'w:abstractNumId') ?? '', overrides });
    }
    const styles = stylesXml ? parseWordXml(stylesXml) : [];
    for (const s of all(styles, 'w:style')) {
      const numPr = child(child(s, 'w:pPr'), 'w:numPr');
      const ilvl = val(numPr, 'w:ilvl');
      this.styles.set(s.attribs['w:styleId'] ?? '', { numId: val(numPr, 'w:numId'), ilvl: ilvl === undefined ? undefined : Number(ilvl), basedOn: val(s, 'w:basedOn') });
    }
  }

  /** The printed number of the paragraph (counting it), or '' when it has none. Call once per paragraph, in order. */
  label(p: Element): string {
    const pPr = child(p, 'w:pPr');
    const direct = child(pPr, 'w:numPr');
    const style = this.styleNumbering(val(pPr, 'w:pStyle'));
    const numId = val(direct, 'w:numId') ?? style.numId;
    const ilvl = Math.min(Number(val(direct, 'w:ilvl') ?? style.ilvl ?? 0), 8);
    const num = numId !== undefined ? this.nums.get(numId) : undefined;
    const levels = num && this.abstracts.get(num.abstract);
    const level = levels?.get(ilvl);
    if (!num || !levels || !level) return '';
    const counts = this.counters.get(num.abstract) ?? [];
    this.counters.set(num.abstract, counts);
    if (!this.started.has(numId!)) {
      this.started.add(numId!);
      for (const [l, start] of num.overrides) counts[l] = start - 1;
    }
    counts[ilvl] = (counts[ilvl] ?? (level.start - 1)) + 1;
    counts.length = ilvl + 1;
    if (level.format === 'bullet' || level.format === 'none') return '';
    return level.text.replace(/%([1-9])/g, (_, d: string) => {
      const l = Number(d) - 1;
      const lv = levels.get(l);
      return formatNumber(counts[l] ?? lv?.start ?? 1, lv?.format ?? 'decimal');
    });
  }

  private styleNumbering(styleId: string | undefined, depth = 0): { numId?: string; ilvl?: number } {
    const s = styleId !== undefined ? this.styles.get(styleId) : undefined;
    if (!s) return {};
    if (s.numId !== undefined || depth > 10 || !s.basedOn) return s;
    return { ...this.styleNumbering(s.basedOn, depth + 1), ...(s.ilvl !== undefined ? { ilvl: s.ilvl } : {}) };
  }
}

const ZH_DIGITS = '〇一二三四五六七八九';
const TIANGAN = '甲乙丙丁戊己庚辛壬癸';
const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (reports count well under a hundred). */
function chinese(n: number): string {
  if (n < 10) return ZH_DIGITS[n] ?? String(n);
  if (n < 100) return `${n >= 20 ? ZH_DIGITS[Math.floor(n / 10)] : ''}十${n % 10 ? ZH_DIGITS[n % 10] : ''}`;
  return String(n);
}

function roman(n: number): string {
  const table: [number, string][] = [[1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'], [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i']];
  let out = '';
  for (const [v, s] of table) while (n >= v) (out += s), (n -= v);
  return out;
}

const letter = (n: number) => String.fromCharCode(97 + ((n - 1) % 26)).repeat(Math.floor((n - 1) / 26) + 1);

export function formatNumber(n: number, format: string): string {
  switch (format) {
    case 'chineseCounting':
    case 'chineseCountingThousand':
    case 'chineseLegalSimplified':
    case 'japaneseCounting':
    case 'taiwaneseCounting':
    case 'taiwaneseCountingThousand':
    case 'ideographLegalTraditional':
      return chinese(n);
    case 'ideographTraditional':
      return TIANGAN[n - 1] ?? String(n);
    case 'decimalEnclosedCircle':
    case 'decimalEnclosedCircleChinese':
      return CIRCLED[n - 1] ?? String(n);
    case 'decimalFullWidth':
    case 'decimalFullWidth2':
      return String(n).replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    case 'decimalZero':
      return String(n).padStart(2, '0');
    case 'upperRoman':
      return roman(n).toUpperCase();
    case 'lowerRoman':
      return roman(n);
    case 'upperLetter':
      return letter(n).toUpperCase();
    case 'lowerLetter':
      return letter(n);
    default:
      return String(n);
  }
}

const isEl = (n: AnyNode): n is Element => n.type === 'tag';

function child(el: Element | undefined, name: string): Element | undefined {
  return el?.children.find((c): c is Element => isEl(c) && c.name === name);
}

function val(el: Element | undefined, name: string): string | undefined {
  return child(el, name)?.attribs['w:val'];
}

function all(nodes: AnyNode[], name: string): Element[] {
  const out: Element[] = [];
  for (const n of nodes) {
    if (!isEl(n)) continue;
    if (n.name === name) out.push(n);
    else out.push(...all(n.children, name));
  }
  return out;
}
