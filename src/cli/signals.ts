/** Stops a running session on SIGINT/SIGTERM exactly once, so the last stats event is written. */
export function stopOnSignals(stop: () => Promise<void>): () => void {
  let stopping = false;
  const onSignal = (): void => {
    if (stopping) return;
    stopping = true;
    void stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
