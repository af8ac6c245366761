import { Store } from '../src/store/store.ts';
import { totals, findingCounts, RATE_KEYS } from '../src/store/query.ts';
const store = await Store.open('/tmp/gongkai-bench-serve.db');
for (const [label, keys] of [['rate keys', RATE_KEYS], ['all', undefined]] as const) {
  const t = performance.now();
  const g = await totals(store, ['year', 'region'], {}, keys);
  console.log(label, g.length, (performance.now() - t).toFixed(0), 'ms');
}
let t = performance.now(); await findingCounts(store, {}); console.log('findings', (performance.now() - t).toFixed(0));
await store.close();
