/**
 * The snapshot on screen, read from the handle on a fixed interval rather than per event: the
 * redraw rate stays bounded whatever the input rate. While paused the shown snapshot is frozen.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PipelineHandle, PipelineSnapshot } from '../pipeline/handle.js';

/** 100 ms: ten reads a second, matching Ink's maxFps of 10. */
export const SNAPSHOT_INTERVAL_MS = 100;

export function useSnapshot(handle: PipelineHandle, paused: boolean, intervalMs = SNAPSHOT_INTERVAL_MS) {
  const [snapshot, setSnapshot] = useState<PipelineSnapshot>(() => handle.snapshot());
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  const refresh = useCallback(() => {
    if (pausedRef.current) return;
    // Same object, no state change: React skips the render when nothing moved.
    setSnapshot(handle.snapshot());
  }, [handle]);

  useEffect(() => {
    const timer = setInterval(refresh, intervalMs);
    return () => clearInterval(timer);
  }, [refresh, intervalMs]);

  // Resuming shows the present at once instead of after the next tick.
  useEffect(() => {
    if (!paused) refresh();
  }, [paused, refresh]);

  return { snapshot, refresh };
}
