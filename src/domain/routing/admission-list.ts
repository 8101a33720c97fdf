/**
 * The grid-member admission list (网格事项准入清单, domain.md §6): grid members may only be given matters on it, and
 * the system enforces it. An entry admits one matter code or a whole 2-digit class.
 */
import { DomainError, invalidAs } from '../errors.ts';
import { isMatterClass, isMatterCode, matterClassOf } from './matter-code.ts';
import type { AdmissionEntry } from './routing.types.ts';

export class AdmissionList {
  private readonly codes = new Set<string>();
  private readonly classes = new Set<string>();

  /** @throws DomainError VALIDATION_FAILED (field `entries[i]`) for an entry without exactly one well-formed code. */
  constructor(entries: readonly AdmissionEntry[]) {
    entries.forEach((entry, i) => {
      const hasCode = entry.matterCode !== undefined;
      if (hasCode === (entry.matterClass !== undefined)) {
        throw invalidAs(`entries[${i}]`, { key: 'routing.have_exactly_one_mattercode_matterclass' }, 'must have exactly one of matterCode / matterClass');
      }
      if (hasCode) {
        if (!isMatterCode(entry.matterCode)) throw invalidAs(`entries[${i}].matterCode`, { key: 'routing.5_digits_got', params: { matterCode: String(entry.matterCode) } }, `must be 5 digits, got ${entry.matterCode}`);
        this.codes.add(entry.matterCode);
      } else {
        if (!isMatterClass(entry.matterClass)) throw invalidAs(`entries[${i}].matterClass`, { key: 'routing.2_digits_got', params: { matterClass: String(entry.matterClass) } }, `must be 2 digits, got ${entry.matterClass}`);
        this.classes.add(entry.matterClass!);
      }
    });
  }

  admits(matterCode: string): boolean {
    return this.codes.has(matterCode) || (isMatterCode(matterCode) && this.classes.has(matterClassOf(matterCode)));
  }

  /** @throws DomainError FORBIDDEN (field `matterCode`) when the matter may not be assigned to grid members. */
  assertAdmitted(matterCode: string): void {
    if (this.admits(matterCode)) return;
    throw new DomainError(
      'FORBIDDEN',
      `事项 ${matterCode} 不在网格事项准入清单内，不能派给网格员 / ` +
        `matter ${matterCode} is not on the grid-member admission list (网格事项准入清单), so it cannot be assigned to a grid member`,
      { field: 'matterCode', details: { matterCode }, key: 'admission.not_admitted', params: { field: 'matterCode', matterCode } },
    );
  }
}
