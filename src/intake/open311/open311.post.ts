/**
 * POST requests.{format}: a citizen's report from any Open311 client, through the one intake pipeline
 * (createCase, channel 'open311'). Arguments and checks follow GeoReport v2 (docs/open311.md §1.5); every refusal
 * is an Open311 error (403 api_key, 404 service_code, 400 everything else) and nothing is written before all
 * checks pass (createCase validates, locates and routes before its one transaction).
 */
import { sha256 } from '../../security/tokens.ts';
import { resolveApiKey } from '../../security/api-keys.ts';
import type { AppContext } from '../../runtime/context.ts';
import { hasPermission } from '../../domain/policy/permissions.ts';
import type { Actor } from '../../domain/policy/scope.ts';
import { submit, type Submission } from '../contract.ts';
import type { CaseRow } from '../../storage/repositories/case.repository.ts';
import { answerAttributes, AttributeError, type AttributeAnswer } from '../../domain/catalog/attributes.ts';
import { badRequest, forbidden311, notFound311, parseW3cDatetime } from './open311.format.ts';
import { MAX_MEDIA_URLS, withMediaUrls } from './open311.presenter.ts';
import { attributeAnswersOf, attributeSetsOf, type AttributeSets } from './open311.attributes.ts';

/** GeoReport v2 §1.5: description is free text of at most 4,000 characters. */
export const MAX_DESCRIPTION_CHARS = 4000;
const MAX_NAME_CHARS = 50;
const MAX_ADDRESS_CHARS = 500;
const MAX_URL_CHARS = 2000;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/**
 * A parsed form: the first value of each argument, trimmed; empty values count as absent (§1.1). `all` keeps every
 * value of a repeated argument (several `media_url`, a multivaluelist's `attribute[code]`), in the order sent.
 */
export type Form = ReadonlyMap<string, string> & { readonly all: ReadonlyMap<string, readonly string[]>; readonly raw: Record<string, unknown> };

