/**
 * The seat's standard replies (话术库) for the call at hand, beside the knowledge base: those for the chosen matter,
 * its class and the kind of request first, then the general ones (GET /hotline/replies, best fit first). One click
 * copies a reply to the clipboard, or inserts it into the text being written (the refusal's reason).
 */
import { useState } from 'react';
import { api, useQuery } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.ts';
import type { QueryOf } from '../../app/api.ts';

type RequestKind = NonNullable<QueryOf<'/api/v1/hotline/replies', 'get'>['requestKind']>;

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (plain http, an old browser): select the text in a hidden field and copy that.
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
    ta.select();
    let ok: boolean;
    try { ok = document.execCommand('copy'); } catch { ok = false; }
    ta.remove();
    return ok;
  }
}

export function StandardReplies({ matterCode, requestKind, onInsert, insertLabel }: {
  matterCode?: string; requestKind?: RequestKind; onInsert?: (text: string) => void; insertLabel?: string;
}) {
  const { t } = useI18n();
  const q = useQuery((signal) => api.GET('/api/v1/hotline/replies', { params: { query: { matterCode, requestKind } }, signal }), [matterCode, requestKind]);
  const [done, setDone] = useState<{ id: string; what: 'copied' | 'inserted' | 'failed' } | undefined>();
  const items = q.data?.replies ?? [];
  if (!q.data || items.length === 0) return null;
  return (
    <details className="kb-reference replies" data-testid="standard-replies" open={Boolean(matterCode)}>
      <summary>{t({ zh: '标准话术（{n} 条）', en: 'Standard replies ({n})' }, { n: items.length })}</summary>
      <ul className="reply-list">
        {items.map((r) => (
          <li key={r.id} data-reply={r.id}>
            <div className="reply-head">
              <strong>{r.title}</strong>
              <span className="reply-actions">
                <button type="button" className="btn btn-small" onClick={async () => setDone({ id: r.id, what: (await copyText(r.text)) ? 'copied' : 'failed' })}>
                  {t({ zh: '复制', en: 'Copy' })}
                </button>
                {onInsert && (
                  <button type="button" className="btn btn-small" onClick={() => { onInsert(r.text); setDone({ id: r.id, what: 'inserted' }); }}>
                    {insertLabel ?? t({ zh: '插入', en: 'Insert' })}
                  </button>
                )}
              </span>
            </div>
            <p className="kb-body">{r.text}</p>
            {done?.id === r.id && (
              <span className="muted small" role="status">
                {done.what === 'copied' ? t({ zh: '已复制', en: 'Copied' }) : done.what === 'inserted' ? t({ zh: '已插入', en: 'Inserted' }) : t({ zh: '无法复制，请手动选择文字', en: 'Could not copy: select the text' })}
              </span>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}
