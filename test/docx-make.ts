import { T3_COLUMNS, T3_GROUP_LABELS, t3RowsFor } from '../src/format/catalog.js';
import { buildZip } from './batch-zipwriter.js';

/**
 * A Word package written by hand, as Word writes one: the body's XML with its merges spelled out
 * (w:gridSpan, w:vMerge), zipped with the parts a docx has. Not a product module.
 */

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A cell: text (null for the continuation of a vertical merge), how many grid columns, and whether a merge starts here. */
export interface CellSpec {
  text: string | null;
  span?: number;
  restart?: boolean;
}

export const p = (text: string) => `<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:sz w:val="21"/></w:rPr><w:t xml:space="preserve">${esc(text)}</w:t></w:r></w:p>`;

export function tc(c: CellSpec, inner = ''): string {
  const props = [
    c.span && c.span > 1 ? `<w:gridSpan w:val="${c.span}"/>` : '',
    c.text === null ? '<w:vMerge/>' : c.restart ? '<w:vMerge w:val="restart"/>' : '',
  ].join('');
  // Word always writes a paragraph in a cell, empty or not.
  return `<w:tc><w:tcPr><w:tcW w:w="900" w:type="dxa"/>${props}</w:tcPr>${inner}${p(c.text ?? '')}</w:tc>`;
}

export const tr = (cells: CellSpec[]) => `<w:tr>${cells.map((c) => tc(c)).join('')}</w:tr>`;

export const tbl = (columns: number, rows: string[]) =>
  `<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>${'<w:gridCol w:w="900"/>'.repeat(columns)}</w:tblGrid>${rows.join('')}</w:tbl>`;

/** A paragraph anchoring a text box, written twice as Word does (DrawingML choice, VML fallback). */
export const textBox = (text: string) =>
  `<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>${p(text)}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>${p(text)}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>`;

const NS = [
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"',
  'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"',
  'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"',
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"',
  'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"',
  'xmlns:v="urn:schemas-microsoft-com:vml"',
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"',
].join(' ');

export const documentXml = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ${NS}><w:body>${body}<w:sectPr><w:footerReference w:type="default" r:id="rId9"/></w:sectPr></w:body></w:document>`;

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

/** A docx package around a body; `footer` goes to word/footer1.xml, which a reader must not take for the body. */
export function docxPackage(body: string, footer = '', extra: { name: string; data: Buffer }[] = [], bodyXml = documentXml(body)): Buffer {
  return buildZip([
    { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES) },
    { name: '_rels/.rels', data: Buffer.from(RELS) },
    { name: 'word/document.xml', data: Buffer.from(bodyXml) },
    { name: 'word/footer1.xml', data: Buffer.from(`<w:ftr ${NS}>${p(footer)}</w:ftr>`) },
    ...extra,
  ]);
}

/**
 * Section 三 of the 2021 format as Word lays it out: the header's corner and its 自然人 / 总计 merged down
 * three rows, the group labels 三、本年度办理结果 and （三）… （六）merged down their rows. `value(row, col)`
 * gives each number's text ('' for a blank cell); `splitAfter` cuts the table in two there, with a
 * paragraph between (the second part has no header, and its group cell starts afresh).
 */
export function t3Tables(value: (row: string, col: string) => string, splitAfter: string): { first: string; second: string } {
  const header = [
    tr([{ text: '', span: 3, restart: true }, { text: '申请人情况', span: 7 }]),
    tr([{ text: null, span: 3 }, { text: '自然人', restart: true }, { text: '法人或其他组织', span: 5 }, { text: '总计', restart: true }]),
    tr([{ text: null, span: 3 }, { text: null }, ...T3_COLUMNS.slice(1, 6).map((c) => ({ text: c.label })), { text: null }]),
  ];
  const first: string[] = [...header];
  const second: string[] = [];
  let target = first;
  let lastGroup: string | undefined;
  let inResults = false;
  for (const row of t3RowsFor(true)) {
    const labels: CellSpec[] = [];
    const result = !['new', 'carried_in', 'carried_out'].includes(row.id);
    if (result) {
      labels.push(inResults && target.length ? { text: null } : { text: '三、本年度办理结果', restart: true });
      inResults = true;
      if (row.group) {
        labels.push(lastGroup === row.group && target.length ? { text: null } : { text: T3_GROUP_LABELS[row.group], restart: true });
        labels.push({ text: row.label });
      } else labels.push({ text: row.label, span: 2 });
    } else {
      inResults = false;
      labels.push({ text: row.label, span: 3 });
    }
    lastGroup = row.group;
    target.push(tr([...labels, ...T3_COLUMNS.map((c) => ({ text: value(row.id, c.id) }))]));
    if (row.id === splitAfter) {
      target = second;
      // the first row of the second part starts its merges afresh
      inResults = false;
      lastGroup = undefined;
    }
  }
  return { first: tbl(10, first), second: tbl(10, second) };
}

/** An HTML page as a single-file web page (MHTML): quoted-printable, soft line breaks, as Word saves one. */
export function mhtml(html: Buffer, charset: string): Buffer {
  let qp = '';
  let line = 0;
  for (const byte of html) {
    const ch = byte === 0x0a ? '\r\n' : byte >= 0x20 && byte < 0x7f && byte !== 0x3d ? String.fromCharCode(byte) : byte === 0x0d ? '' : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    if (ch === '\r\n') line = 0;
    else if (line + ch.length > 75) {
      qp += '=\r\n';
      line = 0;
    }
    qp += ch;
    line += ch === '\r\n' ? 0 : ch.length;
  }
  const boundary = '----=_NextPart_01DA0000.12345678';
  return Buffer.from(
    `MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\tboundary="${boundary}"\r\n\r\nThis document is a Single File Web Page.\r\n\r\n` +
      `--${boundary}\r\nContent-Location: file:///C:/report.htm\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Type: text/html; charset="${charset}"\r\n\r\n${qp}\r\n\r\n` +
      `--${boundary}\r\nContent-Location: file:///C:/report_files/image001.png\r\nContent-Transfer-Encoding: base64\r\nContent-Type: image/png\r\n\r\niVBORw0KGgo=\r\n\r\n--${boundary}--\r\n`,
    'latin1',
  );
}

/** A docx as web tools export one: its body a single w:altChunk pointing at an MHTML part. */
export function altChunkDocx(chunk: Buffer): Buffer {
  const body = documentXml('<w:altChunk r:id="htmlChunk"/>');
  const rels = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="htmlChunk" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" Target="/word/afchunk.mht"/></Relationships>`;
  return docxPackage('', '', [{ name: 'word/_rels/document.xml.rels', data: Buffer.from(rels) }, { name: 'word/afchunk.mht', data: chunk }], body);
}
