/** House rule 6: every route declares a permission or `public: true`; this walks the route table. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestEnv } from '../support/test-context.ts';
import { routeTable } from '../../src/http/middleware/auth.ts';
import { PERMISSION_NAMES } from '../../src/domain/policy/permissions.ts';

const PUBLIC_ALLOWED = new Set([
  'GET /healthz', 'GET /', 'GET /api/v1/openapi.json', 'POST /api/v1/auth/login', 'POST /api/v1/auth/logout', 'GET /api/v1/auth/me',
  // The web console's public settings (src/http/routes/meta/console.ts; its files are served by the 404 handler).
  'GET /api/v1/console/config',
  // Open311 GeoReport v2 (src/intake/open311): reads are public by the spec; POST checks its form's api_key itself (403).
  'GET /open311/discovery.:format', 'GET /open311/v2/services.:format', 'GET /open311/v2/services/:service_code.:format',
  'GET /open311/v2/requests.:format', 'POST /open311/v2/requests.:format', 'GET /open311/v2/requests/:service_request_id.:format',
  // mySociety's servicerequestupdates extension: both check the api_key they carry themselves (403); and the photos the
  // update feed publishes, at signed capability URLs (src/intake/open311/open311.public-media.ts).
  'GET /open311/v2/servicerequestupdates.:format', 'POST /open311/v2/servicerequestupdates.:format', 'GET /open311/v2/media/:attachment/:signature',
  // The citizen portal (src/http/routes/public): common matters, street outlines, reporting (rate-limited per address),
  // following a case (whitelisted fields, no personal data) and rating it with the private tracking code.
  'GET /api/v1/public/matters', 'GET /api/v1/public/regions.geojson', 'POST /api/v1/public/reports',
  'GET /api/v1/public/cases/:caseNo', 'POST /api/v1/public/cases/:caseNo/rating',
  // issue 8: the names on every map, the portal's address search, a resolved case's after-photos (only those)
  'GET /api/v1/public/map-labels.geojson', 'GET /api/v1/public/geocode', 'GET /api/v1/public/cases/:caseNo/photos/:photoId',
  // Sensors over HTTP (issue 11, src/intake/sensor-http): no user or API key — each device authenticates with its own
  // credential (HTTP Basic, device id / secret), checked in the handler; a wrong one is a 401 counted against the device.
  'POST /api/v1/sensors/:deviceId/telemetry', 'POST /api/v1/sensors/:deviceId/status',
]);

test('every route declares a known permission or is knowingly public', async () => {
  const env = await createTestEnv('sqlite');
  try {
    assert.ok(routeTable.length > 20, `expected the whole API in the route table, saw ${routeTable.length}`);
    const missing = routeTable.filter((r) => !r.public && !r.permission).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(missing, [], `routes without a permission: ${missing.join(', ')}`);
    const unknown = routeTable.filter((r) => r.permission && !PERMISSION_NAMES.includes(r.permission)).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(unknown, []);
    const publicRoutes = routeTable.filter((r) => r.public).map((r) => `${r.method} ${r.url}`);
    const unexpected = publicRoutes.filter((r) => !PUBLIC_ALLOWED.has(r) && !r.startsWith('GET /docs'));
    assert.deepEqual(unexpected, [], 'a new public route must be added to the allow-list here on purpose');
    // and the declared permission is enforced: an anonymous call to each protected GET is 401
    for (const r of routeTable.filter((x) => x.method === 'GET' && x.permission)) {
      const url = r.url.replace(/:(\w+)/g, '1');
      const res = await env.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 401, `${r.method} ${r.url} answered ${res.statusCode} without credentials`);
    }
  } finally {
    await env.close();
  }
});
