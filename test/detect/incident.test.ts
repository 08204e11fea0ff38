import { describe, expect, it } from 'vitest';
import { groupIncidents, type BurstFacts } from '../../src/detect/incident.js';
import type { Deploy, Telling } from '../../src/detect/model.js';

const T0 = Date.parse('2026-11-23T14:00:00Z');
const deploy: Deploy = { id: 1, at: T0 + 10_000, app: 'website' };
const INT32_MAX: Telling = { value: '2147483647', name: 'INT32_MAX', meaning: 'INT32_MAX: signed 32-bit overflow' };

function facts(id: string, onset: number, options: { deploy?: Deploy | null; telling?: Telling[] } = {}): BurstFacts {
  return {
    burst: { signatureId: id, onset, detectedAt: onset + 5_000, rate: 0, evidence: {} as BurstFacts['burst']['evidence'], end: null, countdownEndsAt: null },
    template: `template ${id}`, level: 'error', isNew: true, telling: options.telling ?? [], hosts: ['web-01'],
    count: 10, expected: 0.1, lastMinute: 10, deploy: options.deploy ?? null,
  };
}

const settings = { togetherMs: 30_000, overflowMin: 32_767 };

describe('groupIncidents', () => {
  it('joins bursts that start together under the same deploy', () => {
    const incidents = groupIncidents([facts('a', T0 + 12_000, { deploy }), facts('b', T0 + 20_000, { deploy })], 3, settings);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.headline).toBe('2 signatures on 1/3 hosts, starting together');
  });

  it('keeps a burst that began before the deploy apart from the one the deploy set off', () => {
    const before = facts('before', T0 + 2_000, { deploy: null });
    const after = facts('after', T0 + 14_000, { deploy });
    const incidents = groupIncidents([before, after], 3, settings);
    expect(incidents).toHaveLength(2);
    expect(incidents.find((i) => i.members[0]!.burst.signatureId === 'after')?.deploy?.id).toBe(1);
  });

  it('joins bursts sharing a telling value even across a deploy and far apart', () => {
    const incidents = groupIncidents([
      facts('a', T0, { telling: [INT32_MAX] }),
      facts('b', T0 + 300_000, { deploy, telling: [INT32_MAX] }),
    ], 3, settings);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.headline).toBe('2147483647 in 2 signatures on 1/3 hosts');
  });
});
