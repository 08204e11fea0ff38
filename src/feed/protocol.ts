/**
 * The WebSocket feed's wire protocol (see PROTOCOL.md): what the server sends on top of the
 * NDJSON events, and the client messages it accepts, validated here so the server never trusts
 * the shape of anything a client sends.
 */
import { z } from 'zod';
import type { Deploy } from '../detect/model.js';
import type { LogwatchEvent } from '../pipeline/events.js';
import type { PipelineSnapshot } from '../pipeline/handle.js';

export const PROTOCOL_VERSION = 1;

export interface HelloMessage {
  type: 'hello';
  protocol: typeof PROTOCOL_VERSION;
  server: 'logwatch';
  mode: PipelineSnapshot['mode'];
  /** Whether this connection may send `deploy` without a `token` field. */
  canWrite: boolean;
  heartbeatMs: number;
  maxPayloadBytes: number;
}

export type SnapshotMessage = { type: 'snapshot' } & PipelineSnapshot;

export interface SubscribedMessage extends Subscription {
  type: 'subscribed';
}

/** One signature's latest samples, for a client that asked with `subscribe.samplesOf`. */
export interface SamplesMessage {
  type: 'samples';
  id: string;
  /** False when the signature is not (or no longer) in the state. */
  found: boolean;
  template: string;
  samples: string[];
  perHost: Record<string, number>;
}

export interface DeployedMessage {
  type: 'deployed';
  deploy: Deploy;
}

export interface ErrorMessage {
  type: 'error';
  message: string;
}

/** Everything the server sends, before the per-connection `seq` is added. */
export type ServerMessage =
  | HelloMessage
  | SnapshotMessage
  | SubscribedMessage
  | SamplesMessage
  | DeployedMessage
  | ErrorMessage
  | LogwatchEvent;

/** What one client wants to receive; replaced as a whole by each `subscribe`. */
export interface Subscription {
  /** Only `verdict` events (replies to this client's own requests still arrive). */
  verdictsOnly: boolean;
  /** `signature` events only for signatures whose current score is at least this. */
  minScore: number | null;
  /** Signature whose samples this client follows (`samples` messages). */
  samplesOf: string | null;
}

export const DEFAULT_SUBSCRIPTION: Subscription = { verdictsOnly: false, minScore: null, samplesOf: null };

const subscribeSchema = z.object({
  type: z.literal('subscribe'),
  verdictsOnly: z.boolean().optional(),
  minScore: z.number().finite().nullable().optional(),
  samplesOf: z.string().min(1).max(200).nullable().optional(),
});

const snapshotSchema = z.object({ type: z.literal('snapshot') });

/** The deploy fields themselves are validated by parseDeployJson, shared with POST /api/deploys. */
const deploySchema = z.looseObject({ type: z.literal('deploy'), token: z.string().optional() });

const clientSchema = z.discriminatedUnion('type', [subscribeSchema, snapshotSchema, deploySchema]);

export type ClientMessage =
  | { type: 'subscribe'; subscription: Subscription }
  | { type: 'snapshot' }
  | { type: 'deploy'; token: string | undefined; body: Record<string, unknown> };

/** Parses one text frame; a malformed or unknown message yields an error sentence for the client. */
export function parseClientMessage(text: string): ClientMessage | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: 'message is not JSON' };
  }
  const parsed = clientSchema.safeParse(json);
  if (!parsed.success) return { error: describeIssue(parsed.error.issues[0]) };
  const message = parsed.data;
  switch (message.type) {
    case 'subscribe':
      return {
        type: 'subscribe',
        subscription: {
          verdictsOnly: message.verdictsOnly ?? false,
          minScore: message.minScore ?? null,
          samplesOf: message.samplesOf ?? null,
        },
      };
    case 'snapshot':
      return { type: 'snapshot' };
    case 'deploy': {
      const { type: _type, token, ...body } = message;
      return { type: 'deploy', token, body };
    }
  }
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (issue === undefined) return 'invalid message';
  if (issue.code === 'invalid_union' && issue.path.length === 1 && issue.path[0] === 'type') {
    return 'unknown message type (expected subscribe, snapshot or deploy)';
  }
  const field = issue.path.length > 0 ? issue.path.join('.') : 'message';
  return `${field}: ${issue.message}`;
}
