/**
 * Template clusters, Drain-style, on templates rather than lines. Templates that differ only in
 * variable words (host names, table names, user names) share one cluster, whose id is the id of
 * the first template that formed it and never changes once issued; the differing word becomes
 * `<*>` in the cluster's template and is added to the line's values.
 *
 * Lines are many and templates few, so the work here runs once per new template: a line whose
 * template was seen before costs one map lookup.
 */
import { Fifo } from './fifo.js';
import { ANY, PLACEHOLDERS } from './mask.js';
import type { Fingerprint, Telling } from './model.js';

/** A template's own id and text: all the catalog needs to place it. */
export type TemplateIdentity = Pick<Fingerprint, 'id' | 'template'>;

export interface SignatureCatalogOptions {
  /** Most clusters kept; beyond it the least recently used is evicted (counted). */
  maxTemplates?: number;
  /** Most templates remembered for the one-lookup path; beyond it the oldest is forgotten and re-matched if seen again. */
  maxCachedTemplates?: number;
}

/** Default cluster cap: far above the few hundred signatures a service logs, small enough to scan. */
export const DEFAULT_MAX_TEMPLATES = 5000;
/** Default template-cache cap: several member templates per cluster. */
export const DEFAULT_MAX_CACHED_TEMPLATES = 20000;
/** Least share of a template's words that must equal the cluster's for the two to merge. */
const MERGE_SIMILARITY = 0.5;

interface Cluster {
  readonly id: string;
  tokens: string[];
  /** `traitsOf` each token, kept with `tokens`: merge tests read them for every candidate of every new template. */
  traits: Uint8Array;
  template: string;
  /** Bumped when the template gains a `<*>`, so cached value plans know to refresh. */
  version: number;
  lastUsed: number;
  /** `lastUsed` when the cluster last moved to the young end of the eviction order. */
  queuedAt: number;
  evicted: boolean;
}

/** What the catalog remembers about one exact template (callers may hold it: see `knownTemplate`). */
export interface KnownTemplate {
  cluster: Cluster;
  tokens: string[];
  /** Cluster version the plan below was made for. */
  version: number;
  /** Token indexes whose whole text becomes one value because the cluster has `<*>` there; null when none. */
  widened: number[] | null;
  /** Per value of a widened line (only filled when `widened` is non-null): see `WidenStep`. */
  widenSteps: WidenStep[];
  /** Whether the cluster's id and template are the template's own (then a line's fingerprint passes as it is). */
  ownCluster: boolean;
}

/** Candidates compared per new template (most recent first), as Drain bounds a node's children. */
const MAX_MERGE_CANDIDATES = 100;

export class SignatureCatalog {
  private readonly maxTemplates: number;
  private readonly maxCachedTemplates: number;
  /** Live clusters by id. */
  private readonly clusters = new Map<string, Cluster>();
  /**
   * Clusters by token count, in creation order: merge candidates for a new template. An evicted
   * cluster stays until a compaction (`dropEvicted`): taking it out at once moved the whole list
   * on every eviction, which a flood of distinct messages does per line.
   */
  private readonly byLength = new Map<number, CandidateList>();
  /** Exact template → its cluster, bounded by `maxCachedTemplates` (oldest forgotten first). */
  private readonly known = new Map<string, KnownTemplate>();
  /** Templates in the order they were learned: which to forget first. */
  private readonly knownOrder = new Fifo<string>();
  /**
   * Clusters in order of use, oldest first: an entry is live while its `queuedAt` is the cluster's
   * (a requeued cluster leaves a stale entry behind, skipped when it reaches the head).
   */
  private readonly useOrder = new Fifo<{ cluster: Cluster; queuedAt: number }>();
  private readonly tokens = new TokenPool();
  private tick = 0;
  private evictedCount = 0;
  /** Uses after which a cluster moves again in the eviction order: LRU up to a quarter of the cap. */
  private readonly requeueAfter: number;

  constructor(options: SignatureCatalogOptions = {}) {
    this.maxTemplates = Math.max(1, options.maxTemplates ?? DEFAULT_MAX_TEMPLATES);
    this.requeueAfter = Math.floor(this.maxTemplates / 4);
    this.maxCachedTemplates = Math.max(1, options.maxCachedTemplates ?? DEFAULT_MAX_CACHED_TEMPLATES);
  }

  /** Live clusters. */
  get size(): number {
    return this.clusters.size;
  }

  /** Clusters evicted by the cap so far. */
  get evicted(): number {
    return this.evictedCount;
  }

  /** Templates currently remembered for the one-lookup path. */
  get cachedTemplates(): number {
    return this.known.size;
  }

