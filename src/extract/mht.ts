import { declaredCharset, decodeBytes } from './text-decode.js';

/**
 * MHTML (Word's "single file web page", often published as .doc or .mht, and the HTML chunks web tools put in
 * a docx): a MIME message whose text/html part is the page. Only that part is taken, decoded from its
 * transfer encoding and charset; images and other parts are never looked at.
 */

const HEAD_BYTES = 2048;

/** A MIME message carrying HTML, by its first bytes: MIME headers and an HTML or multipart content type. */
export function isMht(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, HEAD_BYTES)).toString('latin1');
  const headers = head.split(/\r?\n\r?\n/)[0];
  return /^MIME-Version:/im.test(headers) && /^Content-Type:\s*(?:multipart\/related|text\/html)/im.test(headers);
}

/** The HTML of an MHTML message, or null when it has none. */
export function mhtHtml(bytes: Uint8Array): string | null {
  // latin1 keeps every byte as one character, so that encoded parts decode to their own bytes.
  const part = htmlPart(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'));
  if (!part) return null;
  const raw = decodeTransfer(part.body, header(part.headers, 'content-transfer-encoding'));
  return decodeBytes(raw, param(header(part.headers, 'content-type'), 'charset') ?? declaredCharset(raw));
}

interface Part {
  headers: string;
  body: string;
}

function split(entity: string): Part {
  const m = entity.match(/\r?\n\r?\n/);
  return m?.index === undefined ? { headers: entity, body: '' } : { headers: entity.slice(0, m.index), body: entity.slice(m.index + m[0].length) };
}

/** The first text/html entity, looking into multipart bodies (nested ones too, a few levels deep). */
function htmlPart(entity: string, depth = 0): Part | null {
  const part = split(entity);
  const type = header(part.headers, 'content-type') ?? 'text/plain';
  if (/^text\/html/i.test(type)) return part;
  const boundary = param(type, 'boundary');
  if (!/^multipart\//i.test(type) || !boundary || depth > 3) return null;
  for (const piece of part.body.split(`--${boundary}`).slice(1)) {
    if (piece.startsWith('--')) break;
    const found = htmlPart(piece.replace(/^\r?\n/, ''), depth + 1);
    if (found) return found;
  }
  return null;
}

/** A header's value, folded lines unfolded. */
function header(headers: string, name: string): string | null {
  const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ');
  const m = unfolded.match(new RegExp(`^${name}:\\s*(.*)$`, 'im'));
  return m ? m[1].trim() : null;
}

function param(value: string | null, name: string): string | null {
  const m = value?.match(new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i'));
  return m ? (m[1] ?? m[2]) : null;
}

function decodeTransfer(body: string, encoding: string | null): Buffer {
  switch (encoding?.toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    case 'quoted-printable':
      return Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    default:
      return Buffer.from(body, 'latin1');
  }
}
