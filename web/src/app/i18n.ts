/**
 * zh-CN first, English switchable; the choice is remembered in localStorage. Shared words live in the two
 * dictionaries below (en is checked to have every key). Feature pages may also pass their own pair inline,
 * `t({ zh: '案件列表', en: 'Cases' })`, so parallel work never conflicts in this file.
 *
 * Dates: always in the city's time zone (Asia/Shanghai unless the server's config says otherwise).
 */
import { createContext, createElement, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly { id: Locale; label: string }[] = [{ id: 'zh-CN', label: '中文' }, { id: 'en', label: 'English' }];

const zh = {
  'app.title': '一网统管',
  'app.loading': '正在加载…',
  'nav.home': '首页',
  'nav.cases': '案件',
  'nav.intake': '受理',
  'nav.bigscreen': '大屏',
  'nav.mobile': '移动端',
  'nav.portal': '市民门户',
  'nav.admin': '系统管理',
  'nav.menu': '菜单',
  'user.menu': '用户菜单',
  'user.roles': '角色',
  'user.logout': '退出登录',
  'lang.switch': '语言',
  'login.title': '登录',
  'login.subtitle': '城市运行一网统管平台',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.submitting': '正在登录…',
  'login.failed': '登录失败',
  'login.portal': '市民上报与查询（无需登录）',
  'common.retry': '重试',
  'common.reload': '重新加载页面',
  'common.empty': '暂无数据',
  'common.error': '出错了',
  'common.loading': '加载中…',
  'common.save': '保存',
  'common.cancel': '取消',
  'common.search': '搜索',
  'common.required': '必填',
  'common.todo': '此页面正在建设中',
  'error.NETWORK': '无法连接服务器，请检查网络后重试。',
  'error.UNAUTHENTICATED': '登录已失效，请重新登录。',
  'error.FORBIDDEN': '没有权限执行此操作。',
  'error.NOT_FOUND': '未找到。',
  'error.pageNotFound': '页面不存在',
  'error.noAccess': '您的角色无权访问此页面。',
  'error.crashed': '页面出现错误',
  'live.connected': '实时',
  'live.reconnecting': '重新连接中',
  'map.loading': '地图加载中…',
  'map.noWebgl': '此浏览器无法显示地图（需要 WebGL）。',
} as const;

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  'app.title': 'City Operations',
  'app.loading': 'Loading…',
  'nav.home': 'Home',
  'nav.cases': 'Cases',
  'nav.intake': 'Intake',
  'nav.bigscreen': 'Big screen',
  'nav.mobile': 'Mobile',
  'nav.portal': 'Citizen portal',
  'nav.admin': 'Administration',
  'nav.menu': 'Menu',
  'user.menu': 'User menu',
  'user.roles': 'Roles',
  'user.logout': 'Sign out',
  'lang.switch': 'Language',
  'login.title': 'Sign in',
  'login.subtitle': 'Unified city operations management',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.failed': 'Sign-in failed',
  'login.portal': 'Report or follow a problem (no sign-in)',
  'common.retry': 'Retry',
  'common.reload': 'Reload the page',
  'common.empty': 'Nothing here yet',
  'common.error': 'Something went wrong',
  'common.loading': 'Loading…',
  'common.save': 'Save',
  'common.cancel': 'Cancel',
  'common.search': 'Search',
  'common.required': 'required',
  'common.todo': 'This page is being built',
  'error.NETWORK': 'The server could not be reached. Check the connection and retry.',
  'error.UNAUTHENTICATED': 'Your session has ended. Please sign in again.',
  'error.FORBIDDEN': 'You are not allowed to do this.',
  'error.NOT_FOUND': 'Not found.',
  'error.pageNotFound': 'Page not found',
  'error.noAccess': 'Your roles do not give access to this page.',
  'error.crashed': 'This page failed',
  'live.connected': 'Live',
  'live.reconnecting': 'Reconnecting',
  'map.loading': 'Loading the map…',
  'map.noWebgl': 'This browser cannot show the map (WebGL is needed).',
};

const DICTS: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zh, en };

/** An inline pair for texts that belong to one page. */
export interface Msg { zh: string; en: string }

const STORAGE_KEY = 'cityops.locale';

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'zh-CN' || saved === 'en') return saved;
  } catch { /* storage disabled */ }
  return 'zh-CN';
}

/** Replaces {name} placeholders. */
function fill(text: string, vars?: Record<string, string | number>): string {
  return vars ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : text;
}

