// xxgk serve: the page's behaviour. No inline script anywhere (the CSP allows only this file).
'use strict';
(function () {
  const csrf = document.querySelector('meta[name="xxgk-csrf"]')?.getAttribute('content') ?? '';
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

  async function post(path, body) {
    const res = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-XXGK-CSRF': csrf }, body: JSON.stringify(body), credentials: 'same-origin', keepalive: true });
    if (!res.ok) throw new Error(await res.text());
    return res.json();
  }

  // ---- Overview: a changed filter applies at once (the form also works without this script).
  const filters = $('#filters');
  if (filters) {
    for (const s of $$('select', filters)) s.addEventListener('change', () => filters.requestSubmit());
  }

  // An evidence crop that cannot be made (the page failed to render) leaves no broken image behind.
  document.addEventListener('error', (e) => { if (e.target instanceof HTMLImageElement && e.target.matches('img.crop')) e.target.remove(); }, true);

  const report = $('main.report');
  if (!report) return;
  const sha = report.dataset.sha;
  const cells = JSON.parse($('#cells-data')?.textContent ?? '{}');

  // ---- Cells over the page images, placed in percent of the page so they follow the image's size.
  for (const fig of $$('figure.page')) {
    const w = Number(fig.dataset.w), h = Number(fig.dataset.h);
    for (const b of $$('button.cell', fig)) {
      const [x0, y0, x1, y1] = b.dataset.bbox.split(',').map(Number);
      const pad = 2;
      b.style.left = `${((x0 - pad) / w) * 100}%`;
      b.style.top = `${((y0 - pad) / h) * 100}%`;
      b.style.width = `${((x1 - x0 + 2 * pad) / w) * 100}%`;
      b.style.height = `${((y1 - y0 + 2 * pad) / h) * 100}%`;
    }
  }

  const show = (v) => (v === null ? '（空白）' : v === undefined ? '—' : String(v));
  let selected = null;

  function selectCell(key, scroll) {
    const c = cells[key];
    if (!c) return;
    selected = key;
    for (const el of $$('.selected')) el.classList.remove('selected');
    for (const el of $$(`[data-key="${CSS.escape(key)}"]`)) el.classList.add('selected');
    const panel = $('#cell-panel');
    panel.hidden = false;
    const rows = [
      ['单元格', c.label],
      ['键', key],
      ['原文', c.text ?? '—'],
      ['读数', show(c.read)],
      ['现值', show(c.value) + (c.correction ? `（已更正：${c.correction.reason}）` : '')],
      ['置信度', c.confidence == null ? '—' : c.confidence.toFixed(2)],
      ['读取方式', c.via ?? '—'],
      ['位置', c.where ?? '—'],
    ];
    if (c.printedLabel) rows.push(['原文标签', c.printedLabel]);
    const dl = $('#cell-info');
    dl.replaceChildren();
    for (const [k, v] of rows) {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      dd.dataset.field = k;
      dl.append(dt, dd);
    }
    $('#correct-value').value = c.correction ? (c.correction.value ?? '') : (c.read ?? '');
    $('#correct-reason').value = c.correction?.reason ?? '';
    if (scroll) document.querySelector(`figure.page button.cell[data-key="${CSS.escape(key)}"]`)?.scrollIntoView({ block: 'center' });
  }

  function highlight(article) {
    for (const el of $$('.hl, .hl-main')) el.classList.remove('hl', 'hl-main');
    for (const a of $$('article.finding.active')) a.classList.remove('active');
    article.classList.add('active');
    const keys = JSON.parse(article.dataset.keys || '[]');
    keys.forEach((k, i) => {
      for (const b of $$(`figure.page button.cell[data-key="${CSS.escape(k)}"], #cells tr[data-key="${CSS.escape(k)}"]`)) b.classList.add(i === 0 ? 'hl-main' : 'hl');
    });
    $(`figure.page button.cell.hl-main, figure.page button.cell.hl`)?.scrollIntoView({ block: 'center' });
  }

  document.addEventListener('click', async (e) => {
    const t = e.target instanceof Element ? e.target : null;
    if (!t) return;
    const cell = t.closest('button.cell, button.chip, #cells tr[data-key]');
    if (cell) return selectCell(cell.dataset.key, !cell.matches('button.cell'));
    const act = t.closest('.review button');
    if (act) {
      const box = act.closest('.review');
      const note = $('.note', box).value;
      const state = act.dataset.state ?? box.closest('article').className.match(/state-(\w+)/)?.[1] ?? 'open';
      try {
        await post('/api/review', { sha256: sha, findingKeys: JSON.parse(box.dataset.fkeys), state, note });
        const article = box.closest('article');
        article.className = article.className.replace(/state-\w+/, `state-${state}`);
        $('.state', box).textContent = { confirmed: '已核实', dismissed: '驳回', open: '待审' }[state];
        $('.state', box).className = `state state-${state}`;
        box.dataset.saved = 'yes';
      } catch (err) {
        alert(`保存失败：${err.message}`);
      }
      return;
    }
    const undo = t.closest('button.act-uncorrect');
    if (undo) {
      await post('/api/correction', { sha256: sha, key: undo.dataset.key, remove: true }).then(() => location.reload(), (err) => alert(`撤销失败：${err.message}`));
      return;
    }
    const article = t.closest('article.finding');
    if (article && !t.closest('details, textarea')) highlight(article);
  });

  $('#correct-form')?.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!selected) return;
    const raw = $('#correct-value').value.trim().replace(/[，,]/g, '');
    const value = raw === '' ? null : Number(raw);
    if (value !== null && !Number.isFinite(value)) return alert('请填写数字，或留空表示空白');
    try {
      await post('/api/correction', { sha256: sha, key: selected, value, reason: $('#correct-reason').value });
      location.reload();
    } catch (err) {
      alert(`保存失败：${err.message}`);
    }
  });
})();
