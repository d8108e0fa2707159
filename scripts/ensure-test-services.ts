// `npm test` set-up step (pretest): the tests need Debian's chromium (the GraphiQL browser test,
// driven by playwright-core, never a downloaded browser), redis-server (the fleet tests start
// their own on a free loopback port; no Docker) and curl (the docs' runnable blocks). On a fresh
// Debian machine (CI runs as root) this installs what is missing with apt-get; elsewhere it says
// what to install. Does nothing when all are present. Another apt-get or dpkg (unattended
// upgrades, a second test run) may hold the package manager's lock: apt waits for it, for at most
// LOCK_WAIT_S, and then this says which packages are missing and how to install them instead of
// failing on a lock message.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const NEEDED = [
  { path: '/usr/bin/chromium', pkg: 'chromium', why: 'the browser test' },
  { path: '/usr/bin/redis-server', pkg: 'redis-server', why: 'the multi-replica (fleet) tests' },
  { path: '/usr/bin/curl', pkg: 'curl', why: 'the documentation test (runnable shell blocks)' },
];

/** How long apt-get waits for another package manager to let go of its lock. */
const LOCK_WAIT_S = 300;

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
  // apt's own bounded wait for the lock (dpkg's and the package lists'), not a retry loop of ours.
  const waitForLock = ['-o', `DPkg::Lock::Timeout=${LOCK_WAIT_S}`];
  try {
    execFileSync('apt-get', [...waitForLock, 'update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', [...waitForLock, 'install', '-y', '-qq', ...names], { stdio: 'inherit', env });
  } catch {
    console.error(`apt-get could not install ${names.join(' ')} (is another package manager still running after ${LOCK_WAIT_S} s?).`);
    for (const needed of missing) console.error(`  ${needed.path} is missing: Debian's ${needed.pkg} package, for ${needed.why}.`);
    console.error(`Install them with: apt-get install ${names.join(' ')}, then run npm test again.`);
    process.exit(1);
  }
}
