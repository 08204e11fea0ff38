/**
 * The pure fingerprint: a message's first line, masked, and a stable id hashed from the template.
 * Same message, same result, in any process and in any order — replay, several workers and a
 * persisted catalog all rely on that. Continuation lines (stack traces) are samples, not identity.
 */
import { DEFAULT_MAX_CACHED_TEMPLATES, SignatureCatalog, type KnownTemplate, type SignatureCatalogOptions } from './clusters.js';
import { scanLine, scanLineFrom, type ScannedLine } from './mask.js';
import type { Fingerprint, Telling } from './model.js';
import { ShapeMemo } from './shape-memo.js';
import { visibleText } from '../pipeline/visible-text.js';

/** What is worked out once per template. */
export interface TemplateEntry {
  template: string;
  id: string;
}

/**
 * Templates by the masker's 64-bit hash of their characters plus their length, so a known
 * template is found without building its string. Two templates collide only if both 32-bit
 * lanes and the length agree: for templates that are not crafted to collide, about 2^-64 per
 * pair, 10^-15 per new template against a full cache of 20,000 — far below any other error
 * source here. (Confirming each hit character by character cost a fifth of `sign`.) Keyed by
 * template, never by line, and bounded: cleared when full, since entries are cheap to redo.
 */
class TemplateCache<Entry extends TemplateEntry> {
  private readonly entries = new Map<number, { check: number; entry: Entry }>();

  constructor(private readonly cap: number) {}

  /** The entry for the scanned line's template; on a miss `make` gets the built template. */
  get(scanned: ScannedLine, make: (template: string) => Entry): Entry {
    const found = this.entries.get(scanned.key);
    if (found !== undefined && found.check === scanned.check) return found.entry;
    if (this.entries.size >= this.cap) this.entries.clear();
    // Templates are display text for every sink: control, C1 and bidi characters become visible
    // escapes once per template here (a line's raw text stays in its samples, escaped by the sinks).
    const entry = make(visibleText(scanned.template()));
    this.entries.set(scanned.key, { check: scanned.check, entry });
    return entry;
  }
}

/** Template memo of the pure function: ids are cheap to recompute, so a small cap. */
const PURE_CACHE_CAP = 8192;
const pureTemplates = new TemplateCache<TemplateEntry>(PURE_CACHE_CAP);
const pureEntry = (template: string): TemplateEntry => ({ template, id: templateId(template) });

/** Fingerprints a message: only its first line (up to the first `\n`, without a trailing `\r`). */
export function fingerprint(message: string): Fingerprint {
  const scanned = scanLine(firstLine(message));
  const { template, id } = pureTemplates.get(scanned, pureEntry);
  return { id, template, telling: scanned.tellingValues, values: scanned.maskedValues };
}

export function firstLine(message: string): string {
  let end = message.indexOf('\n');
  if (end < 0) end = message.length;
  if (end > 0 && message.charCodeAt(end - 1) === 13) end--;
  return end === message.length ? message : message.slice(0, end);
}

/** Whether `line[from…]` is its own first line: no newline in it and no `\r` for `firstLine` to drop. */
export function isFirstLineFrom(line: string, from: number): boolean {
  return line.indexOf('\n', from) < 0 && (line.length === from || line.charCodeAt(line.length - 1) !== 13);
}

/** The id of a template: 8 hex characters of FNV-1a 64 over its UTF-8 bytes, high half xor low half. */
export function templateId(template: string): string {
  return fnv1a64Folded(template);
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
  /** `sign(line.slice(from))` without the slice (a message that is the rest of its line). */
  signFrom(line: string, from: number): Fingerprint;
  /** The catalog behind `sign`, for its counts (size, evicted, cachedTemplates). */
  readonly catalog: SignatureCatalog;
}

/** A template's pure id and its place in the catalog, found once per template. */
export interface SignedTemplate extends TemplateEntry {
  known: KnownTemplate | undefined;
}

