/** In the dispatch and ruling forms: for each assisting unit chosen, what is asked of it (协办事项). */
import { useI18n } from '../../app/i18n.ts';
import { TextField } from '../../components/Form.tsx';

export function AssistInstructions({ unitIds, unitName, value, onChange }: {
  unitIds: readonly string[]; unitName: (id: string) => string; value: Record<string, string>; onChange: (next: Record<string, string>) => void;
}) {
  const { t } = useI18n();
  if (unitIds.length === 0) return null;
  return (
    <fieldset className="assist-instructions" data-testid="assist-instructions">
      <legend>{t({ zh: '各协办单位的协办事项', en: 'What each assisting unit is asked' })}</legend>
      {unitIds.map((id) => (
        <TextField key={id} label={unitName(id)} value={value[id] ?? ''} data-unit-id={id} maxLength={2000}
          placeholder={t({ zh: '如：负责清运、执法取证、提供监控录像', en: 'e.g. clear it away, collect evidence, provide footage' })}
          onChange={(e) => onChange({ ...value, [id]: e.target.value })} />
      ))}
    </fieldset>
  );
}
