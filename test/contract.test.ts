import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { GATE_ENV, SHUTDOWN_ENV, WAITER_ENV } from '../lib/contract';

/**
 * One contract: every environment name the container scripts read is one the
 * library defines in lib/contract.ts (where its writers take it from), and
 * every name defined there is read by some script.
 */
describe('the contract between the library and its scripts', () => {
  // The shell: lib/sh/*.sh, and each check's folder, lib/checks/<kind>/*.sh (a network check's check.sh, an API check's judge.sh).
  const lib = join(__dirname, '..', 'lib');
  const checks = readdirSync(join(lib, 'checks'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(lib, 'checks', e.name));
  const files = [join(lib, 'sh'), ...checks].flatMap((d) => readdirSync(d).filter((x) => x.endsWith('.sh')).map((x) => join(d, x)));
  const read = new Set<string>();
  for (const f of files) {
    for (const m of readFileSync(f, 'utf8').matchAll(/\$\{?((?:WAIT|GATE|SHUTDOWN)_[A-Z_]+)/g)) read.add(m[1]);
  }
  const defined = new Set<string>([...Object.values(WAITER_ENV), ...Object.values(GATE_ENV), ...Object.values(SHUTDOWN_ENV)]);

  test('the shell is read from lib/sh and from every check folder', () => {
    expect(checks.map((d) => d.split('/').pop()).sort()).toEqual(['command', 'condition', 'dns', 'exists', 'http', 'job', 'pods', 'rollout', 'tcp']);
    expect(files.filter((f) => f.endsWith('/check.sh') || f.endsWith('/judge.sh'))).toHaveLength(checks.length);
  });

  test('the scripts read only names the contract defines', () => {
    expect([...read].filter((n) => !defined.has(n)).sort()).toEqual([]);
  });

  test('every name the contract defines is read by a script', () => {
    expect([...defined].filter((n) => !read.has(n)).sort()).toEqual([]);
    expect(read.size).toBeGreaterThan(20);
  });

  test('the library writes no environment name of its own: none outside the contract as a string literal', () => {
    const literal = /'(?:WAIT|GATE|SHUTDOWN)_[A-Z_]+'/g;
    const offenders: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) {walk(p);} else if (e.name.endsWith('.ts') && e.name !== 'contract.ts') {
          for (const m of readFileSync(p, 'utf8').matchAll(literal)) offenders.push(`${p.split('/lib/')[1]}: ${m[0]}`);
        }
      }
    };
    walk(join(__dirname, '..', 'lib'));
    expect(offenders).toEqual([]);
  });
});
