import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

/**
 * Hand-written PDFs for the hostile-input tests: every byte is ours, so each case is exactly the
 * damage it names (a cycle, an encryption dictionary, a 28 000 pt page). Not a product module.
 */

/** An indirect object's body: a plain object (dictionary, array, number…) or a stream. */
export type PdfObject = string | { dict: string; stream: Buffer | string };

/** Writes objects 1..n with a correct xref table; object 1 is the catalog unless `trailer` says otherwise. */
export function buildPdf(objects: PdfObject[], trailer = '/Root 1 0 R'): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = parts[0].length;
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(length);
    const body =
      typeof o === 'string'
        ? Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`, 'latin1')
        : Buffer.concat([
            Buffer.from(`${i + 1} 0 obj\n<< ${o.dict} /Length ${Buffer.byteLength(o.stream)} >>\nstream\n`, 'latin1'),
            Buffer.from(o.stream as never),
            Buffer.from('\nendstream\nendobj\n', 'latin1'),
          ]);
    parts.push(body);
    length += body.length;
  });
  const xref = ['xref', `0 ${objects.length + 1}`, '0000000000 65535 f ', ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `)];
  parts.push(Buffer.from(`${xref.join('\n')}\ntrailer\n<< /Size ${objects.length + 1} ${trailer} >>\nstartxref\n${length}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

/** Text drawn with Helvetica: enough characters that a page is never taken for a scan. */
export const textStream = (lines: string[], x = 72, y = 760) =>
  `BT /F1 12 Tf ${x} ${y} Td 14 TL ${lines.map((l) => `(${l.replace(/[()\\]/g, '\\$&')}) '`).join(' ')} ET`;

const FONT = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';

/** One page of text: objects 1 catalog, 2 pages, 3 page, 4 content, 5 font. */
export function textPdf(lines: string[], mediaBox = [0, 0, 595, 842]): Buffer {
  return buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [${mediaBox.join(' ')}] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>`,
    { dict: '', stream: textStream(lines) },
    FONT,
  ]);
}

/** `n` pages sharing one content stream and one font. */
export function manyPagesPdf(n: number, lines: string[]): Buffer {
  const first = 4; // pages are objects 4..n+3
  const kids = Array.from({ length: n }, (_, i) => `${first + i} 0 R`).join(' ');
  const pages = Array.from(
    { length: n },
    () => '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ' + `${first + n} 0 R >>`,
  );
  return buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${n} >>`,
    FONT,
    ...pages,
    { dict: '', stream: textStream(lines) },
  ]);
}

/** A page covered by one grey image of `w` × `h` px, like a scan; the image is white with a dark frame. */
export function bigImagePdf(w: number, h: number, mediaBox = [0, 0, 595, 842]): Buffer {
  const raw = Buffer.alloc(w * h, 0xff);
  for (let x = 0; x < w; x++) raw[x] = raw[(h - 1) * w + x] = 0;
  for (let y = 0; y < h; y++) raw[y * w] = raw[y * w + w - 1] = 0;
  return buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [${mediaBox.join(' ')}] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>`,
    { dict: '', stream: `q ${mediaBox[2]} 0 0 ${mediaBox[3]} 0 0 cm /Im0 Do Q` },
    {
      dict: `/Type /XObject /Subtype /Image /Width ${w} /Height ${h} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode`,
      stream: deflateSync(raw, { level: 1 }),
    },
  ]);
}

// --- The standard security handler, revision 3 (RC4, 128-bit), written out from the PDF spec (7.6.3) ---

const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');
const md5 = (...b: Buffer[]) => createHash('md5').update(Buffer.concat(b)).digest();
const padded = (pw: string) => Buffer.concat([Buffer.from(pw, 'latin1'), PAD]).subarray(0, 32);

/** RC4 in a few lines: OpenSSL 3 keeps its own in the legacy provider, which Node does not load. */
export function rc4(key: Buffer, data: Buffer): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i] + key[i % key.length]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
  }
  const out = Buffer.alloc(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    j = (j + s[i]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
    out[k] = data[k] ^ s[(s[i] + s[j]) & 255];
  }
  return out;
}

