/**
 * Bursts that start together, or that share a telling value (2147483647 in twelve different
 * queries), are one incident: one cause, one headline, one verdict. Grouping works on the few
 * running bursts, never on lines.
 */
import { LEVELS, type Level } from '../pipeline/record.js';
import type { Burst } from './burst.js';
import type { Deploy, Telling } from './model.js';

/** One running burst with the facts judging needs, measured at the same `now`. */
export interface BurstFacts {
  burst: Burst;
  template: string;
  level: Level;
  isNew: boolean;
  telling: Telling[];
  /** Hosts that logged it since its onset. */
  hosts: string[];
  /** Lines since onset, and what the baseline expects for the same span. */
  count: number;
  expected: number;
  /** Lines in the last minute. */
  lastMinute: number;
  /** The deploy whose window holds its onset, or null. */
  deploy: Deploy | null;
}

export interface Incident {
  /** Earliest onset first; the first is the leading signature. */
  members: BurstFacts[];
  onset: number;
  deploy: Deploy | null;
  hosts: number;
  hostsTotal: number;
  count: number;
  expected: number;
  lastMinute: number;
  /** Most severe level among its signatures. */
  level: Level;
  isNew: boolean;
  telling: Telling[];
  /** Telling values large enough to mean an overflow. */
  overflow: Telling[];
  headline: string | null;
  /** Earliest countdown end among its bursts, once a roll-forward was given. */
  countdownEndsAt: number | null;
}

export interface GroupingSettings {
  togetherMs: number;
  overflowMin: number;
}

export function groupIncidents(facts: readonly BurstFacts[], hostsTotal: number, settings: GroupingSettings): Incident[] {
  const sorted = [...facts].sort((a, b) => a.burst.onset - b.burst.onset || a.burst.signatureId.localeCompare(b.burst.signatureId));
  const parent = sorted.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      if (belongTogether(sorted[i]!, sorted[j]!, settings.togetherMs)) parent[root(j)] = root(i);
    }
  }
  const groups = new Map<number, BurstFacts[]>();
  sorted.forEach((member, i) => {
    const key = root(i);
    groups.set(key, [...(groups.get(key) ?? []), member]);
  });
  return [...groups.values()].map((members) => describe(members, hostsTotal, settings.overflowMin));
}

/**
 * Starting together means one cause only when the same deploy (or none) explains both: a burst
 * that began just before a deploy and one the deploy set off are two stories. A shared telling
 * value is one cause on either side of a deploy (the counter passed 2^31 whatever was pushed).
 */
function belongTogether(a: BurstFacts, b: BurstFacts, togetherMs: number): boolean {
  const sameDeploy = (a.deploy?.id ?? null) === (b.deploy?.id ?? null);
  if (sameDeploy && Math.abs(a.burst.onset - b.burst.onset) <= togetherMs) return true;
  return a.telling.some((t) => b.telling.some((u) => u.value === t.value || u.name === t.name));
}

function describe(members: BurstFacts[], hostsTotal: number, overflowMin: number): Incident {
  const hosts = new Set(members.flatMap((m) => m.hosts)).size;
  const telling = uniqueTelling(members.flatMap((m) => m.telling));
  const countdowns = members.map((m) => m.burst.countdownEndsAt).filter((c): c is number => c !== null);
  return {
    members,
    onset: members[0]!.burst.onset,
    deploy: members[0]!.deploy,
    hosts,
    hostsTotal,
    count: sumOf(members, (m) => m.count),
    expected: sumOf(members, (m) => m.expected),
    lastMinute: sumOf(members, (m) => m.lastMinute),
    level: mostSevere(members.map((m) => m.level)),
    isNew: members.some((m) => m.isNew),
    telling,
    overflow: telling.filter((t) => isOverflow(t, overflowMin)),
    headline: headline(members, hosts, hostsTotal),
    countdownEndsAt: countdowns.length === 0 ? null : Math.min(...countdowns),
  };
}

/** "2147483647 in 9 signatures on 38/40 hosts", or null for a single signature. */
function headline(members: BurstFacts[], hosts: number, hostsTotal: number): string | null {
  if (members.length < 2) return null;
  const spread = `${members.length} signatures on ${hosts}/${hostsTotal} hosts`;
  const shared = mostShared(members);
  return shared === undefined ? `${spread}, starting together` : `${shared.value} in ${spread}`;
}

/** The telling value carried by the most members (at least two). */
function mostShared(members: BurstFacts[]): Telling | undefined {
  const carriers = new Map<string, { telling: Telling; count: number }>();
  for (const member of members) {
    for (const telling of uniqueTelling(member.telling)) {
      const entry = carriers.get(telling.value) ?? { telling, count: 0 };
      entry.count++;
      carriers.set(telling.value, entry);
    }
  }
  const best = [...carriers.values()].sort((a, b) => b.count - a.count || a.telling.value.localeCompare(b.telling.value))[0];
  return best !== undefined && best.count >= 2 ? best.telling : undefined;
}

export function isOverflow(telling: Telling, overflowMin: number): boolean {
  const digits = telling.value.replace(/^[+-]/, '');
  return /^\d+$/.test(digits) && (digits.length > 15 || Number(digits) >= overflowMin);
}

export function mostSevere(levels: readonly Level[]): Level {
  let best: Level = 'debug';
  for (const level of levels) if (LEVELS.indexOf(level) < LEVELS.indexOf(best)) best = level;
  return best;
}

function uniqueTelling(telling: readonly Telling[]): Telling[] {
  return [...new Map(telling.map((t) => [t.value, t])).values()];
}

function sumOf<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}
