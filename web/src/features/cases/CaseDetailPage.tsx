/**
 * /cases/:id — one case: state, matter, description, reporter (masked as the API returns it), its point on the
 * map and its grid, the deadlines counting down, the timeline (who, when, what, why, photos), duplicates and
 * routing; the actions the API allows (../dispatch/CaseActions). Live: another user's change reloads it.
 */
import { useCallback, useMemo, type ReactNode } from 'react';
import { api } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatDateTime, useI18n, type Msg } from '../../app/i18n.ts';
import { Link, useParams } from '../../app/router.tsx';
import { useLiveEvents } from '../../app/sse.ts';
import { useQuery } from '../../app/api.ts';
import { Page } from '../../components/Page.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { MapView, type MapLayer, type MapLibreMap } from '../../components/MapView.tsx';
import { CaseActions } from '../dispatch/CaseActions.tsx';
import { PhotoStrip } from '../../components/PhotoViewer.tsx';
import { JointPanel } from '../joint/JointPanel.tsx';
import { LevelPanel } from '../levels/LevelPanel.tsx';
import { SummonsPanel } from '../summons/SummonsPanel.tsx';
import { DesksPanel } from '../supervision/DesksPanel.tsx';
import { NearestPanel } from '../resources/NearestPanel.tsx';
import { CaseCamerasPanel } from '../alarms/CaseCamerasPanel.tsx';
import { ClockCountdown, CaseCountdown } from './Countdown.tsx';
import {
  CHANNEL, LIMIT_UNITS, STAGE, SUPERVISION_LEVEL, actionMsg, extraTime, isOpenState, stateMsg, urgencyMsg, useUnits, type CaseDto, type History, type HistoryItem,
} from './model.ts';
import './cases.css';

const OUTCOME: Record<string, Msg> = {
  rule: { zh: '责任清单规则', en: 'responsibility list rule' }, part_owner: { zh: '部件权属单位', en: 'owner of the part' },
  fallback: { zh: '兜底单位', en: 'fallback unit' },
};
const REJECT: Record<string, Msg> = { duplicate: { zh: '重复上报', en: 'duplicate' }, out_of_scope: { zh: '不属于受理范围', en: 'out of scope' }, invalid: { zh: '无效上报', en: 'invalid' } };
const CLOSURE: Record<string, Msg> = { normal: { zh: '正常结案', en: 'normal' }, overdue: { zh: '超时结案', en: 'overdue' }, erroneous: { zh: '差错结案', en: 'erroneous' }, special: { zh: '特殊结案', en: 'special' } };

function Item({ label, children }: { label: string; children: ReactNode }) {
  return <div className="kv"><dt>{label}</dt><dd>{children ?? '—'}</dd></div>;
}

/** Thumbnails that open in the viewer; `before`: the report's photos, offered side by side with later ones. */
function Photos({ ids, label, before }: { ids: string[]; label: string; before?: string[] }) {
  const { t } = useI18n();
  const others = before && before.length && before.join() !== ids.join() ? before : undefined;
  return (
    <PhotoStrip photos={ids.map((id, i) => ({ id, label: `${label} ${i + 1}` }))}
      compareWith={others?.map((id, i) => ({ id, label: `${t({ zh: '上报照片', en: 'Report photo' })} ${i + 1}` }))}
      compareLabel={t({ zh: '处置前（上报照片）', en: 'Before (report photo)' })} />
  );
}

