import { spawnSync } from 'child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/**
 * scripts/install-deps.sh installs Debian packages through apt_get
 * (scripts/apt-wait.sh): a held dpkg lock is waited for, within a bound,
 * instead of failing the install at once. Tried with a stand-in apt-get that
 * reports the lock as real apt-get does.
 */
describe('apt_get waits for the dpkg lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ordered-apt-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const script = join(__dirname, '..', 'scripts', 'apt-wait.sh');

  /** A stand-in apt-get that fails with apt's lock message `locked` times, then succeeds; it logs its calls. */
  function fakeAptGet(locked: number): { path: string; calls: () => string[] } {
    const bin = mkdtempSync(join(dir, 'bin-'));
    const count = join(bin, 'count');
    writeFileSync(count, '0');
    writeFileSync(join(bin, 'apt-get'), `#!/bin/bash
n=$(cat ${count}); echo $((n + 1)) > ${count}
echo "apt-get $*" >> ${bin}/calls
if [ "$n" -lt ${locked} ]; then
  echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (unattended-upgr)" >&2
  echo "E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?" >&2
  exit 100
fi
echo "installed $*"
`);
    chmodSync(join(bin, 'apt-get'), 0o755);
    return { path: bin, calls: () => readFileSync(join(bin, 'calls'), 'utf8').trim().split('\n') };
  }

  function run(bin: string, env: Record<string, string>, args = 'install -y busybox-static') {
    return spawnSync('bash', ['--norc', '--noprofile', '-c', `set -euo pipefail; . "${script}"; apt_get ${args}`], {
      encoding: 'utf8',
      env: { PATH: `${bin}:/usr/bin:/bin`, HOME: dir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  test('a lock held for a while: it says so once, waits, and the install goes on', () => {
    const apt = fakeAptGet(3);
    const r = run(apt.path, { APT_LOCK_POLL: '0.1' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('installed install -y busybox-static\n');
    expect(r.stderr).toMatch(new RegExp('^install-deps: waiting for another apt or dpkg process to release its lock \\([01]s of at most 300s\\): '
      + 'Could not get lock /var/lib/dpkg/lock-frontend\\. It is held by process 4242 \\(unattended-upgr\\)\n$'));
    expect(apt.calls()).toHaveLength(4);
  });

  test('a lock held past the bound: apt\'s own error, then what to do, and apt\'s exit code', () => {
    const apt = fakeAptGet(1_000);
    const started = Date.now();
    const r = run(apt.path, { APT_LOCK_POLL: '0.2', APT_LOCK_WAIT: '1' });
    expect(r.status).toBe(100);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(r.stderr).toMatch(/^install-deps: waiting for another apt or dpkg process to release its lock \([01]s of at most 1s\)/);
    expect(r.stderr).toContain('E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (unattended-upgr)\n');
    expect(r.stderr).toMatch(/install-deps: gave up after [12]s: another apt or dpkg process still holds the lock; wait for it to finish \(or stop it\) and run this again\n$/);
  });

  test('any other failure fails at once, with apt\'s message', () => {
    const bin = mkdtempSync(join(dir, 'bin-'));
    writeFileSync(join(bin, 'apt-get'), '#!/bin/bash\necho "E: Unable to locate package nope" >&2\nexit 100\n');
    chmodSync(join(bin, 'apt-get'), 0o755);
    const r = run(bin, {}, 'install -y nope');
    expect([r.status, r.stderr]).toEqual([100, 'E: Unable to locate package nope\n']);
  });
});
