import type { Logger } from '../lib/logger';

/** A wake-up runs the next pass this soon after the last one, so a flood of them cannot spin. */
export const WAKE_DELAY_MS = 50;

/**
 * Runs `tick` now and then again `intervalMs` after each pass ends, never two at once; a pass
 * may return a shorter (or longer) delay for the next one, e.g. while a backlog drains. A failing
 * pass is logged and the next one runs after `intervalMs`. `wake()` brings the next pass forward
 * to `WAKE_DELAY_MS` (after the pass in progress, if any). `stop()` waits for the pass in progress.
 */
export function every(
  intervalMs: number,
  tick: (stopped: () => boolean) => Promise<number | void>,
  deps: { logger: Logger; what: string },
): { stop(): Promise<void>; wake(): void } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let dueAt = 0;
  // From a pass's start until the next one is scheduled: a wake-up then shortens that schedule.
  let inPass = false;
  let woken = false;
  const pass = async (): Promise<number> => {
    try {
      return (await tick(() => stopped)) ?? intervalMs;
    } catch (err) {
      deps.logger.warn({ err }, `${deps.what} pass failed; will retry`);
      return intervalMs;
    }
  };
  const run = (): Promise<void> => {
    inPass = true;
    woken = false;
    return pass().then((delayMs) => {
      inPass = false;
      schedule(woken ? Math.min(delayMs, WAKE_DELAY_MS) : delayMs);
    });
  };
  const schedule = (delayMs: number) => {
    if (stopped) return;
    dueAt = Date.now() + delayMs;
    timer = setTimeout(() => {
      timer = undefined;
      running = run();
    }, delayMs);
  };
  let running: Promise<void> = run();
  return {
    wake() {
      if (stopped) return;
      if (inPass) {
        woken = true;
        return;
      }
      if (timer && dueAt - Date.now() > WAKE_DELAY_MS) {
        clearTimeout(timer);
        schedule(WAKE_DELAY_MS);
      }
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
