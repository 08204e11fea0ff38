/**
 * The pre-signing worker (see presign.ts): parses the header of every line of a batch and signs
 * its message with the pure fingerprint, as `RecordPath.sign` would for a record starting with
 * that line. Lines whose record the main thread signs differently (an envelope, a message that is
 * not the rest of its line) are left to it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createPureSigner, isFirstLineFrom, templateCacheCap, templateId, type TemplateEntry } from '../detect/fingerprint.js';
import { readEnvelope } from './formats/envelope.js';
import { decodeChunkLines } from '../tail/chunk-lines.js';
import { parseHeader } from './parse-header.js';
import { LEVELS } from './record.js';
import { NO_LEVEL, NOT_PRESIGNED, type PresignRequest, type PresignReply, type PresignWorkerData } from './presign.js';

/** A template as this worker numbers it; `epoch`: the table epoch the main thread last got it in. */
interface NumberedTemplate extends TemplateEntry {
  number: number;
  epoch: number;
}

const { zone } = workerData as PresignWorkerData;
const cap = templateCacheCap();
let nextNumber = 0;
const signer = createPureSigner<NumberedTemplate>(cap, (template) => ({ template, id: templateId(template), number: nextNumber++, epoch: -1 }));
/**
 * The main thread's table of this worker's templates is cleared with each new epoch, so it stays
 * bounded like the caches here; a template used again is sent again.
 */
let epoch = 0;
let sentThisEpoch = 0;

parentPort!.on('message', (request: PresignRequest) => {
  const reply = presign(request);
  parentPort!.postMessage(reply, [reply.messageStart.buffer, reply.at.buffer, reply.level.buffer, reply.template.buffer, reply.valueEnds.buffer, reply.valueSpans.buffer]);
});

function presign({ seq, lines, count, arrivedAt }: PresignRequest): PresignReply {
  const reply: PresignReply = {
    seq,
    epoch: newEpochIfFull(),
    messageStart: new Int32Array(count).fill(NOT_PRESIGNED),
    at: new Float64Array(count),
    level: new Uint8Array(count),
    template: new Int32Array(count),
    valueEnds: new Int32Array(count + 1),
    valueSpans: new Int32Array(0),
    valuesOf: [],
    hosts: [],
    telling: [],
    templates: [],
  };
  const spans: number[] = [];
  let i = 0;
  for (const line of linesOf(lines)) {
    presignLine(line, i, arrivedAt, reply, spans);
    reply.valueEnds[++i] = spans.length / 2;
  }
  reply.valueSpans = Int32Array.from(spans);
  return reply;
}

function linesOf(lines: PresignRequest['lines']): string[] {
  return 'chunk' in lines ? decodeChunkLines(lines.chunk) : lines.pieces.flatMap((piece) => piece.split('\n'));
}

function presignLine(line: string, i: number, arrivedAt: number, reply: PresignReply, spans: number[]): void {
  if (readEnvelope(line) !== undefined) return;
  const header = parseHeader(line, arrivedAt, zone);
  const from = header.messageStart;
  if (from === undefined || !isFirstLineFrom(line, from)) return;
  const template = signer.signLine(line, from);
  reply.messageStart[i] = from;
  reply.at[i] = header.at ?? Number.NaN;
  reply.level[i] = header.level === undefined ? NO_LEVEL : LEVELS.indexOf(header.level);
  if (header.host !== undefined) reply.hosts.push([i, header.host]);
  if (template.epoch !== reply.epoch) {
    template.epoch = reply.epoch;
    sentThisEpoch++;
    reply.templates.push([template.number, template.template, template.id]);
  }
  reply.template[i] = template.number;
  if (signer.telling.length > 0) reply.telling.push([i, signer.telling]);
  addValues(line, from, i, reply, spans);
}

/** The line's values as spans of it; a line with a value not written in it as such sends its values whole. */
function addValues(line: string, from: number, i: number, reply: PresignReply, spans: number[]): void {
  const values = signer.values;
  const before = spans.length;
  for (let at = from, v = 0; v < values.length; v++) {
    const start = line.indexOf(values[v]!, at);
    if (start < 0) {
      spans.length = before;
      for (let k = 0; k < values.length; k++) spans.push(0, 0);
      reply.valuesOf.push([i, values]);
      return;
    }
    spans.push(start, start + values[v]!.length);
    at = start + values[v]!.length;
  }
}

/** The epoch this reply's templates belong to: a new one (the main thread's table cleared) once the table holds twice the cache. */
function newEpochIfFull(): number {
  if (sentThisEpoch >= 2 * cap) {
    epoch++;
    sentThisEpoch = 0;
  }
  return epoch;
}
