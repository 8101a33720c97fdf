/**
 * Parsing the simple limit phrases found in responsibility lists and regulations, e.g. "4 工作时", "1 工作日",
 * "2 h", "2 h 自然时", "1 h (自然时)", "30 分钟", "15 工作日", "3 天", "十五个工作日", "半小时".
 *
 * Rules: the FIRST phrase "<number> [个] <unit>" in the text wins; numbers are Arabic (may be fractional) or
 * simple Chinese numerals up to 999 (一…九, 两, 十, 百, 半, "一个半" = 1.5). Units:
 *   工作时 / 工作小时 / work hours            → work_hours
 *   工作日 / 工作天 / work days                → work_days
 *   小时 / 自然时 / 钟头 / h / hr / hours      → natural_hours (a trailing "自然时" qualifier changes nothing)
 *   分钟 / min / minutes                      → natural_minutes
 *   天 / 日 / 自然日 / d / days               → natural_days
 * Seconds are not a limit unit and are ignored. A number right after a digit or 月 is not a start (so the
 * date "10月1日" is not "1 day"). A zero amount is skipped.
 */
import type { LimitUnit, TimeLimit } from './deadline.types.ts';

const CN_DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/** 十五 → 15, 二十 → 20, 一百零五 → 105, 两 → 2, 半 → 0.5. */
function parseChineseNumber(text: string): number {
  if (text === '半') return 0.5;
  let total = 0;
  let current = 0;
  for (const ch of text) {
    if (ch === '十') {
      total += (current || 1) * 10;
      current = 0;
    } else if (ch === '百') {
      total += (current || 1) * 100;
      current = 0;
    } else {
      current = CN_DIGITS[ch];
    }
  }
  return total + current;
}

const EN_END = '(?![a-z])';
const LIMIT_RE = new RegExp(
  String.raw`(?<![\d.月])(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百]+|半)(\s*个半)?\s*个?\s*(?:` +
    String.raw`(?<wh>工作小时|工作时|work(?:ing)?[\s-]*hours?${EN_END})|` +
    String.raw`(?<wd>工作日|工作天|work(?:ing)?[\s-]*days?${EN_END})|` +
    String.raw`(?<nh>自然小时|自然时|小时|钟头|hours?${EN_END}|hrs?${EN_END}|h${EN_END})|` +
    String.raw`(?<nm>分钟|minutes?${EN_END}|mins?${EN_END})|` +
    String.raw`(?<nd>自然日|自然天|天|日|days?${EN_END}|d${EN_END}))`,
  'gi',
);

/** The first limit in `text`, or null when there is none. */
export function parseLimitText(text: string): TimeLimit | null {
  if (typeof text !== 'string') return null;
  for (const m of text.matchAll(LIMIT_RE)) {
    const raw = m[1];
    let amount = /\d/.test(raw) ? Number(raw) : parseChineseNumber(raw);
    if (m[2]) amount += 0.5;
    if (!(amount > 0) || !Number.isFinite(amount)) continue;
    const g = m.groups ?? {};
    const unit: LimitUnit = g.wh
      ? 'work_hours'
      : g.wd
        ? 'work_days'
        : g.nh
          ? 'natural_hours'
          : g.nm
            ? 'natural_minutes'
            : 'natural_days';
    return { amount, unit };
  }
  return null;
}
