/** An ECharts chart (bundled, tree-shaken: no CDN), resized with its box. */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, MarkLineComponent, TitleComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, MarkLineComponent, TitleComponent, SVGRenderer]);

export function Chart({ option, label, height = 240 }: { option: echarts.EChartsCoreOption; label: string; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = echarts.init(box.current!, undefined, { renderer: 'svg' });
    chart.setOption({ animation: false, textStyle: { fontFamily: 'inherit' }, ...option });
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(box.current!);
    return () => { ro.disconnect(); chart.dispose(); };
  }, [JSON.stringify(option)]);
  return <div ref={box} className="chart" style={{ height }} role="img" aria-label={label} />;
}
