import {
  formatOf, T2_ROWS, T3_COLUMNS, T4_COLUMNS, T4_GROUPS, t3RowsFor,
  type ReportFormat, type T2Format,
} from '../format/catalog.js';
import { parseCellNumber } from '../format/numbers.js';
import { CONFIDENCE } from '../format/confidence.js';
import type { Reading } from './reader.js';
import { placeShortRows } from './text-blanks.js';
import { alignRows, pieceOfPart, rowKeys, type RowSpec, type StreamCell } from './text-align.js';
import { note, sectionOfKey, type Note } from '../record/notes.js';
import { readByOrder, readInRowOrder } from './text-order.js';
import { decodeBytes } from './text-decode.js';
import { headingColumns, placeByColumns } from './text-columns.js';
import { splitRunTogether, t3RowHolds, t3TableHolds, t4Holds } from './text-split.js';
import { piecesOf, sectionsOf, splitLines, type Line, type Piece } from './text-stream.js';

/**
 * A report as plain text (copied out of a PDF, `pdftotext` with or without -layout, or
 * crawled from a page): its tables arrive flattened into a stream of labels and numbers.
 * Each table section is aligned with the rows and columns its format prints.
 */
export function readTextReport(bytes: Uint8Array): Reading {
  return readText(decodeBytes(bytes));
}

export function readText(text: string): Reading {
  const { lines, pages } = splitLines(text);
  const sections = sectionsOf(lines);
  const notes: Note[] = [];
  const cells: StreamCell[] = [];

  const t2Format = sections.t2 ? t2FormatOf(sections.t2) : null;
  if (!sections.t2) notes.push(note('section_not_found', 'section 二 (主动公开政府信息情况) not found in the text', { section: 't2' }));
  else if (!t2Format) notes.push(note('headings_not_recognised', 'section 二: neither the 2019 nor the 2021 column headings were recognised', { section: 't2' }));
  if (sections.t2 && t2Format) {
    const rows: RowSpec[] = T2_ROWS[t2Format].map((r) => ({ key: `t2.${r.id}`, label: r, cols: r.cols }));
    const pieces = piecesOf(sections.t2);
    collect(fillByOrder(alignRows(pieces, rows, '二'), pieces, rows, '二'));
  }

  const otherSplit = sections.t3 ? isOtherSplit(sections.t3) : null;
  if (!sections.t3) notes.push(note('section_not_found', 'section 三 (收到和处理政府信息公开申请情况) not found in the text', { section: 't3' }));
  else {
    const cols = T3_COLUMNS.map((c) => c.id);
    const rows: RowSpec[] = t3RowsFor(otherSplit!).map((r) => ({ key: `t3.${r.id}`, label: r, cols, holds: t3RowHolds }));
    const pieces = piecesOf(sections.t3);
    const a = alignRows(pieces, rows, '三');
    const t3: SectionReading = { cells: [...a.cells], notes: [...a.notes] };
    if (a.short.length && !a.strayed) {
      const first = pieces.findIndex((p) => p.kind === 'num');
      const placed = placeShortRows({ rows, cells: a.cells, short: a.short, header: pieces.slice(0, first), otherSplit: otherSplit! });
      t3.cells.push(...placed.cells);
      t3.notes.push(...placed.notes);
    } else t3.notes.push(...a.short.map((s) => s.note));
    collect(fillByOrder(t3, pieces, rows, '三', t3TableHolds));
  }

  if (!sections.t4) notes.push(note('section_not_found', 'section 四 (行政复议、行政诉讼情况) not found in the text', { section: 't4' }));
  else collect(readT4(piecesOf(sections.t4)));

  let format: ReportFormat = 'unknown';
  if (t2Format && otherSplit !== null) format = formatOf({ t2: t2Format, otherSplit });

  return { pageCount: pages.length, tables: [], placed: { cells, format }, notes, text: pages };

  function collect(a: SectionReading) {
    cells.push(...a.cells);
    notes.push(...a.notes);
  }
}

/** A section's cells as the text gives them, and what was said about reading them. */
interface SectionReading {
  cells: StreamCell[];
  notes: Note[];
}

const flat = (lines: Line[]) => lines.map((l) => l.text).join('').normalize('NFKC').replace(/\s+/g, '');

