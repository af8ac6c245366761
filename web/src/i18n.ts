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
