// The browser the dashboard tests drive: Debian's `chromium` package (Playwright cannot download
// its own browsers here). Installed by the test bootstrap when missing, as CI runs as root.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export function ensureChromium(log: (msg: string) => void): string {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    log(`${CHROMIUM_PATH} is missing: installing Debian's chromium (apt-get)`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
  }
  const version = execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8' }).trim();
  log(`browser: ${version}`);
  return version;
}
