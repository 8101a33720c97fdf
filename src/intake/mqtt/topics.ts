/** The topics of city sensing (issue 11 part 2): `cityops/{deviceId}/telemetry` and `cityops/{deviceId}/status`. */
export const TELEMETRY_FILTER = 'cityops/+/telemetry';
export const STATUS_FILTER = 'cityops/+/status';

export type TopicKind = 'telemetry' | 'status';

export function parseTopic(topic: string): { deviceId: string; kind: TopicKind } | null {
  const parts = topic.split('/');
  if (parts.length !== 3 || parts[0] !== 'cityops' || !parts[1]) return null;
  if (parts[2] !== 'telemetry' && parts[2] !== 'status') return null;
  return { deviceId: parts[1], kind: parts[2] };
}

export const telemetryTopic = (deviceId: string): string => `cityops/${deviceId}/telemetry`;
export const statusTopic = (deviceId: string): string => `cityops/${deviceId}/status`;
