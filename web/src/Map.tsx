/**
 * The dashboard's map: provinces or cities coloured by coverage or error rate, drawn by ECharts
 * from the bundled boundary files (/map/provinces.json, /map/cities.json: no tiles, no network).
 * A click on an area selects its region.
 */
import { useEffect, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import { MapChart } from 'echarts/charts';
import { TooltipComponent, VisualMapComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { get } from './api.ts';
import { t } from './i18n.ts';

echarts.use([MapChart, TooltipComponent, VisualMapComponent, SVGRenderer]);

export interface MapArea { code: string; name: string; reports: number; withErrors: number; rate: number | null; published: number; counties: number; coverage: number | null }
export type Measure = 'coverage' | 'errors';

const loaded = new Map<string, Promise<void>>();
/** Register a boundary file once, under its level's name. */
function boundaries(level: 'province' | 'city'): Promise<void> {
  let p = loaded.get(level);
  if (!p) {
    p = get<{ features: Array<{ properties: { code: string; name: string } }> }>(`/map/${level === 'province' ? 'provinces' : 'cities'}.json`).then((geo) => {
      echarts.registerMap(`china-${level}`, geo as never);
    });
    loaded.set(level, p);
  }
  return p;
}

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);

export function AreaMap({ level, measure, areas, onPick }: { level: 'province' | 'city'; measure: Measure; areas: MapArea[]; onPick: (code: string) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState('');
  useEffect(() => { setReady(false); boundaries(level).then(() => setReady(true), (e: unknown) => setFailed(String((e as Error).message))); }, [level]);
  useEffect(() => {
    if (!ready || !box.current) return;
    const chart = echarts.init(box.current, undefined, { renderer: 'svg' });
    const value = (a: MapArea) => (measure === 'coverage' ? a.coverage : a.rate);
    chart.setOption({
      animation: false,
      tooltip: {
        trigger: 'item',
        formatter: (p: { data?: MapArea & { value: number | null } ; name: string }) => {
          const a = p.data;
          if (!a) return p.name;
          return `${a.name}<br>${t('年报', 'reports')} ${a.reports} · ${t('有错误', 'with errors')} ${a.withErrors}（${pct(a.rate)}）<br>${t('县级政府年报', 'county governments published')} ${a.published}/${a.counties}（${pct(a.coverage)}）`;
        },
      },
      visualMap: {
        min: 0, max: 1, left: 0, bottom: 0, calculable: false, itemHeight: 90, text: measure === 'coverage' ? [t('覆盖率 100%', 'coverage 100%'), '0'] : [t('问题率 100%', 'error rate 100%'), '0'],
        inRange: { color: measure === 'coverage' ? ['#f4e1d2', '#2b7a3d'] : ['#f7f3d9', '#b22a1b'] },
        outOfRange: { color: '#e6e6e6' },
      },
      series: [{
        type: 'map', map: `china-${level}`, nameProperty: 'code', roam: true, selectedMode: false,
        label: { show: false }, itemStyle: { areaColor: '#e6e6e6', borderColor: '#fff', borderWidth: 0.5 },
        emphasis: { label: { show: false }, itemStyle: { areaColor: '#f0c419' } },
        data: areas.map((a) => ({ ...a, name: a.code, value: value(a) ?? '-' })),
      }],
    });
    chart.on('click', (p) => { const code = (p.data as MapArea | undefined)?.code; if (code) onPick(code); });
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(box.current);
    return () => { ro.disconnect(); chart.dispose(); };
  }, [ready, measure, JSON.stringify(areas)]);
  if (failed) return <p className="error">{t('地图边界文件未能载入', 'The boundary file did not load')}: {failed}</p>;
  return <div ref={box} className="chart map" style={{ height: 420 }} role="img" aria-label={t('各地区地图', 'Map of the regions')} />;
}
