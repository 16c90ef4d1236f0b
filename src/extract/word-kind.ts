/** Word files told apart by their bytes, not their names (a .doc is often a docx, an RTF or an HTML page). */

const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/**
 * What a Word-like file is, from its bytes: a binary (OLE2) .doc / .wps, an RTF, an OpenDocument text
 * (its uncompressed `mimetype` entry comes first), any other zip (a docx, or a zip that the docx reader will
 * say is none), or none of them.
 */
export function wordContainer(bytes: Uint8Array): 'docx' | 'doc' | 'rtf' | 'odt' | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) {
    return buf.subarray(30, 120).toString('latin1').startsWith('mimetypeapplication/vnd.oasis.opendocument.text') ? 'odt' : 'docx';
  }
  if (buf.subarray(0, 8).equals(OLE2_MAGIC)) return 'doc';
  if (buf.subarray(0, 5).toString('latin1') === '{\\rtf') return 'rtf';
  return null;
}