export function readForm(body: unknown): Form {
  const first = new Map<string, string>();
  const all = new Map<string, string[]>();
  const raw: Record<string, unknown> = body && typeof body === 'object' ? body as Record<string, unknown> : {};
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    throw badRequest('The body must be application/x-www-form-urlencoded (UTF-8) / 请求体须为表单编码');
  }
  for (const [k, v0] of Object.entries(raw)) {
    const values = (Array.isArray(v0) ? v0 : [v0])
      .filter((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      .map((v) => String(v).trim()).filter((v) => v !== '');
    if (!values.length) continue;
    first.set(k, values[0]);
    all.set(k, values);
  }
  return Object.assign(first, { all, raw });
}

/**
 * The api_key of the form → the client it belongs to, as an actor. 403 when missing, unknown or revoked, or when
 * its roles lack `permission` (reports and updates need case.create; reading the update feed needs a key only).
 */
export async function authenticateApiKey(ctx: AppContext, form: ReadonlyMap<string, string>, permission: 'case.create' | null = 'case.create'): Promise<Actor & { name: string }> {
  const key = form.get('api_key');
  if (!key) throw forbidden311('api_key is required / 缺少 api_key');
  // Keys are `cok_<prefix>_<secret>`; anything else cannot match, so spare the lookup.
  const rec = key.startsWith('cok_') ? await resolveApiKey(ctx.store, sha256(key), ctx.clock.now()) : undefined;
  if (!rec || rec.revokedAt !== null) throw forbidden311('Invalid api_key / api_key 无效或已吊销');
  if (permission && !hasPermission(rec.roles, permission)) throw forbidden311('This api_key may not submit service requests / 该密钥无上报权限');
  return { userId: `key:${rec.id}`, name: rec.name, roles: rec.roles, unitIds: rec.unitIds, regionIds: rec.regionIds };
}

function coordinate(form: Form, name: 'lat' | 'long'): number | undefined {
  const v = form.get(name);
  if (v === undefined) return undefined;
  if (!DECIMAL.test(v)) throw badRequest(`${name} must be a decimal number of degrees (WGS84), got "${v.slice(0, 40)}"`);
  return Number(v);
}

const charCount = (s: string): number => [...s].length;

/** The reporter's name in Chinese order (family name first); Latin names keep a space between the parts. */
function reporterName(last: string | undefined, first: string | undefined): string | undefined {
  for (const [arg, v] of [['last_name', last], ['first_name', first]] as const) {
    if (v !== undefined && charCount(v) > MAX_NAME_CHARS) throw badRequest(`${arg} is longer than ${MAX_NAME_CHARS} characters`);
  }
  const parts = [last, first].filter((x): x is string => !!x);
  if (parts.length === 0) return undefined;
  return parts.some((p) => CJK.test(p)) ? parts.join('') : parts.join(' ');
}

const isHttpUrl = (u: string): boolean => u.length <= MAX_URL_CHARS && /^https?:\/\/\S+$/i.test(u) && URL.canParse(u);

/** The answers to the matter's questions (`attribute[code]`), checked against its definition. */
export function attributesFromForm(sets: AttributeSets, matterCode: string, form: Form, utcOffsetMinutes: number): AttributeAnswer[] {
  const defs = sets.get(matterCode);
  if (!defs) return [];
  try {
    return answerAttributes(defs, attributeAnswersOf(form.raw), (s) => parseW3cDatetime(s, utcOffsetMinutes));
  } catch (err) {
    if (err instanceof AttributeError) throw badRequest(err.message);
    throw err;
  }
}

/** The form → the intake contract's submission. Throws Open311 errors naming the argument. */
export function submissionFromForm(ctx: AppContext, form: Form, idempotencyKey: string | undefined, sets: AttributeSets): Submission {
  const code = form.get('service_code');
  if (!code) throw badRequest('service_code is required / 缺少 service_code');
  const matter = ctx.ref.current().matters.get(code);
  if (!matter || matter.kind !== 'matter') throw notFound311(`service_code "${code.slice(0, 40)}" not found / 服务类型不存在`);

  const lat = coordinate(form, 'lat');
  const lon = coordinate(form, 'long');
  if ((lat === undefined) !== (lon === undefined)) throw badRequest('lat and long must be sent together / lat 与 long 须同时提供');
  const address = form.get('address_string');
  if (lat === undefined && address === undefined) {
    if (form.has('address_id')) {
      throw badRequest('address_id is not supported (there is no master address repository): send lat and long, or address_string / 不支持 address_id，请提供经纬度或 address_string');
    }
    throw badRequest('a location is required: lat and long (WGS84), or address_string / 缺少位置：请提供经纬度 lat、long 或地址 address_string');
  }
  if (address !== undefined && charCount(address) > MAX_ADDRESS_CHARS) throw badRequest(`address_string is longer than ${MAX_ADDRESS_CHARS} characters`);

  const text = form.get('description');
  if (text !== undefined && charCount(text) > MAX_DESCRIPTION_CHARS) {
    throw badRequest(`description is longer than ${MAX_DESCRIPTION_CHARS} characters (${charCount(text)}) / 描述超过 ${MAX_DESCRIPTION_CHARS} 字`);
  }
  // Several photos come as media_url repeated (FixMyStreet with multi_photos): all are kept.
  const mediaUrls = [...new Set(form.all.get('media_url') ?? [])];
  if (mediaUrls.length > MAX_MEDIA_URLS) throw badRequest(`media_url may be given at most ${MAX_MEDIA_URLS} times / 最多 ${MAX_MEDIA_URLS} 个媒体链接`);
  if (mediaUrls.some((u) => !isHttpUrl(u))) throw badRequest('media_url must be an http(s) URL / media_url 须为 http(s) 链接');
  const attributes = attributesFromForm(sets, matter.code, form, ctx.config.utcOffsetMinutes);
  const name = reporterName(form.get('last_name'), form.get('first_name'));
  const phone = form.get('phone');
  const report: Submission['report'] = {
    matterCode: matter.code,
    // A report without text still needs one for the operators; the service name says what it is about.
    description: withMediaUrls(text ?? `${matter.name}（市民上报，未填写描述）`, mediaUrls),
    // Without lat/long the pipeline geocodes address_string with the local gazetteer (an ambiguous or unknown
    // address is a 400 that lists the candidates).
    ...(lat !== undefined ? { location: { lon: lon!, lat, coordSystem: 'wgs84' as const } } : {}),
    ...(address !== undefined ? { address } : {}),
    ...(name !== undefined || phone !== undefined ? { reporter: { ...(name ? { name } : {}), ...(phone ? { phone } : {}) } } : {}),
    ...(attributes.length ? { attributes } : {}),
  };
  return { channel: 'open311', report, ...(idempotencyKey ? { key: idempotencyKey } : {}) };
}

const LIMIT_UNITS: Record<string, string> = {
  natural_minutes: '分钟', natural_hours: '小时', natural_days: '天', work_hours: '个工作时', work_days: '个工作日',
};

const localMinute = (ms: number, off: number): string => {
  const d = new Date(ms + off * 60_000).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)}`;
};

/** What will happen next, in Chinese first: who handles it and by when (the SLA statement of §1.5). */
export function serviceNotice(ctx: AppContext, row: CaseRow): string {
  const ref = ctx.ref.current();
  const unitId = row.assigned_unit_id ?? row.routed_unit_id;
  const unit = unitId ? ref.units.get(unitId)?.name ?? unitId : '城市运行管理中心';
  const off = ctx.config.utcOffsetMinutes;
  const due = row.handle_due_at ?? row.stage_due_at;
  const parts = [`已受理，编号 ${row.case_no}`, `责任单位：${unit}`];
  if (due !== null) parts.push(`预计 ${localMinute(Number(due), off)} 前派遣处置`);
  if (row.handle_limit_amount !== null && row.handle_limit_unit) {
    parts.push(`处置时限 ${Number(row.handle_limit_amount)} ${LIMIT_UNITS[row.handle_limit_unit] ?? row.handle_limit_unit}`);
  }
  return `${parts.join('；')}。 / Received as ${row.case_no}; responsible unit: ${unit}` +
    (due !== null ? `; to be dispatched by ${localMinute(Number(due), off)} local time.` : '.');
}

/** The whole POST: authenticate → validate → the intake contract's submit → the response item. */
export async function postServiceRequest(ctx: AppContext, body: unknown, idempotencyKey: string | undefined) {
  const form = readForm(body);
  const actor = await authenticateApiKey(ctx, form);
  const r = await submit(ctx, submissionFromForm(ctx, form, idempotencyKey, await attributeSetsOf(ctx)), actor);
  return { created: r.created, item: { service_request_id: r.row.case_no, service_notice: serviceNotice(ctx, r.row) } };
}
