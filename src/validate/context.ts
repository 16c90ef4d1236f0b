import type { ReportFormat, T2Format } from '../format/catalog.js';
import { FORMAT_MARKS, formatOf } from '../format/catalog.js';
import type { Finding, Origin, ReportRecord, Severity } from '../record/schema.js';
import { readNarrative, type Narrative } from './narrative/text.js';
import { cellMatcher, type ReadPattern } from './reads.js';

/**
 * What a rule sees of one record: cells (read-only), the layout implied by the keys
 * present, the narrative text, and how blanks count in sums. Rules never touch the record, nor
 * anything another rule sees.
 */

export interface DetectedLayout {
  /** Table 二's format, or null when neither the keys nor meta.format tell. */
  t2: T2Format | null;
  /** Whether （六）其他处理 is split into 1./2./3., or null when unknown. */
  otherSplit: boolean | null;
  /** The format name: from the keys where both parts are known, else meta.format. */
  format: ReportFormat;
}

export function detectLayout(record: Pick<ReportRecord, 'cells' | 'meta'>): DetectedLayout {
  const keys = Object.keys(record.cells);
  const has = (marks: Set<string>) => keys.some((k) => marks.has(k));
  const metaFmt = record.meta.format;
  const fromMeta = <T>(if2019: T, if2021: T): T | null => (metaFmt === '2019' ? if2019 : metaFmt === '2021' ? if2021 : null);
  const new21 = has(FORMAT_MARKS.t2Only2021);
  const old19 = has(FORMAT_MARKS.t2Only2019);
  const t2: T2Format | null = new21 && !old19 ? '2021' : old19 && !new21 ? '2019' : new21 && old19 ? null : fromMeta('2019', '2021');
  const split = has(FORMAT_MARKS.t3OtherSplit);
  const single = has(FORMAT_MARKS.t3OtherSingle);
  const otherSplit = split && !single ? true : single && !split ? false : split && single ? null : fromMeta(false, true);
  const format = t2 !== null && otherSplit !== null ? formatOf({ t2, otherSplit }) : metaFmt;
  return { t2, otherSplit, format };
}

/** What a rule's check returns; the engine adds rule id, origin and page. */
export interface Draft {
  keys: string[];
  message: string;
  expected?: number | string | null;
  actual?: number | string | null;
  /** Lower than the rule's own severity where the rule says so (a scope-limited sentence). */
  severity?: Severity;
  quote?: string;
  page?: number;
  /** Set where the finding's origin does not follow from the cells (narrative, structure). */
  origin?: Origin;
}

/** Each rule's reads compiled once, not once per record. */
const MATCHERS = new WeakMap<readonly ReadPattern[], (key: string) => boolean>();
function matcherOf(reads: readonly ReadPattern[]): (key: string) => boolean {
  let m = MATCHERS.get(reads);
  if (!m) MATCHERS.set(reads, (m = cellMatcher(reads)));
  return m;
}

export const READS_SETTINGS = {
  /** Under the tests (vitest sets VITEST), or asked for with XXGK_STRICT_READS=1. */
  enforce: Boolean(process.env.VITEST) || process.env.XXGK_STRICT_READS === '1',
};

export class RuleContext {
  readonly layout: DetectedLayout;
  readonly year: number | null;
  /** Shared by every rule's view of the record: the narrative is read once. */
  private readonly cache: { narrative?: Narrative | null } = {};
  /** The rule this view is for, and the cells its reads name (none: the whole record, for the engine). */
  private scope?: { rule: string; allows: (key: string) => boolean };

  /**
   * Blank cells count as 0 in sums: `cell.blank` reports every one of them (the rules table runs it with every
   * record), so a sum over a blank is judged with the blank as 0 and says so. Fixed when the context is made:
   * no rule changes what another sees.
   */
  constructor(
    readonly record: ReportRecord,
    private readonly blanksCountAsZero = true,
  ) {
    this.layout = detectLayout(record);
    this.year = record.meta.year;
  }

  /** This context as one rule sees it: a cell outside the rule's reads is a mistake in the rule, and says so. */
  forRule(rule: { id: string; reads: readonly ReadPattern[] }): RuleContext {
    const view = Object.create(this) as RuleContext;
    view.scope = { rule: rule.id, allows: matcherOf(rule.reads) };
    return view;
  }

