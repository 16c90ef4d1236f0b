import type { MappedCells } from './collector.js';
import { note, sectionOfKey } from '../record/notes.js';

/**
 * The reading from the text layer and the reading with its suspect pages read from their image, put together:
 * a cell both give alike keeps the text layer's reading, a cell only one gives is taken from it, and a cell they
 * give differently is left out (one of them misread it, and nothing tells which).
 */
export function mergeReadings(text: MappedCells, image: MappedCells): MappedCells {
  const cells: MappedCells['cells'] = {};
  const provenance: MappedCells['provenance'] = {};
  const notes = [...image.notes];
  for (const key of new Set([...Object.keys(text.cells), ...Object.keys(image.cells)])) {
    const [a, b] = [key in text.cells, key in image.cells];
    if (a && b && text.cells[key] !== image.cells[key]) {
      notes.push(note('readings_disagree', `${key}: the text layer gives ${text.cells[key]}, the page's image ${image.cells[key]}; left out`, { section: sectionOfKey(key), page: image.provenance[key]?.page, keys: [key] }));
      continue;
    }
    const from = a ? text : image;
    cells[key] = from.cells[key];
    provenance[key] = from.provenance[key];
  }
  const layout = image.layout ?? text.layout;
  return { layout, format: image.layout ? image.format : text.format, cells, provenance, notes, unmatched: image.unmatched, unknownTables: image.unknownTables };
}
