import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../errors.ts';
import { AdmissionList } from './admission-list.ts';

const list = new AdmissionList([{ matterCode: '06010' }, { matterCode: '09009' }, { matterClass: '07' }]);

test('admits listed codes and every code of a listed class, nothing else', () => {
  assert.equal(list.admits('06010'), true);
  assert.equal(list.admits('09009'), true);
  assert.equal(list.admits('07001'), true);
  assert.equal(list.admits('07999'), true);
  assert.equal(list.admits('06012'), false, 'same class as an admitted code, but not admitted');
  assert.equal(list.admits('01001'), false);
  assert.equal(list.admits('07'), false, 'a class is not a matter code');
  assert.equal(new AdmissionList([]).admits('06010'), false);
});

test('assertAdmitted throws FORBIDDEN on field matterCode with a clear message', () => {
  assert.doesNotThrow(() => list.assertAdmitted('07001'));
  assert.throws(
    () => list.assertAdmitted('06001'),
    (err: unknown) =>
      err instanceof DomainError &&
      err.code === 'FORBIDDEN' &&
      err.field === 'matterCode' &&
      /06001 不在网格事项准入清单/.test(err.message) &&
      /not on the grid-member admission list/.test(err.message),
  );
});

test('malformed entries are rejected naming the entry', () => {
  assert.throws(() => new AdmissionList([{ matterCode: '06010', matterClass: '06' }]), { code: 'VALIDATION_FAILED', field: 'entries[0]' });
  assert.throws(() => new AdmissionList([{ matterCode: '06010' }, {}]), { code: 'VALIDATION_FAILED', field: 'entries[1]' });
  assert.throws(() => new AdmissionList([{ matterCode: '6010' }]), { code: 'VALIDATION_FAILED', field: 'entries[0].matterCode' });
  assert.throws(() => new AdmissionList([{ matterClass: '6' }]), { code: 'VALIDATION_FAILED', field: 'entries[0].matterClass' });
});
