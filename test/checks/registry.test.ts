import { execFileSync } from 'child_process';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { ApiObject, Testing } from 'cdk8s';
import { WaitFor } from '../../lib';
import {
  checkLine, checkShell, hostsOfEnv, hostsOfLine, isShared, judgeShell, NETWORK_CHECKS, networkCheckKind, parseCheckLine, sharedShell,
} from '../../lib/checks';
import { ApiJudge, NetworkCheck, RenderedCheck } from '../../lib/checks/check';
import { ROLLOUT_KINDS, WAITER_ENV } from '../../lib/contract';
import { RolloutKind } from '../../lib/wait-for';
import { apiScript, scriptText } from '../../lib/waiters';
import { BUSYBOX } from '../support/run-script';
import { checkContext } from '../support/synth';

/**
 * One folder per network check (lib/checks/<kind>/): the registry lists
 * them, each check's WAIT_CHECKS line is made by its kind and read back by
 * its take_<kind> in the real shell, and ORD005 finds its hosts through it.
 */

const LIB = join(__dirname, '..', '..', 'lib');
const ctx = checkContext({ namespace: 'shop', path: 'shop/api' });

/** A Service read at synth, with `ports`, for `WaitFor._forService`. */
function service(name: string, namespace: string, ports: number[]) {
  const chart = Testing.chart();
  const object = new ApiObject(chart, name, { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace } });
  return { object, name, namespace, selector: {}, ports };
}

/** Checks of every kind that shares a waiter, as their factories render them. */
const SHARED_CHECKS: Array<[string, RenderedCheck]> = [
  ['tcp', WaitFor.tcp('db', 5432)._render(ctx)],
  ['tcp, a Service with several ports, in another namespace', WaitFor._forService(service('cache', 'data', [6379, 26379]))._render(ctx)],
  ['http', WaitFor.http('http://api:8080/healthz?deep=1')._render(ctx)],
  ['http with status codes', WaitFor.http('http://auth/ready', { statusCodes: [200, 204] })._render(ctx)],
  ['dns', WaitFor.dns('mail.shop.svc.cluster.local')._render(ctx)],
];

/**
 * Runs the shell a shared waiter is made of (base.sh, every shared check's
 * files with its take.sh, check-several.sh, which takes the first line at
 * once) with `WAIT_CHECKS` = `line`, and prints what `take` set: the kind,
 * the name, and each of `variables`.
 */
