/** Chinese first, English at a click: every label is written in both, beside each other. */
export type Lang = 'zh' | 'en';
let lang: Lang = (localStorage.getItem('gongkai.lang') as Lang | null) ?? 'zh';
export const getLang = () => lang;
export function setLang(l: Lang): void {
  lang = l;
  localStorage.setItem('gongkai.lang', l);
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
}
export const t = (zh: string, en: string) => (lang === 'zh' ? zh : en);
/** A finding's message in the current language. */
export const msg = (f: { message: string; messageEn: string }) => (lang === 'zh' ? f.message : f.messageEn);

/**
 * How a cell was read, in Chinese: the extractor writes it in English (it is a library's
 * message, also in the JSON); the page translates each of its clauses, keeping any it does not
 * know as written.
 */
const HOW_ZH: Array<[RegExp, (...m: string[]) => string]> = [
  [/^blank: nothing is printed under (.+) \(x≈(\d+)\) on page (\d+), where this row's other numbers stand under their columns$/, (_, col, x, p) => `空白：第 ${p} 页“${col}”栏（x≈${x}）下没有印数字，本行其他数字都在各自栏下`],
  [/^too many possible readings to enumerate$/, () => '可能的读法太多，无法逐一列举'],
  [/^the row's values \((.*)\) do not fit its (\d+) cells$/, (_, r, n) => `本行的数值（${r}）放不进 ${n} 个格子`],
  [/^(\d+) readings of “(.*)” fit the row; they disagree on this cell$/, (_, n, r) => `“${r}”有 ${n} 种读法符合本行，在这一格上不一致`],
  [/^blank: (\d+) values for (\d+) cells; every reading consistent with the identities leaves this cell empty$/, (_, n, m) => `空白：${m} 个格子只有 ${n} 个数值；符合勾稽关系的每种读法都让这一格空着`],
  [/^split from the squashed run “(.*)”: every reading consistent with the identities gives (.*)$/, (_, r, v) => `从连在一起的“${r}”中拆出：符合勾稽关系的每种读法都得 ${v}`],
  [/^every reading of the row consistent with the identities puts “(.*)” here$/, (_, r) => `符合勾稽关系的每种读法都把“${r}”放在这一格`],
  [/^read “(.*)” as (.*): OCR prints O for 0 and l or I for 1$/, (_, r, d) => `把“${r}”读作 ${d}：识别软件常把 0 印成 O、把 1 印成 l 或 I`],
  [/^converted from (.*) \(元\) to 万元$/, (_, r) => `由 ${r}（元）换算为万元`],
  [/^the row has no template label \(“(.*)”\): the template's order places it under (.*), the only row missing here$/, (_, l, o) => `本行没有模板中的标签（“${l}”）：按模板行序，它只能是此处唯一缺少的“${o}”`],
  [/^the label “(.*)” differs from the template's (.*) by a character or two \(as OCR leaves it\)$/, (_, l, o) => `标签“${l}”与模板的“${o}”有一两个字不同（识别软件所致）`],
  [/^but (.*) fails with the row placed there, so the placement is in doubt$/, (_, i) => `但按此放置，${i}不成立，放置存疑`],
  [/^(.*) fails with it, so the reading is not certain$/, (_, i) => `${i}不成立，读法不确定`],
  [/^table 二 has no identity to confirm it, so the reading is not certain$/, () => '表二没有勾稽关系可以印证，读法不确定'],
  [/^corrected by (.*) at (\S+) \(was (.*)\)$/, (_, w, at, was) => `由 ${w} 于 ${at.slice(0, 16).replace('T', ' ')} 更正（原为 ${was.replace(/^ambiguous: /, '存疑：').replace(/\bblank\b/g, '空白')}）`],
];

export function howText(how: string | undefined): string | undefined {
  if (!how || lang !== 'zh') return how;
  return how.split('; ').map((part) => {
    for (const [re, zh] of HOW_ZH) {
      const m = re.exec(part);
      if (m) return zh(...m);
    }
    return part;
  }).join('；');
}
