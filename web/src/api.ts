/** The server's JSON API. Writes carry X-Gongkai: 1 (the server refuses writes without it). */
export class ApiError extends Error {
  status: number;
  body: unknown;
  constructor(status: number, message: string, body: unknown) { super(message); this.status = status; this.body = body; }
}

async function handle<T>(r: Response): Promise<T> {
  const type = r.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await r.json() : await r.text();
  if (!r.ok) throw new ApiError(r.status, (body as { error?: string })?.error ?? `HTTP ${r.status}`, body);
  return body as T;
}

export const get = <T>(url: string): Promise<T> => fetch(url, { credentials: 'same-origin' }).then((r) => handle<T>(r));

export const post = <T>(url: string, body: unknown): Promise<T> => fetch(url, {
  method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', 'x-gongkai': '1' }, body: JSON.stringify(body),
}).then((r) => handle<T>(r));

export const upload = <T>(url: string, files: File[]): Promise<T> => {
  const form = new FormData();
  for (const f of files) form.append('file', f, f.name);
  return fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'x-gongkai': '1' }, body: form }).then((r) => handle<T>(r));
};

/** A POST whose answer is a file: returns its bytes and the name the server gave it. */
export async function download(url: string, body: unknown): Promise<{ blob: Blob; name: string }> {
  const r = await fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', 'x-gongkai': '1' }, body: JSON.stringify(body) });
  if (!r.ok) await handle(r);
  const cd = r.headers.get('content-disposition') ?? '';
  const name = decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(cd)?.[1] ?? 'report');
  return { blob: await r.blob(), name };
}

export function saveBlob(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** Query string of the non-empty filters. */
export const qs = (o: Record<string, string | number | undefined | null>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};
