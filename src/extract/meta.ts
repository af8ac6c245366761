/**
 * Report metadata: title, agency, year, publication date, index number. Where the agency stands
 * (region, division, level, kind) is read from it in body.ts.
 */
import { compact, MAY_BECOME_HAN, nfkc } from '../read/normalize.ts';
import type { Meta, SourceDocument } from '../types.ts';
import { cellsText } from './sections.ts';

const TITLE = /^(.*?)(\d{4})\s*年(?:度)?\s*(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?报告/;

const DATE_LABELS = /(?:发布时间|发布日期|生成日期|成文日期|发文日期|公开日期|日期)\s*[:：|]?\s*\|?\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})/;
const SIGNATURE_DATE = /^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$/;
const INDEX = /索引号\s*[:：|]?\s*\|?\s*([A-Za-z0-9][A-Za-z0-9\-/_.]*)/;

/**
 * What DATE_LABELS, INDEX and ISSUER need in a page's head: one of their labels, or a character
 * that NFKC may turn into Han characters (radicals, enclosed and compatibility ideographs, and
 * those beyond the BMP). A head with none matches none of them, made NFKC or not. (Two
 * patterns, a pass over the head each, cost less than their alternation's one pass.)
 */
const HEAD_LABELS = /日期|时间|索引号|发[布文](?:机构|机关|单位)|公开主体/;
const HEAD_HAN = new RegExp(`[${MAY_BECOME_HAN}]`);
const headFields = (head: string) => HEAD_LABELS.test(head) || HEAD_HAN.test(head);
/** A unified Han character other than 年 (U+5E74), 日 (U+65E5) and 月 (U+6708). */
const OTHER_HAN = /[\u4e00-\u5e73\u5e75-\u65e4\u65e6-\u6707\u6709-\u9fff]/;

const FIELD_LABEL = /^(?:标\s*题|题\s*名|文章标题|名\s*称)\s*[:：]\s*/;

const ISSUER = /(?:发布机构|发文机关|发布单位|发文单位|公开主体)\s*[:：|]\s*\|?\s*([\u4e00-\u9fa5（）()]{3,40})/;
/** A body's name: a division (or 国家…) followed by a body's word, nothing else on the line. */
const BODY_NAME = /^(?:中共)?[\u4e00-\u9fa5（）()]{2,38}(?:人民政府|政府|办公室|办公厅|局|委员会|委|厅|中心|管委会|管理委员会|办事处)(?:办公室)?$/;
const issuer = (head: string) => { const m = ISSUER.exec(head); return m && BODY_NAME.test(m[1]!) ? m[1]! : null; };
function signer(doc: SourceDocument, dateRow: number): string | null {
  for (let i = dateRow - 1; i >= Math.max(0, dateRow - 2); i--) {
    const line = compact(cellsText(doc.rows[i]!));
    if (line === '') continue;
    return BODY_NAME.test(line) ? line : null;
  }
  return null;
}

const iso = (y: string, m: string, d: string) => `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;

export function extractMeta(doc: SourceDocument, headRows: number): Pick<Meta, 'title' | 'agency' | 'year' | 'published' | 'publishedFrom' | 'index'> & { titleRow: number } {
  let title: string | null = null;
  let agency: string | null = null;
  let year: number | null = null;
  let titleRow = -1;
  let limit = Math.min(doc.rows.length, Math.max(headRows, 1) + 2);
  for (let i = 0; i < limit && title === null; i++) {
    // a browser's print header (date, then the page title) is not the title's own line
    if (doc.rows[i]!.furniture) { limit = Math.min(doc.rows.length, limit + 1); continue; }
    for (const c of doc.rows[i]!.cells) {
      // a crawler's or page's field label before the title: `标题: 平潭综合实验区2019年度…`
      let text = c.raw.trim().replace(FIELD_LABEL, '');
      let m = TITLE.exec(compact(text));
      // a long title wrapped onto a second line (…工作年度报 / 告): the two lines are the title
      const below = doc.rows[i + 1];
      const next = below && cellsText(below).trim();
      if (!m && next && next.length <= 20 && doc.rows[i]!.cells.length === 1 && !/[，。；,;]/.test(text + next)) {
        m = TITLE.exec(compact(text + next));
        if (m) text += next;
      }
      if (!m) continue;
      title = text;
      titleRow = i;
      year = Number(m[2]);
      agency = m[1]!.replace(/[:：|\s]+$/, '') || null;
      if (!agency) {
        // the agency often stands alone on the line before `2021 年政府信息公开工作年度报告`
        for (let j = i - 1; j >= 0; j--) {
          const prev = compact(cellsText(doc.rows[j]!));
          if (prev === '') continue;
          // a name, not a page's field line (`发布机构 | 区政府办 | 生成日期 | 2022-02-11`)
          if (/^[\u4e00-\u9fa5（）()]{2,30}$/.test(prev)) { agency = prev; title = `${prev}${text}`; }
          break;
        }
      }
      break;
    }
  }
  // the page's date, index number and issuer are read from its head made NFKC, which only a
  // head holding one of their labels (or a character NFKC makes a Han character of) needs
  const rawHead = doc.text.slice(0, 4000);
  const head = headFields(rawHead) ? nfkc(rawHead) : '';
  let published: string | null = null;
  let publishedFrom: 'page' | 'signature' | null = null;
  let signatureRow = -1;
  const d = DATE_LABELS.exec(head);
  for (let i = doc.rows.length - 1; i >= Math.max(0, doc.rows.length - 12); i--) {
    const line = cellsText(doc.rows[i]!);
    // (a Han character but 年, 月 and 日 stays in the line as NFKC leaves it: no date alone there)
    if (OTHER_HAN.test(line)) continue;
    const s = SIGNATURE_DATE.exec(compact(line));
    if (s) { signatureRow = i; if (!d) { published = iso(s[1]!, s[2]!, s[3]!); publishedFrom = 'signature'; } break; }
  }
  if (d) { published = iso(d[1]!, d[2]!, d[3]!); publishedFrom = 'page'; }
  // a title that names no body (`2023年政府信息公开工作年度报告`): the page's issuing-body field, or
  // the name signed above the date at the end
  if (!agency && title) agency = issuer(head) ?? (signatureRow > 0 ? signer(doc, signatureRow) : null);
  const idx = INDEX.exec(head);
  return { title, agency, year, published, publishedFrom, index: idx ? idx[1]! : null, titleRow };
}