/** The details of a history row worth showing, in words. */
function details(h: HistoryItem, t: (m: Msg, v?: Record<string, string | number>) => string, unitName: (id: string) => string): string[] {
  const d = h.details;
  const out: string[] = [];
  const str = (k: string) => (typeof d[k] === 'string' && d[k] ? (d[k] as string) : undefined);
  if (str('basis')) out.push(t({ zh: '依据：{x}', en: 'Basis: {x}' }, { x: str('basis')! }));
  // 联勤联动 steps name the assisting unit and what it was asked (web/src/features/joint).
  if (h.action.startsWith('assist_') && str('unitId')) out.push(t({ zh: '协办单位：{x}', en: 'Assisting unit: {x}' }, { x: unitName(str('unitId')!) }) + (str('instruction') ? ` · ${str('instruction')}` : ''));
  if (h.action === 'reassign' && str('previousUnitId')) out.push(t({ zh: '原处置单位：{x}', en: 'Was with: {x}' }, { x: unitName(str('previousUnitId')!) }));
  if (h.action === 'recall' && str('unitId')) out.push(t({ zh: '从 {x} 撤回', en: 'Taken back from {x}' }, { x: unitName(str('unitId')!) }));
  if (h.action === 'dispatch' || h.action === 'rule_dispute' || h.action === 'reassign') {
    if (str('unitId')) out.push(t({ zh: '处置单位：{x}', en: 'Unit: {x}' }, { x: unitName(str('unitId')!) }));
    if (str('gridMemberId')) out.push(t({ zh: '派给网格员：{x}', en: 'Grid member: {x}' }, { x: str('gridMemberName') ?? str('gridMemberId')! }));
    if (d.buckPassing === true) out.push(t({ zh: '裁定回原单位（推诿）', en: 'Ruled back to the unit that returned it (buck-passing)' }));
    if (d.handleClock === 'resumed') out.push(t({ zh: '处置时限恢复计时（退回前的剩余时间）', en: 'Handling clock resumed with the time it had left' }));
    if (d.handleClock === 'restarted') out.push(t({ zh: '处置时限重新计时', en: 'Handling clock started afresh' }));
  }
  if (h.action === 'request_verify' && str('verifierId')) out.push(t({ zh: '指定核实人：{x}', en: 'Verifier: {x}' }, { x: str('verifierName') ?? str('verifierId')! }));
  if (h.action === 'return') out.push(t({ zh: '处置时限暂停，等待中心裁定', en: 'Handling clock paused until the ruling' }));
  if (Array.isArray(d.extensionsKept) && d.extensionsKept.length) out.push(t({ zh: '返工重新计时，保留已批准的延期', en: 'Rework: fresh limit, approved postponements kept' }));
  if (str('subUnitId')) out.push(t({ zh: '下级单位：{x}', en: 'Sub-unit: {x}' }, { x: unitName(str('subUnitId')!) }));
  const extra = extraTime(d.extra);
  if (extra) out.push(t({ zh: '延期：{a} {u}', en: 'Extra: {a} {u}' }, { a: extra.amount, u: extra.unit ? t(LIMIT_UNITS[extra.unit] ?? { zh: extra.unit, en: extra.unit }) : '' }));
  if (str('requestReason')) out.push(t({ zh: '申请理由：{x}', en: 'Requested because: {x}' }, { x: str('requestReason')! }));
  if (str('result')) out.push(t({ zh: '处置结果：{x}', en: 'Result: {x}' }, { x: str('result')! }));
  if (str('outcome')) out.push(t({ zh: '核实结果：{x}', en: 'Verification: {x}' }, { x: str('outcome') === 'confirmed' ? t({ zh: '属实', en: 'confirmed' }) : t({ zh: '不属实', en: 'not true' }) }));
  if (typeof d.satisfied === 'boolean') out.push(d.satisfied ? t({ zh: '市民满意', en: 'Reporter satisfied' }) : t({ zh: '市民不满意', en: 'Reporter not satisfied' }));
  if (str('level')) out.push(t(SUPERVISION_LEVEL[str('level')!] ?? { zh: str('level')!, en: str('level')! }));
  if (str('closureType')) out.push(t(CLOSURE[str('closureType')!] ?? { zh: str('closureType')!, en: str('closureType')! }));
  if (str('rejectKind')) out.push(t(REJECT[str('rejectKind')!] ?? { zh: str('rejectKind')!, en: str('rejectKind')! }));
  if (str('referral')) out.push(t({ zh: '转办：{x}', en: 'Referred to: {x}' }, { x: str('referral')! }));
  if (str('toRegionName')) out.push(`${str('fromRegionName') ?? ''} → ${str('toRegionName')}`); // levels of platform
  if (str('masterCaseNo')) out.push(t({ zh: '主案件：{x}', en: 'Master: {x}' }, { x: str('masterCaseNo')! }));
  if (d.late === true) out.push(t({ zh: '超时处置', en: 'handled late' }));
  if (str('note') && str('note') !== h.reason) out.push(t({ zh: '备注：{x}', en: 'Note: {x}' }, { x: str('note')! }));
  return out;
}

