import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { ReviewStateSchema, ReviewStore } from '../../batch/reviews.js';
import { TOOL_VERSION } from '../../version.js';
import { rectificationHtml, reviewedCsv, reviewedXlsx } from './exports.js';
import { Results } from './model.js';
import { filtersOf, pageOf, renderOverview } from './overview.js';
import { renderReport } from './report.js';
import { SourcePages } from './sources.js';

/**
 * `xxgk serve`: the review app over a results folder, on Node's own http server. Only fixed routes answer:
 * pages computed from the records, the app's two assets from a fixed list, page images by content hash; no
 * path from a request ever reaches the file system. Bound to loopback unless told otherwise, and then only
 * with an access token. Every write is a same-origin JSON POST carrying the page's write token.
 */

export interface ServeOptions {
  results: string;
  host: string;
  /** 0 = any free port. */
  port: number;
  /** Required when `host` is not a loopback address; asked once (?token=…) and then kept in a cookie. */
  token?: string;
  /** Extra places of the batch's inputs, as the batch was given them. */
  sources?: string[];
}

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

const ASSETS_DIR = join(import.meta.dirname, 'assets');
const ASSETS: Record<string, string> = { '/assets/app.js': 'text/javascript; charset=utf-8', '/assets/app.css': 'text/css; charset=utf-8' };
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const MAX_BODY = 64 * 1024;
const SHA = '[0-9a-f]{64}';

export const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);

export class ServeError extends Error {}

const ReviewBody = z.object({ sha256: z.string().regex(new RegExp(`^${SHA}$`)), findingKeys: z.array(z.string().max(4000)).min(1).max(500), state: ReviewStateSchema, note: z.string().max(4000) });
const CorrectionBody = z.object({
  sha256: z.string().regex(new RegExp(`^${SHA}$`)),
  key: z.string().max(200),
  value: z.number().finite().nullable().optional(),
  reason: z.string().max(2000).optional(),
  remove: z.boolean().optional(),
});

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  if (!isLoopback(opts.host) && !opts.token) throw new ServeError(`refusing to listen on ${opts.host} without --token: anyone on the network could read and change the reviews`);
  if (opts.token !== undefined && !/^[A-Za-z0-9_-]{16,}$/.test(opts.token)) throw new ServeError('--token must be at least 16 letters, digits, - or _');
  const dir = resolve(opts.results);
  const ledger = join(dir, 'xxgk.sqlite');
  if (!existsSync(join(dir, 'records.jsonl')) || !existsSync(ledger)) throw new ServeError(`${opts.results}: not a results folder (no records.jsonl and xxgk.sqlite; run xxgk batch --out ${opts.results} first)`);
  const store = ReviewStore.open(ledger);
  const roots = () => {
    const known = store.inputRoots();
    for (const s of opts.sources ?? []) known.set(basename(resolve(s)), resolve(s));
    return known;
  };
  const app = new App(new Results(dir, store), new SourcePages(roots), opts.token, randomBytes(24).toString('hex'));
  const server = createServer((req, res) => {
    app.handle(req, res).catch((err) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `内部错误：${(err as Error)?.message ?? err}`);
      else res.destroy();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port, opts.host, () => ok());
  });
  const addr = server.address() as { port: number };
  app.allowedHosts = hostsFor(opts.host, addr.port);
  const shownHost = isIP(opts.host) === 6 ? `[${opts.host}]` : opts.host;
  return {
    server,
    url: `http://${shownHost}:${addr.port}/`,
    close: async () => {
      await new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections();
      await app.pages.close();
      store.close();
    },
  };
}

/**
 * Host headers we answer to on loopback: a page served under another name (DNS rebinding) is refused. Off
 * loopback the machine is reached by whatever name the office uses, and the access token guards it instead.
 */
function hostsFor(host: string, port: number): Set<string> | null {
  if (!isLoopback(host)) return null;
  return new Set(['127.0.0.1', 'localhost', '[::1]', host].map((n) => `${n}:${port}`));
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(body);
}

