import { readText as readTextReading } from '../extract/text-report.js';
import { extractionOfReading, type Extraction } from './index.js';

/** A report given as text, read to canonical cells: the text reader's whole path, for tools and tests. */
export function readText(text: string): Extraction {
  return extractionOfReading(readTextReading(text));
}