function Timeline({ history, unitName }: { history: History; unitName: (id: string) => string }) {
  const { t, locale } = useI18n();
  if (history.items.length === 0) return <p className="muted">{t('common.empty')}</p>;
  // the first row with photos is the report's (上报): later photos can be compared with them
  const reportPhotos = history.items.find((h) => h.attachmentIds.length > 0)?.attachmentIds;
  return (
    <ol className="timeline">
      {history.items.map((h) => (
        <li key={h.id} className={`tl-item tl-${h.action}`}>
          <div className="tl-head">
            <strong className="tl-action">{t(actionMsg(h.action))}</strong>
            {h.fromState !== h.toState && (
              <span className="muted tl-states">{h.fromState ? `${t(stateMsg(h.fromState))} → ` : ''}{t(stateMsg(h.toState))}</span>
            )}
          </div>
          <div className="muted tl-meta">
            <time dateTime={h.at}>{formatDateTime(h.at, locale)}</time> · {h.actor?.name ?? h.actor?.id ?? t({ zh: '系统', en: 'system' })}
          </div>
          {h.reason && <p className="tl-reason">{h.reason}</p>}
          {details(h, t, unitName).map((x) => <div key={x} className="tl-detail">{x}</div>)}
          <Photos ids={h.attachmentIds} label={t(actionMsg(h.action))} before={reportPhotos} />
        </li>
      ))}
    </ol>
  );
}

function CaseMap({ c }: { c: CaseDto }) {
  const { t } = useI18n();
  const loc = c.location;
  const layers = useMemo<MapLayer[]>(() => (loc ? [{
    id: 'case-point', type: 'circle',
    data: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [loc.lon, loc.lat] } }] },
    paint: { 'circle-color': '#d32f2f', 'circle-radius': 8, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
  }] : []), [loc]);
  const gridId = c.grid?.id;
  const onReady = useCallback((map: MapLibreMap) => {
    if (gridId && map.getSource('grids')) map.setFeatureState({ source: 'grids', id: gridId }, { color: '#ffb300', opacity: 0.45 });
    if (loc) map.jumpTo({ center: [loc.lon, loc.lat], zoom: 15 });
    (window as unknown as { cityopsCaseMap?: MapLibreMap }).cityopsCaseMap = map;
  }, [gridId, loc]);
  if (!loc) return <p className="muted">{t({ zh: '本案没有位置坐标。', en: 'This case has no location.' })}</p>;
  return <MapView height={260} layers={layers} onReady={onReady} show={{ districts: false, streets: true, communities: true, grids: true }}
    aria-label={t({ zh: '案件位置地图', en: 'Map of the case location' })} />;
}

