/** 12345 hotline: knowledge-base articles and the call log (issue 3 §1). */
import type { Conn } from '../db.ts';
import type { HotlineCallTable, KbArticleTable } from '../schema.ts';
import type { CaseRow } from './case.repository.ts';
import type { Insertable, Selectable } from 'kysely';

export type KbArticleRow = Selectable<KbArticleTable>;
export type HotlineCallRow = Selectable<HotlineCallTable>;
export type NewHotlineCallRow = Insertable<HotlineCallTable>;

const num = <T extends { id: number }>(r: T): T => ({ ...r, id: Number(r.id) });

export async function listKbArticles({ db }: Conn, opts: { matterCode?: string; includeInactive?: boolean } = {}): Promise<KbArticleRow[]> {
  let q = db.selectFrom('kb_articles').selectAll().orderBy('id');
  if (!opts.includeInactive) q = q.where('active', '=', 1);
  if (opts.matterCode) q = q.where('matter_code', '=', opts.matterCode);
  return (await q.execute()).map(num);
}

export async function findKbArticle({ db }: Conn, id: number): Promise<KbArticleRow | undefined> {
  const r = await db.selectFrom('kb_articles').selectAll().where('id', '=', id).executeTakeFirst();
  return r && num(r);
}

export interface KbArticleInput { title: string; body: string; matterCode?: string | null; keywords?: string; active?: boolean }