  /**
   * Throws where the rule of this view reads (or names) a cell its reads do not list: a development check
   * (the tests run every rule over the corpus with it), never a reason to lose a user's record.
   */
  assertReads(key: string): void {
    if (!READS_SETTINGS.enforce) return;
    if (this.scope && !this.scope.allows(key)) throw new Error(`rule ${this.scope.rule} reads ${key}, which its reads do not name`);
  }

  has(key: string): boolean {
    this.assertReads(key);
    return key in this.record.cells;
  }

  /** A cell as printed: number, null (blank) or undefined (the record has no such cell). */
  raw(key: string): number | null | undefined {
    return this.has(key) ? this.record.cells[key] : undefined;
  }

  /**
   * A cell's value for arithmetic: a blank counts as 0 (see the constructor); undefined when the cell is
   * absent, or blank where blanks are not counted.
   */
  value(key: string): number | undefined {
    const v = this.raw(key);
    if (typeof v === 'number') return v;
    if (v === null && this.blanksCountAsZero) return 0;
    return undefined;
  }

  /** Values of all keys, or null when any is unusable (an identity cannot be judged on part of its cells). */
  values(keys: string[]): number[] | null {
    const out: number[] = [];
    for (const k of keys) {
      const v = this.value(k);
      if (v === undefined) return null;
      out.push(v);
    }
    return out;
  }

  /** Keys among these that the record holds. */
  present(keys: string[]): string[] {
    return keys.filter((k) => this.has(k));
  }

  /** `source`: all cells read with confidence 1; `extraction`: any below 1 (or by OCR); `unknown` otherwise. */
  originOf(keys: string[]): Origin {
    if (keys.length === 0) return 'unknown';
    let all = true;
    for (const k of keys) {
      const p = this.record.provenance[k];
      if (!p) {
        all = false;
        continue;
      }
      if (p.confidence < 1 || p.via === 'ocr') return 'extraction';
    }
    return all ? 'source' : 'unknown';
  }

  /** Whether the text we read is itself uncertain (OCR'd pages). */
  get textOrigin(): Origin {
    if (!this.record.text) return 'unknown';
    return this.record.source.ocr ? 'extraction' : 'source';
  }

  /** Origin of a finding that compares text with cells: the weaker of the two. */
  mixedOrigin(keys: string[]): Origin {
    const a = this.textOrigin;
    const b = keys.length ? this.originOf(keys) : a;
    if (a === 'extraction' || b === 'extraction') return 'extraction';
    if (a === 'unknown' || b === 'unknown') return 'unknown';
    return 'source';
  }

  pageOf(keys: string[]): number | undefined {
    for (const k of keys) {
      const p = this.record.provenance[k]?.page;
      if (p !== undefined) return p;
    }
    return undefined;
  }

  /** The report's narrative, or null where the record carries no usable text (scans without OCR). */
  get narrative(): Narrative | null {
    if (this.cache.narrative === undefined) this.cache.narrative = this.record.text ? readNarrative(this.record.text.pages) : null;
    return this.cache.narrative;
  }
}

export interface Rule {
  id: string;
  severity: Severity;
  description: string;
  /** What it reads: cell-key patterns its context holds it to, and the record's other parts by name (reads.ts). */
  reads: readonly ReadPattern[];
  /** Whether the rule applies to this record's layout (formats' differences live here). */
  applies?: (ctx: RuleContext) => boolean;
  check: (ctx: RuleContext) => Draft[];
}

/** Turns a draft into a finding: rule id, severity, origin from the cells' provenance, page. */
export function toFinding(rule: Pick<Rule, 'id' | 'severity'>, d: Draft, ctx: RuleContext): Finding {
  for (const k of d.keys) ctx.assertReads(k);
  const f: Finding = {
    rule: rule.id,
    severity: d.severity ?? rule.severity,
    keys: d.keys,
    message: d.message,
    origin: d.origin ?? ctx.originOf(d.keys),
  };
  if (d.expected !== undefined) f.expected = d.expected;
  if (d.actual !== undefined) f.actual = d.actual;
  const page = d.page ?? ctx.pageOf(d.keys);
  if (page !== undefined) f.page = page;
  if (d.quote !== undefined) f.quote = d.quote;
  // A page or a docx is one page of text: where its quote stands is the paragraph, and a docx has no page at all.
  const paragraphs = ctx.record.source?.kind === 'html' || ctx.record.source?.kind === 'docx';
  const line = paragraphs && d.quote ? ctx.narrative?.lineOfQuote(d.quote) : undefined;
  if (line) f.paragraph = line.number;
  if (ctx.record.source?.kind === 'docx') delete f.page;
  return f;
}
