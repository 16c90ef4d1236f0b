import { z } from 'zod';

/**
 * What a note of the record is about, one code each, so that a consumer (a panel, the review app, a test)
 * switches on `code` and reads `section`, `row`, `page` and `keys` instead of parsing the sentence. The
 * sentence (`text`) is for people and may be reworded; the codes are the contract.
 */
export const NOTE_CODES = {
  section_not_found: 'a section of the format (二, 三, 四) was not found in the text',
  headings_not_recognised: "a table's column headings were not recognised, or a table came without its header or without numbers under it",
  row_unmatched: 'a printed row matches no row of the format; its numbers are left out',
  row_not_found: 'a row of the format was not found in the report',
  row_by_position: "a row placed by its position, its label not being recognised",
  cell_missing: 'no printed cell under a column of a row',
  cell_not_a_number: 'a cell reads as something that is not a number; left out',
  cell_printed_twice: 'a cell printed twice; the first reading is kept',
  numbers_placed: 'numbers placed by a reading the layout did not give directly (by position, down the columns, among blank cells, run-together digits cut by the totals); said so it can be checked',
  numbers_left_out: 'numbers that fit no single placement, or more or fewer than the table holds; the cells concerned are left out',
  numbers_ignored: 'numbers outside every row of a table, ignored',
  readings_disagree: "the text layer and the page's image give a cell different values; the cell is left out",
  page_read_from_image: "a page was also read from its image, its text layer not being trusted alone",
  page_turned: 'a page displayed or scanned turned, read upright',
  page_not_read: 'a page, an image or an embedded part that could not be read or was over a limit',
  reading_doubted: 'a second look at an error laid to the report found our reading of its cells in doubt (shifted, or unlike the page image): the cells get a lower confidence and the finding is not laid to the report',
  no_table: 'no table found in the input',
  record_bounded: 'the record was cut to the batch’s bounds on text, notes or findings',
  unclassified: 'a note of a record written before notes had codes (xxgk 0.1), kept as its sentence',
} as const;

export type NoteCode = keyof typeof NOTE_CODES;
export const NoteCodeSchema = z.enum(Object.keys(NOTE_CODES) as [NoteCode, ...NoteCode[]]);

export const SectionSchema = z.enum(['t2', 't3', 't4']);
export type Section = z.infer<typeof SectionSchema>;

export const NoteSchema = z.object({
  code: NoteCodeSchema,
  /** The table the note is about. */
  section: SectionSchema.optional(),
  /** The row's label, as the format or the report prints it. */
  row: z.string().optional(),
  page: z.number().int().min(1).optional(),
  /** The canonical cells it concerns (cells.md), where it names them. */
  keys: z.array(z.string()).optional(),
  text: z.string(),
});
export type Note = z.infer<typeof NoteSchema>;

/** Where a note points, beside its code and sentence. */
export type NoteWhere = Omit<Note, 'code' | 'text'>;

/** A record's notes as saved by any version: the plain sentences of xxgk 0.1 become `unclassified` notes. */
export function upgradeNotes(notes: unknown): unknown {
  return Array.isArray(notes) ? notes.map((n) => (typeof n === 'string' ? note('unclassified', n) : n)) : notes;
}

/** A note; the places left undefined are not written. */
export function note(code: NoteCode, text: string, where: NoteWhere = {}): Note {
  const n: Note = { code, text };
  if (where.section) n.section = where.section;
  if (where.row !== undefined) n.row = where.row;
  if (where.page) n.page = where.page; // HTML tables have no page
  if (where.keys?.length) n.keys = where.keys;
  return n;
}

/** The section a canonical key belongs to (`t3.new.total` → t3). */
export function sectionOfKey(key: string): Section | undefined {
  const s = SectionSchema.safeParse(key.split('.')[0]);
  return s.success ? s.data : undefined;
}
