/**
 * ECharts wrapper: creates the chart once, applies `option` on change, follows its container's size
 * (ResizeObserver) and disposes on unmount. Only the chart types registered below are bundled; add more here
 * (from echarts/charts, echarts/components) when a page needs them.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart, ScatterChart, HeatmapChart, GaugeChart } from 'echarts/charts';
import {
  GridComponent, TooltipComponent, LegendComponent, TitleComponent, DatasetComponent, VisualMapComponent, DataZoomComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption, ECElementEvent } from 'echarts/core';

echarts.use([
  BarChart, LineChart, PieChart, ScatterChart, HeatmapChart, GaugeChart,
  GridComponent, TooltipComponent, LegendComponent, TitleComponent, DatasetComponent, VisualMapComponent, DataZoomComponent,
  CanvasRenderer,
]);

export type ChartOption = EChartsCoreOption;

export interface ChartProps {
  option: ChartOption;
  /** 'dark' for the big screen. */
  theme?: 'light' | 'dark';
  height?: number | string;
  /** Replace the whole option instead of merging (when series are removed). */
  notMerge?: boolean;
  onClick?: (e: ECElementEvent) => void;
  className?: string;
  /** Accessible description of what the chart shows. */
  'aria-label'?: string;
}

export function Chart({ option, theme = 'light', height = 300, notMerge = false, onClick, className, ...aria }: ChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, theme === 'dark' ? 'dark' : undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (e) => clickRef.current?.(e as ECElementEvent));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => { ro.disconnect(); c.dispose(); chart.current = undefined; };
  }, [theme]);

  useEffect(() => {
    chart.current?.setOption(theme === 'dark' ? { backgroundColor: 'transparent', ...option } : option, { notMerge });
  }, [option, notMerge, theme]);

  return <div ref={el} className={`chart${className ? ` ${className}` : ''}`} style={{ height, width: '100%' }} role="img" {...aria} />;
}

export default Chart;
