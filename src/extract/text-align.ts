import { CONFIDENCE } from '../format/confidence.js';
import type { Labelled } from '../format/catalog.js';
import { enumeratorOf, labelBody, normalizeLabel, similarity } from '../format/labels.js';
import { parseCellNumber } from '../format/numbers.js';
import type { Piece } from './text-stream.js';
import { splitRunTogether } from './text-split.js';
import { note, sectionOfKey, type Note, type NoteWhere } from '../record/notes.js';

/**
 * Aligns a flattened table with the rows its format prints, in order. Each row is found
 * by its label (fuzzy, and by its enumerator where it has one); the numbers between two
 * found labels belong to the rows between them and must come out at exactly the expected
 * count. Text pulled from a PDF in reading order may print a run of labels first and
 * their numbers after; such runs are taken together when the counts agree. A row whose
 * numbers do not fit is reported and left out, so one bad row never shifts the rest.
 */

export interface RowSpec {
  /** Key prefix, e.g. `t3.denied.security`. */
  key: string;
  label: Labelled;
  /** Column ids, in printed order. */
  cols: string[];
  /** The row's own identity, used only to cut digits that ran together. */
  holds?: (values: number[]) => boolean;
}

/** The canonical keys of a row's cells. */
export const rowKeys = (row: RowSpec) => row.cols.map((c) => `${row.key}.${c}`);

export interface StreamCell {
  key: string;
  value: number | null;
  piece: Piece;
  confidence: number;
  /** The printed label where it is not the official one. */
  label?: string;
}

export interface Alignment {
  cells: StreamCell[];
  notes: Note[];
  /**
   * Rows with fewer numbers than columns, all on one printed line, that could not be cut as
   * digits run together: rows printed with blank cells, for the caller to place or report
   * (each carries the note it gets if left out).
   */
  short: ShortRow[];
  /** Some numbers of the section went unattributed (strayed, out of order): the short rows may be missing numbers, not blanks. */
  strayed: boolean;
}

export interface ShortRow {
  row: number;
  nums: Piece[];
  note: Note;
}

const SETTINGS = {
  /** Lowest label similarity for a row whose enumerator (2. / （三） / 四、) matches. */
  minWithEnumerator: 0.7,
  /** Lowest similarity where the printed label has lost its enumerator. */
  minWithoutEnumerator: 0.9,
  /** Lowest similarity for rows printed without enumerators (section 二). */
  minPlain: 0.75,
  /** Below this the match is fuzzy and its cells say so. */
  sureLabel: 0.8,
  fuzzyConfidence: CONFIDENCE.fuzzyLabel,
  /** A row placed by its neighbours and the count of numbers, its label unrecognised. */
  positionalConfidence: CONFIDENCE.positional,
  /** Cells cut out of digits that ran together. */
  splitConfidence: CONFIDENCE.splitDigits,
  /** How many rows ahead are checked, so a row cannot claim a later row's label. */
  lookahead: 2,
  /** Most stray characters (vertical headings, wrapped group labels) between a row's label and its numbers on a printed line. */
  lineGap: 8,
};

interface Anchor {
  at: number;
  score: number;
  printed: string;
}

interface Group {
  /** A found row and the unfound rows after it (or the unfound rows before the first found one). */
  rows: number[];
  nums: Piece[];
  /** Text between the label and its first number beyond the label's own length: small where rows are printed as lines. */
  gap: number;
}

type Resolution =
  | { kind: 'take'; rows: number[]; values: (number | null)[]; pieces: Piece[]; confidence: number[]; note?: string }
  | { kind: 'report'; rows: number[]; why: string; short?: Piece[]; stray?: number };

