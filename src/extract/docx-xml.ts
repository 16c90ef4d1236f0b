import { parseDocument } from 'htmlparser2';
import type { AnyNode, Element } from 'domhandler';
import type { Numbering } from './docx-numbering.js';
import { findFirst, hasDescendant, readHtml } from './html-grid.js';
import type { GridCell, Table } from './types.js';

/**
 * A Word document's body (word/document.xml) → its tables as grids and its text in block order, the
 * shapes the HTML reader yields (html-grid.ts): x0/x1 are grid column indices, merged cells span grid
 * rows. Word writes its merges down: `w:gridSpan` for columns, `w:vMerge` (restart, then continue) for
 * rows, `w:gridBefore` for columns a row leaves out at its start. Headers and footers live in other
 * parts of the package and are never read. A docx has no pages until it is laid out: cells say table,
 * row and column, and page 0.
 */

export interface DocxBody {
  tables: Table[];
  /** One line per paragraph and per table row (cells space-separated), in document order. */
  lines: string[];
}

/** Containers whose children stand in the flow where they are: content controls, custom XML, smart tags. */
const TRANSPARENT = new Set(['w:sdt', 'w:sdtContent', 'w:customXml', 'w:smartTag', 'w:hyperlink', 'w:fldSimple', 'w:ins', 'w:moveTo', 'w:r', 'w:dir', 'w:bdo']);
/** Never text: properties, deleted or moved-away runs, field codes, the section's own settings. */
const SKIP = new Set(['w:pPr', 'w:rPr', 'w:tblPr', 'w:trPr', 'w:tcPr', 'w:sectPr', 'w:del', 'w:moveFrom', 'w:instrText', 'w:delText']);
const BREAK = new Set(['w:tab', 'w:br', 'w:cr', 'w:ptab']);

/** The printed number of each numbered paragraph (Word's automatic numbering), by paragraph. */
type Labels = Map<Element, string>;

/** HTML that a docx carries as parts of its own (w:altChunk, as web tools export), by relationship id. */
export type Chunks = Map<string, string>;

export function readDocumentXml(xml: string, numbering?: Numbering, chunks: Chunks = new Map()): DocxBody {
  const body = findFirst(parseWordXml(xml), 'w:body');
  const labels: Labels = new Map();
  if (body && numbering) numberParagraphs(body.children, numbering, labels);
  const reader = new BodyReader(labels, chunks);
  if (body) reader.blocks(body.children);
  // A table holding tables is page layout, not data (as in html-grid.ts): its cells are whole sections.
  const data = reader.tables.filter((t) => isGrid(t) || !hasDescendant(t.children, 'w:tbl'));
  const tables = data.map((t, i) => (isGrid(t) ? asDocxTable(t, i + 1) : gridOf(t, i + 1, labels))).filter((t) => t.cells.length > 0);
  return { tables, lines: reader.lines.map((l) => l.replace(/[\s\u00a0\u3000]+/g, ' ').trim()).filter(Boolean) };
}

const WORD_NAMESPACES = ['http://schemas.openxmlformats.org/wordprocessingml/2006/main', 'http://purl.oclc.org/ooxml/wordprocessingml/main'];

/**
 * A part of a Word package, parsed, with WordprocessingML's elements and attributes named `w:` whatever
 * prefix the producer bound it to (Word writes `w:`; other tools may write `ns0:` or a default namespace,
 * strict OOXML another namespace). Other namespaces keep their names.
 */
export function parseWordXml(xml: string): AnyNode[] {
  const nodes = parseDocument(xml, { xmlMode: true, decodeEntities: true }).children;
  const root = nodes.find(isElement);
  if (!root) return nodes;
  const bound = Object.entries(root.attribs).find(([k, v]) => (k === 'xmlns' || k.startsWith('xmlns:')) && WORD_NAMESPACES.includes(v));
  const prefix = bound ? (bound[0] === 'xmlns' ? '' : bound[0].slice(6)) : 'w';
  if (prefix === 'w') return nodes;
  const qualified = (name: string) => (prefix ? (name.startsWith(`${prefix}:`) ? `w:${name.slice(prefix.length + 1)}` : name) : name.includes(':') ? name : `w:${name}`);
  const visit = (ns: AnyNode[]) => {
    for (const n of ns) {
      if (!isElement(n)) continue;
      n.name = qualified(n.name);
      // an attribute without a prefix belongs to no namespace; Word's are always prefixed, so only those move
      n.attribs = Object.fromEntries(Object.entries(n.attribs).map(([k, v]) => [prefix && k.startsWith(`${prefix}:`) ? `w:${k.slice(prefix.length + 1)}` : k, v]));
      visit(n.children);
    }
  };
  visit(nodes);
  return nodes;
}

