import type { Rule } from '../types.ts';
import { matches } from '../util.ts';

const URL = /(?:https?:\/\/|www\.)[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d+)?(?:\/[^\s，。、；）)】"”]*)?/g;
const CLAIM = /网址|网站|门户|官网|主页|网页|平台|链接/;
const GOV = /\.gov\.cn$|\.gov$|\.政务$|\.公益$/i;

export default {
  meta: {
    id: 'non-government-link', severity: 'warning', basis: 'content',
    description: 'A URL given as the body\'s own site is not under a government domain',
    descriptionZh: '作为本机关网站给出的网址不在政府域名下',
    docs: 'Government portals are under .gov.cn (政府网站发展指引, 国办发〔2017〕47号). A report that names “its” site at another domain (seed 000: 商丘市民政局政府部门网站 mzj.zwornz.com) points readers to a site the body may not control — an expired domain taken over, or a typo. Only URLs introduced as a site (网址, 网站, 门户, 平台…) are checked. Not claimed: that the site is unsafe or not the body\'s own; only that it is not under a government domain.',
  },
  check(report, emit) {
    for (const m of matches(report, URL)) {
      const host = m.text.replace(/^https?:\/\//, '').replace(/[/:].*$/, '').toLowerCase();
      if (GOV.test(host)) continue;
      const before = m.section.text.slice(Math.max(0, m.index - 24), m.index);
      if (!CLAIM.test(before)) continue;
      emit({ message: `网址 ${m.text} 不在政府网站域名（.gov.cn）下`, messageEn: `the site ${m.text} is not under a government domain (.gov.cn)`, keys: [], positions: m.position ? [m.position] : [], fault: 'publisher' });
    }
  },
} satisfies Rule;