function Duplicates({ c, tick }: { c: CaseDto; tick: number }) {
  const { t } = useI18n();
  const dups = useQuery((signal) => api.GET('/api/v1/cases/{id}/duplicates', { params: { path: { id: String(c.id) } }, signal }), [c.id, tick]);
  return (
    <section className="card" aria-labelledby="dups-h">
      <h2 id="dups-h">{t({ zh: '重复案件', en: 'Duplicates' })}</h2>
      {c.duplicateOf && (
        <p>{t({ zh: '本案是以下主案件的重复上报：', en: 'This report duplicates the master case ' })}
          <Link to={`/cases/${c.duplicateOf.id}`}>{c.duplicateOf.caseNo}</Link>（{t(stateMsg(c.duplicateOf.state))}）</p>
      )}
      {!c.duplicateOf && c.masterCaseId !== null && <p><Link to={`/cases/${c.masterCaseId}`}>{t({ zh: '主案件', en: 'Master case' })} #{c.masterCaseId}</Link></p>}
      {dups.error && !dups.data ? <ErrorState error={dups.error} onRetry={dups.reload} />
        : !dups.data ? <Loading inline />
        : dups.data.items.length === 0 ? <p className="muted">{t({ zh: '没有关联的重复上报。', en: 'No linked duplicate reports.' })}</p>
        : (
          <ul className="dup-list">
            {dups.data.items.map(({ case: d, attachmentIds }) => (
              <li key={d.id}>
                <Link to={`/cases/${d.id}`}>{d.caseNo}</Link> · {t(CHANNEL[d.channel] ?? { zh: d.channel, en: d.channel })} · {formatDateTime(d.createdAt)}
                <div className="muted">{d.description}</div>
                <Photos ids={attachmentIds} label={t({ zh: '照片', en: 'Photo' })} />
              </li>
            ))}
          </ul>
        )}
    </section>
  );
}

export default function CaseDetailPage() {
  const { t, locale } = useI18n();
  const { id } = useParams();
  const { can } = useAuth();
  const kase = useQuery((signal) => api.GET('/api/v1/cases/{id}', { params: { path: { id } }, signal }), [id]);
  const c = kase.data && (String(kase.data.id) === id || kase.data.caseNo === id) ? kase.data : undefined;
  const history = useQuery((signal) => api.GET('/api/v1/cases/{id}/history', { params: { path: { id } }, signal }), [id]);
  const reloadCase = kase.reload;
  const reloadHistory = history.reload;
  const reload = useCallback(() => { reloadCase(); reloadHistory(); }, [reloadCase, reloadHistory]);

  useLiveEvents((e) => {
    if (c && Number(e.data.caseId) === c.id) reload();
  }, ['case.transitioned', 'case.deadline_warning', 'case.deadline_overdue'], can('events.read'));

  const units = new Map<string, string>();
  if (c) for (const u of [c.assignedUnit, c.routing.unit, c.subUnit, ...c.assistingUnits]) if (u) units.set(u.id, u.name);
  const allUnits = useUnits();
  // units the case no longer names (a reassignment's previous unit) come from the unit list
  const unitName = (uid: string) => units.get(uid) ?? allUnits?.find((u) => u.id === uid)?.name ?? uid;

  const title = `${t({ zh: '案件', en: 'Case' })} ${c?.caseNo ?? id}`;
  let backTo = '/cases';
  try { backTo = sessionStorage.getItem('cityops.casesUrl') ?? backTo; } catch { /* storage disabled */ }
  const back = <Link to={backTo} className="btn">{t({ zh: '← 返回队列', en: '← Back to the queue' })}</Link>;
  const actions = c && (c.assignedUnit || c.assignedGridMember) ? (
    <>{back} <Link to={`/cases/${c.id}/print`} className="btn" data-testid="print-work-order">{t({ zh: '打印派遣单', en: 'Print work order' })}</Link></>
  ) : back;
  if (!c) {
    return (
      <Page title={title} actions={back}>
        {kase.error ? <ErrorState error={kase.error} onRetry={kase.reload} /> : <Loading />}
      </Page>
    );
  }
  const d = c.deadlines;
  // Paused while the centre rules a return (DISPUTED) or while hung; stopped after disposal.
  const handleRunning = ['DISPATCHED', 'IN_PROGRESS', 'HUNG'].includes(c.state);
  return (
    <Page title={title} actions={actions} className="case-detail">
      <div className="card case-header">
        <div className="case-header-main">
          <span className={`state-badge st-${c.state}`} data-testid="case-state">{t(c.stateLabel)}</span>
          <span className={`urgency urg-${c.urgency}`}>{t(urgencyMsg(c.urgency))}</span>
          <strong className="case-matter">{c.matter.name} <span className="muted">({c.matter.code})</span></strong>
        </div>
        <div className="case-header-side">
          {isOpenState(c.state) && <CaseCountdown c={c} />}
          {kase.loading && <span className="muted small" role="status">{t({ zh: '更新中…', en: 'Updating…' })}</span>}
        </div>
      </div>
      {kase.error && <p className="form-error" role="alert">{kase.error.message}</p>}

      <div className="detail-layout">
        <div className="detail-main">
          <CaseActions c={c} onChanged={reload} />
          <JointPanel c={c} onChanged={reload} />
          <LevelPanel c={c} onChanged={reload} />
          <SummonsPanel caseId={c.id} />
          <DesksPanel caseId={c.id} onChanged={reload} />

          <section className="card" aria-labelledby="info-h">
            <h2 id="info-h">{t({ zh: '案件信息', en: 'Case' })}</h2>
            <p className="case-description">{c.description}</p>
            <dl className="kvs">
              <Item label={t({ zh: '案件编号', en: 'Case no.' })}>{c.caseNo}</Item>
              <Item label={t({ zh: '来源', en: 'Channel' })}>{t(CHANNEL[c.channel] ?? { zh: c.channel, en: c.channel })}</Item>
              <Item label={t({ zh: '上报时间', en: 'Reported' })}>{formatDateTime(c.createdAt, locale)}</Item>
              <Item label={t({ zh: '地址', en: 'Address' })}>{c.address ?? '—'}</Item>
              <Item label={t({ zh: '网格', en: 'Grid' })}>{c.grid ? `${c.grid.name}（${c.grid.code}）` : '—'}</Item>
              <Item label={t({ zh: '区 / 街镇 / 社区（村）', en: 'District / street or town / community' })}>{[c.district?.name, c.street?.name, c.community?.name].filter(Boolean).join(' / ') || '—'}</Item>
              <Item label={t({ zh: '上报人', en: 'Reporter' })}>
                {[c.reporter.name, c.reporter.phone].filter(Boolean).join(' · ') || '—'}
                {c.reporter.masked && (c.reporter.name || c.reporter.phone) && <span className="muted small">（{t({ zh: '已脱敏', en: 'masked' })}）</span>}
              </Item>
              {c.partId && <Item label={t({ zh: '部件', en: 'Part' })}>{c.partId}</Item>}
              {c.assignedGridMember
                ? <Item label={t({ zh: '处置人（网格员）', en: 'Handler (grid member)' })}>{c.assignedGridMember.name ?? c.assignedGridMember.id}</Item>
                : <Item label={t({ zh: '处置单位', en: 'Handling unit' })}>{c.assignedUnit?.name ?? '—'}{c.subUnit ? ` / ${c.subUnit.name}` : ''}</Item>}
              {c.verifier && <Item label={t({ zh: '指定核实人', en: 'Verifier' })}><span data-testid="case-verifier">{c.verifier.name ?? c.verifier.id}</span></Item>}
              {c.disputeOwner && <Item label={t({ zh: '争议裁定', en: 'Dispute ruled by' })}>{t({ zh: '{r}的派遣员、值班长', en: 'Dispatchers and shift leaders of {r}' }, { r: c.disputeOwner.region.name })}</Item>}
              {c.assistingUnits.length > 0 && <Item label={t({ zh: '协办单位', en: 'Assisting units' })}>{c.assistingUnits.map((u) => u.name).join('、')}</Item>}
              {c.closedAt && <Item label={t({ zh: '结案', en: 'Closed' })}>{formatDateTime(c.closedAt, locale)} {c.closureType ? t(CLOSURE[c.closureType] ?? { zh: c.closureType, en: c.closureType }) : ''}</Item>}
              <Item label={t({ zh: '退回 / 延期 / 返工 / 督办', en: 'Returns / postponements / rework / supervisions' })}>
                {`${c.counters.returns} / ${c.counters.postponements} / ${c.counters.rework} / ${c.counters.supervisions}`}
              </Item>
            </dl>
          </section>

          <section className="card" aria-labelledby="tl-h">
            <h2 id="tl-h">{t({ zh: '流转记录', en: 'Timeline' })}</h2>
            {history.error && !history.data ? <ErrorState error={history.error} onRetry={history.reload} />
              : !history.data ? <Loading inline /> : <Timeline history={history.data} unitName={unitName} />}
          </section>
        </div>

        <div className="detail-side">
          <section className="card" aria-labelledby="dl-h">
            <h2 id="dl-h">{t({ zh: '时限', en: 'Deadlines' })}</h2>
            <dl className="kvs">
              <Item label={d.stage ? t({ zh: '环节时限（{s}）', en: 'Stage ({s})' }, { s: t(STAGE[d.stage] ?? { zh: d.stage, en: d.stage }) }) : t({ zh: '环节时限', en: 'Stage' })}>
                {d.stageDueAt ? <><ClockCountdown dueAt={d.stageDueAt} warnAt={d.stageWarnAt} paused={!!d.suspendedAt} /> <span className="muted small">{formatDateTime(d.stageDueAt, locale)}</span></> : '—'}
              </Item>
              <Item label={t({ zh: '处置时限', en: 'Handling' })}>
                {d.handleDueAt ? (
                  <>{handleRunning ? <ClockCountdown dueAt={d.handleDueAt} warnAt={d.handleWarnAt} paused={!!d.suspendedAt} />
                    : <span className="countdown countdown-none">{d.handlePausedAt ? t({ zh: '已暂停（待裁定）', en: 'paused (awaiting the ruling)' }) : t({ zh: '已停止', en: 'stopped' })}</span>}
                    {' '}<span className="muted small">{formatDateTime(d.handleDueAt, locale)}</span></>
                ) : d.handleLimit ? `${d.handleLimit.amount} ${d.handleLimit.unit ? t(LIMIT_UNITS[d.handleLimit.unit] ?? { zh: d.handleLimit.unit, en: d.handleLimit.unit }) : ''}` : '—'}
              </Item>
              {d.feedbackDueAt && (
                <Item label={t({ zh: '12345 反馈时限', en: '12345 feedback' })}>
                  <ClockCountdown dueAt={d.feedbackDueAt} /> <span className="muted small">{formatDateTime(d.feedbackDueAt, locale)}</span>
                </Item>
              )}
              {d.suspendedAt && <Item label={t({ zh: '挂账暂停于', en: 'Suspended at' })}>{formatDateTime(d.suspendedAt, locale)}</Item>}
              {d.handlePausedAt && <Item label={t({ zh: '退回暂停于', en: 'Paused at (returned)' })}>{formatDateTime(d.handlePausedAt, locale)}</Item>}
              {d.extensions.length > 0 && (
                <Item label={t({ zh: '已批准延期', en: 'Approved postponements' })}>
                  {d.extensions.map((x) => `+${x.amount} ${t(LIMIT_UNITS[x.unit] ?? { zh: x.unit, en: x.unit })}`).join('、')}
                </Item>
              )}
              {d.everOverdue && <Item label={t({ zh: '记录', en: 'Record' })}><span className="countdown countdown-overdue">{t({ zh: '曾超时', en: 'was overdue' })}</span></Item>}
            </dl>
          </section>

          <section className="card" aria-labelledby="map-h">
            <h2 id="map-h">{t({ zh: '位置', en: 'Location' })}{c.grid ? ` · ${c.grid.name}` : ''}</h2>
            <CaseMap c={c} />
          </section>
          <NearestPanel caseId={c.id} located={!!c.location} />
          <CaseCamerasPanel caseId={c.id} located={!!c.location} />

          <section className="card" aria-labelledby="routing-h">
            <h2 id="routing-h">{t({ zh: '派单依据', en: 'Routing' })}</h2>
            <dl className="kvs">
              <Item label={t({ zh: '清单派单单位', en: 'Routed unit' })}>{c.routing.unit?.name ?? '—'}</Item>
              <Item label={t({ zh: '依据', en: 'By' })}>{c.routing.outcome ? t(OUTCOME[c.routing.outcome] ?? { zh: c.routing.outcome, en: c.routing.outcome }) : '—'}</Item>
              <Item label={t({ zh: '规则 / 版本', en: 'Rule / version' })}>
                {c.routing.ruleId ? `${c.routing.ruleId}${c.routing.ruleVersion !== null ? ` · v${c.routing.ruleVersion}` : ''}` : '—'}
              </Item>
            </dl>
          </section>

          <Duplicates c={c} tick={history.data?.items.length ?? 0} />
        </div>
      </div>
    </Page>
  );
}
