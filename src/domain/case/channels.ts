/** Intake channels and what each implies for a new case (domain.md §4). */
export const CHANNELS = ['hotline', 'patrol', 'open311', 'app', 'iot', 'video', 'department', 'superior', 'media', 'petition', 'other', 'proactive'] as const;
export type Channel = (typeof CHANNELS)[number];

export const URGENCIES = ['normal', 'urgent', 'very_urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** Public, media and petition reports are verified on site before registration. */
export const VERIFY_CHANNELS: ReadonlySet<string> = new Set(['hotline', 'open311', 'app', 'media', 'petition']);

/** Reporters on these channels are called back (回访) after the check, when they left a phone number. */
export const CALLBACK_CHANNELS: ReadonlySet<string> = new Set(['hotline', 'open311', 'app']);

/**
 * Inspector and grid-member patrol reports and superiors' orders may be registered directly; so may a proactive task
 * (未诉先办) a leader adopted from a recurring problem (issue 10 part 5): the centre itself is the reporter.
 */
export function isTrustedReport(channel: string, reporterRoles: readonly string[]): boolean {
  return channel === 'superior' || channel === 'proactive' || (channel === 'patrol' && reporterRoles.some((r) => r === 'inspector' || r === 'grid_member'));
}
