import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { extractBytes } from '../src/pipeline/index.js';
import { defaultPdfLimits, documentOptions, loadPdfjs, openPdf, readPage, refuseBombs } from '../src/extract/pdf.js';
import { releaseOcr } from '../src/extract/pdf-reading.js';
import { RecordSchema, type ReportRecord } from '../src/record/schema.js';
import { CORPUS, truthFor } from './helpers/corpus.js';
import { bigImagePdf, buildPdf, encryptedPdf, lzwBomb, manyPagesPdf, textPdf, textStream } from './hostile-make.js';

/**
 * Each hostile or broken input the issue names, made here byte by byte, read by the real reader: every one
 * gives a record, a failure says which and why, and nothing of the document is ever run.
 */

const LINES = ['Annual report on government information disclosure 2023', 'Applications received this year: 12'];
const FONT = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
const CATALOG = '<< /Type /Catalog /Pages 2 0 R >>';
const PAGES = '<< /Type /Pages /Kids [3 0 R] /Count 1 >>';
const pageWith = (resources: string) => `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << ${resources} >> /Contents 4 0 R >>`;

const read = (name: string, bytes: Uint8Array) => extractBytes(name, bytes);
const expectError = (r: ReportRecord, code: string) => {
  expect(r.error?.code, JSON.stringify(r.error)).toBe(code);
  expect(r.error?.message.length).toBeGreaterThan(5);
};
const expectRead = (r: ReportRecord) => {
  expect(r.error, JSON.stringify(r.error)).toBeUndefined();
  expect(r.text?.pages.join('\n')).toContain(LINES[0]);
};

afterAll(() => releaseOcr());

describe('nothing in a report is ever run', () => {
  // A PostScript (type 4) function is the one thing pdfjs would compile into JavaScript with `new Function`;
  // beside it, a JavaScript open action and an XFA form.
  const hostile = buildPdf([
    '<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (globalThis.__xxgkPwned = 1) >> /AcroForm << /Fields [] /XFA 7 0 R >> >>',
    PAGES,
    pageWith('/Font << /F1 5 0 R >> /ColorSpace << /CS0 [/Separation /Spot /DeviceGray 6 0 R] >>'),
    { dict: '', stream: `/CS0 cs 0.5 scn 0 0 300 300 re f ${textStream(LINES)}` },
    FONT,
    { dict: '/FunctionType 4 /Domain [0 1] /Range [0 1]', stream: '{ 1 exch sub }' },
    { dict: '', stream: '<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><script>globalThis.__xxgkPwned = 2</script></xdp:xdp>' },
  ]);

  /** Counts code compiled at run time (`new Function`, `Function()`) while `fn` runs. */
  async function compiledDuring(fn: () => Promise<unknown>): Promise<string[]> {
    const original = globalThis.Function;
    const bodies: string[] = [];
    const record = (args: unknown[]) => (args.length && String(args.at(-1)).trim() ? bodies.push(String(args.at(-1))) : 0);
    globalThis.Function = new Proxy(original, {
      construct: (t, args) => (record(args), Reflect.construct(t, args)),
      apply: (t, self, args) => (record(args), Reflect.apply(t, self, args)),
    });
    try {
      await fn();
    } finally {
      globalThis.Function = original;
    }
    return bodies;
  }

  it('compiles nothing from the document, runs no script, opens no XFA', async () => {
    // Our own code compiles once (zod builds its parsers with `new Function` on first use): warmed up first.
    expectRead(await read('plain.pdf', textPdf(LINES)));
    const compiled = await compiledDuring(async () => {
      const record = await read('hostile.pdf', hostile);
      expectRead(record);
      // and a render, as OCR and the anomaly pages do
      const { renderPage } = await import('../src/extract/ocr/raster.js');
      const doc = await openPdf(hostile);
      await renderPage(doc, 1, 72);
      expect(doc.loadingParams.enableXfa).toBe(false);
      await doc.destroy();
    });
    expect(compiled).toEqual([]);
    expect((globalThis as { __xxgkPwned?: number }).__xxgkPwned).toBeUndefined();
  });

  it('would see the compilation if pdfjs were allowed to eval (the check above can fail)', async () => {
    const pdfjs = await loadPdfjs();
    const compiled = await compiledDuring(async () => {
      const doc = await pdfjs.getDocument({ ...documentOptions(), isEvalSupported: true, data: new Uint8Array(hostile) }).promise;
      await (await doc.getPage(1)).getOperatorList();
      await doc.destroy();
    });
    expect(compiled.some((b) => b.includes('1 - '))).toBe(true);
  });
});

