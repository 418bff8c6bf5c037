import type { Logger } from '../lib/logger';

/**
 * Runs `tick` now and then again `intervalMs` after each pass ends, never two at once; a pass
 * may return a shorter (or longer) delay for the next one, e.g. while a backlog drains. A failing
 * pass is logged and the next one runs after `intervalMs`. `stop()` waits for the pass in progress.
 */
export function every(
  intervalMs: number,
  tick: (stopped: () => boolean) => Promise<number | void>,
  deps: { logger: Logger; what: string },
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const pass = async (): Promise<number> => {
    try {
      return (await tick(() => stopped)) ?? intervalMs;
    } catch (err) {
      deps.logger.warn({ err }, `${deps.what} pass failed; will retry`);
      return intervalMs;
    }
  };
  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass().then(schedule);
    }, delayMs);
  };
  let running: Promise<void> = pass().then(schedule);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