export function alignRows(pieces: Piece[], rows: RowSpec[], section: string): Alignment {
  const notes: Note[] = [];
  const sectionKey = sectionOfKey(rows[0].key);
  const where = (r?: number): NoteWhere => (r === undefined ? { section: sectionKey } : { section: sectionKey, row: rows[r].label.label, keys: rowKeys(rows[r]) });
  const anchors = findAnchors(pieces, rows);
  const cells: StreamCell[] = [];
  const short: ShortRow[] = [];
  let strayed = false;
  const groups = groupNumbers(pieces, rows, anchors, section, notes);
  if (!groups) return { cells, notes: [...notes, note('row_not_found', `${section}: no row label found in the text`, where())], short, strayed: true };
  if (notes.length) strayed = true;

  for (const res of resolve(groups, rows, anchors)) {
    if (res.kind === 'report') {
      const why = (r: number) => note('numbers_left_out', `${section}: row ${rows[r].label.label} left out: ${res.why}`, where(r));
      if (res.short) short.push({ row: res.rows[0], nums: res.short, note: why(res.rows[0]) });
      else {
        if (res.stray) strayed = true;
        for (const r of res.rows) notes.push(why(r));
      }
      continue;
    }
    if (res.note) notes.push(note('numbers_placed', `${section}: ${res.note}`, res.rows.length === 1 ? where(res.rows[0]) : { ...where(), keys: res.rows.flatMap((r) => rowKeys(rows[r])) }));
    let i = 0;
    for (const r of res.rows) {
      const a = anchors[r];
      if (!a) notes.push(note('row_by_position', `${section}: row ${rows[r].label.label} placed by position (its label was not recognised)`, where(r)));
      for (const col of rows[r].cols) {
        cells.push({
          key: `${rows[r].key}.${col}`,
          value: res.values[i],
          piece: res.pieces[i],
          confidence: res.confidence[i],
          label: a && a.score < 1 ? a.printed : undefined,
        });
        i++;
      }
    }
  }
  for (let r = 0; r < rows.length; r++) {
    if (!groups.some((g) => g.rows.includes(r))) notes.push(note('row_not_found', `${section}: row ${rows[r].label.label} not found`, where(r)));
  }
  return { cells, notes, short, strayed };
}

/** The numbers between consecutive found labels, with the rows they may belong to. */
function groupNumbers(pieces: Piece[], rows: RowSpec[], anchors: (Anchor | null)[], section: string, notes: Note[]): Group[] | null {
  const found = anchors.map((a, i) => (a ? i : -1)).filter((i) => i >= 0);
  if (found.length === 0) return null;
  const numsBetween = (from: number, to: number) => pieces.slice(from, to).filter((p) => p.kind === 'num');
  const groups: Group[] = [];
  const first = anchors[found[0]]!.at;
  if (found[0] > 0) groups.push({ rows: range(0, found[0]), nums: numsBetween(0, first), gap: Infinity });
  else {
    const stray = numsBetween(0, first);
    if (stray.length) notes.push(note('numbers_ignored', `${section}: ${stray.length} number(s) before the first row ignored (line ${stray[0].line})`, { section: sectionOfKey(rows[0].key) }));
  }
  found.forEach((r, k) => {
    const end = k + 1 < found.length ? found[k + 1] : rows.length;
    const to = k + 1 < found.length ? anchors[found[k + 1]]!.at : pieces.length;
    const at = anchors[r]!.at;
    let text = 0;
    for (let q = at; q < to && pieces[q].kind === 'text'; q++) text += normalizeLabel(pieces[q].text).length;
    groups.push({ rows: range(r, end), nums: numsBetween(at + 1, to), gap: text - labelBody(rows[r].label.label).length });
  });
  return groups;
}

/**
 * Decides, group by group, which numbers are whose. Exact counts are taken; a run of
 * label-only groups followed by all their numbers is taken as a block; digits run together
 * are cut where the row's total decides. A surplus means numbers strayed from elsewhere:
 * it is traced to the groups that lack them, and everything between is reported, since
 * counts alone can no longer tell which row is which. A row printing no number at all,
 * where nothing went astray, is blank.
 */
function resolve(groups: Group[], rows: RowSpec[], anchors: (Anchor | null)[]): Resolution[] {
  const state = resolverState(groups, rows, anchors);
  takeExactCountsAndBlocks(state);
  takeRunsAsBlocks(state);
  takeInlineThenBlocks(state);
  state.tentative.forEach((t, g) => {
    if (t && !state.out[g]) state.out[g] = t;
  });
  reportStrayNumbers(state);
  blankOrReportTheRest(state);
  return state.out.filter((r): r is Resolution => !!r && !(r.kind === 'take' && r.rows.length === 0));
}

