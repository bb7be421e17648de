import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  ApiJudge, apiScript, gatePollScript, gateWatchScript, Hold, holdScript, NetworkCheck, networkScript, SCRIPT_FILES, scriptText, severalScript,
  shutdownScript, upgradeScript,
} from '../../lib/waiters';

/**
 * Every script a container or hook can run, assembled as the YAML carries it, with the .sh files' comments (shellcheck's
 * directives among them).
 */
function everyScript(): Record<string, string> {
  const scripts = [shutdownScript(), severalScript(), upgradeScript(),
    ...Object.values(NetworkCheck).flatMap((c) => [networkScript(c), gatePollScript(c)]),
    ...Object.values(ApiJudge).flatMap((j) => [apiScript(j), gateWatchScript(j)]),
    ...Object.values(Hold).map(holdScript)];
  return Object.fromEntries(scripts.map((s) => [s.file, scriptText(s.file, true)]));
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
      expect(scriptText('wait-tcp.sh')).not.toMatch(/^\s*#/m);
      expect(scriptText('wait-tcp.sh')).toBe(scripts['wait-tcp.sh'].split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).join('\n') + '\n');
      expect(Object.keys(scripts).length)
        .toBe(3 + 2 * Object.values(NetworkCheck).length + 2 * Object.values(ApiJudge).length + Object.values(Hold).length);
      expect(Object.keys(scripts)).toEqual(expect.arrayContaining(['hold-tcp.sh', 'hold-http.sh', 'hold-command.sh', 'hold-shutdown.sh']));
      // AND those are all there are
      expect(Object.keys(scripts).sort()).toEqual(SCRIPT_FILES);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
