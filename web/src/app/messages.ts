/**
 * Server messages in the user's language (docs/issue-8/language.md). The server sends every error as
 * `{ code, message, field, key?, params? }` and some answers carry a `{ key, params }` text of their own (the
 * routing explanation); this catalogue renders them in zh-CN or en. One helper for the whole console:
 *
 * - ApiError.message is already rendered here (the client calls `localizeError`, registered below), so a page that
 *   shows `error.message` or `useErrorText()(error)` shows the user's language without doing anything;
 * - `renderMessage(locale, ref)` / `useMessage()` for a `{ key, params }` that is not an error.
 *
 * Order: a known `key` → its template (with the field's label); otherwise a known code with a field → "「field」…"
 * plus the server's detail; otherwise the server's own text. A key the catalogue lacks falls through the same way,
 * so a new server message is never lost — add it here to translate it.
 */
import { useCallback } from 'react';
import { setErrorLocalizer, type ApiError } from '../api/client.ts';
import { getLocale, useI18n, type Locale, type Msg } from './i18n.ts';
import { SERVER_MESSAGES } from './messages-server.ts';

export interface MessageRef { key: string; params?: Record<string, string | number> }

/** Labels of the request fields errors name (the last path segment; `entries[2].matterCode` → matterCode). */
export const FIELD_LABELS: Record<string, Msg> = {
  username: { zh: '用户名', en: 'username' }, password: { zh: '密码', en: 'password' },
  note: { zh: '说明', en: 'note' }, reason: { zh: '原因', en: 'reason' }, basis: { zh: '依据', en: 'basis' }, result: { zh: '处置结果', en: 'result' },
  description: { zh: '诉求内容', en: 'description' }, matterCode: { zh: '事项类型', en: 'matter' }, matterClass: { zh: '事项大类', en: 'matter class' },
  location: { zh: '位置', en: 'location' }, lon: { zh: '位置（经度）', en: 'location (longitude)' }, lat: { zh: '位置（纬度）', en: 'location (latitude)' },
  position: { zh: '位置', en: 'position' }, place: { zh: '地点', en: 'place' }, address: { zh: '地址', en: 'address' },
  phone: { zh: '电话', en: 'phone' }, reporterPhone: { zh: '来电号码', en: 'caller\'s phone' }, reporterName: { zh: '来电人', en: 'caller\'s name' },
  urgency: { zh: '紧急程度', en: 'urgency' }, satisfied: { zh: '是否满意', en: 'satisfied' }, unitId: { zh: '单位', en: 'unit' },
  userId: { zh: '人员', en: 'person' }, regionId: { zh: '区域', en: 'region' }, version: { zh: '版本', en: 'version' },
  date: { zh: '日期', en: 'date' }, kind: { zh: '类型', en: 'kind' }, title: { zh: '标题', en: 'title' }, text: { zh: '话术内容', en: 'reply text' },
  requestType: { zh: '诉求类型', en: 'request type' }, entries: { zh: '清单', en: 'list' }, replies: { zh: '话术', en: 'replies' },
  workPeriods: { zh: '工作时段', en: 'work periods' }, weekendDays: { zh: '每周休息日', en: 'weekly rest days' }, weekend: { zh: '每周休息日', en: 'weekly rest days' },
  year: { zh: '年份', en: 'year' }, holidays: { zh: '节假日', en: 'holidays' }, daysOff: { zh: '放假日期', en: 'days off' },
  makeUpWorkdays: { zh: '调休上班日', en: 'make-up workdays' }, name: { zh: '名称', en: 'name' }, url: { zh: '地址（URL）', en: 'URL' },
  topics: { zh: '事件类型', en: 'topics' }, file: { zh: '文件', en: 'file' }, body: { zh: '请求内容', en: 'request body' },
  caseNo: { zh: '案件编号', en: 'case number' }, channel: { zh: '来源渠道', en: 'channel' },
};

