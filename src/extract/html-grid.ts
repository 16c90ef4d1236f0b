import { parseDocument } from 'htmlparser2';
import type { AnyNode, Element } from 'domhandler';
import type { GridCell, Table } from './types.js';

/**
 * An HTML page → its tables as grids, and its text in block order. The page is only
 * parsed: scripts and styles are dropped, nothing is run or fetched. Word's HTML export
 * (MsoNormal paragraphs, <o:p>, spans in spans) is plain markup to the parser; what
 * matters is rowspan/colspan, expanded here so every cell knows the grid rows and
 * columns it covers.
 */

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'iframe', 'object', 'svg']);
const BLOCK = new Set([
  'p', 'div', 'br', 'tr', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'ul', 'ol', 'section', 'article',
  'header', 'footer', 'blockquote', 'pre', 'title', 'body', 'center', 'dd', 'dt', 'hr',
]);

export interface HtmlDocument {
  tables: Table[];
  /** The page's text, one block per line; the document title first. */
  text: string;
}

export function readHtml(html: string): HtmlDocument {
  const doc = parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  const tableElements: Element[] = [];
  walk(doc.children, (el) => {
    if (el.name === 'table') tableElements.push(el);
  });
  // A table holding tables is page layout, not data: its cells are whole sections of the page.
  const dataTables = tableElements.filter((t) => !hasDescendant(t.children, 'table'));
  const tables = dataTables.map((t, i) => gridOf(t, i + 1)).filter((t) => t.cells.length > 0);
  const title = findFirst(doc.children, 'title');
  const lines = [title ? inlineText(title.children) : '', ...blockLines(doc.children)];
  return { tables, text: lines.map((l) => l.trim()).filter(Boolean).join('\n') };
}

/** The rows of a table, its own only (not those of tables nested in its cells). */
function rowsOf(table: Element): Element[] {
  const rows: Element[] = [];
  const visit = (nodes: AnyNode[]) => {
    for (const n of nodes) {
      if (!isElement(n)) continue;
      if (n.name === 'tr') rows.push(n);
      else if (n.name !== 'table' && !SKIP.has(n.name)) visit(n.children);
    }
  };
  visit(table.children);
  return rows;
}

const span = (el: Element, attr: string) => {
  const n = parseInt(el.attribs[attr] ?? '1', 10);
  // Browsers clamp rowspan at 65534 and colspan at 1000; a 0 or junk value counts as 1.
  return Number.isFinite(n) && n >= 1 ? Math.min(n, attr === 'rowspan' ? 65534 : 1000) : 1;
};

/** Expands spans: each cell takes the first free column of its row, and blocks the grid slots it covers. */
export function gridOf(table: Element, index: number): Table {
  const rows = rowsOf(table);
  const taken: boolean[][] = [];
  const cells: GridCell[] = [];
  rows.forEach((tr, r) => {
    taken[r] ??= [];
    let c = 0;
    for (const td of tr.children) {
      if (!isElement(td) || (td.name !== 'td' && td.name !== 'th')) continue;
      while (taken[r][c]) c++;
      const colspan = span(td, 'colspan');
      // A rowspan past the table's last row ends there, as browsers draw it.
      const rowspan = Math.min(span(td, 'rowspan'), rows.length - r);
      for (let dr = 0; dr < rowspan; dr++) {
        taken[r + dr] ??= [];
        for (let dc = 0; dc < colspan; dc++) taken[r + dr][c + dc] = true;
      }
      cells.push({
        text: inlineText(td.children),
        x0: c,
        x1: c + colspan,
        row0: r,
        row1: r + rowspan - 1,
        source: { page: 1, table: index, row: r + 1, col: c + 1 },
        confidence: 1,
        via: 'html',
      });
      c += colspan;
    }
  });
  return { page: 1, cells, rowCount: rows.length, ruled: true };
}

/** Text of inline content: whitespace collapsed, line breaks kept as spaces, nested tables left out. */
function inlineText(nodes: AnyNode[]): string {
  let out = '';
  const visit = (ns: AnyNode[]) => {
    for (const n of ns) {
      if (n.type === 'text') out += (n as unknown as { data: string }).data;
      else if (isElement(n)) {
        if (SKIP.has(n.name) || n.name === 'table') continue;
        if (BLOCK.has(n.name)) out += ' ';
        visit(n.children);
        if (BLOCK.has(n.name)) out += ' ';
      }
    }
  };
  visit(nodes);
  return out.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
}

/** Text in block order: one line per paragraph, one line per table row with its cells tab-separated. */
function blockLines(nodes: AnyNode[]): string[] {
  const lines: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim()) lines.push(current.replace(/[ \t\u00a0\u3000]+/g, ' ').trim());
    current = '';
  };
  const visit = (ns: AnyNode[]) => {
    for (const n of ns) {
      if (n.type === 'text') current += (n as unknown as { data: string }).data.replace(/\s+/g, ' ');
      else if (isElement(n)) {
        if (SKIP.has(n.name)) continue;
        if (n.name === 'td' || n.name === 'th') {
          current += ` ${inlineText(n.children)} `;
          continue;
        }
        const block = BLOCK.has(n.name);
        if (block) flush();
        visit(n.children);
        if (block) flush();
      }
    }
  };
  visit(nodes);
  flush();
  return lines;
}

function isElement(n: AnyNode): n is Element {
  return n.type === 'tag' || n.type === 'script' || n.type === 'style';
}

function walk(nodes: AnyNode[], fn: (el: Element) => void) {
  for (const n of nodes) {
    if (!isElement(n)) continue;
    if (SKIP.has(n.name)) continue;
    fn(n);
    walk(n.children, fn);
  }
}

export function hasDescendant(nodes: AnyNode[], name: string): boolean {
  return nodes.some((n) => isElement(n) && (n.name === name || hasDescendant(n.children, name)));
}

export function findFirst(nodes: AnyNode[], name: string): Element | null {
  for (const n of nodes) {
    if (!isElement(n)) continue;
    if (n.name === name) return n;
    const found = findFirst(n.children, name);
    if (found) return found;
  }
  return null;
}
