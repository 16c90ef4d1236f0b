import { describe, expect, it } from 'vitest';
import { keysFor, type T2Format } from '../src/format/catalog.js';
import { acrossKey, validateAcross } from '../src/validate/index.js';
import { agencyKey, textSimilarity } from '../src/validate/across.js';
import type { Provenance, ReportRecord } from '../src/record/schema.js';

/** Cross-year rules on hand-made reports of one agency. */

function report(agency: string, year: number, cells: Record<string, number | null> = {}, opts: { t2?: T2Format; text?: string; sha?: string } = {}): ReportRecord {
  const t2 = opts.t2 ?? '2021';
  const all: Record<string, number | null> = {};
  for (const k of keysFor({ t2, otherSplit: t2 === '2021' })) all[k] = 0;
  Object.assign(all, cells);
  const provenance: Record<string, Provenance> = {};
  for (const [k, v] of Object.entries(all)) provenance[k] = { text: String(v), confidence: 1, via: 'text' };
  return {
    file: `${agency}_${year}.pdf`,
    source: { path: `${year}/${agency}.pdf`, sha256: opts.sha ?? `${agency}-${year}`, bytes: 1, pages: 1, kind: 'pdf', ocr: false },
    meta: { title: null, agency, year, format: t2 },
    cells: all,
    provenance,
    findings: [],
    ...(opts.text ? { text: { pages: [opts.text] } } : {}),
  };
}

const rulesOf = (m: Map<string, { rule: string }[]>, r: ReportRecord) => (m.get(acrossKey(r)) ?? []).map((f) => f.rule);

