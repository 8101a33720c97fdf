/**
 * GET /catalog/suggest: matter codes for the reporter's words, for the intake form (issue 4). The suggester is built
 * from the catalogue (reference cache) and the hotline knowledge base's keywords of articles that name a matter,
 * kept per context and rebuilt when the reference version changes or after a minute (knowledge-base edits).
 */
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { MatterSuggester, splitKeywords } from '../../../domain/catalog/suggest.ts';
import { ErrorResponse } from '../common.schema.ts';
import { SuggestBody, SuggestDto, SuggestQuery } from './stats.schema.ts';
import { REFERRAL_LABELS, detectEmergency } from '../../../domain/hotline/emergency.ts';

const KB_REFRESH_MS = 60_000;

interface Cached { version: number; at: number; suggester: Promise<MatterSuggester> }
const cache = new WeakMap<AppContext, Cached>();

async function build(ctx: AppContext): Promise<MatterSuggester> {
  const ref = ctx.ref.current();
  const extra = new Map<string, string[]>();
  for (const a of await ctx.store.hotline.listKbArticles()) {
    if (!a.matter_code) continue;
    extra.set(a.matter_code, [...(extra.get(a.matter_code) ?? []), ...splitKeywords(a.keywords)]);
  }
  return new MatterSuggester({ matters: ref.matters.values(), extra });
}

export function suggesterOf(ctx: AppContext): Promise<MatterSuggester> {
  const version = ctx.ref.current().version;
  const now = ctx.clock.now();
  const hit = cache.get(ctx);
  if (hit && hit.version === version && now >= hit.at && now - hit.at < KB_REFRESH_MS) return hit.suggester;
  const entry: Cached = { version, at: now, suggester: build(ctx) };
  cache.set(ctx, entry);
  entry.suggester.catch(() => { if (cache.get(ctx) === entry) cache.delete(ctx); });
  return entry.suggester;
}

/** Matter suggestions and emergency words for one text. */
async function suggestFor(ctx: AppContext, text: string, limit: number) {
  const suggester = await suggesterOf(ctx);
  const found = detectEmergency(text, ctx.ref.current().emergencyWords);
  return {
    text,
    emergency: { level: found.level, referrals: found.referrals.map((code) => ({ code, ...REFERRAL_LABELS[code] })), words: found.words },
    items: suggester.suggest(text, limit),
  };
}

export async function suggestRoutes(app: App, ctx: AppContext): Promise<void> {
  const description = 'Chinese without a tokenizer: the text\'s character bigrams against each matter\'s name, the words people use for it '
    + 'and the knowledge base\'s keywords for it. A suggestion, not a decision: the operator confirms the matter. '
    + '`emergency` says whether the city\'s emergency words are in the text (fire, someone trapped, gas leak …) and where to refer the caller.';
  app.get('/api/v1/catalog/suggest', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['catalog'],
      summary: 'Suggest matter codes (事项) from free text, best first: 小区门口井盖坏了 → a manhole-cover matter',
      description: `${description} For long texts use POST (a URL has a length limit).`,
      querystring: SuggestQuery,
      response: { 200: SuggestDto, ...{ 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse } },
    },
  }, async (req) => suggestFor(ctx, req.query.text, req.query.limit ?? 5));

  app.post('/api/v1/catalog/suggest', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['catalog'],
      summary: 'The same suggestion for a text in the body: any length a description may have',
      description,
      body: SuggestBody,
      response: { 200: SuggestDto, ...{ 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse } },
    },
  }, async (req) => suggestFor(ctx, req.body.text, req.body.limit ?? 5));
}