/**
 * The pure part of signing a first line, with its memos: the template's entry (made once per
 * template by `make`), and the line's telling values and values in `telling`/`values` until the
 * next call. The pipeline's fingerprinter and the pre-signing worker (src/pipeline/presign-worker.ts)
 * both sign through one.
 */
export interface PureSigner<Entry extends TemplateEntry> {
  signLine(line: string, from: number): Entry;
  readonly telling: Telling[];
  readonly values: string[];
}

/**
 * The fingerprinter's own template cache (keyed by template, never by line; bounded like the
 * catalog's) holds each template's entry, so a line of a known template costs the masking scan
 * and one lookup by its hash: no template string is built. In front of the masker, the shape memo
 * (shape-memo.ts) answers for lines that differ from a learnt one only in masked digits — most
 * lines — with one pass over the characters and a slice per value.
 */
export function createPureSigner<Entry extends TemplateEntry>(cap: number, make: (template: string) => Entry): PureSigner<Entry> {
  const templates = new TemplateCache<Entry>(cap);
  const memo = new ShapeMemo<Entry>(cap);
  const signer = {
    telling: NO_TELLING as Telling[],
    values: NO_VALUES as string[],
    signLine(line: string, from: number): Entry {
      const recalled = memo.recall(line, from);
      if (recalled !== undefined) {
        signer.telling = memo.telling;
        signer.values = memo.values;
        return recalled;
      }
      const scanned = scanLineFrom(line, from);
      // Copied out first: the memo's check masks again, which reuses the masker's state.
      const facts = { values: scanned.maskedValues, telling: scanned.tellingValues, key: scanned.key, check: scanned.check };
      const entry = templates.get(scanned, make);
      memo.learn(line, from, facts, entry);
      signer.telling = facts.telling;
      signer.values = facts.values;
      return entry;
    },
  };
  return signer;
}

const NO_TELLING: readonly Telling[] = Object.freeze([]);
const NO_VALUES: readonly string[] = Object.freeze([]);

/** What the pipeline and `logwatch fingerprint` use: the pure function, then the catalog. */
export interface Fingerprinter {
  sign(message: string): Fingerprint;
  /** `sign(line.slice(from))` without the slice (a message that is the rest of its line). */
  signFrom(line: string, from: number): Fingerprint;
  /** A line signed elsewhere (its pure part, by a pre-signing worker): the catalog's fingerprint of it. */
  finish(signed: SignedTemplate, telling: Telling[], values: string[]): Fingerprint;
  /** The catalog behind `sign`, for its counts (size, evicted, cachedTemplates). */
  readonly catalog: SignatureCatalog;
}

/** The templates cached per signer: the catalog's cap for them. */
export function templateCacheCap(options: SignatureCatalogOptions = {}): number {
  return Math.max(1, options.maxCachedTemplates ?? DEFAULT_MAX_CACHED_TEMPLATES);
}

/** A signed template's entry before the catalog has placed it. */
const signedTemplate = (template: string): SignedTemplate => ({ template, id: templateId(template), known: undefined });

/** The pure fingerprint (createPureSigner) followed by the template catalog. */
export function createFingerprinter(options: SignatureCatalogOptions = {}): Fingerprinter {
  const catalog = new SignatureCatalog(options);
  const pure = createPureSigner(templateCacheCap(options), signedTemplate);
  const finish = (signed: SignedTemplate, telling: Telling[], values: string[]): Fingerprint => {
    signed.known = catalog.knownTemplate(signed, signed.known);
    return catalog.fingerprintOf(signed.known, signed, telling, values);
  };
  /** The first line `line[from…]`. */
  const signLine = (line: string, from: number): Fingerprint => {
    const signed = pure.signLine(line, from);
    return finish(signed, pure.telling, pure.values);
  };
  const sign = (message: string): Fingerprint => signLine(firstLine(message), 0);
  const signFrom = (line: string, from: number): Fingerprint => (isFirstLineFrom(line, from) ? signLine(line, from) : sign(line.slice(from)));
  return { sign, signFrom, finish, catalog };
}
