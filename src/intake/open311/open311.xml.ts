/**
 * A small XML writer for GeoReport v2 documents (no dependency). The spec's XML is schemaless and
 * namespace-free; JSON is the Spark-convention mapping of the same tree (a container of repeating children is
 * an array), so one value serves both formats: arrays become a container element with one child per item.
 */

export type XmlValue = string | number | boolean | null | undefined | XmlValue[] | { [key: string]: XmlValue };

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

/**
 * Child element names of the list containers we emit (GeoReport v2 §1.10 of docs/open311.md):
 * `<services><service>`, `<service_requests><request>`, `<errors><error>`, `<endpoints><endpoint>`, …
 */
export const ITEM_NAMES: Readonly<Record<string, string>> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
  attributes: 'attribute',
  values: 'value',
  service_request_updates: 'request_update',
};

/**
 * Lists written as repeated elements of another name, in place of that element: `media_urls` (all of a request's
 * or an update's media, our JSON extension) is written in XML as one `<media_url>` per URL, replacing the single
 * `<media_url>` (FixMyStreet's XML reader turns repeated elements into a list).
 */
const REPEATED_AS: Readonly<Record<string, string>> = { media_urls: 'media_url' };

// XML 1.0 §2.2 allows only #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]: other control
// characters and lone surrogates cannot be escaped at all, so they are dropped (a stray U+0000 in a description
// must not make the whole list unparsable for FixMyStreet, which speaks XML only).
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for element content or attribute values: & < > " ' (and drops characters XML cannot carry). */
const NEEDS_WORK = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
export function escapeXml(text: string): string {
  if (!NEEDS_WORK.test(text)) return text; // most values (ids, dates, names of units) need nothing
  return text.replace(INVALID_XML_CHARS, '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function scalar(v: string | number | boolean): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return typeof v === 'boolean' ? (v ? 'true' : 'false') : escapeXml(v);
}

/** One element. Null and undefined values are omitted (the spec's "may not be returned" fields). */
function element(name: string, value: XmlValue, out: string[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    const item = ITEM_NAMES[name];
    if (!item) throw new Error(`open311 xml: no item name for list "${name}"`);
    out.push(`<${name}>`);
    for (const v of value) element(item, v, out);
    out.push(`</${name}>`);
  } else if (typeof value === 'object') {
    out.push(`<${name}>`);
    const replaced = new Set(Object.keys(value).filter((k) => REPEATED_AS[k] && Array.isArray(value[k])).map((k) => REPEATED_AS[k]));
    for (const [k, v] of Object.entries(value)) {
      if (replaced.has(k)) continue;
      const as = REPEATED_AS[k];
      if (as && Array.isArray(v)) for (const item of v) element(as, item, out);
      else element(k, v, out);
    }
    out.push(`</${name}>`);
  } else {
    out.push(`<${name}>${scalar(value)}</${name}>`);
  }
}

/** One element as a string (a fragment of a document; see open311.render.ts). */
export function toXmlElement(name: string, value: XmlValue): string {
  const out: string[] = [];
  element(name, value, out);
  return out.join('');
}

/** A whole document: the declaration, then `root` holding `value` (an array → one item element per entry). */
export function toXmlDocument(root: string, value: XmlValue): string {
  const out: string[] = [XML_DECLARATION];
  element(root, value, out);
  return out.join('');
}

/**
 * The JSON twin of the same tree. Presenters leave absent fields out (rather than null) so both formats carry
 * the same fields; a plain stringify keeps the 1,000-request list cheap.
 */
export function toJsonDocument(value: XmlValue): string {
  return JSON.stringify(value);
}