export type Translate = (key: MessageKey | Msg, vars?: Record<string, string | number>) => string;

export function translate(locale: Locale, key: MessageKey | Msg, vars?: Record<string, string | number>): string {
  const text = typeof key === 'string' ? (DICTS[locale][key] ?? key) : locale === 'en' ? key.en : key.zh;
  return fill(text, vars);
}

// ---- time zone and dates -------------------------------------------------------------------------------

let cityTimeZone = 'Asia/Shanghai';
/** Set from /api/v1/console/config on start. */
export function setCityTimeZone(tz: string): void {
  try { new Intl.DateTimeFormat('en', { timeZone: tz }); cityTimeZone = tz; } catch { /* unknown zone: keep the default */ }
}
export const getCityTimeZone = (): string => cityTimeZone;

/** The city's UTC offset at an instant, in ms (from its IANA zone, e.g. +8 h for Asia/Shanghai). */
export function cityOffsetMs(at: number): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: cityTimeZone, timeZoneName: 'longOffset' }).formatToParts(new Date(at))
    .find((x) => x.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
}
/** Midnight of the city's day that contains `at`, as an instant. */
export function cityDayStart(at: number): number {
  const off = cityOffsetMs(at);
  return Math.floor((at + off) / 86_400_000) * 86_400_000 - off;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: Locale, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${cityTimeZone}|${JSON.stringify(opts)}`;
  let f = formatters.get(key);
  if (!f) { f = new Intl.DateTimeFormat(locale, { ...opts, timeZone: cityTimeZone }); formatters.set(key, f); }
  return f;
}
const toDate = (v: string | number | Date): Date => (v instanceof Date ? v : new Date(v));
const valid = (d: Date) => !Number.isNaN(d.getTime());

/** 2026-11-25 10:00 style, in the city's time zone. */
export function formatDateTime(value: string | number | Date | null | undefined, locale: Locale = currentLocale, withSeconds = false): string {
  if (value === null || value === undefined || value === '') return '—';
  const d = toDate(value);
  if (!valid(d)) return String(value);
  return formatter(locale, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', ...(withSeconds ? { second: '2-digit' } : {}), hourCycle: 'h23',
  }).format(d);
}

/** The date alone, in the city's time zone. */
export function formatDate(value: string | number | Date | null | undefined, locale: Locale = currentLocale): string {
  if (value === null || value === undefined || value === '') return '—';
  const d = toDate(value);
  return valid(d) ? formatter(locale, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(d) : String(value);
}

/** A duration such as a remaining time limit: "2天3小时", "45分钟" / "2d 3h", "45 min"; negative = overdue (prefixed −). */
export function formatDuration(ms: number, locale: Locale = currentLocale): string {
  const sign = ms < 0 ? '−' : '';
  let m = Math.floor(Math.abs(ms) / 60_000);
  const d = Math.floor(m / 1440); m -= d * 1440;
  const h = Math.floor(m / 60); m -= h * 60;
  const zhParts = [d && `${d}天`, h && `${h}小时`, (m || (!d && !h)) && `${m}分钟`].filter(Boolean);
  const enParts = [d && `${d}d`, h && `${h}h`, (m || (!d && !h)) && `${m} min`].filter(Boolean);
  return sign + (locale === 'en' ? enParts.join(' ') : zhParts.join(''));
}

export function formatNumber(n: number, locale: Locale = currentLocale): string {
  return new Intl.NumberFormat(locale).format(n);
}

// ---- React context -------------------------------------------------------------------------------------

let currentLocale: Locale = initialLocale();
/** The language in force, for code outside React (the API client renders its errors in it). */
export const getLocale = (): Locale => currentLocale;

interface I18nValue { locale: Locale; setLocale: (l: Locale) => void; t: Translate }

const I18nContext = createContext<I18nValue>({ locale: currentLocale, setLocale: () => {}, t: (k, v) => translate(currentLocale, k, v) });

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(currentLocale);
  const setLocale = useCallback((l: Locale) => {
    currentLocale = l;
    try { localStorage.setItem(STORAGE_KEY, l); } catch { /* storage disabled */ }
    document.documentElement.lang = l;
    setLocaleState(l);
  }, []);
  const value = useMemo<I18nValue>(() => ({ locale, setLocale, t: (k, v) => translate(locale, k, v) }), [locale, setLocale]);
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
  return createElement(I18nContext.Provider, { value }, children);
}

/** `const { t, locale, setLocale } = useI18n()` */
export const useI18n = (): I18nValue => useContext(I18nContext);
