// `npm test` set-up step (pretest): the tests need Debian's chromium (the GraphiQL browser test,
// driven by playwright-core, never a downloaded browser), redis-server (the fleet tests start
// their own on a free loopback port; no Docker), curl (the docs' runnable blocks), promtool
// (Debian's prometheus package: the alert rules' tests), haproxy (the rolling update's load
// balancer) and redis-sentinel (the failover test). None runs as a service: policy-rc.d below
// keeps haproxy's and redis-sentinel's packaged daemons from starting; the tests start their own
// on free loopback ports. On a fresh
// Debian machine (CI runs as root) this installs what is missing with apt-get; elsewhere it says
// what to install. Does nothing when all are present. Another apt-get or dpkg (unattended
// upgrades, a second test run) may hold the package manager's lock: apt waits for it, for at most
// LOCK_WAIT_S, and then this says which packages are missing and how to install them instead of
// failing on a lock message.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';

const NEEDED = [
  { path: '/usr/bin/chromium', pkg: 'chromium', why: 'the browser test' },
  { path: '/usr/bin/redis-server', pkg: 'redis-server', why: 'the multi-replica (fleet) tests' },
  { path: '/usr/bin/curl', pkg: 'curl', why: 'the documentation test (runnable shell blocks)' },
  { path: '/usr/bin/promtool', pkg: 'prometheus', why: 'the alert rules test (promtool check rules, promtool test rules)' },
  { path: '/usr/sbin/haproxy', pkg: 'haproxy', why: 'the rolling-update test (the load balancer in front of the replicas)' },
  { path: '/usr/bin/redis-sentinel', pkg: 'redis-sentinel', why: 'the Redis failover test (Sentinel promotes the replica)' },
];

/**
 * Only promtool is wanted of the prometheus package: without its recommends (node-exporter, a
 * second daemon), and with no service started on install (policy-rc.d below), so no Prometheus
 * binds :9090 on a CI machine.
 */
const WITHOUT_RECOMMENDS = new Set(['prometheus']);

/** Debian's invoke-rc.d and deb-systemd-invoke start no service while this answers 101 ("action forbidden"). */
const POLICY_RC_D = '/usr/sbin/policy-rc.d';

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
  const plain = names.filter((name) => !WITHOUT_RECOMMENDS.has(name));
  const lean = names.filter((name) => WITHOUT_RECOMMENDS.has(name));
  // A machine's own policy (Docker images ship one) is left as it is; ours goes when apt is done.
  const ownPolicy = !existsSync(POLICY_RC_D);
  let failed = false;
  try {
    if (ownPolicy)
      writeFileSync(POLICY_RC_D, '#!/bin/sh\n# ensure-test-services.ts: no service starts while test tools install\nexit 101\n', {
        mode: 0o755,
      });
    execFileSync('apt-get', [...waitForLock, 'update', '-qq'], { stdio: 'inherit', env });
    if (plain.length > 0) execFileSync('apt-get', [...waitForLock, 'install', '-y', '-qq', ...plain], { stdio: 'inherit', env });
    if (lean.length > 0)
      execFileSync('apt-get', [...waitForLock, 'install', '-y', '-qq', '--no-install-recommends', ...lean], { stdio: 'inherit', env });
  } catch {
    failed = true;
  } finally {
    if (ownPolicy) rmSync(POLICY_RC_D, { force: true });
  }
  if (failed) {
    console.error(`apt-get could not install ${names.join(' ')} (is another package manager still running after ${LOCK_WAIT_S} s?).`);
    for (const needed of missing) console.error(`  ${needed.path} is missing: Debian's ${needed.pkg} package, for ${needed.why}.`);
    console.error(`Install them with: apt-get install ${names.join(' ')}, then run npm test again.`);
    process.exit(1);
  }
}
