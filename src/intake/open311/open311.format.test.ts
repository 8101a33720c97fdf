/** The XML writer and the datetime handling of the Open311 edge (pure; no server). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeXml, toJsonDocument, toXmlDocument } from './open311.xml.ts';
import { formatDatetime, parseW3cDatetime, statusFor311 } from './open311.format.ts';

test('escapes the five XML specials and drops characters XML 1.0 cannot carry', () => {
  assert.equal(escapeXml(`a&b<c>d"e'f`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f');
  assert.equal(escapeXml('井盖\u0000缺失\u0007\ud800!'), '井盖缺失!');
  assert.equal(escapeXml('tab\tnewline\nok 🚧'), 'tab\tnewline\nok 🚧');
  assert.equal(escapeXml('plain 中文'), 'plain 中文');
});

test('one value, two formats: lists become container elements (Spark convention); absent fields are left out', () => {
  const v = [{ service_code: '01001', metadata: false, lat: 31.5, note: null, nested: { formats: ['text/xml', 'application/json'] } }];
  assert.equal(
    toXmlDocument('services', v as never),
    '<?xml version="1.0" encoding="utf-8"?><services><service><service_code>01001</service_code><metadata>false</metadata>' +
      '<lat>31.5</lat><nested><formats><format>text/xml</format><format>application/json</format></formats></nested></service></services>',
  );
  assert.equal(toXmlDocument('errors', []), '<?xml version="1.0" encoding="utf-8"?><errors></errors>');
  assert.equal(toJsonDocument([{ a: '1' }]), '[{"a":"1"}]');
  assert.throws(() => toXmlDocument('unknown_list', ['x']), /no item name/);
});

test('W3C datetimes: zones honoured, a bare date is local midnight, no zone or impossible dates refused', () => {
  const cn = 480;
  assert.equal(parseW3cDatetime('2026-11-25T10:00:00+08:00', cn), Date.UTC(2026, 10, 25, 2));
  assert.equal(parseW3cDatetime('2026-11-25T02:00:00Z', cn), Date.UTC(2026, 10, 25, 2));
  assert.equal(parseW3cDatetime('1994-11-05T08:15:30-05:00', cn), Date.UTC(1994, 10, 5, 13, 15, 30));
  assert.equal(parseW3cDatetime('2026-11-25T02:00Z', cn), Date.UTC(2026, 10, 25, 2));
  assert.equal(parseW3cDatetime('2026-11-25T02:00:00.250Z', cn), Date.UTC(2026, 10, 25, 2, 0, 0, 250));
  assert.equal(parseW3cDatetime('2026-11-25', cn), Date.UTC(2026, 10, 24, 16));
  for (const bad of ['2026-11-25T10:00:00', '2026-02-30', '2026-13-01', 'yesterday', '', '2026-11-25 10:00:00Z']) {
    assert.equal(parseW3cDatetime(bad, cn), null, bad);
  }
});

test('datetimes go out in the city offset', () => {
  assert.equal(formatDatetime(Date.UTC(2026, 10, 25, 2), 480), '2026-11-25T10:00:00+08:00');
  assert.equal(formatDatetime(Date.UTC(2026, 10, 25, 20, 30), 480), '2026-11-26T04:30:00+08:00');
  assert.equal(formatDatetime(Date.UTC(2026, 0, 1), 0), '2026-01-01T00:00:00+00:00');
  assert.equal(formatDatetime(Date.UTC(2026, 0, 1), -330), '2025-12-31T18:30:00-05:30');
});

test('domain error codes map onto the only three statuses the spec knows', () => {
  assert.equal(statusFor311('NOT_FOUND'), 404);
  assert.equal(statusFor311('UNAUTHENTICATED'), 403);
  assert.equal(statusFor311('FORBIDDEN'), 403);
  for (const c of ['VALIDATION_FAILED', 'INVALID_GEOMETRY', 'OUT_OF_GRID', 'CONFLICT', 'PAYLOAD_TOO_LARGE'] as const) assert.equal(statusFor311(c), 400);
});