/** Counts the numbered paragraphs in document order (the order Word numbers them in), skipping what is never shown. */
function numberParagraphs(nodes: AnyNode[], numbering: Numbering, labels: Labels) {
  for (const n of nodes) {
    if (!isElement(n) || SKIP.has(n.name)) continue;
    if (n.name === 'w:p') {
      const label = numbering.label(n);
      if (label) labels.set(n, label);
    }
    numberParagraphs(n.name === 'mc:AlternateContent' ? chosen(n) : n.children, numbering, labels);
  }
}

const isGrid = (t: Element | Table): t is Table => 'cells' in t;

/** A table of an HTML chunk, numbered among the document's tables. */
const asDocxTable = (t: Table, index: number): Table => ({
  ...t,
  page: 0,
  cells: t.cells.map((c) => ({ ...c, via: 'docx', source: { ...c.source, page: 0, table: index } })),
});

class BodyReader {
  /** In document order: the document's own tables, and those of its HTML chunks, already grids. */
  tables: (Element | Table)[] = [];
  lines: string[] = [];

  constructor(
    private labels: Labels,
    private chunks: Chunks,
  ) {}

  /** Block content: paragraphs, tables, and what wraps them. */
  blocks(nodes: AnyNode[]) {
    for (const n of nodes) {
      if (!isElement(n) || SKIP.has(n.name)) continue;
      if (n.name === 'w:p') this.paragraph(n);
      else if (n.name === 'w:tbl') this.table(n);
      else if (n.name === 'mc:AlternateContent') this.blocks(chosen(n));
      else if (n.name === 'w:altChunk') this.chunk(n);
      else this.blocks(n.children);
    }
  }

  /** An HTML chunk stands where it is referenced: its tables and its lines in the flow. */
  private chunk(ref: Element) {
    const html = this.chunks.get(ref.attribs['r:id'] ?? '');
    if (html === undefined) return;
    const { tables, text } = readHtml(html);
    this.tables.push(...tables);
    this.lines.push(...text.split('\n'));
  }

  /** A paragraph is one line; text boxes anchored in it are blocks of their own, after it. */
  private paragraph(p: Element) {
    const boxes: Element[] = [];
    this.lines.push((this.labels.get(p) ?? '') + inlineText(p.children, boxes));
    for (const box of boxes) this.blocks(box.children);
  }

  private table(tbl: Element) {
    this.tables.push(tbl);
    for (const tr of rowsOf(tbl)) {
      const cells = cellsOf(tr);
      this.lines.push(cells.map((tc) => cellText(tc, this.labels)).join(' '));
      // Tables nested in cells, and text boxes there, are read too (the grid above keeps only its own text).
      for (const tc of cells) for (const inner of descendants(tc, 'w:tbl', 'w:txbxContent')) this.nested(inner);
    }
  }

  private nested(el: Element) {
    if (el.name === 'w:tbl') this.table(el);
    else this.blocks(el.children);
  }
}

/** The branch of an mc:AlternateContent to read: its first choice (Word writes the same text box twice). */
function chosen(alt: Element): AnyNode[] {
  const branches = alt.children.filter(isElement);
  const pick = branches.find((b) => b.name === 'mc:Choice') ?? branches.find((b) => b.name === 'mc:Fallback');
  return pick ? pick.children : [];
}

/** Text of runs: w:t as written, tabs and breaks as spaces; text boxes are handed back in `boxes`, not inlined. */
function inlineText(nodes: AnyNode[], boxes: Element[]): string {
  let out = '';
  const visit = (ns: AnyNode[]) => {
    for (const n of ns) {
      if (!isElement(n) || SKIP.has(n.name) || (n.name === 'w:r' && hidden(n))) continue;
      if (n.name === 'w:t') out += textOf(n);
      else if (BREAK.has(n.name)) out += ' ';
      else if (n.name === 'w:noBreakHyphen') out += '-';
      else if (n.name === 'w:txbxContent') boxes.push(n);
      else if (n.name === 'mc:AlternateContent') visit(chosen(n));
      else if (TRANSPARENT.has(n.name) || n.name.startsWith('w:') || isDrawing(n)) visit(n.children);
    }
  };
  visit(nodes);
  return out;
}

/** Drawing markup (w:drawing, w:pict, VML, DrawingML) can hold a text box somewhere inside. */
const isDrawing = (n: Element) => /^(?:v|wp|wps|wpg|a|pic|o|w10|mc|wpc):/.test(n.name);