/**
 * One page of text encrypted with RC4-128. With an empty user password any reader opens it (only the
 * owner's permissions are protected); with a non-empty one it cannot be read without that password.
 */
export function encryptedPdf(lines: string[], userPassword: string, ownerPassword: string): Buffer {
  const id = createHash('md5').update(`xxgk-${userPassword}-${ownerPassword}`).digest();
  const P = -3904; // printing and copying refused: the usual owner-password-only report
  // Algorithm 3: O from the owner password
  let ok = md5(padded(ownerPassword || userPassword));
  for (let i = 0; i < 50; i++) ok = md5(ok);
  let O = rc4(ok, padded(userPassword));
  for (let i = 1; i <= 19; i++) O = rc4(Buffer.from(ok.map((b) => b ^ i)), O);
  // Algorithm 2: the file key
  const p = Buffer.alloc(4);
  p.writeInt32LE(P);
  let key = md5(padded(userPassword), O, p, id);
  for (let i = 0; i < 50; i++) key = md5(key);
  // Algorithm 5: U
  let U = rc4(key, md5(PAD, id));
  for (let i = 1; i <= 19; i++) U = rc4(Buffer.from(key.map((b) => b ^ i)), U);
  U = Buffer.concat([U, Buffer.alloc(16)]);
  const objKey = (num: number) => md5(key, Buffer.from([num & 255, (num >> 8) & 255, (num >> 16) & 255, 0, 0])).subarray(0, 16);
  const content = rc4(objKey(4), Buffer.from(textStream(lines), 'latin1'));
  const hex = (b: Buffer) => `<${b.toString('hex')}>`;
  return buildPdf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
      { dict: '', stream: content },
      FONT,
      `<< /Filter /Standard /V 2 /R 3 /Length 128 /P ${P} /O ${hex(O)} /U ${hex(U)} >>`,
    ],
    `/Root 1 0 R /Encrypt 6 0 R /ID [${hex(id)} ${hex(id)}]`,
  );
}

/** One page of `n` nested `q` (save) operators around a line of text: pdfjs's text pass is quadratic in the nesting. */
export function deepSavePdf(n: number): Buffer {
  return buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    { dict: '/Filter /FlateDecode', stream: deflateSync(`${'q '.repeat(n)}${textStream(['deep'])}${' Q'.repeat(n)}`) },
    FONT,
  ]);
}

/** One page of `n` one-letter text runs, each on its own line (so no reader can join them), deflated to a few kB: the reader's heap grows with the runs. */
export function manyRunsPdf(n: number): Buffer {
  return buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    { dict: '/Filter /FlateDecode', stream: deflateSync(`BT /F1 1 Tf ${'(a) Tj 0 -1 Td '.repeat(n)}ET`) },
    FONT,
  ]);
}

/**
 * LZWDecode data (early change, as PDF's default) that decodes to about `total` spaces: each code names the
 * previous string plus one space, so one table of 4 096 codes yields ~8 MB from ~6 kB.
 */
export function lzwBomb(total: number): Buffer {
  const codes: [number, number][] = [];
  let out = 0;
  let width = 9;
  while (out < total) {
    codes.push([256, width]); // clear table
    width = 9;
    codes.push([0x20, width]);
    let run = 1;
    out += 1;
    for (let next = 258; next <= 4094 && out < total; ) {
      codes.push([next, width]);
      out += ++run;
      next++;
      if (((next + 1) & next) === 0) width = Math.min(Math.floor(Math.log2(next + 1)) + 1, 12);
    }
  }
  codes.push([257, width]); // end of data
  const bytes: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const [code, w] of codes) {
    acc = (acc << w) | code;
    bits += w;
    while (bits >= 8) {
      bits -= 8;
      bytes.push((acc >> bits) & 0xff);
    }
    acc &= (1 << bits) - 1;
  }
  if (bits) bytes.push((acc << (8 - bits)) & 0xff);
  return Buffer.from(bytes);
}
