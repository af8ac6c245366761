/**
 * Why a file was not read, in Chinese first, for the pages office staff read: the reason's code
 * in words, then the reader's own detail (which names what it met, in English) in brackets.
 */
const ZH: Record<string, string> = {
  empty: '空文件',
  binary: '不是文本文件（二进制数据）',
  'unsupported-format': '不支持的文件格式',
  corrupt: '文件已损坏',
  encrypted: '文件有密码保护，无法读取',
  limit: '文件超出可读取的限度',
  'too-large': '文件过大',
  io: '无法读取该文件',
  directory: '这是文件夹，不是文件',
  'no-table-3': '不是政府信息公开工作年度报告（未找到表三）',
  'not-a-report': '不是年度报告（没有机关名称和年度，可能是空白模板）',
  truncated: '报告不完整（文件在表三之前被截断）',
  timeout: '读取超时，未记录；下次将重新读取',
  internal: '读取中断，未记录；下次将重新读取',
  'out-of-scope': '报告不在您的地区范围内，未保存',
  archive: '压缩包中的文件无法读取',
  busy: '服务器暂存的上传已满，请稍后再传',
};

/** `空文件（empty file）`: the Chinese for a reason's code, with the detail after it. */
export function reasonZh(code: string | undefined, detail: string): string {
  const zh = code ? ZH[code] : undefined;
  return zh ? `${zh}（${detail}）` : detail;
}