  /** The fingerprint rewritten to its cluster's id and template, with merged words added to its values. */
  assign(fp: Fingerprint): Fingerprint {
    return this.assignKnown(this.knownTemplate(fp, undefined), fp);
  }

  /**
   * The catalog's entry for the fingerprint's template, learning the template if it is new.
   * `held` is an entry the caller kept for this template from an earlier call: it is returned as
   * it is while its cluster lives, which spares the lookup by template string.
   */
  knownTemplate(own: TemplateIdentity, held: KnownTemplate | undefined): KnownTemplate {
    if (held !== undefined && !held.cluster.evicted) return held;
    const known = this.known.get(own.template);
    return known === undefined || known.cluster.evicted ? this.learn(own) : known;
  }

  /** `assign` for a fingerprint whose template's entry the caller already has (`knownTemplate`). */
  assignKnown(known: KnownTemplate, fp: Fingerprint): Fingerprint {
    return this.keepsOwn(known, fp) ? fp : this.clusterFingerprint(known, fp.telling, fp.values);
  }

  /** `assignKnown` for a line whose own fingerprint is not built yet: one object per line, not two. */
  fingerprintOf(known: KnownTemplate, own: TemplateIdentity, telling: Telling[], values: string[]): Fingerprint {
    if (this.keepsOwn(known, own)) return { id: own.id, template: own.template, telling, values };
    return this.clusterFingerprint(known, telling, values);
  }

  /** Marks the cluster used; whether the template's own id and template stand (its cluster is its own). */
  private keepsOwn(known: KnownTemplate, own: TemplateIdentity): boolean {
    const cluster = known.cluster;
    cluster.lastUsed = ++this.tick;
    if (this.tick - cluster.queuedAt > this.requeueAfter && !cluster.evicted) this.requeue(cluster);
    if (known.version !== cluster.version) {
      planValues(known);
      known.ownCluster = cluster.id === own.id && cluster.template === own.template;
    }
    return known.ownCluster;
  }

  private clusterFingerprint(known: KnownTemplate, telling: Telling[], values: string[]): Fingerprint {
    const cluster = known.cluster;
    return { id: cluster.id, template: cluster.template, telling, values: known.widened === null ? values : widenValues(known, values) };
  }

  private learn(fp: TemplateIdentity): KnownTemplate {
    const tokens = this.tokens.intern(fp.template.split(' '));
    const traits = tokenTraits(tokens);
    const cluster = this.bestMatch(fp.id, tokens, traits) ?? this.open(fp.id, tokens, traits);
    widen(cluster, tokens);
    if (this.known.size >= this.maxCachedTemplates) this.forgetOldestTemplate();
    const known: KnownTemplate = { cluster, tokens, version: -1, widened: null, widenSteps: [], ownCluster: false };
    this.known.set(fp.template, known);
    this.knownOrder.push(fp.template);
    return known;
  }

  /** The cluster this template joins: its own (if it formed one), else the most similar mergeable one. */
  private bestMatch(id: string, tokens: string[], traits: Uint8Array): Cluster | undefined {
    const own = this.clusters.get(id);
    if (own !== undefined && own.tokens.length === tokens.length) return own;
    let best: Cluster | undefined;
    let bestScore = MERGE_SIMILARITY;
    const sameLength = this.byLength.get(tokens.length)?.clusters ?? [];
    // Like Drain's max_children: only the most recent live candidates are compared, so a flood of
    // distinct messages costs a bounded amount per new template instead of a scan of the catalog.
    let first = sameLength.length;
    for (let live = 0; first > 0 && live < MAX_MERGE_CANDIDATES; first--) if (!sameLength[first - 1]!.evicted) live++;
    for (let i = first; i < sameLength.length; i++) {
      const candidate = sameLength[i]!;
      if (candidate.evicted) continue;
      const score = similarity(candidate, tokens, traits);
      // Ties go to the older cluster: candidates are in creation order and only a higher score wins.
      if (score > bestScore || (best === undefined && score === bestScore)) {
        best = candidate;
        bestScore = score;
      }
    }
    return best;
  }

  private open(id: string, tokens: string[], traits: Uint8Array): Cluster {
    if (this.clusters.size >= this.maxTemplates) this.evictLeastRecentlyUsed();
    const cluster: Cluster = { id, tokens: [...tokens], traits, template: tokens.join(' '), version: 0, lastUsed: this.tick, queuedAt: this.tick, evicted: false };
    this.clusters.set(id, cluster);
    this.useOrder.push({ cluster, queuedAt: cluster.queuedAt });
    const sameLength = this.byLength.get(tokens.length);
    if (sameLength === undefined) this.byLength.set(tokens.length, { clusters: [cluster], evicted: 0 });
    else sameLength.clusters.push(cluster);
    return cluster;
  }