/** The catalogue: one template per key; `{field}` is the field's label, other `{name}`s are the key's parameters. */
export const MESSAGES: Record<string, Msg> = {
  // Any field (request validation, the domain's required/one-of checks).
  'field.required': { zh: '请填写「{field}」', en: 'Enter the {field}' },
  'field.unknown': { zh: '「{field}」不是可识别的字段', en: '{field} is not a known field' },
  'field.one_of': { zh: '「{field}」只能是：{allowed}', en: '{field} must be one of: {allowed}' },
  'field.too_long': { zh: '「{field}」最多 {limit} 个', en: '{field}: at most {limit}' },
  'field.too_short': { zh: '「{field}」至少 {limit} 个', en: '{field}: at least {limit}' },
  'field.min': { zh: '「{field}」不能小于 {limit}', en: '{field} must not be below {limit}' },
  'field.max': { zh: '「{field}」不能大于 {limit}', en: '{field} must not be above {limit}' },
  'field.invalid': { zh: '「{field}」格式不正确', en: '{field} is not valid' },
  // Sign-in.
  'auth.wrong_credentials': { zh: '用户名或密码错误', en: 'Wrong username or password' },
  'auth.too_many_attempts': { zh: '登录失败次数过多，请 {seconds} 秒后再试', en: 'Too many failed sign-ins; try again in {seconds} s' },
  // Places.
  'location.outside_grid': { zh: '该位置（{lon}, {lat}）不在本市任何网格内，请重新定位或在地图上点选', en: 'The point ({lon}, {lat}) is outside every grid of the city: locate again or click the map' },
  'location.outside_city': { zh: '该位置不在本市范围内', en: 'The position is outside the city' },
  // The routing explanation (GET /routing/explain → explanation).
  'routing.rule': { zh: '按责任清单规则 {rule} 派给 {unit}', en: 'Routed by rule {rule} of the responsibility list to {unit}' },
  'routing.part_owner': { zh: '没有规则覆盖部件类事项“{matter}”，派给部件的权属单位 {unit}', en: 'No rule covers the part matter “{matter}” here: it goes to the part\'s owner {unit}' },
  'routing.part_maintainer': { zh: '没有规则覆盖部件类事项“{matter}”，派给部件的养护单位 {unit}', en: 'No rule covers the part matter “{matter}” here: it goes to the part\'s maintainer {unit}' },
  'routing.fallback': { zh: '没有规则覆盖事项“{matter}”，由{region}的兜底单位 {unit} 接收', en: 'No rule covers “{matter}” here: the fallback unit of {region}, {unit}, takes it' },
  // The work calendar's days.
  'calendar.makeup_not_weekend': { zh: '{date} 不是周末，不能设为调休上班日', en: '{date} is not a weekend day, so it cannot be a make-up workday' },
  'calendar.unchanged': { zh: '{date} 已经是这种日子', en: '{date} already is that kind of day' },
  // Grid import problems (code of each row of the report).
  'grid.MISSING_ID': { zh: '要素缺少网格编号', en: 'The feature has no grid id' },
  'grid.DUPLICATE_ID': { zh: '网格编号重复', en: 'The grid id is used twice' },
  'grid.UNKNOWN_COMMUNITY': { zh: '所属社区不存在', en: 'The community does not exist' },
  'grid.SELF_INTERSECTION': { zh: '边界自相交（线段交叉），请在制图软件中修正', en: 'The boundary crosses itself' },
  'grid.UNCLOSED_RING': { zh: '边界未闭合：最后一个坐标须与第一个相同', en: 'The ring is not closed: the last position must repeat the first' },
  'grid.TOO_FEW_POINTS': { zh: '边界点数过少：至少需要 3 个不同的角点', en: 'Too few positions: a ring needs at least 3 distinct corners' },
  'grid.COORD_OUT_OF_RANGE': { zh: '坐标超出范围（经纬度是否写反？）', en: 'A coordinate is out of range (longitude and latitude swapped?)' },
  'grid.NOT_POLYGON': { zh: '几何类型不是面（Polygon / MultiPolygon）', en: 'The geometry is not a Polygon or MultiPolygon' },
  'grid.BAD_COORDINATES': { zh: '坐标格式错误：应为 [经度, 纬度] 数字', en: 'Bad coordinates: expected [longitude, latitude] numbers' },
  // Every other check of the server (import parsers, settings documents, refusals): messages-server.ts.
  ...SERVER_MESSAGES,
};

