import { describe, expect, it } from 'vitest';
import { SignatureCatalog } from '../../src/detect/clusters.js';
import { fingerprint } from '../../src/detect/fingerprint.js';

const HOST_A = 'Lost connection to web12.example.com after <NUM>';
const sign = (catalog: SignatureCatalog, message: string) => catalog.assign(fingerprint(message));

describe('SignatureCatalog', () => {
  it('merges templates that differ only in a host name, under the first one’s id', () => {
    const catalog = new SignatureCatalog();
    const first = sign(catalog, 'Lost connection to web12.example.com after 3 tries');
    const second = sign(catalog, 'Lost connection to web07.example.com after 5 tries');
    expect(first.template).toBe('Lost connection to web12.example.com after <NUM> tries');
    expect(second.id).toBe(first.id);
    expect(second.template).toBe('Lost connection to <*> after <NUM> tries');
    expect(second.values).toEqual(['web07.example.com', '5']);
    // Lines of the first template now come back under the widened template, same id.
    const third = sign(catalog, 'Lost connection to web12.example.com after 9 tries');
    expect(third).toMatchObject({ id: first.id, template: second.template, values: ['web12.example.com', '9'] });
  });

  it('keeps an issued id whichever of two templates comes later', () => {
    const a = 'Table listings_12 is full';
    const b = 'Table listings_34 is full';
    const forward = new SignatureCatalog();
    const idA = sign(forward, a).id;
    expect(sign(forward, b).id).toBe(idA);
    expect(sign(forward, a).id).toBe(idA);

    const backward = new SignatureCatalog();
    const idB = sign(backward, b).id;
    expect(sign(backward, a).id).toBe(idB);
    expect(sign(backward, b).id).toBe(idB);
    expect(idB).toBe(fingerprint(b).id);
    expect(idA).toBe(fingerprint(a).id);
  });

  it('never merges status codes, telling values, plain words or UPPER_SNAKE constants', () => {
    const catalog = new SignatureCatalog();
    const ids = [
      'upstream web1.example.com returned 500',
      'upstream web1.example.com returned 404',
      'insert into t failed at id 2147483647 on shard a-1',
      'insert into t failed at id 32767 on shard a-1',
      'VM Started (Lifecycle Event)',
      'VM Paused (Lifecycle Event)',
      'onReceive action: android.intent.action.SCREEN_ON',
      'onReceive action: android.intent.action.SCREEN_OFF',
    ].map((m) => sign(catalog, m).id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('evicts the least recently used cluster beyond its cap, and counts it', () => {
    const catalog = new SignatureCatalog({ maxTemplates: 2 });
    const a = sign(catalog, 'alpha failed');
    sign(catalog, 'beta failed');
    sign(catalog, 'alpha failed'); // alpha is now more recent than beta
    sign(catalog, 'gamma failed'); // evicts beta
    expect(catalog.size).toBe(2);
    expect(catalog.evicted).toBe(1);
    expect(sign(catalog, 'alpha failed').id).toBe(a.id);
    expect(catalog.evicted).toBe(1);
    sign(catalog, 'beta failed'); // back, evicting the least recent (gamma)
    expect(catalog.evicted).toBe(2);
  });

  it('never merges into an evicted cluster, and still finds the live ones among many evicted', () => {
    const catalog = new SignatureCatalog({ maxTemplates: 3 });
    const host = sign(catalog, 'Lost connection to web12.example.com after 3 tries');
    for (const word of ['alpha', 'beta', 'gamma']) sign(catalog, `${word} failed`); // evicts the host cluster
    const again = sign(catalog, 'Lost connection to web07.example.com after 5 tries');
    expect(again.id).not.toBe(host.id);
    expect(again.template).toBe('Lost connection to web07.example.com after <NUM> tries');

    // Evicted clusters of the same length stay listed for a while: never a candidate, and the live ones behind them still are.
    const crowded = new SignatureCatalog({ maxTemplates: 3 });
    const evicted = sign(crowded, 'queue web11.example.com halted on node 1 today');
    // Plain words never merge (with each other, or with `halted`): each opens a cluster of the same length.
    for (const word of ['alpha', 'beta', 'gamma']) sign(crowded, `queue ${word} stalled on node 1 today`);
    const fresh = sign(crowded, 'queue web12.example.com halted on node 1 today');
    expect(fresh.id).not.toBe(evicted.id);
    for (const word of ['delta', 'epsilon']) sign(crowded, `queue ${word} stalled on node 1 today`);
    expect(crowded.evicted).toBe(4);
    expect(sign(crowded, 'queue web13.example.com halted on node 2 today').id).toBe(fresh.id);
  });

  it('bounds its template cache and re-matches a forgotten template to the same cluster', () => {
    const catalog = new SignatureCatalog({ maxCachedTemplates: 3 });
    const first = sign(catalog, 'Lost connection to web12.example.com after 3 tries');
    for (let i = 0; i < 20; i++) sign(catalog, `Lost connection to host-${i}.example.com after 1 tries`);
    for (let i = 0; i < 20; i++) sign(catalog, `job ${i} done: ${'x'.repeat(i)}`);
    expect(catalog.cachedTemplates).toBeLessThanOrEqual(3);
    expect(sign(catalog, 'Lost connection to web12.example.com after 4 tries').id).toBe(first.id);
    expect(sign(catalog, 'Lost connection to host-3.example.com after 4 tries').id).toBe(first.id);
  });

  it('returns the pure fingerprint untouched when nothing was merged', () => {
    const catalog = new SignatureCatalog();
    const fp = fingerprint(HOST_A.replace('<NUM>', '3'));
    expect(catalog.assign(fp)).toBe(fp);
  });
});