/** What the passes of `resolve` share: the groups, each group's decision so far, and how to take numbers. */
interface ResolverState {
  groups: Group[];
  rows: RowSpec[];
  anchors: (Anchor | null)[];
  out: (Resolution | null)[];
  /** A decision a later pass may still replace (a short row that failed to cut). */
  tentative: (Resolution | null)[];
  want: (g: Group) => number;
  rowConfidence: (r: number) => number;
  taken: (rs: number[], nums: Piece[]) => Resolution;
}

/** Numbers taken into a group that holds none of its own: its rows were taken as part of a block. */
const TAKEN_IN_BLOCK: Resolution = { kind: 'take', rows: [], values: [], pieces: [], confidence: [] };
const takenInBlock = (r: Resolution | null) => r?.kind === 'take' && r.rows.length === 0;

function resolverState(groups: Group[], rows: RowSpec[], anchors: (Anchor | null)[]): ResolverState {
  const rowConfidence = (r: number) => {
    const a = anchors[r];
    if (!a) return SETTINGS.positionalConfidence;
    return a.score >= SETTINGS.sureLabel ? 1 : SETTINGS.fuzzyConfidence;
  };
  return {
    groups,
    rows,
    anchors,
    out: groups.map(() => null),
    tentative: groups.map(() => null),
    want: (g) => g.rows.reduce((n, r) => n + rows[r].cols.length, 0),
    rowConfidence,
    taken: (rs, nums) => ({
      kind: 'take',
      rows: rs,
      values: nums.map((p) => parseCellNumber(p.text).value),
      pieces: nums,
      confidence: rs.flatMap((r) => rows[r].cols.map(() => rowConfidence(r))),
    }),
  };
}

/** Exact counts are taken; a run of label-only groups followed by all their numbers is one block; digits run together are cut. */
function takeExactCountsAndBlocks(st: ResolverState) {
  const { groups, rows, anchors, out, want } = st;
  for (let g = 0; g < groups.length; g++) {
    const { rows: rs, nums } = groups[g];
    if (nums.length === want(groups[g])) out[g] = st.taken(rs, nums);
    else if (nums.length === 0) {
      // Labels first, numbers after: this run of rows with the next group that has numbers.
      let h = g + 1;
      while (h < groups.length && groups[h].nums.length === 0) h++;
      if (h < groups.length) {
        const block = groups.slice(g, h + 1);
        if (groups[h].nums.length === block.reduce((n, x) => n + want(x), 0)) {
          const res = takeBlock(block.flatMap((x) => x.rows), groups[h].nums, rows, st.rowConfidence);
          for (let k = g; k <= h; k++) out[k] = k === h ? res : TAKEN_IN_BLOCK;
          g = h;
        } else g = h - 1; // a block cannot start inside a run that failed as a whole
      }
    } else if (anchors[rs[0]] && rs.length > 1 && nums.length === rows[rs[0]].cols.length) {
      out[g] = st.taken([rs[0]], nums);
      for (const r of rs.slice(1)) out.push({ kind: 'report', rows: [r], why: 'its label was not found and it has no numbers of its own' });
    } else if (rs.length === 1 && nums.length < want(groups[g]) && rows[rs[0]].holds) {
      const cut = cutRunTogether(rs[0], nums, rows[rs[0]], anchors[rs[0]]);
      // A short row that failed to cut may yet be the inline part of a row whose rest came later.
      if (cut.kind === 'report') st.tentative[g] = cut;
      else out[g] = cut;
    }
  }
}

/**
 * Labels and numbers drawn apart in runs (some labels, a page's numbers, more labels): a run of unresolved
 * groups whose numbers come to exactly its rows' cells is one block.
 */
