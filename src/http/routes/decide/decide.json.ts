/** JSON text of a stored column as an object (an unreadable value shows as empty rather than failing the page). */
export function fromJsonText(s: string | null): Record<string, unknown> {
  try {
    const v = JSON.parse(s ?? '{}') as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
