/**
 * Geocoding over the demo city's gazetteer on each store: real roads, door plates, compounds and landmarks read
 * from the `places` table come back at their stored points, in the community their point lies in; an imported
 * gazetteer is geocoded at once; bad files are refused whole, naming the field; access is declared.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { request, userClient, type Client } from '../support/api-client.ts';

const V1 = '/api/v1';
const enc = encodeURIComponent;
type Row = { id: number; kind: string; name: string; community_id: string | null; address: string | null; lon: number | null; lat: number | null; details: string };
type Hn = { number: string; lon: number; lat: number };

/** metres between two WGS84 points (equirectangular; fine below a few km) */
const metres = (a: { lon: number; lat: number }, b: { lon: number; lat: number }) =>
  Math.hypot((a.lon - b.lon) * 111_320 * Math.cos((a.lat * Math.PI) / 180), (a.lat - b.lat) * 110_540);
const fullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

for (const store of storesUnderTest()) {
  describe(`geocode API [${store}]`, () => {
    let env: TestEnv;
    let operator: Client;
    let admin: Client;
    let places: Row[];

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      operator = await userClient(env.app, env.ctx, 'operator');
      admin = await userClient(env.app, env.ctx, 'admin');
      places = (await env.db.selectFrom('places').selectAll().orderBy('id').execute()) as Row[];
    });
    after(async () => env.close());

    const geocode = async (q: string, limit?: number) => {
      const r = await operator.get(`${V1}/geocode?q=${enc(q)}${limit ? `&limit=${limit}` : ''}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body;
    };
    const communityAt = (p: { lon: number; lat: number }) => env.ctx.ref.locate(p.lon, p.lat)?.communityId;

    test('demo roads: road + door plate → exactly the stored point, with the community it lies in', async () => {
      const roads = places.filter((p) => p.kind === 'road');
      assert.ok(roads.length >= 5);
      for (const road of roads.slice(0, 5)) {
        const numbers = JSON.parse(road.details).houseNumbers as Hn[];
        const h = numbers[Math.floor(numbers.length / 2)];
        for (const q of [`江海市滨江区${road.name}${h.number}`, fullWidth(`${road.name}${h.number}`)]) {
          const body = await geocode(q);
          assert.equal(body.outcome, 'exact', `${q}: ${JSON.stringify(body.candidates.slice(0, 2))}`);
          const c = body.candidates[0];
          assert.deepEqual([c.kind, c.name, c.score], ['house_number', `${road.name}${h.number}`, 1]);
          assert.ok(metres(c, h) < 1, `${q}: ${metres(c, h)} m from the door plate`);
          assert.equal(c.location.community.id, communityAt(h));
          assert.equal(c.communityId, communityAt(h));
          assert.equal(c.placeId, road.id);
        }
      }
    });

    test('demo compounds and landmarks by name (and 小区 added) → their stored point and community', async () => {
      const named = [...places.filter((p) => p.kind === 'compound').slice(0, 6), ...places.filter((p) => p.kind === 'landmark').slice(0, 6)];
      for (const p of named) {
        const queries = [p.name, ...(p.kind === 'compound' && !p.name.endsWith('小区') ? [`${p.name}小区`] : [])];
        for (const q of queries) {
          const body = await geocode(q);
          assert.equal(body.outcome, 'exact', `${q}: ${JSON.stringify(body.candidates.slice(0, 2))}`);
          const c = body.candidates[0];
          assert.deepEqual([c.kind, c.name, c.placeId], [p.kind, p.name, p.id], q);
          assert.ok(metres(c, { lon: p.lon!, lat: p.lat! }) < 1, q);
          assert.equal(c.communityId, p.community_id, q);
          assert.equal(c.location.community.id, communityAt(c), q);
          assert.equal(c.location.community.id, p.community_id, `${q}: the gazetteer's community is where its point lies`);
        }
      }
      // the full postal address of a compound is that compound, with road and number confirming it
      const compound = places.find((p) => p.kind === 'compound')!;
      const full = await geocode(`${compound.address}3栋2单元501室`);
      assert.deepEqual([full.outcome, full.candidates[0].name, full.candidates.length], ['exact', compound.name, 1]);
    });

    test('every compound and landmark of the demo city is found by its name', async () => {
      const named = places.filter((p) => p.kind === 'compound' || p.kind === 'landmark');
      assert.ok(named.length > 50, `${named.length} places`);
      const missed: string[] = [];
      for (const p of named) {
        const body = await geocode(p.name, 10);
        if (!body.candidates.some((c: { placeId: unknown }) => c.placeId === p.id)) missed.push(`${p.name}: ${body.outcome}`);
      }
      assert.deepEqual(missed, []);
    });

    test('every 街道/镇 and 社区/村 by its name (a town also without 镇): a point inside it, approximate, never exact', async () => {
      const ref = env.ctx.ref.current();
      const regions = [...ref.regions.values()].filter((r) => r.level === 'street' || r.level === 'community');
      assert.ok(regions.some((r) => r.level === 'street' && r.name.endsWith('镇')), 'the demo city has towns');
      const wrong: string[] = [];
      for (const r of regions) {
        const queries = [r.name, ...(r.level === 'street' && r.name.endsWith('镇') ? [r.name.slice(0, -1)] : [])];
        for (const q of queries) {
          const body = await geocode(q, 10);
          const c = body.candidates.find((x: { kind: string; name: string }) => x.kind === 'region' && x.name === r.name);
          if (!c) { wrong.push(`${q}: not found (${body.outcome} ${body.candidates.map((x: { name: string }) => x.name).join(',')})`); continue; }
          if (body.outcome === 'exact' || c.method !== 'region') wrong.push(`${q}: ${body.outcome} ${c.method}`);
          const inside = env.ctx.ref.locate(c.lon, c.lat);
          const community = inside ? ref.regions.get(inside.communityId) : undefined;
          const ok = r.level === 'community' ? community?.id === r.id : community?.parentId === r.id;
          if (!ok) wrong.push(`${q}: point in ${community?.name ?? 'nothing'}`);
        }
      }
      assert.deepEqual(wrong, []);
      // a road of the same words is still a road: 望江路 is not 望江街道
      const road = places.find((p) => p.kind === 'road' && regions.some((r) => r.name.startsWith(p.name.slice(0, 2))));
      if (road) {
        const body = await geocode(road.name);
        assert.equal(body.candidates[0].kind, 'road', `${road.name}: ${JSON.stringify(body.candidates.slice(0, 2))}`);
      }
    });

    test('a missing number is interpolated; one wrong character is tolerated; a shared name is ambiguous; nothing is none', async () => {
      const road = places.find((p) => p.kind === 'road' && (JSON.parse(p.details).houseNumbers as Hn[]).length > 20)!;
      const known = new Set((JSON.parse(road.details).houseNumbers as Hn[]).map((h) => h.number));
      const gap = Array.from({ length: 200 }, (_, k) => k + 3).find((n) => !known.has(`${n}号`) && known.has(`${n - 2}号`) && known.has(`${n + 2}号`));
      if (gap !== undefined) {
        const body = await geocode(`${road.name}${gap}号`);
        assert.deepEqual([body.outcome, body.candidates[0].method, body.candidates[0].score], ['approximate', 'interpolated', 0.9]);
      }
      const compound = places.find((p) => p.kind === 'compound' && p.name.length >= 4)!;
      const typo = compound.name.slice(0, 1) + '㐀' + compound.name.slice(2);
      const fuzzy = await geocode(typo);
      assert.notEqual(fuzzy.outcome, 'none', typo);
      assert.ok(fuzzy.candidates.some((c: { name: string; method: string }) => c.name === compound.name && c.method === 'fuzzy'), `${typo}: ${JSON.stringify(fuzzy.candidates)}`);
      // two demo compounds share a prefix (百合花园 / 百合华庭 …): the prefix alone names both
      const byPrefix = new Map<string, Row[]>();
      for (const p of places.filter((x) => x.kind === 'compound')) byPrefix.set(p.name.slice(0, 2), [...(byPrefix.get(p.name.slice(0, 2)) ?? []), p]);
      const pair = [...byPrefix.entries()].find(([prefix, list]) => list.length === 2 && places.filter((p) => p.name.includes(prefix)).length === 2);
      assert.ok(pair, 'the demo city has compounds sharing a prefix');
      const amb = await geocode(`${pair[0]}小区`);
      assert.equal(amb.outcome, 'ambiguous');
      assert.deepEqual(amb.candidates.map((c: { name: string }) => c.name).sort(), pair[1].map((p) => p.name).sort());
      const none = await geocode('火星基地一号');
      assert.deepEqual([none.query, none.outcome, none.candidates], ['火星基地一号', 'none', []]);
    });

    test('import a small gazetteer (roads with numbers, a door plate, a compound) and geocode from it at once', async () => {
      const p = demoPoint(env, 5);
      const at = (k: number) => [p.lon + k * 0.0001, p.lat];
      const file = {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature', geometry: { type: 'LineString', coordinates: [at(0), at(20)] },
            properties: { kind: 'road', name: '测试路', houseNumbers: [2, 4, 6, 10].map((n) => ({ number: `${n}号`, lon: at(n)[0], lat: at(n)[1] })) },
          },
          { type: 'Feature', geometry: { type: 'Point', coordinates: at(12) }, properties: { road: '测试路', number: 12 } },
          { type: 'Feature', geometry: { type: 'Point', coordinates: at(3) }, properties: { kind: 'compound', name: '测试花园', address: '滨江区测试路4号测试花园' } },
          { type: 'Feature', geometry: { type: 'Point', coordinates: at(15) }, properties: { road: '无名路', number: '1号' } },
        ],
      };
      const r = await admin.post(`${V1}/gazetteer/import`, file);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.deepEqual(
        [r.body.mode, r.body.roads, r.body.compounds, r.body.houseNumbers, r.body.written, r.body.replaced],
        ['upsert', 2, 1, 6, 3, 0],
      );
      const exact = await geocode('测试路12号');
      assert.equal(exact.outcome, 'exact');
      assert.ok(metres(exact.candidates[0], { lon: at(12)[0], lat: at(12)[1] }) < 1);
      const gap = await geocode('测试路8号'); // between 6 and 10
      assert.deepEqual([gap.outcome, gap.candidates[0].method], ['approximate', 'interpolated']);
      assert.ok(metres(gap.candidates[0], { lon: at(8)[0], lat: at(8)[1] }) < 1);
      const compound = await geocode('测试小区');
      assert.equal(compound.outcome, 'exact');
      assert.equal(compound.candidates[0].communityId, communityAt({ lon: at(3)[0], lat: at(3)[1] }), 'community found from the point');
      assert.equal((await geocode('无名路1号')).outcome, 'exact');
      const list = await operator.get(`${V1}/gazetteer?q=${enc('测试')}`);
      assert.deepEqual(list.body.items.map((i: { name: string }) => i.name).sort(), ['测试花园', '测试路']);
      assert.equal(list.body.items.find((i: { name: string }) => i.name === '测试路').houseNumbers, 5);
      const outbox = await env.db.selectFrom('outbox').select('payload').where('topic', '=', 'gazetteer.imported').execute();
      assert.equal(outbox.length, 1);
      // upsert by kind + name: the compound moves, nothing is duplicated
      file.features[2].geometry = { type: 'Point', coordinates: at(5) };
      const again = await admin.post(`${V1}/gazetteer/import`, { type: 'FeatureCollection', features: [file.features[2]] });
      assert.deepEqual([again.status, again.body.replaced, again.body.written], [201, 1, 1]);
      const moved = await geocode('测试花园');
      assert.ok(metres(moved.candidates[0], { lon: at(5)[0], lat: at(5)[1] }) < 1);
      assert.equal((await operator.get(`${V1}/gazetteer?kind=compound&q=${enc('测试')}`)).body.total, 1);
    });

    test('a bad file is refused whole with 400 naming the feature and field', async () => {
      const ok = { type: 'Feature', geometry: { type: 'Point', coordinates: [120.3, 31.55] }, properties: { kind: 'landmark', name: '不应写入的地标' } };
      const cases: [unknown, string][] = [
        [{ type: 'FeatureCollection', features: [ok, { type: 'Feature', geometry: null, properties: { kind: 'building', name: 'x' } }] }, 'features[1].properties.kind'],
        [{ type: 'FeatureCollection', features: [{ ...ok, properties: { kind: 'landmark' } }] }, 'features[0].properties.name'],
        [{ type: 'FeatureCollection', features: [{ ...ok, properties: { ...ok.properties, communityId: 'R-nowhere' } }] }, 'features[0].properties.communityId'],
        [{ type: 'FeatureCollection', features: [ok, { type: 'Feature', geometry: { type: 'LineString', coordinates: [[120.3, 31.5], [120.31, 31.5]] }, properties: { kind: 'road', name: '坏门牌路', houseNumbers: [{ number: '甲号', lon: 120.3, lat: 31.5 }] } }] }, 'features[1].properties.houseNumbers[0].number'],
        [{ type: 'FeatureCollection', features: [{ ...ok, geometry: { type: 'Point', coordinates: [200, 31] } }] }, 'features[0].geometry.coordinates'],
        [{ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [120.3, 31.5] }, properties: { road: '望江路' } }] }, 'features[0].properties.number'],
        [{ type: 'FeatureCollection', features: [ok, ok] }, 'features[1].properties.name'],
        [{ type: 'Feature', features: [] }, 'type'],
        [{ type: 'FeatureCollection', features: [] }, 'features'],
      ];
      for (const [body, field] of cases) {
        const r = await admin.post(`${V1}/gazetteer/import`, body);
        assert.equal(r.status, 400, `${field}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error.field, field, JSON.stringify(r.body));
        assert.ok(r.body.error.message.includes(field), r.body.error.message);
      }
      assert.equal((await operator.get(`${V1}/gazetteer?q=${enc('不应写入')}`)).body.total, 0, 'nothing half-written');
      for (const [url, field] of [[`${V1}/geocode`, 'q'], [`${V1}/geocode?q=`, 'q'], [`${V1}/geocode?q=x&limit=0`, 'limit'], [`${V1}/gazetteer?kind=street`, 'kind']]) {
        const r = await operator.get(url);
        assert.deepEqual([r.status, r.body.error.field], [400, field], url);
      }
    });

    test('access: 401 without credentials, 403 for an import without region.manage', async () => {
      for (const [method, url] of [['GET', `${V1}/geocode?q=${enc('望江路1号')}`], ['GET', `${V1}/gazetteer`], ['POST', `${V1}/gazetteer/import`]] as const) {
        const r = await request(env.app, method, url, method === 'POST' ? { body: { type: 'FeatureCollection', features: [] } } : {});
        assert.equal(r.status, 401, `${method} ${url}`);
      }
      const r = await operator.post(`${V1}/gazetteer/import`, { type: 'FeatureCollection', features: [] });
      assert.equal(r.status, 403);
    });

    test('mode=replace empties the gazetteer first', async () => {
      const road = places.find((p) => p.kind === 'road')!;
      const h = (JSON.parse(road.details).houseNumbers as Hn[])[0];
      assert.equal((await geocode(`${road.name}${h.number}`)).outcome, 'exact');
      const r = await admin.post(`${V1}/gazetteer/import?mode=replace`, {
        type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [h.lon, h.lat] }, properties: { kind: 'landmark', name: '唯一地标' } }],
      });
      assert.deepEqual([r.status, r.body.replaced, r.body.written], [201, places.length + 3, 1]);
      assert.equal((await geocode(`${road.name}${h.number}`)).outcome, 'none');
      assert.equal((await geocode('唯一地标')).outcome, 'exact');
    });
  });
}
