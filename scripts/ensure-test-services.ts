// `npm test` set-up step (pretest): the tests need Debian's chromium (the GraphiQL browser test,
// driven by playwright-core, never a downloaded browser) and redis-server (the fleet tests start
// their own on a free loopback port; no Docker). On a fresh Debian machine (CI runs as root)
// this installs what is missing with apt-get; elsewhere it says what to install. Does nothing
// when both are present.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const NEEDED = [
  { path: '/usr/bin/chromium', pkg: 'chromium', why: 'the browser test' },
  { path: '/usr/bin/redis-server', pkg: 'redis-server', why: 'the multi-replica (fleet) tests' },
];

const missing = NEEDED.filter((needed) => !existsSync(needed.path));
if (missing.length > 0) {
  const names = missing.map((needed) => needed.pkg);
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    for (const needed of missing) console.error(`${needed.path} is missing: install Debian's ${needed.pkg} package for ${needed.why}.`);
    console.error(`e.g. sudo apt-get install ${names.join(' ')}`);
    process.exit(1);
  }
  console.log(`installing Debian packages: ${names.join(' ')}…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...names], { stdio: 'inherit', env });
}
