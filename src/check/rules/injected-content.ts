import type { FindingInput, Rule } from '../types.ts';
import { groupFinding, matches } from '../util.ts';

/**
 * Names and phrases of gambling, betting, lottery, adult and pharmacy spam that attackers plant
 * in hacked government pages. Each is unambiguous on its own; words a report may use
 * legitimately (体育局, 体育彩票, 彩票公益金, 福利彩票) are not in it.
 */
const SPAM = [
  '体球网', '球探体育比分', '球探体育', '球探比分', '体育比分', '比分直播', '足球比分', '篮球比分', '即时比分', '捷报比分', '澳客网',
  '博彩', '娱乐城', '百家乐', '真人娱乐', '真人视讯', '老虎机', '电子游艺', '时时彩', '北京赛车', '六合彩', '香港马会', '赛马会',
  '澳门新葡京', '新葡京', '葡京娱乐', '澳门银河', '威尼斯人娱乐', '太阳城集团', '金沙娱乐', '皇冠体育', '皇冠足球', '亚博体育', '开云体育', '必威', '伟德体育', 'bet365', '188金宝博',
  '彩票网', '彩票平台', '彩票app', '购彩', '竞彩网', '网上赌', '赌博网', '线上赌场', '棋牌游戏', '捕鱼游戏',
  '代孕', '伟哥', '壮阳', '春药', '催情', '迷药', '成人视频', '成人电影', '色情网', '约炮', '裸聊',
  '办假证', '代开发票', '刷单兼职',
];
// longest first, so that 球探体育比分 is taken whole
const RE = new RegExp([...SPAM].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
/** A run of spam names joined by commas (`体球网,球探体育比分`) counts as one insertion. */
const RUN = new RegExp(`(?:${RE.source})(?:[,，、\\s]{0,2}(?:${RE.source}))*`, 'gi');

export default {
  meta: {
    id: 'injected-content', severity: 'error', basis: 'content',
    description: 'Gambling, betting, lottery, adult or pharmacy spam planted in the report',
    descriptionZh: '报告中被植入赌博、博彩、彩票、色情、药品等垃圾内容',
    docs: 'Hacked government sites get link-farm text injected into their pages, often in the middle of a sentence (seed 003: “认真贯彻落实《黑龙江省人民政府办公厅体球网,球探体育比分进一步加强…” — four times). The rule uses a curated lexicon of brand and site names that have no place in a government report; terms a report may use legitimately (体育局, 体育彩票, 福利彩票, 彩票公益金) are not in it. One finding per phrase, with the position of every place it was planted (JSON and SARIF list each), so the publisher can clean the page and the office can audit the site. Not claimed: that a report without these words is clean (the lexicon is of names, not of every spam).',
  },
  check(report, emit) {
    // one finding per phrase, listing every place it was planted
    const byPhrase = new Map<string, { text: string; sections: Set<string>; places: FindingInput[] }>();
    for (const m of matches(report, RUN)) {
      const section = m.section.number ? String(m.section.number) : '标题前';
      const phrase = byPhrase.get(m.text.toLowerCase()) ?? { text: m.text, sections: new Set<string>(), places: [] };
      byPhrase.set(m.text.toLowerCase(), phrase);
      phrase.sections.add(section);
      phrase.places.push({
        message: `疑似被植入的垃圾内容“${m.text}”（第${section}部分）`,
        messageEn: `injected spam “${m.text}” in section ${m.section.number}`,
        keys: [], positions: m.position ? [m.position] : [], fault: 'publisher',
      });
    }
    for (const { text, sections, places } of byPhrase.values()) {
      emit(groupFinding(places, `疑似被植入的垃圾内容“${text}”（第${[...sections].join('、')}部分）`, `injected spam “${text}”`));
    }
  },
} satisfies Rule;