describe('validateAcross', () => {
  it('xyear.carry: 上年结转 of a year equals last year 结转下年度, column by column', () => {
    const a = report('枫林区住房和城乡建设局', 2022, { 't3.carried_out.natural': 3, 't3.carried_out.total': 3 });
    const ok = report('枫林区住房和城乡建设局', 2023, { 't3.carried_in.natural': 3, 't3.carried_in.total': 3 });
    expect(validateAcross([a, ok]).get(acrossKey(ok)) ?? []).toEqual([]);
    const bad = report('枫林区 住房和城乡建设局', 2023, { 't3.carried_in.natural': 2, 't3.carried_in.total': 2 });
    const fs = validateAcross([a, bad]).get(acrossKey(bad))!;
    expect(fs.map((f) => [f.rule, f.keys, f.expected, f.actual])).toEqual([
      ['xyear.carry', ['t3.carried_in.natural'], 3, 2],
      ['xyear.carry', ['t3.carried_in.total'], 3, 2],
    ]);
    expect(fs[0]).toMatchObject({ severity: 'warning', origin: 'source' });
    expect(validateAcross([a, bad]).get(acrossKey(a))).toBeUndefined();
  });

  it('leaves alone years that are not consecutive and agencies that differ', () => {
    const a = report('某县教育局', 2020, { 't3.carried_out.total': 3, 't3.carried_out.natural': 3 });
    const far = report('某县教育局', 2022, { 't3.carried_in.total': 1, 't3.carried_in.natural': 1 });
    const other = report('某县卫生健康委员会', 2021, { 't3.carried_in.total': 1, 't3.carried_in.natural': 1 });
    expect(validateAcross([a, far, other]).size).toBe(0);
  });

  it('matches agency names across width, spaces, year and title words', () => {
    expect(agencyKey('相山区人力资源和社会保障局2020年度政府信息公开工作年度报告')).toBe(agencyKey('相山区 人力资源和社会保障局'));
    expect(agencyKey('⻘溪市⼈⺠政府')).toBe(agencyKey('青溪市人民政府'));
    expect(agencyKey('ＡＢ市财政局')).toBe(agencyKey('AB市财政局'));
  });

  it('xyear.stock (2021 format): in force = last year in force + made − repealed', () => {
    const a = report('某市司法局', 2022, { 't2.normative.in_force': 10 });
    const b = report('某市司法局', 2023, { 't2.normative.in_force': 11, 't2.normative.made': 3, 't2.normative.repealed': 1 });
    const fs = validateAcross([a, b]).get(acrossKey(b))!;
    expect(fs.map((f) => [f.rule, f.expected, f.actual])).toEqual([['xyear.stock', 12, 11]]);
    expect(fs[0].keys).toEqual(['t2.normative.in_force', 't2.normative.made', 't2.normative.repealed']);
  });

  it('xyear.prev (2019 format): 上一年项目数量 = last year 上一年项目数量 + 本年增/减', () => {
    const a = report('某市市场监督管理局', 2019, { 't2.license.prev': 20, 't2.license.change': -2 }, { t2: '2019' });
    const ok = report('某市市场监督管理局', 2020, { 't2.license.prev': 18 }, { t2: '2019' });
    expect(validateAcross([a, ok]).size).toBe(0);
    const bad = report('某市市场监督管理局', 2020, { 't2.license.prev': 20 }, { t2: '2019' });
    expect(rulesOf(validateAcross([a, bad]), bad)).toEqual(['xyear.prev']);
    // Across a change of format the columns differ: no comparison.
    const next = report('某市市场监督管理局', 2021, { 't2.license.decisions': 0 }, { t2: '2021' });
    expect(rulesOf(validateAcross([ok, next]), next)).toEqual([]);
  });

  it('xyear.jump: a count more than ten times (and 50 more) than last year is info', () => {
    const a = report('某区政府办公室', 2022, { 't2.license.decisions': 9 });
    const b = report('某区政府办公室', 2023, { 't2.license.decisions': 120 });
    const fs = validateAcross([a, b]).get(acrossKey(b))!;
    expect(fs.map((f) => [f.rule, f.severity, f.keys])).toEqual([['xyear.jump', 'info', ['t2.license.decisions']]]);
    const small = report('某区政府办公室', 2023, { 't2.license.decisions': 40 });
    expect(validateAcross([a, small]).size).toBe(0);
  });

  it('xyear.duplicate: narrative ≥ 90 % the same as last year, numbers aside', () => {
    const body = (y: number, n: number) =>
      `一、总体情况\n${y}年，我局坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》和上级关于政务公开工作的部署要求，紧紧围绕中心工作，不断完善政府信息公开制度，健全工作机制，推进政府信息公开工作规范、有序开展。全年主动公开政府信息${n}条。严格落实信息发布“三审三校”制度，执行“先审查、后公开”和“一事一审”原则，从严把好政治关、法律关、政策关、保密关、文字关，未经审核的信息一律不予发布。结合工作实际，进一步优化重点领域栏目，及时为群众提供信息。\n二、主动公开政府信息情况\n规章 0 0 0`;
    const a = report('某县自然资源局', 2021, {}, { text: body(2021, 300) });
    const b = report('某县自然资源局', 2022, {}, { text: body(2022, 412) });
    const fs = validateAcross([a, b]).get(acrossKey(b))!;
    expect(fs.map((f) => f.rule)).toEqual(['xyear.duplicate']);
    expect(fs[0].actual).toBe('100%');
    const different = report('某县自然资源局', 2022, {}, { text: `一、总体情况\n${'本年度围绕乡村振兴、营商环境和耕地保护三项重点，新建专题栏目五个，发布解读材料和问答，组织培训并开展网站自查。'.repeat(3)}` });
    expect(rulesOf(validateAcross([a, different]), different)).toEqual([]);
    expect(textSimilarity('短', '短')).toBeNull();
  });

  it('skips records with an error, no agency or no year', () => {
    const a = report('某市财政局', 2022, { 't3.carried_out.total': 3, 't3.carried_out.natural': 3 });
    const b = { ...report('某市财政局', 2023), error: { code: 'encrypted' as const, message: 'x' } };
    const c = { ...report('某市财政局', 2023), meta: { title: null, agency: null, year: 2023, format: '2021' as const } };
    expect(validateAcross([a, b, c]).size).toBe(0);
  });
});
