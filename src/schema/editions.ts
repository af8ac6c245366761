/**
 * The two official editions of the annual-report tables, as data.
 *
 * Every row and column carries its official Chinese label beside its English id, and the
 * patterns that recognise it in a report. Parser, solver, checks and renderers all read this
 * file; nothing else in the code base knows what the template looks like.
 *
 * Patterns are matched against *compact* text: NFKC-normalised, all whitespace removed
 * (see `compact()` in read/normalize.ts), so `结 果 维 持` and `（一）` need no special cases.
 */

export type Edition = '2019' | '2021';
export const EDITIONS: readonly Edition[] = ['2019', '2021'];

export const EDITION_NOTICE: Record<Edition, string> = {
  '2019': '国办公开办函〔2019〕60号',
  '2021': '国办公开办函〔2021〕30号',
};

/** A value column of table 二. */
export interface T2Column {
  id: string;
  label: string;
  /** Money in 万元; a source in 元 is converted. */
  money?: boolean;
  /** May be negative (2019 本年增/减). */
  signed?: boolean;
}

/** A row of table 二 with its block (第二十条第（X）项) and columns. */
export interface T2Row {
  id: string;
  label: string;
  block: string;
  /** Whole-label match on compact text with numbering removed. */
  match: RegExp;
  columns: T2Column[];
}

const T2_2021_ITEMS: T2Column[] = [
  { id: 'issued', label: '本年制发件数' },
  { id: 'repealed', label: '本年废止件数' },
  { id: 'valid', label: '现行有效件数' },
];
const T2_2021_DECISIONS: T2Column[] = [{ id: 'decisions', label: '本年处理决定数量' }];
const T2_2019_ITEMS: T2Column[] = [
  { id: 'made', label: '本年新制作数量' },
  { id: 'published', label: '本年新公开数量' },
  { id: 'total', label: '对外公开总数量' },
];
const T2_2019_PROJECTS: T2Column[] = [
  { id: 'prev', label: '上一年项目数量' },
  { id: 'change', label: '本年增/减', signed: true },
  { id: 'decisions', label: '处理决定数量' },
];

export const T2_ROWS: Record<Edition, T2Row[]> = {
  '2021': [
    { id: 'regulations', label: '规章', block: '（一）', match: /^规章$/, columns: T2_2021_ITEMS },
    { id: 'normative', label: '行政规范性文件', block: '（一）', match: /^(?:行政)?规范性文件$/, columns: T2_2021_ITEMS },
    { id: 'license', label: '行政许可', block: '（五）', match: /^行政许可$/, columns: T2_2021_DECISIONS },
    { id: 'punishment', label: '行政处罚', block: '（六）', match: /^行政处罚$/, columns: T2_2021_DECISIONS },
    { id: 'enforcement', label: '行政强制', block: '（六）', match: /^行政强制$/, columns: T2_2021_DECISIONS },
    {
      id: 'fees', label: '行政事业性收费', block: '（八）', match: /^行政事业性收费$/,
      columns: [{ id: 'amount', label: '本年收费金额（单位：万元）', money: true }],
    },
  ],
  '2019': [
    { id: 'regulations', label: '规章', block: '（一）', match: /^规章$/, columns: T2_2019_ITEMS },
    { id: 'normative', label: '规范性文件', block: '（一）', match: /^(?:行政)?规范性文件$/, columns: T2_2019_ITEMS },
    { id: 'license', label: '行政许可', block: '（五）', match: /^行政许可$/, columns: T2_2019_PROJECTS },
    { id: 'other_services', label: '其他对外管理服务事项', block: '（五）', match: /^其他对外管理服务事项$/, columns: T2_2019_PROJECTS },
    { id: 'punishment', label: '行政处罚', block: '（六）', match: /^行政处罚$/, columns: T2_2019_PROJECTS },
    { id: 'enforcement', label: '行政强制', block: '（六）', match: /^行政强制$/, columns: T2_2019_PROJECTS },
    {
      id: 'fees', label: '行政事业性收费', block: '（八）', match: /^行政事业性收费$/,
      columns: [{ id: 'prev', label: '上一年项目数量' }, { id: 'change', label: '本年增/减', signed: true }],
    },
    {
      id: 'procurement', label: '政府集中采购', block: '（九）', match: /^(?:人民)?政府集中采购$/,
      columns: [{ id: 'items', label: '采购项目数量' }, { id: 'amount', label: '采购总金额（单位：万元）', money: true }],
    },
  ],
};

