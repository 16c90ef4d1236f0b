import iconv from 'iconv-lite';

/**
 * Bytes of a text or HTML report → string. Agency sites still publish GBK pages and
 * Windows tools still write GB18030 text: UTF-8 is taken only when the bytes are valid
 * UTF-8 (or carry its BOM) and no declared charset says otherwise.
 */
export function decodeBytes(bytes: Uint8Array, declared?: string | null): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf.subarray(2));
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf.subarray(2));
  const charset = declared?.trim().toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8' && iconv.encodingExists(charset)) {
    // GB2312 pages routinely contain GBK-only characters; GB18030 is their superset.
    const enc = /^(gb2312|gbk|gb18030|x-gbk|cp936)$/.test(charset) ? 'gb18030' : charset;
    return iconv.decode(buf, enc);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return iconv.decode(buf, 'gb18030');
  }
}

/** The charset an HTML document declares in its first bytes (`<meta charset>` or http-equiv). */
export function declaredCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const m =
    head.match(/<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i) ??
    head.match(/<\?xml[^>]+encoding\s*=\s*["']([\w-]+)/i);
  return m ? m[1] : null;
}