function takeInShell(line: string, variables: string[]): Record<string, string> {
  const parts = ['sh/base.sh', ...sharedShell(), 'sh/check-several.sh'].map((p) => readFileSync(join(LIB, p), 'utf8'));
  const print = ['kind', 'name', ...variables].map((v) => `printf '%s=%s\\n' ${v} "\${${v}-}"`).join('\n');
  const out = execFileSync(BUSYBOX, ['sh', '-c', `${parts.join('')}\n${print}\n`], {
    encoding: 'utf8', env: { PATH: process.env.PATH, WAIT_CHECKS: line },
  });
  return Object.fromEntries(out.trimEnd().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe('the network checks, one folder each', () => {
  test('every NetworkCheck has a folder with the shell its kind lists, and nothing more', () => {
    expect(NETWORK_CHECKS.map((k) => k.kind).sort()).toEqual(Object.values(NetworkCheck).sort());
    for (const k of NETWORK_CHECKS) {
      const listed = [...k.shell, ...k.shared ? [k.shared.take] : []].sort();
      expect([k.kind, readdirSync(join(LIB, 'checks', k.kind)).filter((f) => f.endsWith('.sh')).sort()]).toEqual([k.kind, listed]);
      expect(checkShell(k.kind)).toEqual(k.shell.map((f) => `checks/${k.kind}/${f}`));
      expect(networkCheckKind(k.kind)).toBe(k);
    }
    expect(networkCheckKind('grpc')).toBeUndefined();
  });

  test('every API judge has a folder with its judge.sh, whose query and judge its scripts carry', () => {
    for (const j of Object.values(ApiJudge)) {
      expect(judgeShell(j)).toBe(`checks/${j}/judge.sh`);
      const judge = readFileSync(join(LIB, judgeShell(j)), 'utf8');
      expect(judge).toMatch(/^query=/m);
      expect(judge).toMatch(/^judge\(\) \{$/m);
      expect(scriptText(apiScript(j).file, true)).toContain(judge);
    }
    // rolloutComplete checks its kind against the contract's list: the values of the public enum.
    expect(Object.values(RolloutKind)).toEqual(ROLLOUT_KINDS);
  });

  test('TCP, HTTP and DNS share a waiter, a command does not; their take_<kind> follow their own shell', () => {
    expect(Object.values(NetworkCheck).filter((k) => isShared(k))).toEqual(['tcp', 'http', 'dns']);
    expect(isShared(undefined)).toBe(false);
    expect(sharedShell()).toEqual([
      'checks/tcp/check.sh', 'checks/tcp/take.sh',
      'checks/http/status.sh', 'checks/http/check.sh', 'checks/http/take.sh',
      'checks/dns/check.sh', 'checks/dns/take.sh',
    ]);
    for (const k of ['tcp', 'http', 'dns']) {
      expect(readFileSync(join(LIB, 'checks', k, 'take.sh'), 'utf8')).toMatch(new RegExp(`^take_${k}\\(\\) \\{$`, 'm'));
    }
    const command = WaitFor.command('postgres:16', ['pg_isready'])._render(ctx);
    expect(() => checkLine(command, 'pg-isready')).toThrow('a command check does not share a waiter, so it has no WAIT_CHECKS line');
  });

  test('each kind writes its WAIT_CHECKS line from the check environment', () => {
    expect(SHARED_CHECKS.map(([, c]) => checkLine(c, 'dep'))).toEqual([
      'tcp dep db:5432',
      'tcp dep cache.data:6379 cache.data:26379',
      'http dep api 8080 /healthz?deep=1 200-399',
      'http dep auth 80 /ready 200 204',
      'dns dep mail.shop.svc.cluster.local',
    ]);
  });

  test.each(SHARED_CHECKS)('%s: the line, taken by the real shell (busybox sh), gives back the check environment, as the kind decodes it', (_what, check) => {
    // GIVEN the line of a check, as a shared waiter carries it
    const line = checkLine(check, 'dep');
    const decoded = parseCheckLine(line)!;
    const variables = decoded.env.map(([k]) => k);
    // WHEN check-several.sh takes it, calling take_<kind>
    const taken = takeInShell(line, variables);
    // THEN the shell has the check's kind, its name, and its environment as a waiter of its own would have it
    const own = new Map(check.env);
    expect(taken).toEqual({ kind: check.network, name: 'dep', ...Object.fromEntries(variables.map((v) => [v, own.get(v) ?? ''])) });
    // AND the kind's decoding in TypeScript (which ORD005 reads hosts through) agrees with the shell
    expect(decoded).toEqual({ kind: check.network, name: 'dep', env: variables.map((v) => [v, taken[v]]) });
  });

  test('a shared waiter takes its lines one after another, each by its own kind, and a TCP round starts afresh', () => {
    const line = SHARED_CHECKS.map(([, c], i) => checkLine(c, `dep${i}`)).join('\n');
    const parts = ['sh/base.sh', ...sharedShell(), 'sh/check-several.sh'].map((p) => readFileSync(join(LIB, p), 'utf8')).join('');
    // Between takes, a TCP check's round is left half done: take_tcp starts a new one.
    const script = `${parts}
while :; do
  printf '%s %s|%s|%s|%s|%s|%s|%s|%s\\n' "$kind" "$name" "\${WAIT_ADDRESSES-}" "\${WAIT_HOST-}" "\${WAIT_PORT-}" "\${WAIT_PATH-}" "\${WAIT_STATUS-}" "\${WAIT_DNS_SERVER-}" "$left"
  left=stale
  take || break
done
`;
    const out = execFileSync(BUSYBOX, ['sh', '-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH, WAIT_CHECKS: `\n${line}\n\n` } });
    expect(out.trimEnd().split('\n')).toEqual([
      'tcp dep0|db:5432||||||',
      'tcp dep1|cache.data:6379 cache.data:26379||||||',
      'http dep2|cache.data:6379 cache.data:26379|api|8080|/healthz?deep=1|200-399||stale',
      'http dep3|cache.data:6379 cache.data:26379|auth|80|/ready|200 204||stale',
      'dns dep4|cache.data:6379 cache.data:26379|mail.shop.svc.cluster.local|80|/ready|200 204||stale',
    ]);
  });

  test('ORD005 finds each kind\'s hosts: in a waiter\'s own environment, and in a shared waiter\'s lines', () => {
    const envOf = (c: RenderedCheck) => { const m = new Map(c.env); return (k: string) => m.get(k); };
    const hosts = (hs: Array<{ host: string; variable: string; value: string }>) => hs.map((h) => `${h.host} (${h.variable} ${h.value})`);
    expect(SHARED_CHECKS.map(([, c]) => hosts(hostsOfEnv(envOf(c))))).toEqual([
      ['db (WAIT_ADDRESSES db:5432)'],
      ['cache.data (WAIT_ADDRESSES cache.data:6379)', 'cache.data (WAIT_ADDRESSES cache.data:26379)'],
      ['api (WAIT_HOST api)'],
      ['auth (WAIT_HOST auth)'],
      ['mail.shop.svc.cluster.local (WAIT_HOST mail.shop.svc.cluster.local)'],
    ]);
    expect(SHARED_CHECKS.map(([, c]) => hostsOfLine(checkLine(c, 'dep')).map((h) => h.host))).toEqual([
      ['db'], ['cache.data', 'cache.data'], ['api'], ['auth'], ['mail.shop.svc.cluster.local'],
    ]);
    // A DNS line with its server: the server is no Service the waiter waits for.
    expect(hostsOfLine('dns mail mail.data 10.0.0.10').map((h) => h.host)).toEqual(['mail.data']);
    // Blank lines, unknown kinds and lines without parameters name no host.
    expect(['', '   ', 'grpc api api:9090', 'http api', 'tcp db'].flatMap((l) => hostsOfLine(l))).toEqual([]);
    // A command names none: its command is its own.
    expect(hostsOfEnv(envOf(WaitFor.command('postgres:16', ['pg_isready', '-h', 'db'])._render(ctx)))).toEqual([]);
    expect(hostsOfEnv((k) => (k === WAITER_ENV.HOST ? 'db' : undefined)).map((h) => h.host)).toEqual(['db']);
  });
});
