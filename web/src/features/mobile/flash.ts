/** A one-shot message shown on the task list after an action (kept in memory; a reload drops it). */
let flash: string | undefined;
export const setFlash = (m: string) => { flash = m; };
export const takeFlash = (): string | undefined => { const m = flash; flash = undefined; return m; };
