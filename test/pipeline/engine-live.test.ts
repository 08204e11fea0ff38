import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/pipeline/engine.js';
import type { SignatureEvent } from '../../src/pipeline/events.js';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const iso = (at: number): string => new Date(at).toISOString();

describe('Engine judging live (one second behind the clock)', () => {
  it('counts a record still open for continuation lines in its own second, as a replay does', () => {
    const engine = new Engine({ statsEveryMs: 60_000, sourceCounters: () => ({}), judgeLagMs: 1_000 });
    // The last line before a pause: nothing after it completes it, and it has not been quiet for 1 s yet.
    engine.handle({ kind: 'batch', batch: { source: 'a.log', host: 'web-01', lines: [`${iso(T0)} ERROR boom`], arrivedAt: T0 + 800 } });
    engine.handle({ kind: 'batch', batch: { source: 'b.log', host: 'web-02', lines: [`${iso(T0 + 1_000)} ERROR later`], arrivedAt: T0 + 1_050 } });
    const events = engine.handle({ kind: 'tick', now: T0 + 1_100 });
    const signatures = events.filter((e): e is SignatureEvent => e.type === 'signature');
    // Second T0 is judged with its record; the record of T0 + 1 s may still grow and waits for its own second.
    expect(signatures.map((s) => s.template)).toEqual(['boom']);
    expect(engine.detector.snapshot(T0).signatures.map((s) => s.template)).toEqual(['boom']);
    const next = engine.handle({ kind: 'tick', now: T0 + 2_100 });
    expect(next.filter((e): e is SignatureEvent => e.type === 'signature').map((s) => s.template)).toEqual(['later']);
  });
});