function takeRunsAsBlocks(st: ResolverState) {
  const { groups, out, tentative, want } = st;
  for (let g = 0; g < groups.length; g++) {
    if (out[g] || tentative[g]) continue;
    let h = g;
    while (h + 1 < groups.length && !out[h + 1] && !tentative[h + 1]) h++;
    const run = groups.slice(g, h + 1);
    const count = run.reduce((n, x) => n + x.nums.length, 0);
    if (run.length >= 2 && count > 0 && count === run.reduce((n, x) => n + want(x), 0)) {
      const res = takeBlock(run.flatMap((x) => x.rows), run.flatMap((x) => x.nums), st.rows, st.rowConfidence);
      for (let k = g; k <= h; k++) out[k] = k === h ? res : TAKEN_IN_BLOCK;
    }
    g = h;
  }
}

const balanceOf = (st: ResolverState, g: number) => st.groups[g].nums.length - st.want(st.groups[g]);

/** Each row's first columns inline, the rest of the run's rows in one block after them. */
function takeInlineThenBlocks(st: ResolverState) {
  for (let s = 0; s < st.groups.length; s++) {
    if (st.out[s] || balanceOf(st, s) <= 0) continue;
    const res = inlineThenBlock(st.groups, s, st.out, st.rows, st.rowConfidence);
    if (!res) continue;
    for (let k = res.from; k <= s; k++) st.out[k] = k === s ? res.take : TAKEN_IN_BLOCK;
  }
}

/**
 * A surplus means numbers strayed from elsewhere: it is traced to the groups that lack them (back, or else
 * forward), and everything between is reported, since counts alone can no longer tell which row is which.
 */
function reportStrayNumbers(st: ResolverState) {
  const { groups, out } = st;
  const balance = (g: number) => balanceOf(st, g);
  for (let s = 0; s < groups.length; s++) {
    if (out[s] || balance(s) <= 0) continue;
    let owed = balance(s);
    let from = s;
    for (let b = s - 1; b >= 0 && owed > 0 && !out[b] && balance(b) < 0; b--) {
      owed += balance(b);
      from = b;
    }
    let to = s;
    if (owed > 0) {
      from = s;
      owed = balance(s);
      for (let f = s + 1; f < groups.length && owed > 0; f++) {
        if (takenInBlock(out[f])) break;
        owed += Math.min(0, balance(f));
        to = f;
      }
      // No later row lacks them: the rows after took their own numbers, only this one is in doubt.
      if (owed > 0) to = s;
    }
    const why = `${groups[s].nums.length} number(s) where ${st.want(groups[s])} expected near line ${groups[s].nums[0].line}: the numbers are out of order here`;
    for (let k = from; k <= to; k++) out[k] = { kind: 'report', rows: groups[k].rows, why, stray: groups[k].nums.length };
    s = to;
  }
}

/**
 * What is left: a row printing no number at all, where nothing went astray, is blank (nulls, not a guess at
 * zeros); blank rows are only told from labels-first reading order where nothing came in blocks or strayed.
 * Anything else is reported.
 */
function blankOrReportTheRest(st: ResolverState) {
  const { groups, rows, out, want } = st;
  const interleaved = groups.every((g, k) => g.nums.length <= want(g) && (g.nums.length === 0 || g.gap <= SETTINGS.lineGap) && !takenInBlock(out[k]));
  for (let g = 0; g < groups.length; g++) {
    if (out[g]) continue;
    const { rows: rs, nums } = groups[g];
    if (nums.length === 0 && interleaved) {
      const pseudo: Piece = { kind: 'num', text: '', line: pieceLine(groups, g), page: undefined, col: 0 };
      out[g] = {
        kind: 'take',
        rows: rs,
        values: rs.flatMap((r) => rows[r].cols.map(() => null)),
        pieces: rs.flatMap((r) => rows[r].cols.map(() => pseudo)),
        confidence: rs.flatMap((r) => rows[r].cols.map(() => SETTINGS.positionalConfidence)),
        note: `${rs.map((r) => rows[r].label.label).join(', ')}: no numbers printed, taken as blank`,
      };
    } else {
      const where = nums.length ? ` (line ${nums[0].line})` : '';
      out[g] = { kind: 'report', rows: rs, why: `${nums.length} number(s) where ${want(groups[g])} expected${where}`, stray: nums.length };
    }
  }
}

