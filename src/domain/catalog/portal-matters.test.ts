import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PORTAL_MATTERS, isPortalMatter, parsePortalMatters, portalMatterCodes } from './portal-matters.ts';

test('the default offers event matters and public-facility parts, not class 05', () => {
  assert.equal(isPortalMatter(DEFAULT_PORTAL_MATTERS, '06010'), true);
  assert.equal(isPortalMatter(DEFAULT_PORTAL_MATTERS, '01001'), true);
  assert.equal(isPortalMatter(DEFAULT_PORTAL_MATTERS, '05002'), false);
});

test('featured first in their order, then the rest by code; exclusions win over inclusions', () => {
  const p = parsePortalMatters({ include: ['06', '09001'], exclude: ['06002'], featured: ['09001', '06003', '07001'] });
  const codes = portalMatterCodes(p, ['06003', '06001', '06002', '09001', '09002', '07001']);
  assert.deepEqual(codes, [
    { code: '09001', featured: true }, { code: '06003', featured: true }, { code: '06001', featured: false },
  ]);
});

test('a bad setting names its field', () => {
  assert.throws(() => parsePortalMatters({ include: ['6'] }), (e: Error & { field?: string }) => e.field === 'include.0');
  assert.throws(() => parsePortalMatters({ include: [] }), (e: Error & { field?: string }) => e.field === 'include');
  assert.throws(() => parsePortalMatters({ include: ['06'], featured: ['06'] }), (e: Error & { field?: string }) => e.field === 'featured.0');
  assert.throws(() => parsePortalMatters([]), (e: Error & { field?: string }) => e.field === 'body');
});
