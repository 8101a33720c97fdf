/**
 * /_components — the shared components working together (not in the navigation). Feature engineers copy from
 * here; the browser test opens it to check the map (regions + grids), a chart and a 100,000-row list render.
 */
import { useMemo, useState } from 'react';
import { MapView, type MapClick } from '../../components/MapView.tsx';
import { Chart } from '../../components/Chart.tsx';
import { VirtualList } from '../../components/VirtualList.tsx';
import { Page } from '../../components/Page.tsx';
import { TextField, Select } from '../../components/Form.tsx';
import { useI18n, formatDateTime } from '../../app/i18n.ts';
import { useLiveEvents, type LiveEvent } from '../../app/sse.ts';
import { useAuth } from '../../app/auth.tsx';

const ROWS = 100_000;

export default function ShowcasePage() {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const [clicked, setClicked] = useState<MapClick | undefined>();
  const [events, setEvents] = useState<LiveEvent[]>([]);
  const live = useLiveEvents((e) => setEvents((xs) => [e, ...xs].slice(0, 20)), undefined, can('events.read'));
  const option = useMemo(() => ({
    tooltip: {}, xAxis: { type: 'category', data: ['受理', '派遣', '处置', '核查', '结案'] }, yAxis: { type: 'value' },
    series: [{ type: 'bar', data: [120, 80, 64, 30, 210] }],
  }), []);
  return (
    <Page title={t({ zh: '组件示例', en: 'Components' })}>
      <div className="showcase-grid">
        <div className="card">
          <MapView height={420} onClick={setClicked} onReady={(m) => { (window as unknown as { cityopsMap: unknown }).cityopsMap = m; }} aria-label={t({ zh: '城市网格地图', en: 'City grid map' })} />
          <p className="muted" data-testid="map-click">
            {clicked ? `${clicked.lngLat.lng.toFixed(5)}, ${clicked.lngLat.lat.toFixed(5)} — ${clicked.features.map((f) => `${f.layer}:${String(f.properties.name ?? f.id)}`).join(' / ')}` : t({ zh: '点击地图', en: 'Click the map' })}
          </p>
        </div>
        <div className="card">
          <Chart option={option} height={260} aria-label={t({ zh: '各环节案件数', en: 'Cases by stage' })} />
          <form onSubmit={(e) => e.preventDefault()}>
            <TextField label={t({ zh: '问题描述', en: 'Description' })} hint={t({ zh: '例如：小区门口垃圾堆积', en: 'e.g. garbage piled at the gate' })} required />
            <Select label={t({ zh: '紧急程度', en: 'Urgency' })} options={[{ value: 'normal', label: t({ zh: '一般', en: 'Normal' }) }, { value: 'urgent', label: t({ zh: '紧急', en: 'Urgent' }) }]} />
          </form>
          <p className="muted">{t({ zh: '现在', en: 'Now' })}: {formatDateTime(Date.now(), locale)} · SSE: {live} · {events.length}</p>
        </div>
        <div className="card">
          <VirtualList itemCount={ROWS} rowHeight={36} height={320} aria-label={`${ROWS} rows`}
            renderRow={(i) => <span>#{i + 1} · {t({ zh: '示例行', en: 'Row' })}</span>} />
        </div>
      </div>
    </Page>
  );
}
