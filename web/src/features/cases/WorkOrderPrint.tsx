/**
 * /cases/:id/print — the work order (派遣单) on one A4 page, for a unit that still works on paper: the case as
 * dispatched (matter, place, description, reporter as the API shows it to this user, unit, limit and deadline, the
 * dispatcher's note, the report's photos) and blank boxes for the unit to fill in by hand (signed for, what was
 * done, by whom, the check). The browser's print dialog makes the paper or a PDF.
 */
import { useEffect } from 'react';
import { api, useQuery } from '../../app/api.ts';
import { formatDateTime, useI18n } from '../../app/i18n.ts';
import { Link, useParams } from '../../app/router.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { CHANNEL, LIMIT_UNITS, urgencyMsg } from './model.ts';
import './print.css';

const SENT = ['dispatch', 'rule_dispute', 'second_dispatch'];

export default function WorkOrderPrint() {
  const { t, locale } = useI18n();
  const { id = '' } = useParams();
  const kase = useQuery((signal) => api.GET('/api/v1/cases/{id}', { params: { path: { id } }, signal }), [id]);
  const history = useQuery((signal) => api.GET('/api/v1/cases/{id}/history', { params: { path: { id } }, signal }), [id]);
  const c = kase.data;
  useEffect(() => { if (c) document.title = `${t({ zh: '派遣单', en: 'Work order' })} ${c.caseNo}`; }, [c, t]);
  if (kase.error) return <ErrorState error={kase.error} onRetry={kase.reload} />;
  if (!c || !history.data) return <Loading />;

  const items = history.data.items;
  const sent = [...items].reverse().find((h) => SENT.includes(h.action));
  const note = sent && typeof sent.details.note === 'string' ? sent.details.note : sent?.details.ruling;
  const photos = (items.find((h) => h.attachmentIds.length > 0)?.attachmentIds ?? []).slice(0, 4);
  const d = c.deadlines;
  const limit = d.handleLimit ? `${d.handleLimit.amount} ${d.handleLimit.unit ? t(LIMIT_UNITS[d.handleLimit.unit] ?? { zh: d.handleLimit.unit, en: d.handleLimit.unit }) : ''}` : '—';
  const unit = c.assignedGridMember
    ? `${c.assignedGridMember.name ?? c.assignedGridMember.id}（${t({ zh: '网格员', en: 'grid member' })}）`
    : [c.assignedUnit?.name ?? c.routing.unit?.name, c.subUnit?.name].filter(Boolean).join(' / ') || '—';
  const row = (label: string, value: string | undefined | null, wide = false) => (
    <tr><th scope="row">{label}</th><td colSpan={wide ? 3 : 1}>{value || '—'}</td></tr>
  );

  return (
    <div className="print-page" data-testid="work-order">
      <div className="print-tools no-print">
        <button type="button" className="btn btn-primary" onClick={() => window.print()}>{t({ zh: '打印', en: 'Print' })}</button>
        <Link to={`/cases/${c.id}`} className="btn">{t({ zh: '← 返回案件', en: '← Back to the case' })}</Link>
        <span className="muted small">{t({ zh: '纸张：A4 纵向。也可在打印对话框中选择“另存为 PDF”。', en: 'Paper: A4 portrait. The print dialog can also save a PDF.' })}</span>
      </div>
      <article className="wo-sheet">
        <header className="wo-head">
          <h1>{t({ zh: '城市运行管理案件派遣单', en: 'City operations work order' })}</h1>
          <div className="wo-no">
            <span>{t({ zh: '案件编号：', en: 'Case no.: ' })}<strong>{c.caseNo}</strong></span>
            <span>{t({ zh: '打印时间：', en: 'Printed: ' })}{formatDateTime(new Date().toISOString(), locale)}</span>
          </div>
        </header>
        <table className="wo-table">
          <tbody>
            <tr>
              <th scope="row">{t({ zh: '事项', en: 'Matter' })}</th><td>{c.matter.name}（{c.matter.code}）</td>
              <th scope="row">{t({ zh: '紧急程度', en: 'Urgency' })}</th><td className={`urg-${c.urgency}`}>{t(urgencyMsg(c.urgency))}</td>
            </tr>
            <tr>
              <th scope="row">{t({ zh: '来源', en: 'Channel' })}</th><td>{t(CHANNEL[c.channel] ?? { zh: c.channel, en: c.channel })}</td>
              <th scope="row">{t({ zh: '上报时间', en: 'Reported' })}</th><td>{formatDateTime(c.createdAt, locale)}</td>
            </tr>
            {row(t({ zh: '地址', en: 'Address' }), c.address, true)}
            {row(t({ zh: '区 / 街镇 / 社区 / 网格', en: 'District / street / community / grid' }),
              [c.district?.name, c.street?.name, c.community?.name, c.grid ? `${c.grid.name}（${c.grid.code}）` : undefined].filter(Boolean).join(' / '), true)}
            {c.location && row(t({ zh: '坐标', en: 'Coordinates' }), `${c.location.lon.toFixed(6)}, ${c.location.lat.toFixed(6)}`, true)}
            <tr><th scope="row">{t({ zh: '问题描述', en: 'Description' })}</th><td colSpan={3} className="wo-desc">{c.description}</td></tr>
            {row(t({ zh: '上报人', en: 'Reporter' }), [c.reporter.name, c.reporter.phone].filter(Boolean).join(' '), true)}
            <tr>
              <th scope="row">{t({ zh: '处置单位', en: 'Handling unit' })}</th><td>{unit}</td>
              <th scope="row">{t({ zh: '协办单位', en: 'Assisting' })}</th><td>{c.assistingUnits.map((u) => u.name).join('、') || '—'}</td>
            </tr>
            <tr>
              <th scope="row">{t({ zh: '派遣时间', en: 'Dispatched' })}</th><td>{sent ? formatDateTime(sent.at, locale) : '—'}</td>
              <th scope="row">{t({ zh: '派遣人', en: 'Dispatcher' })}</th><td>{sent?.actor?.name ?? '—'}</td>
            </tr>
            <tr>
              <th scope="row">{t({ zh: '处置时限', en: 'Time limit' })}</th><td>{limit}</td>
              <th scope="row">{t({ zh: '截止时间', en: 'Due' })}</th><td><strong>{d.handleDueAt ? formatDateTime(d.handleDueAt, locale) : '—'}</strong></td>
            </tr>
            {row(t({ zh: '派遣说明', en: 'Dispatcher\'s note' }), typeof note === 'string' ? note : undefined, true)}
          </tbody>
        </table>
        {photos.length > 0 && (
          <section className="wo-photos">
            <h2>{t({ zh: '上报照片', en: 'Report photos' })}</h2>
            <div>{photos.map((p, i) => <img key={p} src={`/api/v1/attachments/${encodeURIComponent(p)}`} alt={`${t({ zh: '上报照片', en: 'Report photo' })} ${i + 1}`} />)}</div>
          </section>
        )}
        <table className="wo-table wo-fill">
          <tbody>
            <tr><th scope="row">{t({ zh: '签收人', en: 'Signed for by' })}</th><td></td><th scope="row">{t({ zh: '签收时间', en: 'Signed at' })}</th><td></td></tr>
            <tr className="wo-tall"><th scope="row">{t({ zh: '处置情况', en: 'What was done' })}</th><td colSpan={3}></td></tr>
            <tr><th scope="row">{t({ zh: '处置人', en: 'Handled by' })}</th><td></td><th scope="row">{t({ zh: '完成时间', en: 'Done at' })}</th><td></td></tr>
            <tr className="wo-mid"><th scope="row">{t({ zh: '核查意见', en: 'Check' })}</th><td colSpan={3}></td></tr>
            <tr><th scope="row">{t({ zh: '单位负责人（签章）', en: 'Unit head (seal)' })}</th><td colSpan={3}></td></tr>
          </tbody>
        </table>
        <footer className="wo-foot">{t({ zh: '处置完成后请在平台或移动端录入处置结果并上传处置后照片；本单随案归档。', en: 'After handling, enter the result and the after-photos in the platform; file this sheet with the case.' })}</footer>
      </article>
    </div>
  );
}
