/** One imported row as text, before checking (device-import.ts). */
export interface DeviceInputRow {
  id: string;
  typeId: string;
  name: string;
  vendor?: string;
  model?: string;
  lon?: string;
  lat?: string;
  attachmentKind?: string;
  attachmentId?: string;
  scenario?: string;
  ownerUnitId?: string;
}
