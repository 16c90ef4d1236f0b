import { esc } from '../../export/anomalies-html.js';

/** The page shell: the app's own stylesheet and script, the write token for the script to send. */
export function layout(title: string, body: string, csrf: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="xxgk-csrf" content="${esc(csrf)}">
<title>${esc(title)} · xxgk</title>
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/app.js" defer></script>
</head><body>
${body}
</body></html>`;
}

/** JSON for a `<script type="application/json">` block: nothing in it can close the element. */
export const jsonBlock = (id: string, value: unknown) =>
  `<script type="application/json" id="${id}">${JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')}</script>`;
