import type { Logger } from '../lib/logger';

/**
 * Runs `tick` now and then every `intervalMs`, never two at once; a failing pass is logged and
 * the next one runs as planned. `stop()` waits for the pass in progress.
 */
export function every(
  intervalMs: number,
  tick: (stopped: () => boolean) => Promise<void>,
  deps: { logger: Logger; what: string },
): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const pass = async () => {
    try {
      await tick(() => stopped);
    } catch (err) {
      deps.logger.warn({ err }, `${deps.what} pass failed; will retry`);
    }
  };
  const timer = setInterval(() => {
    running = running.then(pass);
  }, intervalMs);
  running = running.then(pass);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