/**
 * Column-header words that tell the editions of table 二 apart, with the official wording each
 * variant stands for (a variant is what `label-variant` reports).
 */
export interface HeaderSignal { edition: Edition; official: string; match: RegExp }
export const T2_HEADER_SIGNALS: HeaderSignal[] = [
  { edition: '2021', official: '本年制发件数', match: /本年制发件数/ },
  { edition: '2021', official: '本年废止件数', match: /本年(?:度)?废止件数|本年度止件数/ },
  { edition: '2021', official: '现行有效件数', match: /现行有效件数/ },
  { edition: '2021', official: '本年处理决定数量', match: /本年处理决定数量/ },
  { edition: '2021', official: '本年收费金额（单位：万元）', match: /本年收费金额/ },
  { edition: '2019', official: '本年新制作数量', match: /本年新制作数量|^制作数量$/ },
  { edition: '2019', official: '本年新公开数量', match: /本年新公开数量|^公开数量$/ },
  { edition: '2019', official: '对外公开总数量', match: /对外公开总数量/ },
  { edition: '2019', official: '上一年项目数量', match: /上一年项目数量/ },
  { edition: '2019', official: '本年增/减', match: /本年增\/?减/ },
  { edition: '2019', official: '采购项目数量', match: /采购项目数量/ },
  { edition: '2019', official: '其他对外管理服务事项', match: /^其他对外管理服务事项$/ },
  { edition: '2019', official: '政府集中采购', match: /^(?:人民)?政府集中采购$/ },
];

/** Where a variant label differs from the official wording, report it (label-variant). */
export const T2_LABEL_VARIANTS: Array<{ variant: RegExp; official: string }> = [
  { variant: /本年度止件数/, official: '本年废止件数' },
  { variant: /^人民政府集中采购$/, official: '政府集中采购' },
];

// ---------------------------------------------------------------- table 三

export interface T3Column { id: string; label: string }
export const T3_COLUMNS: T3Column[] = [
  { id: 'natural', label: '自然人' },
  { id: 'commercial', label: '商业企业' },
  { id: 'research', label: '科研机构' },
  { id: 'social', label: '社会公益组织' },
  { id: 'legal', label: '法律服务机构' },
  { id: 'other_org', label: '其他' },
  { id: 'total', label: '总计' },
];
export const T3_PART_COLUMNS = T3_COLUMNS.slice(0, 6).map((c) => c.id);

export interface T3Row {
  id: string;
  label: string;
  /** The group heading the row sits under, e.g. （三）不予公开. */
  group?: string;
  /** Matched anywhere in the compact text of a cell (labels are often glued to group headings). */
  match: RegExp;
  /** May be recognised out of order (a skipped row); false for generic labels such as 其他. */
  distinctive: boolean;
  /** Counted in I3 (the result rows). */
  result?: boolean;
}

const row = (id: string, label: string, match: RegExp, extra: Partial<T3Row> = {}): T3Row =>
  ({ id, label, match, distinctive: true, ...extra });