export async function insertKbArticle({ db }: Conn, a: KbArticleInput, now: number): Promise<number> {
  const r = await db.insertInto('kb_articles').values({
    title: a.title, body: a.body, matter_code: a.matterCode ?? null, keywords: a.keywords ?? '', active: a.active === false ? 0 : 1,
    created_at: now, updated_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function updateKbArticle({ db }: Conn, id: number, a: KbArticleInput, now: number): Promise<boolean> {
  const r = await db.updateTable('kb_articles').set({
    title: a.title, body: a.body, matter_code: a.matterCode ?? null, keywords: a.keywords ?? '', active: a.active === false ? 0 : 1, updated_at: now,
  }).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function insertHotlineCall({ db }: Conn, row: NewHotlineCallRow): Promise<HotlineCallRow> {
  const r = await db.insertInto('hotline_calls').values(row).returning('id').executeTakeFirstOrThrow();
  return (await db.selectFrom('hotline_calls').selectAll().where('id', '=', Number(r.id)).executeTakeFirstOrThrow()) as HotlineCallRow;
}

export async function findHotlineCall({ db }: Conn, id: number): Promise<HotlineCallRow | undefined> {
  return db.selectFrom('hotline_calls').selectAll().where('id', '=', id).executeTakeFirst() as Promise<HotlineCallRow | undefined>;
}

/** The call that filed a case (outcome 'case'): there is exactly one. */
export async function findFilingCall({ db }: Conn, caseId: number): Promise<HotlineCallRow | undefined> {
  return db.selectFrom('hotline_calls').selectAll().where('case_id', '=', caseId).where('outcome', '=', 'case').orderBy('id').executeTakeFirst();
}

export async function listHotlineCalls(
  { db }: Conn, opts: { phone?: string; takenBy?: string; since?: number; limit: number },
): Promise<HotlineCallRow[]> {
  let q = db.selectFrom('hotline_calls').selectAll().orderBy('id', 'desc').limit(opts.limit);
  if (opts.phone) q = q.where('caller_phone', '=', opts.phone);
  if (opts.takenBy !== undefined) q = q.where('created_by', '=', opts.takenBy);
  if (opts.since !== undefined) q = q.where('created_at', '>=', opts.since);
  return q.execute();
}

/** How many calls a seat took since `since`, by outcome (the seat's own log). */
export async function countCallsOfSeat({ db }: Conn, takenBy: string, since: number): Promise<Record<string, number>> {
  const rows = await db.selectFrom('hotline_calls').select(['outcome', (eb) => eb.fn.countAll<number>().as('n')])
    .where('created_by', '=', takenBy).where('created_at', '>=', since).groupBy('outcome').execute();
  return Object.fromEntries(rows.map((r) => [r.outcome, Number(r.n)]));
}

/** The caller's most recent open case about this matter reported since `since` (repeat-call detection). */
export async function findOpenCaseOfCaller({ db }: Conn, phone: string, matterCode: string, since: number): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll()
    .where('reporter_phone', '=', phone).where('matter_code', '=', matterCode).where('created_at', '>=', since)
    .where('state', 'not in', ['ARCHIVED', 'CANCELLED'])
    .orderBy('id', 'desc').limit(1).executeTakeFirst() as Promise<CaseRow | undefined>;
}

/** A dozen demo articles (演示知识库), inserted only when the knowledge base is empty. */
export const DEMO_KB_ARTICLES: readonly KbArticleInput[] = [
  { title: '生活垃圾清运时间', matterCode: '06042', keywords: '垃圾 清运 收运 时间 垃圾站 满溢', body: '本区生活垃圾每日清运两次：早 6:00–8:00、晚 17:00–19:00。垃圾站（箱）满溢可拨打 12345 反映，环卫单位 4 个工作小时内清运。' },
  { title: '垃圾分类投放规定', matterCode: '06041', keywords: '垃圾分类 厨余 可回收 有害 其他垃圾 投放', body: '生活垃圾分为厨余垃圾、可回收物、有害垃圾和其他垃圾四类，按小区公示的时间和地点分类投放。大件垃圾需预约收运。' },
  { title: '占道经营投诉流程', matterCode: '09006', keywords: '占道经营 摆摊 流动摊贩 店外经营 投诉', body: '占道经营由城管执法部门处置。请提供具体地址、经营时段和照片线索；受理后派至属地街道城管队，一般 1 个工作日内到场处置。' },
  { title: '路灯报修', matterCode: null, keywords: '路灯 不亮 报修 照明 灯杆', body: '路灯不亮、灯杆倾斜请说明路名、灯杆编号（灯杆上的白色标牌）。连续 3 盏及以上不亮 1 个工作日内修复，单盏 3 个工作日内修复。' },
  { title: '停水通知查询', matterCode: null, keywords: '停水 通知 查询 自来水 供水 计划停水', body: '计划停水由供水公司提前 24 小时在官网、公众号和小区公告栏发布。突发停水可拨打供水热线或 12345，承办单位 24 小时内答复。' },
  { title: '停电与电力抢修', matterCode: null, keywords: '停电 断电 电力 抢修 供电', body: '停电请先确认是否为自家跳闸；片区停电可拨打 95598 供电服务热线，或经 12345 转供电公司，24 小时内答复。' },
  { title: '供暖时间与暖气不热', matterCode: null, keywords: '供暖 暖气 不热 供热 采暖期', body: '本市采暖期为每年 11 月 15 日至次年 3 月 15 日。室温低于 18℃ 可反映，供热单位 24 小时内上门检测。' },
  { title: '噪声扰民投诉', matterCode: '06028', keywords: '噪声 噪音 扰民 夜间 广场舞 装修', body: '社会生活噪声由城管或公安处置；夜间 22:00 至次日 6:00 禁止产生噪声的装修作业。正在发生的严重扰民请直接拨打 110。' },
  { title: '施工扰民与夜间施工许可', matterCode: '08001', keywords: '施工扰民 夜间施工 许可 工地 噪声', body: '夜间施工须取得夜间施工许可并公示。未公示许可的夜间施工可投诉，由住建或城管部门核查。' },
  { title: '机动车乱停放举报', matterCode: '09009', keywords: '乱停车 机动车 违停 占道停车 停放', body: '机动车违停由交警部门处置，可通过交管 12123 随手拍举报；占用消防通道请拨打 119 或 12345。' },
  { title: '露天烧烤投诉', matterCode: '06029', keywords: '露天烧烤 烧烤 油烟 夜市', body: '露天烧烤由城管执法部门处置，1 小时内到场、2 小时内处置完毕。请提供地址与时段。' },
  { title: '道路积雪结冰清理', matterCode: '10001', keywords: '积雪 结冰 除雪 路滑 扫雪', body: '主次干道由环卫部门清扫，门前三包区域由沿街单位负责。降雪停止后 24 小时内完成主要道路清雪。' },
];

export async function seedHotlineKnowledgeBase(c: Conn, now: number): Promise<number> {
  const any = await c.db.selectFrom('kb_articles').select('id').limit(1).executeTakeFirst();
  if (any) return 0;
  for (const a of DEMO_KB_ARTICLES) await insertKbArticle(c, a, now);
  return DEMO_KB_ARTICLES.length;
}