/**
 * Reading order that takes each row's first k cells with its label and leaves the rest
 * of the run's rows for one block at its end (a page's numbers after its last label). The
 * run ends at the group holding the block and reaches back over unresolved rows until its
 * numbers come to exactly its cells. Taken only where the rows' own totals single out one
 * k and one order of the block (across the rows or down the columns).
 */
function inlineThenBlock(
  groups: Group[],
  s: number,
  out: (Resolution | null)[],
  rows: RowSpec[],
  rowConfidence: (r: number) => number,
): { from: number; take: Resolution } | null {
  type Candidate = { from: number; values: (number | null)[]; pieces: Piece[]; failures: number; rs: number[] };
  const candidates: Candidate[] = [];
  let count = 0;
  let wanted = 0;
  for (let b = s; b >= 0 && (b === s || !out[b]); b--) {
    count += groups[b].nums.length;
    wanted += groups[b].rows.reduce((n, r) => n + rows[r].cols.length, 0);
    if (b === s || count !== wanted) continue;
    const rs = groups.slice(b, s + 1).flatMap((g) => g.rows);
    const width = rows[rs[0]].cols.length;
    const holds = rows[rs[0]].holds;
    if (!holds || !rs.every((r) => rows[r].cols.length === width)) continue;
    const nums = groups.slice(b, s + 1).flatMap((g) => g.nums);
    const n = rs.length;
    for (let k = 1; k < width; k++) {
      const rest = width - k;
      if (n * rest > groups[s].nums.length) continue;
      const inline = nums.slice(0, n * k);
      const block = nums.slice(n * k);
      for (const down of [false, true]) {
        // Down the columns: the block's j-th number is row j % n, column k + floor(j / n).
        const at = (i: number, c: number) => (down ? block[c * n + i] : block[i * rest + c]);
        const pieces = rs.flatMap((_, i) => [...inline.slice(i * k, (i + 1) * k), ...Array.from({ length: rest }, (_, c) => at(i, c))]);
        const values = pieces.map((p) => parseCellNumber(p.text).value);
        const failures = rs.filter((_, i) => !holds(values.slice(i * width, (i + 1) * width).map((v) => v ?? 0))).length;
        candidates.push({ from: b, values, pieces, failures, rs });
      }
    }
  }
  if (!candidates.length) return null;
  candidates.sort((a, b) => a.failures - b.failures);
  const best = candidates[0];
  const tolerated = Math.max(1, Math.floor(best.rs.length / 10));
  if (best.failures > tolerated) return null;
  const same = (c: Candidate) => c.from === best.from && c.values.every((v, i) => v === best.values[i]);
  if (!candidates.every((c) => same(c) || c.failures >= best.failures + 2)) return null;
  const confidence = best.rs.flatMap((r) => rows[r].cols.map(() => Math.min(rowConfidence(r), SETTINGS.fuzzyConfidence)));
  const first = rows[best.rs[0]].label.label;
  const last = rows[best.rs[best.rs.length - 1]].label.label;
  return {
    from: best.from,
    take: {
      kind: 'take',
      rows: best.rs,
      values: best.values,
      pieces: best.pieces,
      confidence,
      note: `rows ${first} … ${last}: each row's first cells came with its label and the rest in one block after the last, read as the rows' totals single out`,
    },
  };
}

function pieceLine(groups: Group[], g: number): number {
  for (let k = g; k >= 0; k--) if (groups[k].nums.length) return groups[k].nums[groups[k].nums.length - 1].line;
  return 1;
}

/**
 * A block of rows whose numbers all came after their labels. Reading order may have
 * run across the rows or down the columns; where the rows have an identity, the order
 * under which they hold is taken, and a block they cannot tell apart is reported.
 */
