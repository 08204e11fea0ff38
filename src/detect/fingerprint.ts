/**
 * The pure fingerprint: a message's first line, masked, and a stable id hashed from the template.
 * Same message, same result, in any process and in any order — replay, several workers and a
 * persisted catalog all rely on that. Continuation lines (stack traces) are samples, not identity.
 */
import { SignatureCatalog, type SignatureCatalogOptions } from './clusters.js';
import { maskLine } from './mask.js';
import type { Fingerprint } from './model.js';

/** Template → id memo. Bounded (cleared when full): ids are cheap to recompute, never wrong. */
const ID_MEMO_CAP = 8192;
const idMemo = new Map<string, string>();

/** Fingerprints a message: only its first line (up to the first `\n`, without a trailing `\r`). */
export function fingerprint(message: string): Fingerprint {
  const { template, values, telling } = maskLine(firstLine(message));
  return { id: templateId(template), template, telling, values };
}

export function firstLine(message: string): string {
  let end = message.indexOf('\n');
  if (end < 0) end = message.length;
  if (end > 0 && message.charCodeAt(end - 1) === 13) end--;
  return end === message.length ? message : message.slice(0, end);
}

/** The id of a template: 8 hex characters of FNV-1a 64 over its UTF-8 bytes, high half xor low half. */
export function templateId(template: string): string {
  let id = idMemo.get(template);
  if (id === undefined) {
    if (idMemo.size >= ID_MEMO_CAP) idMemo.clear();
    id = fnv1a64Folded(template);
    idMemo.set(template, id);
  }
  return id;
}

/**
 * FNV-1a 64 in two 32-bit halves (BigInt would be ten times slower). The prime is 2^40 + 435,
 * so h * prime = h * 435 + (h << 40): the low half times 435 carries into the high half, and the
 * low half shifted by 40 lands in the high half shifted by 8.
 */
function fnv1a64Folded(text: string): string {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  const step = (byte: number): void => {
    lo = (lo ^ byte) >>> 0;
    const product = lo * 435;
    const carry = Math.floor(product / 4294967296);
    hi = (Math.imul(hi, 435) + (lo << 8) + carry) >>> 0;
    lo = product >>> 0;
  };
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      step(code);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (code < 0x800) {
      step(0xc0 | (code >> 6));
    } else if (code < 0x10000) {
      step(0xe0 | (code >> 12));
      step(0x80 | ((code >> 6) & 0x3f));
    } else {
      step(0xf0 | (code >> 18));
      step(0x80 | ((code >> 12) & 0x3f));
      step(0x80 | ((code >> 6) & 0x3f));
    }
    step(0x80 | (code & 0x3f));
  }
  return ((hi ^ lo) >>> 0).toString(16).padStart(8, '0');
}

/** What the pipeline and `logwatch fingerprint` use: the pure function, then the catalog. */
export interface Fingerprinter {
  sign(message: string): Fingerprint;
  /** The catalog behind `sign`, for its counts (size, evicted, cachedTemplates). */
  readonly catalog: SignatureCatalog;
}

/**
 * The pure fingerprint followed by the template catalog, whose map keyed by template (never by
 * line, bounded by `maxCachedTemplates`) makes a line of a known template one lookup.
 */
export function createFingerprinter(options: SignatureCatalogOptions = {}): Fingerprinter {
  const catalog = new SignatureCatalog(options);
  return { sign: (message) => catalog.assign(fingerprint(message)), catalog };
}
