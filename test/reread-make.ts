/**
 * A hand-made lie in a PDF's text layer: one table cell of a real digital report is shown in a copy of its
 * font whose ToUnicode map says another digit for one of its glyphs. The page looks as before (same glyphs);
 * copying its text, or reading its text layer, gives the other digit. qpdf's QDF form makes the PDF's objects
 * editable as text; fix-qdf mends the offsets and lengths.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

type Box = [number, number, number, number];

const objectText = (qdf: string, id: number): { start: number; end: number; body: string } => {
  const head = new RegExp(`\\n${id} 0 obj\\n`).exec(qdf);
  if (!head) throw new Error(`object ${id} not found`);
  const start = head.index + head[0].length;
  const end = qdf.indexOf('endobj', start);
  return { start, end, body: qdf.slice(start, end) };
};
const ref = (body: string, name: string): number => {
  const m = new RegExp(`/${name} (\\d+) 0 R`).exec(body);
  if (!m) throw new Error(`no /${name} in ${body.slice(0, 200)}`);
  return Number(m[1]);
};

/**
 * Writes `out`: `src` with the text of the cell at `box` (top-left points) on page `page` mapped to the
 * Unicode of digit `to` wherever its glyph for digit `from` stands.
 */
export function lieInCell(src: string, out: string, page: number, box: Box, from: string, to: string): void {
  const tmp = `${out}.qdf`;
  execFileSync('qpdf', ['--qdf', '--object-streams=disable', src, tmp]);
  let qdf = readFileSync(tmp, 'latin1');
  const pageId = Number(new RegExp(`%% Page ${page}\\n(?:%%.*\\n)*(\\d+) 0 obj`).exec(qdf)![1]);
  const pageObj = objectText(qdf, pageId).body;
  const height = Number(/\/MediaBox \[\s*[\d.]+\s+[\d.]+\s+[\d.]+\s+([\d.]+)/.exec(pageObj)![1]);
  const contents = objectText(qdf, ref(pageObj, 'Contents'));
  // The cell's text object: positioned (Td) inside the cell's box, its baseline near the box's bottom.
  const block = [...contents.body.matchAll(/BT\n([\d.]+) ([\d.]+) Td (\/\w+) ([\d.]+) Tf/g)].find((m) => {
    const [x, y] = [Number(m[1]), height - Number(m[2])];
    return x >= box[0] - 2 && x <= box[2] && y >= box[1] && y <= box[3] + 2;
  });
  if (!block) throw new Error(`no text object in ${box.join(' ')} on page ${page}`);
  const fontName = block[3].slice(1);
  const resources = objectText(qdf, ref(pageObj, 'Resources')).body;
  const fontDictId = ref(resources, 'Font');
  const fontId = ref(objectText(qdf, fontDictId).body, fontName);
  const font = objectText(qdf, fontId).body;
  const cmap = objectText(qdf, ref(font, 'ToUnicode')).body;
  const code = new RegExp(`<([0-9A-F]{2,4})> <003${from}>`, 'i').exec(cmap);
  if (!code) throw new Error(`the font maps no glyph to ${from}`);
  const stream = /stream\n([\s\S]*?)endstream/.exec(cmap)![1].replace(code[0], `<${code[1]}> <003${to}>`);
  const size = Number(/\/Size (\d+)/.exec(qdf)![1]);
  const [lieFont, lieMap, lieLength] = [size, size + 1, size + 2];
  // In QDF's own shape (a stream's length in the object after it), so that fix-qdf mends offsets and lengths.
  const added =
    `%% Original object ID: ${lieFont} 0\n${lieFont} 0 obj\n${font.replace(/\/ToUnicode \d+ 0 R/, `/ToUnicode ${lieMap} 0 R`)}endobj\n\n` +
    `%% Original object ID: ${lieMap} 0\n${lieMap} 0 obj\n<<\n  /Length ${lieLength} 0 R\n>>\nstream\n${stream}endstream\nendobj\n\n` +
    `${lieLength} 0 obj\n${Buffer.byteLength(stream, 'latin1')}\nendobj\n\n`;
  // The cell alone is shown in the lying copy; the font dictionary lists it beside the original.
  const at = block.index! + contents.start;
  qdf = qdf.slice(0, at) + block[0].replace(block[3], '/Lie') + qdf.slice(at + block[0].length);
  const dict = objectText(qdf, fontDictId);
  qdf = qdf.slice(0, dict.start) + dict.body.replace('<<', `<<\n  /Lie ${lieFont} 0 R`) + qdf.slice(dict.end);
  qdf = qdf.replace(/\nxref\n/, `\n${added}xref\n`).replace(/\/Size \d+/, `/Size ${size + 3}`);
  writeFileSync(tmp, qdf, 'latin1');
  const fixed = execFileSync('fix-qdf', [tmp], { maxBuffer: 1 << 28 });
  writeFileSync(tmp, fixed);
  execFileSync('qpdf', [tmp, out]);
}