/** The 2019 and 2021 printings of section 二 differ in their column headings and rows. */
const T2_MARKS: Record<T2Format, string[]> = {
  '2019': ['新制作数量', '新公开数量', '对外公开总数量', '上一年项目数量', '采购项目数量', '其他对外管理服务'],
  '2021': ['制发件数', '废止件数', '现行有效件数', '收费金额'],
};

function t2FormatOf(lines: Line[]): T2Format | null {
  const text = flat(lines);
  const score = (f: T2Format) => T2_MARKS[f].filter((m) => text.includes(m)).length;
  const a = score('2019');
  const b = score('2021');
  if (a === b) return null;
  return a > b ? '2019' : '2021';
}

/** （六）其他处理 printed as one row, or split into its three reasons. */
function isOtherSplit(lines: Line[]): boolean {
  const text = flat(lines);
  return /逾期不补正|逾期未按收费|不再处理其政府信息公开申请/.test(text);
}

/**
 * Section 四 prints one row of 15 numbers under a header without row labels: the
 * numbers of its first run (up to the first sentence of prose) are the table.
 */
const T4_HEADER_WORDS = /^(?:结果|维持|纠正|其他|尚未|审结|总计|总|计|行政复议|行政诉讼|未经复议直接起诉|复议后起诉)+$/;

/**
 * Header text wrapped anywhere (结果维 / 持, 其他结 / 果) is still made of the headings' characters only;
 * the prose after the table is not.
 */
const T4_HEADER_CHARS = /^[结果维持纠正其他尚未审总计行政复议诉讼经直接起后]+$/;
const isT4Header = (word: string) => T4_HEADER_WORDS.test(word) || T4_HEADER_CHARS.test(word);

const T4_COLUMN_WORD = /^(?:结果|维持|纠正|其他|尚未|审结|总计|总|计)$/;

function readT4(pieces: Piece[]): SectionReading {
  const keys = T4_GROUPS.flatMap((g) => T4_COLUMNS.map((c) => `t4.${g.id}.${c.id}`));
  const nums: Piece[] = [];
  const heads: Piece[] = [];
  for (const p of pieces) {
    const word = p.text.normalize('NFKC').replace(/\s+/g, '');
    if (p.kind === 'num') nums.push(p);
    else if (nums.length && !isT4Header(word)) break;
    else if (!nums.length && T4_COLUMN_WORD.test(word)) heads.push(p);
  }
  if (nums.length === keys.length) {
    return {
      cells: nums.map((piece, i) => ({ key: keys[i], value: parseCellNumber(piece.text).value, piece, confidence: 1 })),
      notes: [],
    };
  }
  if (nums.length === 0 && heads.length && !pieces.some((p) => p.kind === 'num')) {
    // The table printed under its headings with not one number in the whole section: every cell blank.
    const piece: Piece = { ...heads[heads.length - 1], kind: 'num', text: '' };
    return {
      cells: keys.map((key) => ({ key, value: null, piece, confidence: BLANK_CONFIDENCE })),
      notes: [note('numbers_placed', '四: no number printed under the headings, every cell taken as blank', { section: 't4', keys })],
    };
  }
  if (nums.length > 0 && nums.length < keys.length) {
    const split = splitRunTogether(nums.map((p) => p.text.normalize('NFKC')), keys.length, t4Holds);
    if (split.kind === 'unique') {
      const cells = split.values.map((value, i) => ({ key: keys[i], value, piece: pieceOfPart(nums, split.parts, i), confidence: CONFIDENCE.splitDigits }));
      return { cells, notes: [note('numbers_placed', `四: digits run together cut as ${split.parts.join('|')} by its totals`, { section: 't4', keys })] };
    }
    const placed = placeT4(nums, heads, keys);
    if (placed) return placed;
    return { cells: [], notes: [note('numbers_left_out', `四: ${nums.length} number(s) where 15 expected, and no single way to cut or place them; table left out`, { section: 't4', keys })] };
  }
  return { cells: [], notes: [note('numbers_left_out', `四: ${nums.length} number(s) where 15 expected; table left out`, { section: 't4', keys })] };
}

/** Cells printed blank in a table that has numbers elsewhere: placed, not read. */
const BLANK_CONFIDENCE = CONFIDENCE.impliedBlank;

