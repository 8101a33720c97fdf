/** 联勤联动 helpers shared by the panel and the dispatch form: photo upload, and the `assists` body of a dispatch or ruling. */
import { api } from '../../app/api.ts';

export async function uploadPhotos(files: File[]): Promise<string[]> {
  const ids: string[] = [];
  for (const f of files) {
    const fd = new FormData();
    fd.append('file', f, f.name);
    ids.push((await api.upload('/api/v1/attachments', fd)).id);
  }
  return ids;
}

/** The assisting units chosen in a dispatch (or ruling) form with what each is asked: `{ assists }`, or nothing. */
export function assistsBody(unitIds: readonly string[] | undefined, instructions: Record<string, string> | undefined): { assists?: { unitId: string; instruction?: string }[] } {
  if (!unitIds?.length) return {};
  return { assists: unitIds.map((unitId) => ({ unitId, ...(instructions?.[unitId]?.trim() ? { instruction: instructions[unitId].trim() } : {}) })) };
}
