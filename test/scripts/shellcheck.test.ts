import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ApiJudge, apiScript, gatePollScript, gateWatchScript, NetworkCheck, networkScript, severalScript, shutdownScript, upgradeScript } from '../../lib/waiters';

/** Every script a container can run, assembled as the YAML carries it, with the .sh files' comments (shellcheck's directives among them). */
function everyScript(): Record<string, string> {
  const scripts: Record<string, string> = { 'shutdown.sh': shutdownScript(true), 'wait-several.sh': severalScript(true), 'wait-upgrade.sh': upgradeScript(true) };
  for (const c of Object.values(NetworkCheck)) {
    scripts[`wait-${c}.sh`] = networkScript(c, true);
    scripts[`gate-${c}.sh`] = gatePollScript(c, true);
  }
  for (const j of Object.values(ApiJudge)) {
    scripts[`wait-${j}.sh`] = apiScript(j, true);
    scripts[`gate-${j}.sh`] = gateWatchScript(j, true);
  }
  return scripts;
}

describe('shellcheck', () => {
  test('every assembled script is clean POSIX sh', () => {
    // GIVEN every script, written out as a container would run it
    const dir = mkdtempSync(join(tmpdir(), 'ordered-shellcheck-'));
    try {
      const scripts = everyScript();
      for (const [name, text] of Object.entries(scripts)) writeFileSync(join(dir, name), text);
      // WHEN shellcheck reads them as POSIX sh (notes included)
      let out = '';
      try {
        execFileSync('shellcheck', ['--shell=sh', '--format=gcc', ...Object.keys(scripts)], { cwd: dir, encoding: 'utf8' });
      } catch (e: any) {
        out = `${e.stdout ?? ''}${e.stderr ?? ''}${e.code === 'ENOENT' ? 'shellcheck is not installed (scripts/install-deps.sh installs it)' : ''}`;
      }
      // THEN it finds nothing
      expect(out).toBe('');
      expect(scripts['wait-tcp.sh']).toMatch(/^# /m);
      // AND what the YAML carries is the same script without its comment lines
      expect(networkScript(NetworkCheck.TCP)).not.toMatch(/^\s*#/m);
      expect(networkScript(NetworkCheck.TCP)).toBe(scripts['wait-tcp.sh'].split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).join('\n') + '\n');
      expect(Object.keys(scripts).length).toBe(3 + 2 * Object.values(NetworkCheck).length + 2 * Object.values(ApiJudge).length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