const sameSecret = (a: string | undefined, b: string) => !!a && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

class App {
  allowedHosts: Set<string> | null = new Set<string>();

  constructor(
    readonly results: Results,
    readonly pages: SourcePages,
    private accessToken: string | undefined,
    private csrf: string,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse) {
    if (this.allowedHosts && !this.allowedHosts.has(req.headers.host ?? '')) return send(res, 421, 'text/plain; charset=utf-8', 'unknown host');
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (this.accessToken && !this.admitted(req, res, url)) return;
    if (req.method === 'POST') return this.write(req, res, url.pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed', { Allow: 'GET, HEAD, POST' });
    return this.read(res, url);
  }

  /** With an access token: `?token=` once sets a cookie and redirects; every other request needs the cookie. */
  private admitted(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const given = url.searchParams.get('token');
    if (given !== null && sameSecret(given, this.accessToken!)) {
      url.searchParams.delete('token');
      send(res, 303, 'text/plain; charset=utf-8', '', { Location: url.pathname + url.search, 'Set-Cookie': `xxgk_token=${this.accessToken}; HttpOnly; SameSite=Strict; Path=/` });
      return false;
    }
    if (sameSecret(cookie(req, 'xxgk_token'), this.accessToken!)) return true;
    send(res, 401, 'text/plain; charset=utf-8', '需要访问令牌：请使用启动时显示的完整地址（含 ?token=）。');
    return false;
  }

  private async read(res: ServerResponse, url: URL) {
    const path = url.pathname;
    const html = 'text/html; charset=utf-8';
    if (path === '/') {
      const { problems } = await this.results.records();
      return send(res, 200, html, renderOverview(await this.results.items(), filtersOf(url.searchParams), pageOf(url.searchParams), this.csrf, problems));
    }
    if (path === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
    if (Object.hasOwn(ASSETS, path)) return send(res, 200, ASSETS[path], await readFile(join(ASSETS_DIR, path.slice('/assets/'.length))), { 'Cache-Control': 'no-cache' });
    let m = new RegExp(`^/report/(${SHA})$`).exec(path);
    if (m) {
      const item = await this.results.item(m[1]);
      if (!item) return send(res, 404, 'text/plain; charset=utf-8', '没有这份报告');
      const pages = [...new Set(Object.values(item.record.provenance).flatMap((p) => (p.page && p.bbox ? [p.page] : [])))];
      const sizes = pages.length ? await this.pages.sizes(item.record, pages).catch(() => null) : null;
      return send(res, 200, html, renderReport(item, sizes, this.csrf));
    }
    m = new RegExp(`^/page/(${SHA})/([1-9][0-9]{0,3})\\.png$`).exec(path);
    if (m) {
      const item = await this.results.item(m[1]);
      const png = item && (await this.pages.png(item.record, Number(m[2])));
      return png ? send(res, 200, 'image/png', png, { 'Cache-Control': 'private, max-age=3600' }) : send(res, 404, 'text/plain; charset=utf-8', '页面图像不可用');
    }
    m = new RegExp(`^/crop/(${SHA})/(0|[1-9][0-9]{0,4})\\.png$`).exec(path);
    if (m) {
      const item = await this.results.item(m[1]);
      const f = item?.findings[Number(m[2])];
      const png = item && f && (await this.pages.crop(item.record, f.finding, f.key));
      return png ? send(res, 200, 'image/png', png, { 'Cache-Control': 'no-cache' }) : send(res, 404, 'text/plain; charset=utf-8', '截图不可用');
    }
    if (path === '/export/findings.csv') {
      return send(res, 200, 'text/csv; charset=utf-8', reviewedCsv(await this.results.items(), filtersOf(url.searchParams)), { 'Content-Disposition': `attachment; filename="reviewed-findings.csv"` });
    }
    if (path === '/export/findings.xlsx') {
      const book = await reviewedXlsx(await this.results.items(), filtersOf(url.searchParams));
      if (!book) return send(res, 501, 'text/plain; charset=utf-8', '导出 Excel 需要 exceljs（npm install exceljs）；可先使用 CSV。');
      return send(res, 200, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', book, { 'Content-Disposition': `attachment; filename="reviewed-findings.xlsx"` });
    }
    if (path === '/export/rectification.html') {
      const agency = url.searchParams.get('agency') ?? '';
      const page = rectificationHtml(await this.results.items(), agency, `xxgk-audit ${TOOL_VERSION} · ${new Date().toISOString().slice(0, 10)}`);
      return send(res, 200, html, page, { 'Content-Disposition': `attachment; filename="rectification.html"; filename*=UTF-8''${encodeURIComponent(`${agency}-整改清单.html`)}` });
    }
    return send(res, 404, 'text/plain; charset=utf-8', 'not found');
  }

  /** Writes: from our own page only (Origin, Fetch metadata), with the write token, as JSON. */
  private async write(req: IncomingMessage, res: ServerResponse, path: string) {
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if (!origin || origin !== `http://${req.headers.host}` || (site !== undefined && site !== 'same-origin')) return send(res, 403, 'text/plain; charset=utf-8', 'cross-origin write refused');
    if (!sameSecret(req.headers['x-xxgk-csrf'] as string | undefined, this.csrf)) return send(res, 403, 'text/plain; charset=utf-8', 'missing or wrong write token');
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'text/plain; charset=utf-8', 'JSON only');
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch (err) {
      return send(res, 400, 'text/plain; charset=utf-8', `bad request: ${(err as Error).message}`);
    }
    if (path === '/api/review') return this.review(res, body);
    if (path === '/api/correction') return this.correct(res, body);
    return send(res, 404, 'text/plain; charset=utf-8', 'not found');
  }

  private async review(res: ServerResponse, body: unknown) {
    const b = ReviewBody.safeParse(body);
    if (!b.success) return send(res, 400, 'text/plain; charset=utf-8', b.error.message);
    const item = await this.results.item(b.data.sha256);
    if (!item) return send(res, 404, 'text/plain; charset=utf-8', '没有这份报告');
    const known = new Map([...item.findings, ...item.resolved].map((f) => [f.key, f.finding]));
    const unknown = b.data.findingKeys.filter((k) => !known.has(k));
    if (unknown.length) return send(res, 409, 'text/plain; charset=utf-8', `该报告没有这些问题：${unknown.join('；')}`);
    for (const k of b.data.findingKeys) {
      const f = known.get(k)!;
      this.results.store.putReview({ sha256: b.data.sha256, findingKey: k, rule: f.rule, keys: f.keys, state: b.data.state, note: b.data.note.trim(), message: f.message });
    }
    return send(res, 200, 'application/json', JSON.stringify({ ok: true, state: b.data.state }));
  }

  private async correct(res: ServerResponse, body: unknown) {
    const b = CorrectionBody.safeParse(body);
    if (!b.success) return send(res, 400, 'text/plain; charset=utf-8', b.error.message);
    const item = await this.results.item(b.data.sha256);
    if (!item) return send(res, 404, 'text/plain; charset=utf-8', '没有这份报告');
    if (!(b.data.key in item.record.cells)) return send(res, 409, 'text/plain; charset=utf-8', `该报告没有单元格 ${b.data.key}`);
    if (b.data.remove) this.results.store.removeCorrection(b.data.sha256, b.data.key);
    else {
      const reason = b.data.reason?.trim();
      if (!reason) return send(res, 400, 'text/plain; charset=utf-8', '更正需要说明理由');
      this.results.store.putCorrection({ sha256: b.data.sha256, key: b.data.key, value: b.data.value ?? null, reason });
    }
    const after = (await this.results.item(b.data.sha256))!;
    return send(res, 200, 'application/json', JSON.stringify({ ok: true, findings: after.findings.length, resolved: after.resolved.length }));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        fail(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}