/** A row of 四 with blank cells, its numbers placed under the column headings of layout text. */
function placeT4(nums: Piece[], heads: Piece[], keys: string[]): SectionReading | null {
  if (new Set(nums.map((n) => n.line)).size !== 1) return null;
  // Layout positions compare only within a page.
  const columns = headingColumns(heads.filter((h) => h.page === nums[0].page), keys.length);
  if (!columns) return null;
  const values = nums.map((n) => parseCellNumber(n.text).value ?? 0);
  const placed = placeByColumns(nums, values, columns, t4Holds);
  if (placed.kind !== 'placed') return null;
  const blank: Piece = { ...nums[0], text: '' };
  const cells = keys.map((key, c) => {
    const k = placed.columns.indexOf(c);
    return { key, value: placed.values[c], piece: k >= 0 ? nums[k] : blank, confidence: BLANK_CONFIDENCE };
  });
  return { cells, notes: [note('numbers_placed', `四: ${nums.length} number(s) placed under their column headings by position, the other cells blank`, { section: 't4', keys })] };
}

/** Cells read from the order of a section's numbers alone, their labels having come apart from them. */
const ORDER_CONFIDENCE = CONFIDENCE.streamOrder;
/** The same, in a table whose rows do not all add up: fewer identities checked the reading. */
const BROKEN_ORDER_CONFIDENCE = CONFIDENCE.brokenOrder;

/**
 * Rows the labels could not place, read from the order of the section's numbers (text-order.ts)
 * where every number came through and every reading that lets the rows add up gives the row the
 * same values. The reading must agree with every row the labels did place; otherwise it is not used.
 */
function fillByOrder(
  read: SectionReading,
  pieces: Piece[],
  rows: RowSpec[],
  section: string,
  tableHolds?: (keys: string[]) => (rows: number[][]) => boolean,
): SectionReading {
  const placed = new Map(read.cells.map((c) => [c.key, c.value]));
  const missing = rows.map((r, i) => i).filter((i) => !rows[i].cols.some((c) => placed.has(`${rows[i].key}.${c}`)));
  if (!missing.length) return read;
  const nums = pieces.filter((p) => p.kind === 'num');
  // Without row identities, only the rows the labels placed can vouch for the order: most of them must have been placed.
  const checked = rows.every((r) => r.holds);
  if (!checked && missing.length > rows.length / 2) return read;
  const reading = checked ? readByOrder(nums, rows, tableHolds?.(rows.map((r) => r.key))) : readInRowOrder(nums, rows);
  if (reading.kind !== 'read') return read;
  const disagrees = rows.some((r, i) => {
    const got = reading.rows[i];
    return got && r.cols.some((c, k) => placed.has(`${r.key}.${c}`) && placed.get(`${r.key}.${c}`) !== got.values[k]);
  });
  if (disagrees) return read;
  const filled = missing.filter((i) => reading.rows[i]);
  if (!filled.length) return read;
  const cells = filled.flatMap((i) =>
    rows[i].cols.map((c, k): StreamCell => ({ key: `${rows[i].key}.${c}`, value: reading.rows[i]!.values[k], piece: reading.rows[i]!.pieces[k], confidence: reading.broken ? BROKEN_ORDER_CONFIDENCE : ORDER_CONFIDENCE })),
  );
  const labels = filled.map((i) => rows[i].label.label);
  // what was said of a row now filled (left out, not found) no longer holds
  const aboutFilled = (n: Note) => n.section === sectionOfKey(rows[0].key) && n.row !== undefined && labels.includes(n.row);
  return {
    cells: [...read.cells, ...cells],
    notes: [
      ...read.notes.filter((n) => !aboutFilled(n)),
      note('numbers_placed', `${section}: rows ${labels.join(', ')} read from the order of the section's numbers, their labels having come apart from them: ` +
        (!checked
          ? `the numbers taken in the rows' order, which agrees with every row the labels placed`
          : reading.broken
            ? `some rows of the table do not add up as printed, so its identities across the rows checked the reading: every reading under which they hold gives these values, and it agrees with every row the labels placed`
            : `every reading under which the rows add up gives them these values, and it agrees with every row the labels placed`),
        { section: sectionOfKey(rows[0].key), keys: filled.flatMap((i) => rowKeys(rows[i])) }),
    ],
  };
}
