import iconv from 'iconv-lite';

/** Bit 11 of the general purpose flag: the writer declared the name UTF-8. */
const UTF8_FLAG = 0x800;
/** Info-ZIP Unicode Path extra field: a UTF-8 copy of the name beside a legacy-encoded one. */
const UNICODE_PATH_FIELD = 0x7075;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The name of a zip entry as text. Chinese archives made on Windows store names in GBK without saying so;
 * others store UTF-8 with or without the flag. A byte string that is valid UTF-8 is almost never GBK text,
 * so UTF-8 validity decides, and GB18030 (a superset of GBK) reads the rest.
 */
export function decodeEntryName(raw: Buffer, flags: number, extraFields: { id: number; data: Buffer }[] = []): string {
  if (flags & UTF8_FLAG) return raw.toString('utf8');
  const unicodePath = extraFields.find((f) => f.id === UNICODE_PATH_FIELD);
  // version 1, then the CRC-32 of the legacy name, then the UTF-8 name
  if (unicodePath && unicodePath.data.length > 5 && unicodePath.data[0] === 1) return unicodePath.data.subarray(5).toString('utf8');
  try {
    return strictUtf8.decode(raw);
  } catch {
    return iconv.decode(raw, 'gb18030');
  }
}
