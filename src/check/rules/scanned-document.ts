import type { Rule } from '../types.ts';

export default {
  meta: {
    id: 'scanned-document', severity: 'error', basis: 'reading',
    description: 'The file is a scan (a PDF with no text layer): nothing in it can be read or checked',
    descriptionZh: '文件为扫描件（PDF 无文字层），内容无法读取和核查',
    docs: 'A report published as page images cannot be searched, copied or read aloud, and gongkai cannot read its tables without OCR (not in this version). 《政府网站发展指引》 asks for published documents in machine-readable form; a scan is also what a reviewer most often has to key in by hand. Every other rule is skipped for such a file, so the batch counts it once, with this reason. Not claimed: anything about the content, which cannot be read without OCR.',
  },
  check(report, emit) {
    const n = report.notes.find((x) => x.code === 'no-text-layer');
    if (!n) return;
    emit({ message: '扫描件，无文字层：无法读取表格和正文（需 OCR）', messageEn: 'scanned document, no text layer: tables and text cannot be read (needs OCR)', keys: [], positions: [], fault: 'publisher' });
  },
} satisfies Rule;
