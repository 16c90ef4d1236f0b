import type { ReportRecord } from '../record/schema.js';
import { fullName, matchRegion, normaliseName, type Level } from './region.js';

/** The panel key of a report's agency: where it is (region), how high, and what kind of body it is. */

export type AgencyKind = 'government' | 'general_office' | 'department' | 'township' | 'development_zone' | 'other';

export interface AgencyId {
  /** The name read, from the record's agency or its title. */
  name: string;
  region_code: string;
  region_name: string;
  parent_code: string;
  level: Level | '';
  agency_kind: AgencyKind;
  /** For departments: 人力资源和社会保障, 自然资源 … */
  department: string;
  region_note: string;
}

export interface AgencySettings {
  /** What a government calls itself after its region's name. */
  government: RegExp;
  generalOffice: RegExp;
  township: RegExp;
  developmentZone: RegExp;
  /** The word a department's name ends with, dropped from the normalised department. */
  departmentEnding: RegExp;
  /** Short or older names of departments, as researchers would merge them. */
  departmentAliases: Record<string, string>;
}

export const AGENCY_SETTINGS: AgencySettings = {
  government: /^(人民政府|政府)$/,
  generalOffice: /^(人民政府|政府|管委会|管理委员会)?办公(室|厅)$/,
  township: /^(.{0,12}(镇|乡|街道))?(人民政府|政府|办事处)$/,
  developmentZone: /(开发区|高新区|新区|园区|实验区|试验区|保税区|管委会|管理委员会)/,
  departmentEnding: /(管理局|局|委员会|委|厅|办公室|办|中心|署|院)$/,
  departmentAliases: {
    人社: '人力资源和社会保障',
    人力资源社会保障: '人力资源和社会保障',
    发改: '发展和改革',
    发展改革: '发展和改革',
    住建: '住房和城乡建设',
    住房城乡建设: '住房和城乡建设',
    市场监管: '市场监督管理',
    市监: '市场监督管理',
    自然资源和规划: '自然资源',
    自然资源规划: '自然资源',
    国土资源: '自然资源',
    生态环境: '生态环境',
    环境保护: '生态环境',
    环保: '生态环境',
    卫生健康: '卫生健康',
    卫生和计划生育: '卫生健康',
    卫健: '卫生健康',
  },
};

/** The agency's name: the record's own, else the head of its title (the part before the year). */
export function agencyName(r: ReportRecord): string {
  const own = r.meta.agency?.trim();
  if (own) return own;
  const title = normaliseName(r.meta.title ?? '');
  return /^(.+?)(19|20)\d{2}年/.exec(title)?.[1] ?? '';
}

export function identifyAgency(r: ReportRecord): AgencyId {
  const name = agencyName(r);
  if (!name) return { ...EMPTY, region_note: 'no agency name in the report' };
  const m = matchRegion(name);
  const d = m.division;
  const kind = kindOf(m.rest, m.level ?? d?.level);
  return {
    name,
    region_code: d?.code ?? '',
    region_name: d ? fullName(d) : '',
    parent_code: m.parent?.code ?? '',
    level: d?.level ?? m.level ?? '',
    agency_kind: kind,
    department: kind === 'department' ? departmentOf(m.rest) : '',
    region_note: m.note ?? '',
  };
}

const EMPTY: AgencyId = { name: '', region_code: '', region_name: '', parent_code: '', level: '', agency_kind: 'other', department: '', region_note: '' };

function kindOf(rest: string, level: Level | undefined): AgencyKind {
  const s = AGENCY_SETTINGS;
  if (level === 'township' && s.township.test(rest)) return 'township';
  if (s.government.test(rest) || (rest === '' && level)) return 'government';
  if (s.generalOffice.test(rest)) return 'general_office';
  if (s.township.test(rest) && rest.length > 4) return 'township';
  if (s.developmentZone.test(rest)) return 'development_zone';
  if (s.departmentEnding.test(rest)) return 'department';
  return 'other';
}

/** 人力资源和社会保障局 → 人力资源和社会保障; 人社局 → the same. */
export function departmentOf(rest: string): string {
  const stem = rest.replace(/^(人民政府|政府)/, '').replace(AGENCY_SETTINGS.departmentEnding, '');
  return AGENCY_SETTINGS.departmentAliases[stem] ?? stem;
}
