import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPS } from '../../src/detect/thresholds.js';
import { Engine } from '../../src/pipeline/engine.js';
import type { SignatureEvent, StatsEvent } from '../../src/pipeline/events.js';
import type { SignedRecord } from '../../src/pipeline/record.js';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

const record = (at: number, id: string): SignedRecord => ({
  at, timeFromLine: true, level: 'error', host: 'web-01', source: 'php_errors.log',
  message: `message of ${id}`, fingerprint: { id, template: `template of ${id}`, telling: [], values: [] },
});

const engineWith = (options: Partial<ConstructorParameters<typeof Engine>[0]> = {}): Engine =>
  new Engine({ statsEveryMs: 10_000, sourceCounters: () => ({}), ...options });

describe('Engine with a catalog and the first-sighting throttle', () => {
  it('passes the catalog to detection: catalogued ids are not new, others are new at once', () => {
    const known = [{ id: 'old', template: 'template of old', firstSeen: T0 - 1_000, lastSeen: T0 - 1_000, count: 1 }];
    const events = engineWith({ catalog: { known } }).handle({ kind: 'records', records: [record(T0, 'old'), record(T0, 'fresh')] });
    expect(events.map((e) => [(e as SignatureEvent).id, (e as SignatureEvent).new])).toEqual([['old', false], ['fresh', true]]);
  });

  it('counts first sightings not announced during a flood in stats.unannounced', () => {
    const engine = engineWith();
    const perSecond = DEFAULT_CAPS.maxSignatures;
    let announced = 0;
    for (let second = 0; second < 3; second++) {
      const at = T0 + second * 1_000;
      const records = Array.from({ length: perSecond }, (_, i) => record(at, `s${second}-${i}`));
      for (const event of engine.handle({ kind: 'records', records })) if (event.type === 'signature') announced++;
      engine.handle({ kind: 'tick', now: at + 1_000 });
    }
    const stats = engine.statsEvent(T0 + 3_000) satisfies StatsEvent;
    expect(stats.evicted).toBeGreaterThan(0.25 * DEFAULT_CAPS.maxSignatures);
    expect(stats.unannounced).toBeGreaterThan(0);
    expect(announced + stats.unannounced).toBe(3 * perSecond);
  });
});
