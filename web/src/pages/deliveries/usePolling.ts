import { useEffect, useRef } from 'preact/hooks';

/**
 * Calls `tick` every `ms` while `active` and the tab is visible. Polling rather than SSE: the
 * log changes a few times per minute, and a GET through the same API keeps one auth path.
 */
export function usePolling(tick: () => Promise<void> | void, ms: number, active: boolean): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const loop = async () => {
      if (stopped) return;
      if (document.visibilityState === 'visible') {
        try {
          await latest.current();
        } catch {
          // the next tick tries again; the page shows its last good data
        }
      }
      if (!stopped) timer = setTimeout(loop, ms);
    };
    timer = setTimeout(loop, ms);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [ms, active]);
}