function takeBlock(rs: number[], nums: Piece[], rows: RowSpec[], rowConfidence: (r: number) => number): Resolution {
  const confidence = rs.flatMap((r) => rows[r].cols.map(() => rowConfidence(r)));
  const byRows: Resolution = { kind: 'take', rows: rs, values: nums.map((p) => parseCellNumber(p.text).value), pieces: nums, confidence };
  const width = rows[rs[0]].cols.length;
  const uniform = rs.every((r) => rows[r].cols.length === width);
  if (rs.length < 2 || !uniform) return byRows;
  // Down the columns: the k-th number is row k % n, column floor(k / n).
  const n = rs.length;
  const colPieces = nums.map((_, i) => nums[(i % width) * n + Math.floor(i / width)]);
  const byCols: Resolution = { kind: 'take', rows: rs, values: colPieces.map((p) => parseCellNumber(p.text).value), pieces: colPieces, confidence };
  if (byRows.values.every((v, i) => v === byCols.values[i])) return byRows;
  // Two numbers on one printed line share a baseline, so a table row: down the columns
  // they could never be neighbours, across the rows they must not straddle a row's end.
  const sameLine = nums.map((_, i) => i).filter((i) => i + 1 < nums.length && nums[i].line === nums[i + 1].line);
  const linesAllowRows = sameLine.every((i) => i % width !== width - 1);
  const linesSayRows = sameLine.length > 0 && linesAllowRows;
  const linesAllowCols = sameLine.length === 0;
  const capped = (res: Resolution & { kind: 'take' }): Resolution =>
    ({ ...res, confidence: res.confidence.map((c) => Math.min(c, SETTINGS.fuzzyConfidence)) });
  const holds = rows[rs[0]].holds;
  let fr = 0;
  let fc = 0;
  if (holds) {
    const failures = (values: (number | null)[]) =>
      rs.filter((_, k) => !holds(values.slice(k * width, (k + 1) * width).map((v) => v ?? 0))).length;
    fr = failures(byRows.values);
    fc = failures(byCols.values);
  }
  const tolerated = Math.max(1, Math.floor(n / 10));
  const identitySaysRows = !!holds && fr <= tolerated && fc >= fr + 2;
  const identitySaysCols = !!holds && fc <= tolerated && fr >= fc + 2;
  if (identitySaysRows && linesAllowRows) return fr === 0 ? byRows : capped(byRows as Resolution & { kind: 'take' });
  if (identitySaysCols && linesAllowCols) {
    const res = (fc === 0 ? byCols : capped(byCols as Resolution & { kind: 'take' })) as Resolution & { kind: 'take' };
    return { ...res, note: `rows ${rows[rs[0]].label.label} … ${rows[rs[n - 1]].label.label}: numbers read down the columns` };
  }
  if (linesSayRows && !identitySaysCols) {
    return {
      ...(capped(byRows as Resolution & { kind: 'take' }) as Resolution & { kind: 'take' }),
      note: `rows ${rows[rs[0]].label.label} … ${rows[rs[n - 1]].label.label}: numbers came apart from their labels, read across the rows (numbers sharing a printed line)`,
    };
  }
  if (!holds) return { kind: 'report', rows: rs, why: 'its numbers came apart from the labels, and it cannot be told whether across rows or down columns', stray: nums.length };
  return { kind: 'report', rows: rs, why: 'its numbers came apart from the labels, in an order neither the row totals nor the printed lines decide', stray: nums.length };
}

function cutRunTogether(r: number, nums: Piece[], row: RowSpec, anchor: Anchor | null): Resolution {
  const tokens = nums.map((p) => p.text.normalize('NFKC'));
  const split = splitRunTogether(tokens, row.cols.length, row.holds!);
  const shown = nums.map((p) => p.text).join(' ');
  if (split.kind !== 'unique') {
    // On one printed line, fewer numbers than columns may be a row with blank cells.
    const oneLine = nums.length > 0 && nums.every((p) => p.line === nums[0].line);
    return {
      kind: 'report',
      rows: [r],
      why: split.kind === 'ambiguous'
        ? `${nums.length} number(s) where ${row.cols.length} expected; as digits run together (${shown}) they can be cut more than one way`
        : `${nums.length} number(s) where ${row.cols.length} expected (line ${nums[0].line})`,
      ...(oneLine ? { short: nums } : { stray: nums.length }),
    };
  }
  void anchor;
  return {
    kind: 'take',
    rows: [r],
    values: split.values,
    pieces: split.values.map((_, i) => pieceOfPart(nums, split.parts, i)),
    confidence: split.values.map(() => SETTINGS.splitConfidence),
    note: `row ${row.label.label}: digits run together (${shown}) cut as ${split.parts.join('|')}, the only cut its total allows`,
  };
}

