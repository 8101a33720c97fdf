/**
 * MQTT test clients: connect without reconnecting, and remember every client so a suite's `after` can end them all
 * (`endClients`) — a test that fails half-way must not leave a socket that keeps the test process alive.
 */
import mqtt, { type MqttClient } from 'mqtt';

const open = new Set<MqttClient>();

export const connect = (url: string, opts: mqtt.IClientOptions) => new Promise<MqttClient>((resolve, reject) => {
  const c = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 5000, ...opts });
  open.add(c);
  c.once('connect', () => resolve(c));
  c.once('error', (e) => { c.end(true); reject(e); });
});

export function endClients(): void {
  for (const c of open) c.end(true);
  open.clear();
}
