/**
 * The 12345 seats' standard replies (话术库, issue 8): what a seat says for a matter or a kind of request — the
 * greeting for a complaint, how to answer a question about rubbish collection, what to say when a call is referred.
 * City data (settings row `standard_replies`, PUT /api/v1/hotline/replies, catalog.manage): each save is a new
 * version (the number goes up by one and the reference version is bumped). Offered beside the knowledge base at
 * intake; a reply with no matter and no request type fits every call. Pure.
 */
import { invalidAs } from '../errors.ts';
import { REQUEST_KINDS, type RequestKind } from './hotline.ts';

export interface StandardReply {
  /** Stable id within the library (r1, greeting …). */
  id: string;
  title: string;
  text: string;
  /** Matters (5-digit codes) and classes (2-digit) it is for; both empty and no request type = every call. */
  matterCodes: string[];
  matterClasses: string[];
  requestKinds: RequestKind[];
}

export interface StandardReplies {
  /** 1 for the defaults; each save adds one. */
  version: number;
  replies: StandardReply[];
}

export const MAX_REPLIES = 500;
const MAX_TITLE = 60;
const MAX_TEXT = 2000;

export const DEFAULT_STANDARD_REPLIES: Readonly<StandardReplies> = Object.freeze<StandardReplies>({
  version: 1,
  replies: [
    { id: 'greeting', title: '开场白', text: '您好，这里是 12345 政务服务便民热线，很高兴为您服务，请问有什么可以帮您？', matterCodes: [], matterClasses: [], requestKinds: [] },
    { id: 'closing', title: '结束语', text: '您反映的问题我们已经记录，会在规定时限内转交相关单位办理并给您回复。感谢您的来电，再见。', matterCodes: [], matterClasses: [], requestKinds: [] },
    { id: 'complaint', title: '投诉受理', text: '非常理解您的心情。您反映的情况我已详细记录，将转交责任单位核实处理，处理结果会在规定时限内回复您。', matterCodes: [], matterClasses: [], requestKinds: ['complaint'] },
    { id: 'consult', title: '咨询答复', text: '关于您咨询的问题，根据现行规定答复如下：', matterCodes: [], matterClasses: [], requestKinds: ['consult'] },
    { id: 'suggestion', title: '建议受理', text: '感谢您对城市管理的关心和建议，我们会将您的建议转交相关部门研究参考。', matterCodes: [], matterClasses: [], requestKinds: ['suggestion'] },
    { id: 'help', title: '求助安抚', text: '请您不要着急，我已记录您的位置和情况，会立即联系相关单位尽快前往处理。', matterCodes: [], matterClasses: [], requestKinds: ['help'] },
  ],
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(v: unknown, field: string, max: number): string {
  if (typeof v !== 'string' || v.trim() === '') throw invalidAs(field, { key: 'field.required' }, 'is required');
  if (v.trim().length > max) throw invalidAs(field, { key: 'hotline.at_most_characters', params: { max: String(max) } }, `at most ${max} characters`);
  return v.trim();
}

function list(v: unknown, field: string, ok: (x: string) => boolean, what: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalidAs(field, { key: 'hotline.list', params: { what: String(what) } }, `must be a list of ${what}`);
  const out: string[] = [];
  v.forEach((x, i) => {
    if (typeof x !== 'string' || !ok(x)) throw invalidAs(`${field}[${i}]`, { key: 'field.must_be', params: { what: String(what) } }, `must be ${what}`);
    if (!out.includes(x)) out.push(x);
  });
  return out;
}

/** A stored or submitted library (the version is the caller's: the stored one, or the next). */
export function parseStandardReplies(input: unknown): StandardReplies {
  if (!isObject(input)) throw invalidAs('replies', { key: 'hotline.object_2' }, 'must be an object { version, replies }');
  const version = input.version;
  if (!Number.isInteger(version) || (version as number) < 1) throw invalidAs('version', { key: 'hotline.positive_integer' }, 'must be a positive integer');
  if (!Array.isArray(input.replies)) throw invalidAs('replies', { key: 'field.list_2' }, 'must be a list');
  if (input.replies.length > MAX_REPLIES) throw invalidAs('replies', { key: 'hotline.at_most_replies', params: { max_replies: String(MAX_REPLIES) } }, `at most ${MAX_REPLIES} replies`);
  const ids = new Set<string>();
  const replies = input.replies.map((r, i): StandardReply => {
    const at = `replies[${i}]`;
    if (!isObject(r)) throw invalidAs(at, { key: 'hotline.object_3' }, 'must be an object { id, title, text, matterCodes?, matterClasses?, requestKinds? }');
    for (const k of Object.keys(r)) {
      if (!['id', 'title', 'text', 'matterCodes', 'matterClasses', 'requestKinds'].includes(k)) throw invalidAs(`${at}.${k}`, { key: 'field.unknown' }, 'unknown field');
    }
    const id = text(r.id, `${at}.id`, 40);
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw invalidAs(`${at}.id`, { key: 'hotline.letters_digits_and_only' }, 'letters, digits, - and _ only');
    if (ids.has(id)) throw invalidAs(`${at}.id`, { key: 'hotline.used_twice', params: { id: String(id) } }, `"${id}" is used twice`);
    ids.add(id);
    return {
      id, title: text(r.title, `${at}.title`, MAX_TITLE), text: text(r.text, `${at}.text`, MAX_TEXT),
      matterCodes: list(r.matterCodes, `${at}.matterCodes`, (x) => /^\d{5}$/.test(x), 'a 5-digit matter code'),
      matterClasses: list(r.matterClasses, `${at}.matterClasses`, (x) => /^\d{2}$/.test(x), 'a 2-digit matter class'),
      requestKinds: list(r.requestKinds, `${at}.requestKinds`, (x) => (REQUEST_KINDS as readonly string[]).includes(x), `one of ${REQUEST_KINDS.join(', ')}`) as RequestKind[],
    };
  });
  return { version: version as number, replies };
}

/**
 * The replies for a call, best fit first: those for its matter, then its class, then its kind of request, then the
 * general ones. A reply tied to another matter or another request kind is left out.
 */
export function repliesFor(lib: StandardReplies, call: { matterCode?: string; requestKind?: string }): StandardReply[] {
  const cls = call.matterCode?.slice(0, 2);
  const scored: { r: StandardReply; score: number; i: number }[] = [];
  lib.replies.forEach((r, i) => {
    const byMatter = r.matterCodes.length > 0 || r.matterClasses.length > 0;
    const matterHit = call.matterCode !== undefined && r.matterCodes.includes(call.matterCode);
    const classHit = cls !== undefined && r.matterClasses.includes(cls);
    if (byMatter && !matterHit && !classHit) return;
    const kindHit = call.requestKind !== undefined && (r.requestKinds as string[]).includes(call.requestKind);
    if (r.requestKinds.length > 0 && !kindHit) return;
    scored.push({ r, score: (matterHit ? 8 : 0) + (classHit ? 4 : 0) + (kindHit ? 2 : 0), i });
  });
  return scored.sort((a, b) => b.score - a.score || a.i - b.i).map((x) => x.r);
}
