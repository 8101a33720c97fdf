/** Remaining time counting down live, coloured normal / yellow (warning) / red (overdue). */
import { formatDuration, useI18n } from '../../app/i18n.ts';
import { ALERT, caseCountdown, clockLevel, useNow, type CaseDto, type Level } from './model.ts';

function Badge({ level, remainingMs, prefix }: { level: Level; remainingMs: number; prefix?: string }) {
  const { t, locale } = useI18n();
  const text = remainingMs < 0
    ? t({ zh: '超时 {d}', en: 'overdue {d}' }, { d: formatDuration(-remainingMs, locale) })
    : t({ zh: '剩余 {d}', en: '{d} left' }, { d: formatDuration(remainingMs, locale) });
  return (
    <span className={`countdown countdown-${level}`} title={t(ALERT[level])}>
      <span className="sr-only">{t(ALERT[level])}: </span>{prefix}{text}
    </span>
  );
}

/** The case's nearest running deadline (what the queue sorts by). */
export function CaseCountdown({ c }: { c: CaseDto }) {
  const now = useNow();
  const { t } = useI18n();
  const { remainingMs, level } = caseCountdown(c, now);
  if (remainingMs === null) {
    return <span className="countdown countdown-none">{c.deadlines.suspendedAt ? t({ zh: '已暂停计时', en: 'clock paused' }) : '—'}</span>;
  }
  return <Badge level={level} remainingMs={remainingMs} />;
}

/** One clock (stage, handling, feedback) on the detail page. */
export function ClockCountdown({ dueAt, warnAt, paused }: { dueAt: string | null; warnAt?: string | null; paused?: boolean }) {
  const now = useNow();
  const { t } = useI18n();
  if (!dueAt) return <span className="countdown countdown-none">—</span>;
  if (paused) return <span className="countdown countdown-none">{t({ zh: '已暂停计时', en: 'clock paused' })}</span>;
  return <Badge level={clockLevel(now, dueAt, warnAt ?? null)} remainingMs={Date.parse(dueAt) - now} />;
}