/** A cell's own text: its paragraphs in order, without tables nested in it. */
function cellText(tc: Element, labels: Labels): string {
  const parts: string[] = [];
  const visit = (ns: AnyNode[]) => {
    for (const n of ns) {
      if (!isElement(n) || SKIP.has(n.name) || n.name === 'w:tbl') continue;
      if (n.name === 'w:p') parts.push((labels.get(n) ?? '') + inlineText(n.children, []));
      else if (n.name === 'mc:AlternateContent') visit(chosen(n));
      else visit(n.children);
    }
  };
  visit(tc.children);
  return parts.join(' ').replace(/[\s\u00a0\u3000]+/g, ' ').trim();
}

/** A run formatted hidden (w:vanish) is not printed. */
const hidden = (r: Element) => isOn(prop(r, 'w:rPr', 'w:vanish'));
const isOn = (el: Element | undefined) => !!el && !['0', 'false', 'off'].includes(el.attribs['w:val'] ?? '');

/** Rows of a table, its own only; content controls may wrap them. Rows deleted under track changes are gone. */
function rowsOf(tbl: Element): Element[] {
  return ownChildren(tbl, 'w:tr').filter((tr) => !prop(tr, 'w:trPr', 'w:del'));
}

function cellsOf(tr: Element): Element[] {
  return ownChildren(tr, 'w:tc').filter((tc) => !prop(tc, 'w:tcPr', 'w:cellDel'));
}

/** Children named `name`, looking through wrappers (w:sdt, w:customXml) but not into them. */
function ownChildren(el: Element, name: string): Element[] {
  const out: Element[] = [];
  for (const n of el.children) {
    if (!isElement(n)) continue;
    if (n.name === name) out.push(n);
    else if (TRANSPARENT.has(n.name)) out.push(...ownChildren(n, name));
  }
  return out;
}

/** Word caps a table at 63 columns; a larger span or skip is junk and is held to that. */
const MAX_COLUMNS = 63;

const intVal = (el: Element | undefined, fallback: number) => {
  const n = parseInt(el?.attribs['w:val'] ?? '', 10);
  return Number.isFinite(n) && n >= 0 ? Math.min(n, MAX_COLUMNS) : fallback;
};

const prop = (el: Element, group: string, name: string): Element | undefined => {
  const props = el.children.find((c): c is Element => isElement(c) && c.name === group);
  return props?.children.find((c): c is Element => isElement(c) && c.name === name);
};

/**
 * One w:tbl → a grid. Each cell starts where the row's previous one ended (after w:gridBefore) and covers
 * w:gridSpan columns; a cell marked `w:vMerge` without `restart` continues the cell above it, which then
 * spans one more grid row.
 */
export function gridOf(tbl: Element, index: number, labels: Labels = new Map()): Table {
  const rows = rowsOf(tbl);
  const cells: GridCell[] = [];
  /** The cell that covers each column in the row above (for vMerge). */
  let above = new Map<number, GridCell>();
  rows.forEach((tr, r) => {
    const here = new Map<number, GridCell>();
    let c = intVal(prop(tr, 'w:trPr', 'w:gridBefore'), 0);
    cellsOf(tr).forEach((tc) => {
      const span = Math.max(1, intVal(prop(tc, 'w:tcPr', 'w:gridSpan'), 1));
      const merge = prop(tc, 'w:tcPr', 'w:vMerge');
      const upper = above.get(c);
      let cell: GridCell;
      if (merge && merge.attribs['w:val'] !== 'restart' && upper && upper.x0 === c) {
        upper.row1 = r;
        cell = upper;
      } else {
        cell = {
          text: cellText(tc, labels),
          x0: c,
          x1: c + span,
          row0: r,
          row1: r,
          source: { page: 0, table: index, row: r + 1, col: c + 1 },
          confidence: 1,
          via: 'docx',
        };
        cells.push(cell);
      }
      for (let dc = 0; dc < span; dc++) here.set(c + dc, cell);
      c += span;
    });
    above = here;
  });
  return { page: 0, cells, rowCount: rows.length, ruled: true };
}

function textOf(el: Element): string {
  return el.children.map((c) => (c.type === 'text' ? (c as unknown as { data: string }).data : '')).join('');
}

function isElement(n: AnyNode): n is Element {
  return n.type === 'tag';
}

/** The outermost descendants with one of the names (not those inside them). */
function descendants(el: Element, ...names: string[]): Element[] {
  const out: Element[] = [];
  const visit = (ns: AnyNode[]) => {
    for (const n of ns) {
      if (!isElement(n)) continue;
      if (names.includes(n.name)) out.push(n);
      else visit(n.children);
    }
  };
  visit(el.children);
  return out;
}
