/**
 * Deploy markers arriving over HTTP (POST /api/deploys) or the WebSocket (`deploy` message):
 * validated by the pipeline's parser, which also reads Graphite's events-API body, then handed
 * to the pipeline.
 */
import type { Deploy } from '../detect/model.js';
import { parseDeployJson } from '../pipeline/deploy-marker.js';
import type { DeployRequest, PipelineHandle } from '../pipeline/handle.js';

export type DeployOutcome = { deploy: Deploy } | { error: string };

export function acceptDeploy(handle: PipelineHandle, text: string): DeployOutcome {
  const parsed = parseDeployJson(text, pipelineNow(handle));
  if ('error' in parsed) return parsed;
  const { marker } = parsed;
  const request: DeployRequest = { app: marker.app, at: marker.at };
  if (marker.version !== undefined) request.version = marker.version;
  if (marker.by !== undefined) request.by = marker.by;
  return { deploy: handle.markDeploy(request) };
}

/**
 * "Now" for a marker that names no time: a live run's clock is the wall clock; a replay's is the
 * virtual time the data has reached, which the snapshot carries.
 */
function pipelineNow(handle: PipelineHandle): number {
  const snapshot = handle.snapshot();
  return snapshot.mode === 'watch' ? Date.now() : snapshot.at;
}
