import { describe, expect, it } from 'vitest';
import { parseClientMessage } from '../../src/feed/protocol.js';

describe('parseClientMessage', () => {
  it('reads subscribe with defaults for what it omits', () => {
    expect(parseClientMessage('{"type":"subscribe","verdictsOnly":true}')).toEqual({
      type: 'subscribe', subscription: { verdictsOnly: true, minScore: null, samplesOf: null },
    });
    expect(parseClientMessage('{"type":"subscribe","minScore":2.5,"samplesOf":"a1b2"}')).toEqual({
      type: 'subscribe', subscription: { verdictsOnly: false, minScore: 2.5, samplesOf: 'a1b2' },
    });
  });

  it('reads snapshot and deploy, keeping the deploy body apart from the token', () => {
    expect(parseClientMessage('{"type":"snapshot"}')).toEqual({ type: 'snapshot' });
    expect(parseClientMessage('{"type":"deploy","app":"website","token":"t"}')).toEqual({
      type: 'deploy', token: 't', body: { app: 'website' },
    });
  });

  it('names what is wrong with a bad message', () => {
    expect(parseClientMessage('{nope')).toEqual({ error: 'message is not JSON' });
    expect(parseClientMessage('{"type":"launch"}')).toEqual({ error: 'unknown message type (expected subscribe, snapshot or deploy)' });
    expect(parseClientMessage('[1]')).toMatchObject({ error: expect.stringMatching(/^message: /) });
    expect(parseClientMessage('{"type":"subscribe","verdictsOnly":"yes"}')).toMatchObject({ error: expect.stringMatching(/^verdictsOnly: /) });
    expect(parseClientMessage('{"type":"subscribe","samplesOf":""}')).toMatchObject({ error: expect.stringMatching(/^samplesOf: /) });
    expect(parseClientMessage('{"type":"deploy","token":5}')).toMatchObject({ error: expect.stringMatching(/^token: /) });
  });
});
