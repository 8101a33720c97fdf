import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpGatewayChannel, outboundChannels, LogChannel } from './outbound-channels.ts';

const msg = { userId: 'u1', address: '13800000000', kind: 'emergency', caseNo: '20261206000001', text: '【城运】紧急警报 案件 20261206000001' };

test('a gateway gets one JSON POST in its own shape; a non-2xx answer is an error', async () => {
  const calls: { url: string; body: unknown }[] = [];
  let status = 200;
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, body: JSON.parse(String(init.body)) });
    return new Response('', { status });
  }) as unknown as typeof fetch;
  const ch = new HttpGatewayChannel('work_message', 'http://gw/send', (m) => ({ touser: m.address, msgtype: 'text', text: { content: m.text } }), fetchImpl);
  await ch.send(msg);
  assert.deepEqual(calls[0], { url: 'http://gw/send', body: { touser: '13800000000', msgtype: 'text', text: { content: msg.text } } });
  status = 502;
  await assert.rejects(ch.send(msg), /HTTP 502/);
});

test('without gateway URLs every channel writes to the log (the demo), so nothing needs the internet', async () => {
  const lines: string[] = [];
  const log = { info: (_o: unknown, m?: string) => { lines.push(m ?? ''); }, warn: () => {}, error: () => {} };
  const channels = outboundChannels({}, log);
  for (const name of ['log', 'sms', 'work_message']) {
    assert.ok(channels.get(name) instanceof LogChannel, name);
    await channels.get(name)!.send(msg);
  }
  assert.equal(lines.length, 3);
  assert.match(lines[1], /no SMS gateway configured/);
  assert.ok(outboundChannels({ notifySmsUrl: 'http://sms/' }, log).get('sms') instanceof HttpGatewayChannel);
});