describe('broken PDFs give a record with an error code', () => {
  const good = readFileSync(`${CORPUS}/gen06_2021_market_lohtml.pdf`);

  it('a zero-byte file: empty', async () => expectError(await read('zero.pdf', new Uint8Array(0)), 'empty'));

  it('text with a .pdf name: not_pdf', async () => expectError(await read('fake.pdf', Buffer.from('这不是PDF文件，只是改了扩展名。\n')), 'not_pdf'));

  it('truncated PDFs: corrupt', async () => {
    for (const n of [10, 1000, good.length >> 1]) expectError(await read('cut.pdf', good.subarray(0, n)), 'corrupt');
  });

  it('a page tree that contains itself, an object that is itself: corrupt', async () => {
    expectError(await read('cycle.pdf', buildPdf([CATALOG, '<< /Type /Pages /Kids [2 0 R] /Count 1 >>'])), 'corrupt');
    expectError(await read('self.pdf', buildPdf([CATALOG, PAGES, '3 0 R'])), 'corrupt');
  });

  it('dictionaries nested past the stack: corrupt; a catalog nested past it: corrupt', async () => {
    const deep = 100_000;
    const page = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources ${'<< /A '.repeat(deep)}1${' >>'.repeat(deep)} /Contents 4 0 R >>`;
    expectError(await read('deep-dict.pdf', buildPdf([CATALOG, PAGES, page, { dict: '', stream: textStream(LINES) }])), 'corrupt');
    const catalog = `<< /Type /Catalog /Pages 2 0 R /X ${'['.repeat(deep)}${']'.repeat(deep)} >>`;
    expectError(await read('deep-array.pdf', buildPdf([catalog, PAGES, pageWith('/Font << /F1 5 0 R >>'), { dict: '', stream: textStream(LINES) }, FONT])), 'corrupt');
  });

  it('a page tree 5 000 levels deep and a form that draws itself are read', async () => {
    const n = 5000;
    const objs = [CATALOG, ...Array.from({ length: n }, (_, i) => `<< /Type /Pages /Kids [${i + 3} 0 R] /Count 1${i ? ` /Parent ${i + 1} 0 R` : ''} >>`)];
    objs.push(`<< /Type /Page /Parent ${n + 1} 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 ${n + 4} 0 R >> >> /Contents ${n + 3} 0 R >>`);
    expectRead(await read('deep-tree.pdf', buildPdf([...objs, { dict: '', stream: textStream(LINES) }, FONT])));
    const selfDrawing = buildPdf([
      CATALOG,
      PAGES,
      pageWith('/Font << /F1 5 0 R >> /XObject << /X 6 0 R >>'),
      { dict: '', stream: `/X Do ${textStream(LINES)}` },
      FONT,
      { dict: '/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /XObject << /X 6 0 R >> >>', stream: '/X Do 0 0 m 10 0 l S' },
    ]);
    expectRead(await read('self-drawing.pdf', selfDrawing));
  });
});

describe('passwords', () => {
  it('a PDF we have no password for: encrypted', async () => {
    expectError(await read('locked.pdf', encryptedPdf(LINES, 'user-secret', 'owner-secret')), 'encrypted');
  });

  it('a PDF with only an owner password (no password to open it) is read normally', async () => {
    const r = await read('owner-only.pdf', encryptedPdf(LINES, '', 'owner-secret'));
    expectRead(r);
    expect(r.text?.pages.join('\n')).toContain(LINES[1]);
  });
});

describe('too big to read whole: bounded, and the record says so', () => {
  it('2 000 pages: the first 300 are read, the record counts 2 000 and says the rest were not read', async () => {
    const r = await read('2000-pages.pdf', manyPagesPdf(2000, LINES));
    expectRead(r);
    expect(r.source.pages).toBe(2000);
    expect(r.text?.pages).toHaveLength(defaultPdfLimits.maxPages);
    expect(r.notes?.map((n) => n.text).join('\n')).toMatch(/only pages 1–300 of 2000 were read/);
  });

  it('a page 10 m wide: its text is read; as a scan, it is not rendered for OCR and the record says so', async () => {
    const wide = [0, 0, 28_000, 800];
    expectRead(await read('wide.pdf', textPdf(LINES, wide)));
    const scan = await read('wide-scan.pdf', bigImagePdf(2000, 60, wide));
    expect(scan.error).toBeUndefined();
    expect(scan.notes?.map((n) => n.text).join('\n')).toMatch(/page 1 \(28000 × 800 pt\) is too large to OCR/);
  });

  it('a scan of 12 000 × 12 000 px: the image is left out rather than decoded, and named', async () => {
    const r = await read('huge-scan.pdf', bigImagePdf(12_000, 12_000));
    expect(r.error).toBeUndefined();
    expect(r.source.pages).toBe(1);
    expect(r.notes?.map((n) => n.text).join('\n')).toMatch(/images over 40 MP were left out \(12000 × 12000 px\)/);
  });

  it('a stream that inflates to 200 MB (a decompression bomb in a 200 kB file): too_large, before pdfjs holds it', async () => {
    const bomb = buildPdf([CATALOG, PAGES, pageWith(''), { dict: '/Filter /FlateDecode', stream: deflateSync(Buffer.alloc(200 * 2 ** 20, 0x20)) }]);
    expect(bomb.length).toBeLessThan(2 ** 20);
    expectError(await read('bomb.pdf', bomb), 'too_large');
  });

  it('an image whose stream holds far more than its pixels (pdfjs would decode it all): too_large', async () => {
    const liar = buildPdf([
      CATALOG,
      PAGES,
      pageWith('/XObject << /Im0 5 0 R >>'),
      { dict: '', stream: 'q 595 0 0 842 0 0 cm /Im0 Do Q' },
      { dict: '/Type /XObject /Subtype /Image /Width 10 /Height 10 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode', stream: deflateSync(Buffer.alloc(20 * 2 ** 20, 0x80)) },
    ]);
    expectError(await read('liar-image.pdf', liar), 'too_large');
  });

  it('streams that each pass but together inflate past the total: too_large', () => {
    const mb = 2 ** 20;
    const streams = [1, 2, 3].map(() => ({ dict: '/Filter /FlateDecode', stream: deflateSync(Buffer.alloc(0.9 * mb, 0x20)) }));
    const pdf = buildPdf([CATALOG, PAGES, pageWith(''), ...streams]);
    expect(() => refuseBombs(pdf, { ...defaultPdfLimits, maxStreamBytes: mb, maxTotalStreamBytes: 2 * mb })).toThrow(/expand past 2 MB together/);
    expect(() => refuseBombs(pdf, { ...defaultPdfLimits, maxStreamBytes: mb, maxTotalStreamBytes: 3 * mb })).not.toThrow();
    expect(() => refuseBombs(readFileSync(`${CORPUS}/gen09_2021_city_gov_chromium_big.pdf`), defaultPdfLimits)).not.toThrow();
  });

  describe('every filter chain and stream syntax is bounded where it is decoded', () => {
    // 200 MB of spaces, then a line of text: past the 128 MB a stream may decode to
    const text = Buffer.from(textStream(LINES));
    const once = deflateSync(Buffer.concat([Buffer.alloc(200 * 2 ** 20, 0x20), text]));
    const page = (dict: string, stream: Buffer) => buildPdf([CATALOG, PAGES, pageWith('/Font << /F1 5 0 R >>'), { dict, stream }, FONT]);
    const withStreamLine = (pdf: Buffer, eol: string) => {
      const at = pdf.indexOf(Buffer.concat([Buffer.from('stream\n'), once.subarray(0, 4)]));
      return Buffer.concat([pdf.subarray(0, at), Buffer.from(`stream${eol}`), pdf.subarray(at + 7)]);
    };
    const cases: [string, () => Buffer][] = [
      ['[/ASCIIHexDecode /FlateDecode]', () => page('/Filter [/ASCIIHexDecode /FlateDecode]', Buffer.from(once.toString('hex') + '>'))],
      ['/LZWDecode', () => page('/Filter /LZWDecode', lzwBomb(200 * 2 ** 20))],
      ['a stream keyword ended by CR alone', () => withStreamLine(page('/Filter /FlateDecode', once), '\r')],
      ['a stream keyword followed by a space', () => withStreamLine(page('/Filter /FlateDecode', once), ' \n')],
    ];
    for (const [name, make] of cases)
      it(`${name}: too_large, naming the limit`, async () => {
        const pdf = make();
        expect(pdf.length).toBeLessThan(2 * 2 ** 20);
        const r = await read('bomb.pdf', pdf);
        expectError(r, 'too_large');
        expect(r.error?.message).toMatch(/past 128 MB/);
      });
    it('the same text under each filter, without the bomb, is read', async () => {
      const zipped = deflateSync(text);
      expectRead(await read('hexflate.pdf', page('/Filter [/ASCIIHexDecode /FlateDecode]', Buffer.from(zipped.toString('hex') + '>'))));
    });
  });

  it('a page tree claiming /Count -5: a valid record that counts no negative pages and says why', async () => {
    const pdf = buildPdf([CATALOG, '<< /Type /Pages /Kids [3 0 R] /Count -5 >>', pageWith('/Font << /F1 5 0 R >>'), { dict: '', stream: textStream(LINES) }, FONT]);
    const r = await read('count-neg.pdf', pdf);
    expect(RecordSchema.safeParse(r).success).toBe(true);
    expect(r.source.pages).toBeGreaterThanOrEqual(0);
    expect(r.error?.code).toBe('corrupt');
    expect(r.error?.message).toMatch(/no page/);
  });

  it('an ordinary scan-sized image is still decoded (the limit is above real scans)', async () => {
    const doc = await openPdf(bigImagePdf(1654, 2339)); // A4 at 200 dpi
    const content = await readPage(doc, 1);
    expect(content.imageCover).toBeGreaterThan(0.9);
    await doc.destroy();
  });
});

describe('HTML and text', () => {
  it('HTML with scripts, handlers and broken markup: read as text, scripts dropped', async () => {
    const html = `<html><head><script>document.title='<table><tr><td>行政许可</td><td>999</td></tr></table>'; fetch('http://evil.invalid')</script>
<style>td{color:red}</style></head><body onload="alert(1)"><h1>某某局2021年政府信息公开工作年度报告</h1><p>unclosed <b>bold <i>italic
<table><tr><td>本年新收政府信息公开申请数量<td>12<tr><td>broken<td><td></tr></table></div></span><table <tr>
<script>alert(2)</script><iframe src="http://evil.invalid"></iframe><img src=x onerror=alert(3)><!-- never closed`;
    const r = await read('hostile.html', Buffer.from(html));
    expect(r.error).toBeUndefined();
    expect(r.source.kind).toBe('html');
    const text = r.text!.pages.join('\n');
    expect(text).toContain('本年新收政府信息公开申请数量 12');
    expect(text).not.toMatch(/alert|fetch|document\.title|999|color:red/);
  });

  it('GBK without a charset, as text and as HTML: read as well as the UTF-8 original', async () => {
    for (const [file, name] of [
      [`${CORPUS}/seed_xiangshan_hrss_2020.txt`, 'report.txt'],
      [`${CORPUS}/gen08_2019_gov_office_chromium_separate_page.html`, 'report.html'],
    ]) {
      const utf8 = readFileSync(file, 'utf8').replace(/<meta charset="utf-8">/i, '');
      const truth = truthFor(file);
      const gbk = await read(name, iconv.encode(utf8, 'gbk'));
      const plain = await read(name, Buffer.from(utf8));
      expect(gbk.error).toBeUndefined();
      expect(gbk.meta.agency).toBe(truth.meta.agency);
      const right = (r: ReportRecord) => Object.entries(truth.cells).filter(([k, v]) => r.cells[k] === v).length;
      expect(right(gbk)).toBe(right(plain));
      expect(right(gbk)).toBeGreaterThan(0.9 * Object.keys(truth.cells).length);
    }
  });
});
