/**
 * Emergencies at the seat (issue 8): words in the caller's description that mean an emergency or a threat to life
 * raise the urgency and put the referral (110 police, 119 fire, 120 ambulance, 122 traffic police, the gas and power
 * companies' hotlines) one keystroke away. The words are the city's data (settings row `emergency_words`, PUT
 * /api/v1/hotline/emergency-words); these are the defaults. Pure.
 *
 * Two levels:
 *   - `life`: a threat to life happening now (fire, someone trapped, gas leak, collapse, drowning …). The report
 *     is 非常紧急, and a seat may not save it as anything less without confirming that it is not an emergency.
 *   - `urgent`: a danger that cannot wait (a fallen pole across a road, a burst main, an open manhole …): urgency
 *     at least 紧急 is suggested.
 * Matching is by substring on the text with spaces removed (Chinese has no word boundaries); a rule may list
 * words that cancel it when present (`unless`: "演练" (drill), "已经灭了" (already out)).
 */
import { invalidAs } from '../errors.ts';
import type { Referral } from './hotline.ts';

export const EMERGENCY_LEVELS = ['life', 'urgent'] as const;
export type EmergencyLevel = (typeof EMERGENCY_LEVELS)[number];

/** Where an emergency call is referred (a subset of the seat's referrals, hotline.ts). */
export const EMERGENCY_REFERRALS = ['110', '119', '120', '122', 'gas', 'power'] as const satisfies readonly Referral[];
export type EmergencyReferral = (typeof EMERGENCY_REFERRALS)[number];

export const REFERRAL_LABELS: Readonly<Record<EmergencyReferral, { zh: string; en: string }>> = {
  110: { zh: '110 报警', en: '110 Police' },
  119: { zh: '119 火警', en: '119 Fire' },
  120: { zh: '120 急救', en: '120 Ambulance' },
  122: { zh: '122 交通事故', en: '122 Traffic police' },
  gas: { zh: '燃气抢修热线', en: 'Gas emergency line' },
  power: { zh: '电力抢修热线', en: 'Power emergency line' },
};

export interface EmergencyRule {
  /** Any of these in the text fires the rule. */
  words: string[];
  level: EmergencyLevel;
  /** Where the caller is referred (shown first to last). */
  referrals: EmergencyReferral[];
  /** Any of these in the text cancels the rule (a drill, a fire already out). */
  unless?: string[];
}

export interface EmergencyWords { rules: EmergencyRule[] }

export const DEFAULT_EMERGENCY_WORDS: Readonly<EmergencyWords> = Object.freeze<EmergencyWords>({
  rules: [
    { words: ['着火', '起火', '失火', '火灾', '冒烟', '浓烟', '烧起来'], level: 'life', referrals: ['119', '120'], unless: ['演练', '已经灭了', '已扑灭'] },
    { words: ['被困', '困在', '出不来', '救命', '有人在里面', '里面还有人', '里面好像还有人'], level: 'life', referrals: ['119', '110', '120'] },
    { words: ['燃气泄漏', '煤气泄漏', '天然气泄漏', '闻到煤气', '闻到燃气', '燃气味', '煤气味'], level: 'life', referrals: ['gas', '119'] },
    { words: ['坍塌', '塌了', '倒塌', '塌方', '地面塌陷', '路面塌陷'], level: 'life', referrals: ['119', '110', '120'] },
    { words: ['溺水', '落水', '掉进河', '掉河里'], level: 'life', referrals: ['110', '119', '120'] },
    { words: ['受伤', '流血', '昏迷', '晕倒', '没有呼吸', '不省人事'], level: 'life', referrals: ['120'] },
    { words: ['触电', '电线掉', '电线断了', '电线落地', '漏电'], level: 'life', referrals: ['power', '120'] },
    { words: ['打架', '持刀', '斗殴', '抢劫', '砍人'], level: 'life', referrals: ['110', '120'] },
    { words: ['车祸', '撞车', '追尾', '撞人'], level: 'life', referrals: ['122', '120'] },
    { words: ['水淹', '积水进屋', '被水淹', '水漫进'], level: 'urgent', referrals: ['119'] },
    { words: ['爆管', '水管爆裂', '大量冒水', '井盖丢失', '井盖缺失', '没有井盖', '树倒', '倒伏', '电线杆倒'], level: 'urgent', referrals: [] },
    { words: ['停电', '断电'], level: 'urgent', referrals: ['power'] },
  ],
});

