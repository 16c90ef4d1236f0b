import type { GridCell } from '../extract/types.js';
import type { StreamCell } from '../extract/text-align.js';
import type { Layout, ReportFormat } from '../format/catalog.js';
import { CONFIDENCE } from '../format/confidence.js';
import { parseCellNumber } from '../format/numbers.js';
import type { Provenance } from '../record/schema.js';
import { note, sectionOfKey, type Note } from '../record/notes.js';

/** Canonical cells with their provenance: what every input kind comes to after the normalize stage. */
export interface MappedCells {
  layout: Layout | null;
  format: ReportFormat;
  cells: Record<string, number | null>;
  provenance: Record<string, Provenance>;
  notes: Note[];
  /** Pages (or tables) with a row of numbers whose label matches no official row: one per such row. */
  unmatched: number[];
  /** Pages with a table that is no section the reader knows (nor the continuation of one): one per such table. */
  unknownTables: number[];
}

/** A label matched below this similarity lowers the confidence of the row's cells. */
export const SURE_LABEL = 0.8;

const round1 = (b: [number, number, number, number]) => b.map((v) => Math.round(v * 10) / 10) as [number, number, number, number];

/** Gathers canonical cells; the one place a cell's provenance is built, whatever read it. */
export class Collector {
  cells: Record<string, number | null> = {};
  provenance: Record<string, Provenance> = {};
  notes: Note[] = [];
  unmatched: number[] = [];
  unknownTables: number[] = [];

  /** Records one printed table cell under its key; unreadable text is reported and left out. */
  put(key: string, cell: GridCell, label?: { printed: string; score: number }, cap = 1) {
    const n = parseCellNumber(cell.text);
    const where = cell.source.page ? `page ${cell.source.page}` : `table ${cell.source.table ?? '?'}`;
    if (!n.ok) {
      this.notes.push(note('cell_not_a_number', `${where}: ${key} reads "${cell.text}", which is not a number; left out`, { section: sectionOfKey(key), page: cell.source.page, keys: [key] }));
      return;
    }
    const fuzzy = label && label.score < SURE_LABEL;
    this.keep(key, n.value, where, {
      ...(cell.source.page ? { page: cell.source.page } : {}),
      ...(cell.source.bbox ? { bbox: round1(cell.source.bbox) } : {}),
      ...(cell.source.line ? { line: cell.source.line } : {}),
      ...(cell.source.table ? { table: cell.source.table, row: cell.source.row, col: cell.source.col } : {}),
      text: cell.text,
      confidence: Math.min(cell.confidence, fuzzy ? CONFIDENCE.fuzzyLabel : CONFIDENCE.certain, cap),
      via: cell.via,
      ...(label && label.score < 1 ? { label: label.printed } : {}),
    });
  }

  /** Records a cell a stream reader placed by the format's order (its value already cut from the text). */
  putPlaced(c: StreamCell) {
    this.keep(c.key, c.value, `line ${c.piece.line}`, {
      ...(c.piece.page ? { page: c.piece.page } : {}),
      line: c.piece.line,
      text: c.piece.text,
      confidence: c.confidence,
      via: 'stream',
      ...(c.label ? { label: c.label } : {}),
    });
  }

  private keep(key: string, value: number | null, where: string, p: Provenance) {
    if (key in this.cells) {
      this.notes.push(note('cell_printed_twice', `${where}: ${key} printed twice; the first reading is kept`, { section: sectionOfKey(key), page: p.page, keys: [key] }));
      return;
    }
    this.cells[key] = value;
    this.provenance[key] = p;
  }

  result(layout: Layout | null, format: ReportFormat): MappedCells {
    return { layout, format, cells: this.cells, provenance: this.provenance, notes: this.notes, unmatched: this.unmatched, unknownTables: this.unknownTables };
  }
}

/** Cells a stream reader placed → canonical cells, through the same collector as tables. */
export function mapPlaced(placed: StreamCell[], format: ReportFormat): MappedCells {
  const out = new Collector();
  for (const c of placed) out.putPlaced(c);
  return out.result(null, format);
}