/** What each code means when the server gave no key (the field is named when there is one). */
const CODE_MESSAGES: Record<string, Msg> = {
  VALIDATION_FAILED: { zh: '「{field}」填写有误', en: '{field} is not valid' },
  NOT_FOUND: { zh: '未找到', en: 'Not found' },
  CONFLICT: { zh: '与现有数据冲突', en: 'Conflicts with existing data' },
  INVALID_TRANSITION: { zh: '案件当前状态不允许此操作（可能已在别处办理），请刷新后再试', en: 'The case\'s state does not allow this (it may have moved on): reload and retry' },
  LIMIT_EXCEEDED: { zh: '已超过允许的次数或上限', en: 'A limit was reached' },
  SEPARATION_OF_DUTIES: { zh: '同一人不能在同一案件中担任这两个角色', en: 'The same person cannot play both roles on one case' },
  OUT_OF_GRID: { zh: '该位置不在本市任何网格内', en: 'The point is outside every grid of the city' },
  UNROUTABLE: { zh: '该事项在此位置没有责任单位', en: 'No unit is responsible for this matter here' },
  INVALID_GEOMETRY: { zh: '图形无效', en: 'The shape is not valid' },
  PAYLOAD_TOO_LARGE: { zh: '文件或内容过大', en: 'The file or content is too large' },
  UNSUPPORTED_MEDIA_TYPE: { zh: '不支持的文件类型', en: 'This file type is not accepted' },
  RATE_LIMITED: { zh: '操作过于频繁，请稍后再试', en: 'Too many attempts; try again later' },
  FORBIDDEN: { zh: '没有权限执行此操作', en: 'You are not allowed to do this' },
  UNAUTHENTICATED: { zh: '登录已失效，请重新登录', en: 'Your session has ended: sign in again' },
  NETWORK: { zh: '无法连接服务器，请检查网络后重试', en: 'The server could not be reached: check the connection and retry' },
  INTERNAL: { zh: '服务器内部错误，已记录', en: 'Internal error; it has been logged' },
};

const pick = (locale: Locale, m: Msg) => (locale === 'en' ? m.en : m.zh);

/** The label of a field path: `entries[2].matterCode` → 事项类型 (the raw path when unknown). */
export function fieldLabel(locale: Locale, path: string): string {
  const last = path.split('.').pop()?.replace(/\[\d+\]$/, '') ?? path;
  const m = FIELD_LABELS[last] ?? FIELD_LABELS[path];
  return m ? pick(locale, m) : path;
}

/** The label for a message: a path into a list keeps its place, `holidays[2].date` → 日期（holidays[2].date）. */
function fieldPathLabel(locale: Locale, path: string): string {
  const label = fieldLabel(locale, path);
  if (label === path || !/[.[]/.test(path)) return label;
  return locale === 'en' ? `${label} (${path})` : `${label}（${path}）`;
}

function fill(text: string, params: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (all, k: string) => (k in params ? String(params[k]) : all));
}

/** A `{ key, params }` in the locale, or undefined when the catalogue does not know the key. */
export function renderMessage(locale: Locale, ref: MessageRef | null | undefined): string | undefined {
  const m = ref ? MESSAGES[ref.key] : undefined;
  if (!m || !ref) return undefined;
  const params = { ...(ref.params ?? {}) };
  if (typeof params.field === 'string') params.field = fieldPathLabel(locale, params.field);
  return fill(pick(locale, m), params);
}

/** The server's detail without its "field: " prefix. */
const detailOf = (e: ApiError) => (e.field && e.serverMessage.startsWith(`${e.field}: `) ? e.serverMessage.slice(e.field.length + 2) : e.serverMessage);

/** An ApiError in the locale; undefined keeps the server's text (an English user with an unknown key). */
export function localizeError(e: ApiError, locale: Locale = getLocale()): string | undefined {
  const keyed = e.key ? renderMessage(locale, { key: e.key, params: { ...(e.field ? { field: e.field } : {}), ...e.params } }) : undefined;
  if (keyed) return keyed;
  if (locale === 'en') return undefined;
  const c = CODE_MESSAGES[e.code];
  if (!c) return undefined;
  const head = fill(pick(locale, c), { field: e.field ? fieldLabel(locale, e.field) : '' }).replace('「」', '');
  // The server's detail says which value was wrong; without a translation it is kept, marked as the original.
  const detail = detailOf(e);
  return detail && detail !== e.code ? `${head}（${detail}）` : head;
}

setErrorLocalizer((e) => localizeError(e));

/** `const msg = useMessage(); msg({ key, params }, fallback)` — re-renders with the language. */
export function useMessage(): (ref: MessageRef | null | undefined, fallback?: string) => string {
  const { locale } = useI18n();
  return useCallback((ref, fallback = '') => renderMessage(locale, ref) ?? fallback, [locale]);
}
