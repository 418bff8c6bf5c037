// Shared by npm start and npm run cluster: child processes that stop the stack when one exits,
// a clean shutdown on Ctrl-C, and waiting for an HTTP readiness URL.
import type { ChildProcess } from 'node:child_process';

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
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
            setTimeout(() => c.kill('SIGKILL'), 30_000).unref();
          }),
      ),
    );
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

export async function waitFor(url: string, timeoutMs: number): Promise<void> {
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