  /**
   * `useOrder` keeps clusters in order of use: a used cluster goes to the young end again, unless
   * it did within the last `requeueAfter` uses (a busy cluster would otherwise requeue on every
   * line). The least recently used is then at the head: eviction is O(1), not a catalog scan.
   */
  private requeue(cluster: Cluster): void {
    cluster.queuedAt = this.tick;
    this.useOrder.push({ cluster, queuedAt: cluster.queuedAt });
    // Stale entries leave at eviction; a catalog that never fills drops them here instead.
    if (this.useOrder.size > 4 * this.maxTemplates) {
      this.useOrder.retain((entry) => !entry.cluster.evicted && entry.queuedAt === entry.cluster.queuedAt);
    }
  }

  private evictLeastRecentlyUsed(): void {
    let oldest: Cluster | undefined;
    for (let entry = this.useOrder.shift(); entry !== undefined; entry = this.useOrder.shift()) {
      if (!entry.cluster.evicted && entry.queuedAt === entry.cluster.queuedAt) {
        oldest = entry.cluster;
        break;
      }
    }
    if (oldest === undefined) return;
    oldest.evicted = true;
    this.clusters.delete(oldest.id);
    const sameLength = this.byLength.get(oldest.tokens.length);
    if (sameLength !== undefined && ++sameLength.evicted * 2 > sameLength.clusters.length) dropEvicted(sameLength);
    this.evictedCount++;
  }

  private forgetOldestTemplate(): void {
    const oldest = this.knownOrder.shift();
    if (oldest !== undefined) this.known.delete(oldest);
  }
}

/** Distinct tokens kept for sharing; past this the pool starts over (comparisons stay right, only slower). */
const MAX_POOLED_TOKENS = 50_000;

/**
 * One string per distinct token, shared by every template and cluster: a new template is compared
 * with up to MAX_MERGE_CANDIDATES clusters word by word, and two equal words that are one string
 * compare by reference, where equal copies compare character by character.
 */
class TokenPool {
  private readonly pool = new Map<string, string>();

  intern(tokens: string[]): string[] {
    if (this.pool.size > MAX_POOLED_TOKENS) this.pool.clear();
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      const shared = this.pool.get(token);
      if (shared === undefined) this.pool.set(token, token);
      else tokens[i] = shared;
    }
    return tokens;
  }
}

/** Clusters of one token count, and how many of them are evicted but still listed. */
interface CandidateList {
  clusters: Cluster[];
  evicted: number;
}

/** Takes the evicted clusters out of the list (once they are half of it: amortised O(1) per eviction). */
function dropEvicted(list: CandidateList): void {
  list.clusters = list.clusters.filter((cluster) => !cluster.evicted);
  list.evicted = 0;
}

/** A token's traits for merging: whether it looks like a value, and whether it carries a free-standing number. */
const VARIABLE = 1;
const FREE_NUMBER = 2;

function tokenTraits(tokens: readonly string[]): Uint8Array {
  const traits = new Uint8Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) traits[i] = traitsOf(tokens[i]!);
  return traits;
}

function traitsOf(token: string): number {
  return (looksVariable(token) ? VARIABLE : 0) | (hasFreeNumber(token) ? FREE_NUMBER : 0);
}

/**
 * Share of positions where the template equals the cluster, or -1 when they must not merge:
 * different lengths, or a differing word that carries a free-standing number (a status code, an
 * error number or a telling value the masker kept on purpose: 500 and 404 stay apart).
 */
function similarity(cluster: Cluster, tokens: readonly string[], traits: Uint8Array): number {
  const clusterTokens = cluster.tokens;
  if (clusterTokens.length !== tokens.length) return -1;
  let equal = 0;
  for (let i = 0; i < tokens.length; i++) {
    const a = clusterTokens[i]!;
    if (a === tokens[i]) {
      equal++;
      continue;
    }
    const either = cluster.traits[i]! | traits[i]!;
    if (a !== ANY && (either & VARIABLE) === 0) return -1;
    if ((either & FREE_NUMBER) !== 0) return -1;
  }
  return equal / tokens.length;
}

/** Day and month names: parts of a date written out inside a message (`Fri Jun 17 07:07:00 2005`). */
const CALENDAR_WORDS: ReadonlySet<string> = new Set([
  'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun',
  'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec',
]);

/**
 * Whether a word looks like a value rather than a word of the message: it has two digits
 * (`web12`, not `SOCKS5` or `en0`), a digit after `_`/`-` (`rack_C2`), a placeholder, a path or address separator (`/`, `@`, `:`), or a dot inside (`db3.example.com`).
 * Two plain words (`Started`/`Paused`, `HTTPS`/`SOCKS5`) name different events and never merge.
 */
