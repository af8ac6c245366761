/**
 * Encoding text as GBK (for pages in the encoding most government sites still use). There is no
 * GBK TextEncoder; the table is built once by decoding every two-byte GBK code.
 */
let table: Map<number, number> | null = null;

function gbkTable(): Map<number, number> {
  if (table) return table;
  const t = new Map<number, number>();
  const dec = new TextDecoder('gbk');
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead; pair[1] = trail;
      const s = dec.decode(pair);
      if (s.length === 1 && s !== '\ufffd' && !t.has(s.charCodeAt(0))) t.set(s.charCodeAt(0), (lead << 8) | trail);
    }
  }
  return (table = t);
}

/** GBK bytes of `text`; a character GBK lacks becomes an HTML character reference. */
export function encodeGbk(text: string): Uint8Array {
  const t = gbkTable();
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) { out.push(code); continue; }
    const g = code <= 0xffff ? t.get(code) : undefined;
    if (g !== undefined) out.push(g >> 8, g & 0xff);
    else for (const b of new TextEncoder().encode(`&#${code};`)) out.push(b);
  }
  return Uint8Array.from(out);
}
