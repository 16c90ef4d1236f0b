import { describe, expect, it } from 'vitest';
import { furnitureLines, isFurnitureLine } from '../src/format/furniture.js';
import { readMeta } from '../src/normalize/meta.js';

// Hand-made pages as a browser, a site and a capture tool print them around a report (issue 15, classes 6 and 7).
const AGENCY = '青溪县水利局';
const TITLE = `${AGENCY}2022年政府信息公开工作年度报告`;
const BODY = ['本报告根据《中华人民共和国政府信息公开条例》要求编制。', '一、总体情况', '2022年，我局持续推进政务公开。'];

/** A page as Chromium prints it with its header and footer: print date and page title, address and page counter. */
const browserPage = (stamp: string, pageTitle: string, lines: string[], n: number, of: number) =>
  [`${stamp} ${pageTitle}`, ...lines, `https://www.qingxi.gov.cn/zwgk/ndbg/t20230115_1.html ${n}/${of}`].join('\n');

const NAVIGATION = [
  '国务院 省政府 省人大 省政协', '移动版', '登录 登录 注册 注册', '网站支持IPV6', '• 首页', '• 政务公开', '请输入搜索内容',
  '长者模式 退出长者模式 无障碍浏览', '字号：大 中 小', '当前位置：', '• 首页 >', '• 政府信息公开', `• ${AGENCY}`, '• 政府信息公开年报',
];

describe('page furniture vocabulary', () => {
  it.each([
    '12/4/26, 6:31 PM 某某页面标题', '2026/12/4 18:31', '下午6:31', 'file:///C:/Users/a/page.html 3/9', '6/9', '- 2 -',
    '当前位置：首页 > 政务公开', '首页 > 政务公开 > 政府信息公开年报', '请输入关键词', '登录 注册', '网站支持IPV6', '无障碍', '字号 大 中 小', '【打印】【关闭】',
    '标题：某某报告-某某网站', '采集时间：2025-12-30T21:37:37+08:00', '2025年12月30日 星期二', '•',
  ])('"%s" is furniture', (line) => expect(isFurnitureLine(line)).toBe(true));

  it.each([TITLE, AGENCY, '告', '一、总体情况', '2022年，我局持续推进政务公开。', '2023年1月20日'])('"%s" is the report\'s own', (line) =>
    expect(isFurnitureLine(line)).toBe(false));

  it('takes a line that stands at the same place on every page for a running header, digits aside', () => {
    const words = ['全年主动公开信息。', '收到申请十件。', '未发生行政复议。'];
    const pages = [1, 2, 3].map((n) => [`青溪县人民政府门户网站 第${n}期`, words[n - 1], '结尾']);
    const marks = furnitureLines(pages);
    expect(marks.map((m) => m[0])).toEqual([true, true, true]);
    // The middle line differs from page to page: the report's own words.
    expect(marks.map((m) => m[1])).toEqual([false, false, false]);
  });
});

describe('the record\'s meta is the report\'s own (class 6)', () => {
  const expected = { title: TITLE, agency: AGENCY, year: 2022 };

  it.each(['12/4/26, 6:31 PM', '2026/12/4 18:31'])('a browser header (%s and the page title) glued to nothing', (stamp) => {
    const pages = [browserPage(stamp, TITLE, [TITLE, ...BODY], 1, 2), browserPage(stamp, TITLE, ['二、主动公开政府信息情况'], 2, 2)];
    expect(readMeta(pages)).toEqual(expected);
  });

  it('an address glued to the title (no space between): the address is not part of it', () => {
    expect(readMeta([[`https://www.qingxi.gov.cn/ndbg/t1.html${TITLE}`, ...BODY].join('\n')])).toEqual(expected);
    expect(readMeta([[`${TITLE}www.qingxi.gov.cn`, ...BODY].join('\n')])).toEqual(expected);
  });

  it('site navigation and a breadcrumb naming the agency before the title', () => {
    const pages = [browserPage('12/4/26, 6:31 PM', `${TITLE}_政府信息公开年报_青溪县人民政府`, [...NAVIGATION, TITLE, '来源：县水利局 时间：2023-01-15 10:20', ...BODY], 1, 1)];
    expect(readMeta(pages)).toEqual(expected);
  });

  it('a capture tool\'s metadata block (标题：…) before the page', () => {
    const block = [`标题：${TITLE}-青溪县水利局`, '单位：青溪县水利局', '来源：http://www.qingxi.gov.cn/slj/t1.shtml', '采集时间：2025-12-30T21:37:37+08:00', '2025年12月30日 星期二'];
    const catalogue = [`名称 ${TITLE}`, '索引号 0143/2023-00002', `发布机构 ${AGENCY} 公开日期 2023-01-17`];
    expect(readMeta([[...block, ...catalogue, TITLE, ...BODY].join('\n')])).toEqual(expected);
  });

  it('a first page of navigation only (LibreOffice prints the site\'s menus in full), the title on the next', () => {
    expect(readMeta([NAVIGATION.join('\n'), [TITLE, ...BODY].join('\n')])).toEqual(expected);
  });

  it('a title wrapped with one character left on its second line', () => {
    expect(readMeta([[TITLE.slice(0, -1), TITLE.slice(-1), ...BODY].join('\n')])).toEqual(expected);
  });

  it('a sentence naming a report is not a title', () => {
    const pages = [['区管委会办公室关于做好2022年政府信息公开工作年度报告编制公布工作的要求，', ...BODY].join('\n')];
    expect(readMeta(pages)).toEqual({ title: null, agency: null, year: 2022 });
  });

  it('only the browser\'s header names the report: its page title, without the print date', () => {
    const pages = [1, 2].map((n) => browserPage('12/4/26, 6:31 PM', `${TITLE}-青溪县水利局`, ['（一）主动公开情况', `第${n}页正文。`], n, 2));
    expect(readMeta(pages)).toEqual(expected);
  });

  it('navigation glued before the title on one line (a scan\'s OCR) gives no agency rather than a wrong one', () => {
    const meta = readMeta([['网站支持IPV6政务地图当前位置:' + TITLE, ...BODY].join('\n')]);
    expect([null, AGENCY]).toContain(meta.agency);
  });
});

describe('a reading from the image fills what the text layer lacks, never overrides it (class 7)', () => {
  const layer = [[TITLE, ...BODY].join('\n')];
  const image = [['12/4/26, 6:31 PM溧阳县水利局', '溧溪县水利局2022年政府信息公开工作年度报告', ...BODY].join('\n')];

  it('the text layer\'s title stands against the image\'s', () => {
    expect(readMeta(layer, image)).toEqual({ title: TITLE, agency: AGENCY, year: 2022 });
  });

  it('a text layer without a title (its glyphs mis-mapped) takes the image\'s', () => {
    const garbled = [['敀夅罛敀夅罛', ...BODY].join('\n')];
    expect(readMeta(garbled, layer)).toEqual({ title: TITLE, agency: AGENCY, year: 2022 });
  });
});