function looksVariable(word: string): boolean {
  if (CALENDAR_WORDS.has(word)) return true;
  if (endsInConstant(word)) return false;
  let digits = 0;
  let joiners = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c === 95 || c === 45) joiners++;
    if (c >= 48 && c <= 57 && (++digits === 2 || joiners > 0)) return true;
    if (c === 60 || c === 47 || c === 64) return true;
    if ((c === 46 || c === 58) && i > 0 && i < word.length - 1 && word.charCodeAt(i + 1) !== c) return true;
  }
  return false;
}

/**
 * Whether a dotted word ends in an UPPER_SNAKE constant (`android.intent.action.SCREEN_ON`): an
 * enum value names a kind of event, like a plain word, so two of them never merge. The
 * underscore keeps upper-case host names (`DB3.EXAMPLE.COM`) out.
 */
function endsInConstant(word: string): boolean {
  const dot = word.lastIndexOf('.');
  if (dot < 0 || dot === word.length - 1) return false;
  let underscore = false;
  for (let i = dot + 1; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c === 95) underscore = true;
    else if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57))) return false;
  }
  return underscore;
}

/** Whether a word has digits not glued to a preceding letter (`500`, `code=500`; not `ssh2`). */
function hasFreeNumber(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      const before = i > 0 ? word.charCodeAt(i - 1) | 32 : 0;
      const gluedToLetter = before >= 97 && before <= 122;
      const continuesNumber = before >= 48 && before <= 57;
      if (!gluedToLetter && !continuesNumber) return true;
    }
  }
  return false;
}

/** Turns into `<*>` every cluster word this template disagrees with. */
function widen(cluster: Cluster, tokens: readonly string[]): void {
  let changed = false;
  for (let i = 0; i < tokens.length; i++) {
    if (cluster.tokens[i] !== tokens[i] && cluster.tokens[i] !== ANY) {
      cluster.tokens[i] = ANY;
      cluster.traits[i] = traitsOf(ANY);
      changed = true;
    }
  }
  if (!changed) return;
  cluster.template = cluster.tokens.join(' ');
  cluster.version++;
}

/** A masked word cut at its placeholders: `node-<NUM>.x` → texts ['node-', '.x'], placeholders ['<NUM>']. */
interface FillPlan {
  texts: string[];
  placeholders: string[];
}

/** One value of a widened line: the line's value `from`, or (with `fill`) a widened word rebuilt from the values starting there. */
interface WidenStep {
  from: number;
  fill: FillPlan | null;
}

/** Works out which of a template's words the cluster has widened to `<*>`, and how to fill them. */
function planValues(known: KnownTemplate): void {
  const widened: number[] = [];
  known.tokens.forEach((token, i) => {
    if (known.cluster.tokens[i] === ANY && token !== ANY) widened.push(i);
  });
  known.widened = widened.length > 0 ? widened : null;
  known.widenSteps = [];
  let next = 0;
  if (known.widened !== null) {
    known.tokens.forEach((token, i) => {
      const count = countPlaceholders(token);
      if (widened.includes(i)) known.widenSteps.push({ from: next, fill: fillPlan(token) });
      else for (let k = 0; k < count; k++) known.widenSteps.push({ from: next + k, fill: null });
      next += count;
    });
  }
  known.version = known.cluster.version;
}

/** The line's values in the cluster template's order: a widened word contributes its whole text. */
function widenValues(known: KnownTemplate, values: readonly string[]): string[] {
  const steps = known.widenSteps;
  // Sized up front: an array grown by push gets room for 17 on its first push, mostly garbage.
  const out = new Array<string>(steps.length);
  for (let j = 0; j < steps.length; j++) {
    const { from, fill } = steps[j]!;
    if (fill === null) {
      out[j] = values[from]!;
      continue;
    }
    // The word with its values put back: `node-<NUM>` + ["12"] → `node-12`.
    let text = fill.texts[0]!;
    for (let k = 0; k < fill.placeholders.length; k++) text += (values[from + k] ?? fill.placeholders[k]) + fill.texts[k + 1];
    out[j] = text;
  }
  return out;
}

function countPlaceholders(token: string): number {
  return fillPlan(token).placeholders.length;
}

function fillPlan(token: string): FillPlan {
  const texts: string[] = [];
  const placeholders: string[] = [];
  let from = 0;
  for (let i = token.indexOf('<'); i >= 0; i = token.indexOf('<', i + 1)) {
    const placeholder = PLACEHOLDERS.find((p) => token.startsWith(p, i));
    if (placeholder === undefined) continue;
    texts.push(token.slice(from, i));
    placeholders.push(placeholder);
    from = i + placeholder.length;
    i = from - 1;
  }
  texts.push(token.slice(from));
  return { texts, placeholders };
}
