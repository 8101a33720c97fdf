import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readGazetteerFile } from './gazetteer-file.ts';
import { gcj02ToWgs84 } from '../grid/index.ts';

const point = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] });
const feature = (geometry: unknown, properties: Record<string, unknown>) => ({ type: 'Feature', geometry, properties });

test('places, house numbers and door plates are read; door plates join their road or wait for a stored one', () => {
  const square = { type: 'Polygon', coordinates: [[[120.30, 31.50], [120.31, 31.50], [120.31, 31.51], [120.30, 31.51], [120.30, 31.50]]] };
  const f = readGazetteerFile([
    feature({ type: 'LineString', coordinates: [[120.3, 31.5], [120.32, 31.5]] }, {
      kind: 'road', name: '望江路', houseNumbers: [{ number: 8, lon: 120.301, lat: 31.5 }, { number: '一百二十八号', lon: 120.31, lat: 31.5 }],
    }),
    feature(point(120.3011, 31.5001), { road: '望江路', number: '8号' }), // overrides the road's own 8号
    feature(point(120.305, 31.5), { road: '望江路', number: '10' }),
    feature(point(120.4, 31.6), { road: '别的路', number: '3号' }),
    feature(square, { kind: 'compound', name: '锦绣花园', address: '望江路8号锦绣花园', propertyUnitId: 'U-PM-1' }),
    feature(point(120.33, 31.52), { kind: 'landmark', name: '人民医院', category: '医院', communityId: 'R-1' }),
  ]);
  assert.deepEqual(f.problems, []);
  const [road, compound, landmark] = f.places;
  assert.deepEqual(road.houseNumbers.map((h) => h.number), ['8号', '128号', '10号']);
  assert.deepEqual([road.houseNumbers[0].lon, road.houseNumbers[0].lat], [120.3011, 31.5001]);
  assert.deepEqual([...f.orphanNumbers.keys()], ['别的路']);
  assert.equal(f.houseNumbers, 4);
  assert.ok(compound.lon > 120.3 && compound.lon < 120.31 && compound.lat > 31.5 && compound.lat < 31.51, 'a point inside the polygon');
  assert.deepEqual([compound.propertyUnitId, compound.communityId, landmark.communityId, landmark.category], ['U-PM-1', null, 'R-1', '医院']);
});

test('coordinates are converted to WGS84 from the file\'s system', () => {
  const f = readGazetteerFile([feature(point(120.31, 31.52), { kind: 'landmark', name: '公园' })], 'gcj02');
  const [lon, lat] = gcj02ToWgs84(120.31, 31.52);
  assert.deepEqual([f.places[0].lon, f.places[0].lat], [lon, lat]);
  assert.notEqual(f.places[0].lon, 120.31);
});

test('every problem names its feature and field', () => {
  const ok = feature(point(120.3, 31.5), { kind: 'landmark', name: '公园' });
  const f = readGazetteerFile([
    ok,
    feature(point(120.3, 31.5), { kind: 'building', name: 'x' }),
    feature(point(120.3, 31.5), { kind: 'landmark', name: '' }),
    feature(point(120.3, 31.5), { kind: 'landmark', name: '公园' }),
    feature(null, { kind: 'road', name: '无线路' }),
    feature({ type: 'LineString', coordinates: [[120.3, 31.5]] }, { kind: 'road', name: '短路' }),
    feature(point(120.3, 31.5), { kind: 'road', name: '点路' }),
    feature(point(120.3, 95), { kind: 'landmark', name: '北极' }),
    feature(point(120.3, 31.5), { kind: 'landmark', name: '某地', address: 7 }),
    feature(point(120.3, 31.5), { road: '望江路', number: '甲' }),
    feature({ type: 'LineString', coordinates: [[120.3, 31.5], [120.31, 31.5]] }, { kind: 'road', name: '坏路', houseNumbers: [{ number: '1号', lon: 'x', lat: 31 }] }),
    feature({ type: 'Polygon', coordinates: [[[120.3, 31.5], [120.31, 31.5], [120.31, 31.51]]] }, { kind: 'compound', name: '开口小区' }),
    { type: 'Polygon' },
  ]);
  assert.deepEqual(f.problems.map((p) => p.field), [
    'features[1].properties.kind', 'features[2].properties.name', 'features[3].properties.name', 'features[4].geometry',
    'features[5].geometry.coordinates', 'features[6].geometry', 'features[7].geometry.coordinates', 'features[8].properties.address',
    'features[9].properties.number', 'features[10].properties.houseNumbers[0]', f.problems[10].field, 'features[12].type',
  ]);
  assert.ok(f.problems[10].field.startsWith('features[11].geometry.coordinates'), f.problems[10].field);
  for (const p of f.problems) assert.ok(p.message.startsWith(p.field), p.message);
  assert.deepEqual(f.places.map((p) => p.name), ['公园']);
});
