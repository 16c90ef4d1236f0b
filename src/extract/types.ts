/** Shared shapes of the extract stage. Coordinates are PDF points with a top-left origin. */

export type BBox = [x0: number, y0: number, x1: number, y1: number];

/** One run of text as the producer placed it on the page. */
export interface TextItem {
  text: string;
  bbox: BBox;
  /** Written top to bottom (vertical fonts); such runs are labels, never values. */
  vertical: boolean;
  /** Set by OCR: how sure the recogniser was (0..1). Digital text is certain and leaves it unset. */
  confidence?: number;
  via?: 'ocr';
}

/** A straight ruling line, already reduced to its centre line. */
export interface Segment {
  orient: 'h' | 'v';
  /** The fixed coordinate: y for horizontal, x for vertical. */
  at: number;
  /** The extent along the line: x range for horizontal, y range for vertical. */
  from: number;
  to: number;
}

export interface PageContent {
  page: number; // 1-based
  width: number;
  height: number;
  items: TextItem[];
  segments: Segment[];
  /** Share of the page its images cover (0 when unknown): a scan is one page-sized image, or strips of one. */
  imageCover?: number;
  /** Resolution of the largest image as drawn (pixels per inch across it), where its size is known: a scan's dpi. */
  imageDpi?: number;
  /** Filled paths with curves: glyphs drawn as outlines (text converted to curves) count here, not as text. */
  curvedFills?: number;
  /** Shadings it draws (sh): costly to draw, some hugely (mesh shadings). */
  shadings?: number;
  /** Some of its text is drawn invisible (render mode 3): over a scan, another program's OCR. */
  invisibleText?: boolean;
}

/** How one table cell was located, carried into provenance. */
export interface CellSource {
  page: number;
  bbox?: BBox;
  /** Stream input: line numbers; HTML and docx: table/row/column (a docx has no pages: page 0). */
  line?: number;
  table?: number;
  row?: number;
  col?: number;
}

/** A cell of a reconstructed table: its text and where it lies. */
export interface GridCell {
  text: string;
  /** Horizontal extent in a unit shared by the whole table (points, or column indices for HTML). */
  x0: number;
  x1: number;
  /** Spanned grid rows, inclusive, within its table. */
  row0: number;
  row1: number;
  source: CellSource;
  /** Below 1 where the reading or the layout is uncertain (OCR, no rules). */
  confidence: number;
  via: 'text' | 'ocr' | 'html' | 'stream' | 'docx';
  /**
   * Ruled tables: no rule is drawn on the table's outer edge above (below) this cell. A browser slices a row
   * cut by a page break, borders too: the row's first part has no bottom rule, its rest on the next page no top.
   */
  openTop?: boolean;
  openBottom?: boolean;
}

/** A reconstructed table: every cell once, merged cells spanning several grid rows. */
export interface Table {
  /** Its first page: a table cut by page breaks is read as one (each cell's source names its own page). */
  page: number;
  cells: GridCell[];
  rowCount: number;
  /** False when drawn rules were missing and columns came from header positions. */
  ruled: boolean;
  bbox?: BBox;
}

