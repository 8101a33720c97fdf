/** The level parts of the case list: the queue choice (my platform / waiting for me / sent), and a row's transfer mark. */
import { useI18n } from '../../app/i18n.ts';
import { Select } from '../../components/Form.tsx';
import type { CaseDto } from '../cases/model.ts';
import { TRANSFER_KIND } from './model.ts';

export const PLATFORM_MODES = ['mine', 'incoming', 'outgoing'] as const;
export type PlatformMode = (typeof PLATFORM_MODES)[number];
export const platformMode = (v: string | null): PlatformMode | undefined => (PLATFORM_MODES as readonly string[]).includes(v ?? '') ? v as PlatformMode : undefined;

/** Would the server list this case under `platform=mode` for a user covering `regionIds`? (for live patches) */
export function matchesPlatform(c: CaseDto, mode: PlatformMode | undefined, regionIds: readonly string[]): boolean {
  if (!mode) return true;
  const to = c.pendingTransfer ? regionIds.includes(c.pendingTransfer.to.id) : false;
  if (mode === 'incoming') return to;
  if (mode === 'outgoing') return c.pendingTransfer ? regionIds.includes(c.pendingTransfer.from.id) : false;
  return to || (!!c.platform && regionIds.includes(c.platform.region.id));
}

export function PlatformSelect({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const { t } = useI18n();
  return (
    <Select label={t({ zh: '层级队列', en: 'Platform queue' })} value={value} placeholder={t({ zh: '辖区内全部', en: 'Everything in my area' })} name="platform"
      options={[
        { value: 'mine', label: t({ zh: '本平台队列', en: 'My platform\'s queue' }) },
        { value: 'incoming', label: t({ zh: '待我接收（上报/下派）', en: 'Waiting for me (escalations / assignments)' }) },
        { value: 'outgoing', label: t({ zh: '我发出待接收', en: 'Sent by me, waiting' }) },
      ]}
      onChange={(e) => onChange(e.target.value)} />
  );
}

/** "上报 → 区" on a row whose case waits for a platform. */
export function TransferMark({ c }: { c: CaseDto }) {
  const { t } = useI18n();
  const p = c.pendingTransfer;
  if (!p) return null;
  return <span className="transfer-mark" title={p.reason}>{t(TRANSFER_KIND[p.kind] ?? { zh: p.kind, en: p.kind })}→{p.to.name}</span>;
}