/** The number token the i-th cut part came from. */
export function pieceOfPart(nums: Piece[], parts: string[], index: number): Piece {
  let offset = parts.slice(0, index).reduce((n, p) => n + p.length, 0);
  for (const piece of nums) {
    const len = piece.text.normalize('NFKC').length;
    if (offset < len) return piece;
    offset -= len;
  }
  return nums[nums.length - 1];
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

function findAnchors(pieces: Piece[], rows: RowSpec[]): (Anchor | null)[] {
  const anchors: (Anchor | null)[] = rows.map(() => null);
  let cursor = 0;
  for (let i = 0; i < rows.length; i++) {
    const a = findAnchor(pieces, cursor, rows[i]);
    if (!a) continue;
    // A later row found earlier means this match belongs further down: leave the row unfound.
    let claimedLater = false;
    for (let j = i + 1; j <= Math.min(rows.length - 1, i + SETTINGS.lookahead); j++) {
      const b = findAnchor(pieces, cursor, rows[j], a.at);
      if (b && b.at < a.at) claimedLater = true;
    }
    if (claimedLater) continue;
    anchors[i] = a;
    cursor = a.at + 1;
  }
  return anchors;
}

function findAnchor(pieces: Piece[], from: number, row: RowSpec, before = pieces.length): Anchor | null {
  const wantEnum = enumeratorOf(row.label.label);
  for (let p = from; p < Math.min(before, pieces.length); p++) {
    if (pieces[p].kind !== 'text') continue;
    const hasEnum = enumeratorOf(pieces[p].text);
    let min: number;
    if (!wantEnum) min = SETTINGS.minPlain;
    else if (hasEnum === wantEnum) min = SETTINGS.minWithEnumerator;
    else if (!hasEnum) min = SETTINGS.minWithoutEnumerator;
    else continue;
    const m = scoreAt(pieces, p, row, !!wantEnum);
    if (m.score < min) continue;
    // A stray fragment before the label (the tail of a wrapped heading) can pass too; the label itself scores higher.
    let best: Anchor = { at: p, score: m.score, printed: m.printed };
    for (let q = p + 1; q < Math.min(p + 6, pieces.length) && pieces[q].kind === 'text' && best.score < 1; q++) {
      const e = enumeratorOf(pieces[q].text);
      if (wantEnum && e && e !== wantEnum) break;
      const n = scoreAt(pieces, q, row, !!wantEnum);
      if (n.score > best.score) best = { at: q, score: n.score, printed: n.printed };
    }
    return best;
  }
  return null;
}

/** How well the text starting at piece p reads as the row's label (wrapped over pieces, maybe followed by noise). */
function scoreAt(pieces: Piece[], p: number, row: RowSpec, stopAtEnumerator: boolean) {
  const officials = [row.label.label, ...(row.label.aliases ?? [])].map(labelBody);
  const longest = Math.max(...officials.map((o) => o.length));
  let body = '';
  for (let q = p; q < pieces.length; q++) {
    const piece = pieces[q];
    if (piece.kind === 'num') break;
    if (q > p && stopAtEnumerator && enumeratorOf(piece.text)) break;
    body += q === p ? labelBody(piece.text) : normalizeLabel(piece.text);
    if (body.length > 2 * longest + 6) break;
  }
  let best = { score: 0, printed: '' };
  for (const official of officials) {
    const lo = Math.max(1, Math.min(body.length, Math.ceil(official.length * 0.5)));
    const hi = Math.min(body.length, official.length + Math.ceil(official.length * 0.5) + 2);
    for (let k = lo; k <= hi; k++) {
      const s = similarity(body.slice(0, k), official);
      if (s > best.score) best = { score: s, printed: body.slice(0, k) };
    }
  }
  return best;
}
