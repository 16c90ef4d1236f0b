/** OCR of image-only pages: same PageContent as the digital path, items with `via: 'ocr'` and a confidence. */
export { ocrPage, OCR_DEFAULTS, type OcrOptions, type OcrPageResult } from './page.js';
export { needsOcr, NEEDS_OCR, type NeedsOcrSettings } from './detect.js';
export { terminateOcr } from './engine.js';
export { doubtByIdentities, oneDigitAway, DOUBT, type DoubtSettings } from './doubt.js';
export { readCell, UNREADABLE } from './cells.js';
