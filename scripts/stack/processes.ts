// Child processes of the local launchers (npm start, npm run cluster, npm run screenshots):
// stopping one gracefully, supervising a set that stops the stack when one exits or on Ctrl-C,
// and waiting for an HTTP readiness URL.
import type { ChildProcess } from 'node:child_process';

/** SIGTERM (graceful: the worker finishes in-flight attempts), SIGKILL after 30 s. */
export function stopChild(c: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('exit', () => resolve());
    c.kill('SIGTERM');
    setTimeout(() => c.kill('SIGKILL'), 30_000).unref();
  });
}

/** Ctrl-C, SIGTERM or any child exiting stops every child, then the stack, then this process. */
export function superviseChildren(
  children: ChildProcess[],
  stopStack: () => Promise<void>,
  log: (m: string) => void,
): void {
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('shutting down...');
    await Promise.all(children.map(stopChild));
    await stopStack();
    log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  for (const c of children) {
    c.on('exit', (code, signal) => {
      if (!stopping) {
        log(`a child process exited (${signal ?? code}); stopping the stack`);
        void shutdown(1);
      }
    });
  }
}

/** Polls `url` until it answers 2xx. */
export async function waitForOk(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not become ready`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
