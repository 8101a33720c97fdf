/**
 * The city's assessment settings (issue 10 parts 2 and 7), city data in the settings row `assessment_settings`
 * (GET/PUT /api/v1/assessment/settings):
 *   - showRanking: whether the console and the report rank units against each other (名次). Off by default: the
 *     national rule prefers comparing a unit with its own past months to public rankings (domain.md §7), so by default
 *     the table lists rows by name with each row's change against its own previous month, and the report has no rank.
 * A bad stored value never stops the server: the defaults apply and the problem is listed. Pure.
 */
import { invalidAs } from '../errors.ts';

export interface AssessmentSettings { showRanking: boolean }

export const DEFAULT_ASSESSMENT_SETTINGS: Readonly<AssessmentSettings> = Object.freeze({ showRanking: false });

const KEYS = ['showRanking'] as const;

/** Validates the whole settings object; errors name the field, e.g. `showRanking`. */
export function parseAssessmentSettings(input: unknown, prefix = ''): AssessmentSettings {
  const at = (f: string) => (prefix ? `${prefix}.${f}` : f);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalidAs(prefix || 'body', { key: 'field.object_with', params: { allowed: KEYS.join(', ') } }, `must be an object with ${KEYS.join(', ')}`);
  const o = input as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!(KEYS as readonly string[]).includes(k)) throw invalidAs(at(k), { key: 'field.unknown' }, 'unknown field');
  if (typeof o.showRanking !== 'boolean') throw invalidAs(at('showRanking'), { key: 'field.true_or_false' }, 'must be true or false');
  return { showRanking: o.showRanking };
}