const T3_HEAD: T3Row[] = [
  row('new', '一、本年新收政府信息公开申请数量', /本年新收/),
  row('carried', '二、上年结转政府信息公开申请数量', /上年结转/),
  row('granted', '（一）予以公开', /予以公开/, { group: '三、本年度办理结果', result: true }),
  row('partial', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', /部分公开/, { result: true }),
  row('denied.secret', '1.属于国家秘密', /国家秘密/, { group: '（三）不予公开', result: true }),
  row('denied.law', '2.其他法律行政法规禁止公开', /法律行政法规禁止|其他法律行政/, { group: '（三）不予公开', result: true }),
  row('denied.safety', '3.危及“三安全一稳定”', /三安全一稳定|危及/, { group: '（三）不予公开', result: true }),
  row('denied.third_party', '4.保护第三方合法权益', /第三方合法权益/, { group: '（三）不予公开', result: true }),
  row('denied.internal', '5.属于三类内部事务信息', /内部事务/, { group: '（三）不予公开', result: true }),
  row('denied.process', '6.属于四类过程性信息', /过程性信息/, { group: '（三）不予公开', result: true }),
  row('denied.case_file', '7.属于行政执法案卷', /执法案卷/, { group: '（三）不予公开', result: true }),
  row('denied.query', '8.属于行政查询事项', /行政查询事项/, { group: '（三）不予公开', result: true }),
  row('unable.no_info', '1.本机关不掌握相关政府信息', /不掌握/, { group: '（四）无法提供', result: true }),
  row('unable.must_create', '2.没有现成信息需要另行制作', /另行制作/, { group: '（四）无法提供', result: true }),
  row('unable.unclear', '3.补正后申请内容仍不明确', /仍不明确/, { group: '（四）无法提供', result: true }),
  row('rejected.complaint', '1.信访举报投诉类申请', /信访举报投诉/, { group: '（五）不予处理', result: true }),
  row('rejected.repeat', '2.重复申请', /重复申请/, { group: '（五）不予处理', result: true }),
  row('rejected.publication', '3.要求提供公开出版物', /公开出版物/, { group: '（五）不予处理', result: true }),
  row('rejected.mass', '4.无正当理由大量反复申请', /大量反复申请/, { group: '（五）不予处理', result: true }),
  row('rejected.confirm', '5.要求行政机关确认或重新出具已获取信息', /确认或重新出具/, { group: '（五）不予处理', result: true }),
];
const T3_TAIL: T3Row[] = [
  row('results_total', '（七）总计', /^(?:三、本年度办理结果)?\(七\)总计|^总计$/, { distinctive: false }),
  row('carry_next', '四、结转下年度继续办理', /结转下年度/),
];

export const T3_ROWS: Record<Edition, T3Row[]> = {
  '2019': [
    ...T3_HEAD,
    row('other', '（六）其他处理', /其他处理/, { result: true }),
    ...T3_TAIL,
  ],
  '2021': [
    ...T3_HEAD,
    row('other.no_correction', '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', /逾期不补正/, { group: '（六）其他处理', result: true }),
    row('other.no_fee', '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', /收费通知|缴纳费用/, { group: '（六）其他处理', result: true }),
    row('other.other', '3.其他', /^(?:\(六\)其他处理)?(?:3[.、．]?)?其他$/, { group: '（六）其他处理', result: true, distinctive: false }),
    ...T3_TAIL,
  ],
};

/** 2021's three （六） sub-rows are the most reliable edition signal in table 三. */
export const T3_EDITION_2021_SIGNAL = /逾期不补正|收费通知|逾期未按/;

// ---------------------------------------------------------------- table 四

export const T4_GROUPS = [
  { id: 'review', label: '行政复议' },
  { id: 'suit_direct', label: '行政诉讼·未经复议直接起诉' },
  { id: 'suit_after', label: '行政诉讼·复议后起诉' },
] as const;
export const T4_COLUMNS = [
  { id: 'upheld', label: '结果维持' },
  { id: 'corrected', label: '结果纠正' },
  { id: 'other', label: '其他结果' },
  { id: 'pending', label: '尚未审结' },
  { id: 'total', label: '总计' },
] as const;
/** Words of table 四's header; the one row of 15 numbers follows them. */
export const T4_HEADER = /行政复议|行政诉讼|结果维持|结果纠正|其他结果|尚未审结|未经复议|复议后起诉|^总计$/;

// ---------------------------------------------------------------- sections

export interface SectionSpec { number: number; numeral: string; title: string; match: RegExp }
/**
 * The six sections, identical in both editions. `match` runs on the compact text of a line
 * after its numeral (一、); the keywords keep table-三 row labels (一、本年新收…) from passing
 * for section headings.
 */
export const SECTIONS: SectionSpec[] = [
  { number: 1, numeral: '一', title: '总体情况', match: /^总体情况|^概述|^总体概述|^基本情况/ },
  { number: 2, numeral: '二', title: '主动公开政府信息情况', match: /主动公开/ },
  { number: 3, numeral: '三', title: '收到和处理政府信息公开申请情况', match: /收到和处理|依申请公开/ },
  { number: 4, numeral: '四', title: '政府信息公开行政复议、行政诉讼情况', match: /行政复议|行政诉讼/ },
  { number: 5, numeral: '五', title: '存在的主要问题及改进情况', match: /问题|改进/ },
  { number: 6, numeral: '六', title: '其他需要报告的事项', match: /其他需要报告|其他事项/ },
];
