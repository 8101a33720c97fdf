/**
 * Free text shown to the public (a unit's written result on the portal's tracking page) may name a person's phone,
 * ID card or plate; masked like the presenters mask the reporter's phone (138****5678). Names cannot be told from
 * other words reliably, so a unit writes results for the public in the first place (docs/issue-8/portal.md).
 */

/** Runs of digits (with - or spaces inside) of 7+ digits: mobile, landline, ID card (18 with a final X). */
const NUMBER_RUN = /(?<![0-9A-Za-z])(?:\d[\d\- ]{5,22}\d[Xx]?)(?![0-9A-Za-z])/g;
/** A Chinese number plate: province character, letter, 5–6 letters or digits (苏B12345, 沪AD12345). */
const PLATE = /([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼])([A-Z])[A-Z0-9]{4,5}([A-Z0-9])/g;

export function maskPersonalText(text: string): string {
  return text
    .replace(NUMBER_RUN, (run) => {
      const digits = run.replace(/[^\dXx]/g, '');
      if (digits.length < 7) return run;
      return `${digits.slice(0, 3)}${'*'.repeat(Math.max(4, digits.length - 7))}${digits.slice(-4)}`;
    })
    .replace(PLATE, (_m, prov: string, letter: string, last: string) => `${prov}${letter}***${last}`);
}