export interface EmergencyFinding {
  /** The highest level of the rules that fired; null: nothing found. */
  level: EmergencyLevel | null;
  /** The referrals of the rules that fired, the highest level's first, without repeats. */
  referrals: EmergencyReferral[];
  /** The words that fired, in the order they appear in the text. */
  words: string[];
}

const squeeze = (s: string) => s.replace(/\s+/g, '');

export function detectEmergency(text: string, policy: EmergencyWords): EmergencyFinding {
  const t = squeeze(text);
  const fired: { rule: EmergencyRule; words: { w: string; at: number }[] }[] = [];
  for (const rule of policy.rules) {
    if (rule.unless?.some((u) => t.includes(squeeze(u)))) continue;
    const words = rule.words.map((w) => ({ w, at: t.indexOf(squeeze(w)) })).filter((x) => x.at >= 0);
    if (words.length) fired.push({ rule, words });
  }
  if (!fired.length) return { level: null, referrals: [], words: [] };
  const level: EmergencyLevel = fired.some((f) => f.rule.level === 'life') ? 'life' : 'urgent';
  const ordered = [...fired.filter((f) => f.rule.level === 'life'), ...fired.filter((f) => f.rule.level !== 'life')];
  const referrals = [...new Set(ordered.flatMap((f) => f.rule.referrals))];
  const words = [...new Set(fired.flatMap((f) => f.words).sort((a, b) => a.at - b.at).map((x) => x.w))];
  return { level, referrals, words };
}

function wordList(v: unknown, field: string, min: number): string[] {
  if (!Array.isArray(v)) throw invalidAs(field, { key: 'hotline.list_words' }, 'must be a list of words');
  if (v.length < min || v.length > 100) throw invalidAs(field, { key: 'hotline.have_100_words', params: { min: String(min) } }, `must have ${min} to 100 words`);
  return v.map((w, i) => {
    if (typeof w !== 'string' || squeeze(w).length < 1 || w.length > 20) throw invalidAs(`${field}.${i}`, { key: 'hotline.word_1_20_characters' }, 'must be a word of 1 to 20 characters');
    return w.trim();
  });
}

/** Validates a city's word list (the whole of it); the error names the field, e.g. `rules.2.level`. */
export function parseEmergencyWords(input: unknown, prefix = ''): EmergencyWords {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalidAs(prefix || 'body', { key: 'hotline.object_with_rules' }, 'must be an object with rules');
  const o = input as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== 'rules') throw invalidAs(`${prefix}${prefix ? '.' : ''}${k}`, { key: 'field.unknown' }, 'unknown field');
  const p = `${prefix}${prefix ? '.' : ''}rules`;
  if (!Array.isArray(o.rules) || o.rules.length > 200) throw invalidAs(p, { key: 'hotline.list_at_most_200_rules' }, 'must be a list of at most 200 rules');
  const rules = o.rules.map((r, i): EmergencyRule => {
    const f = `${p}.${i}`;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw invalidAs(f, { key: 'field.object' }, 'must be an object');
    const x = r as Record<string, unknown>;
    for (const k of Object.keys(x)) if (!['words', 'level', 'referrals', 'unless'].includes(k)) throw invalidAs(`${f}.${k}`, { key: 'field.unknown' }, 'unknown field');
    if (!EMERGENCY_LEVELS.includes(x.level as EmergencyLevel)) throw invalidAs(`${f}.level`, { key: 'field.one_of', params: { allowed: EMERGENCY_LEVELS.join(', ') } }, `must be one of ${EMERGENCY_LEVELS.join(', ')}`);
    const referrals = x.referrals === undefined ? [] : x.referrals;
    if (!Array.isArray(referrals) || referrals.some((v) => !EMERGENCY_REFERRALS.includes(v as EmergencyReferral))) {
      throw invalidAs(`${f}.referrals`, { key: 'field.list', params: { allowed: EMERGENCY_REFERRALS.join(', ') } }, `must be a list of ${EMERGENCY_REFERRALS.join(', ')}`);
    }
    return {
      words: wordList(x.words, `${f}.words`, 1), level: x.level as EmergencyLevel, referrals: [...new Set(referrals as EmergencyReferral[])],
      ...(x.unless === undefined ? {} : { unless: wordList(x.unless, `${f}.unless`, 0) }),
    };
  });
  return { rules };
}
