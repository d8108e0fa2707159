// `npm test` set-up step (pretest): the GraphiQL browser test drives Debian's Chromium through
// playwright-core, never a downloaded browser. On a fresh Debian machine (CI runs as root) this
// installs it with apt-get; elsewhere it says what to install. Does nothing when it is present.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

if (!existsSync(CHROMIUM)) {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    console.error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium) for the browser test.`);
    process.exit(1);
  }
  console.log(`${CHROMIUM} is missing: installing Debian's chromium package…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
}
