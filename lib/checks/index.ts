import { WAITER_ENV } from '../contract';
import { ApiJudge, CheckHost, NetworkCheck, NetworkCheckKind, RenderedCheck } from './check';
import { COMMAND } from './command/kind';
import { DNS } from './dns/kind';
import { HTTP } from './http/kind';
import { TCP } from './tcp/kind';

/**
 * The network checks, one folder each (`lib/checks/<kind>/`): its factories
 * (which `WaitFor`'s call), its shell (`check.sh`; `take.sh` for a check that
 * shares a waiter), its `WAIT_CHECKS` line, and the hosts it connects to.
 * Whatever differs by kind is asked of the kind here, never decided by name
 * elsewhere: the scripts' recipes (`waiters.ts`), the lines of a shared
 * waiter (`pod/waiters.ts`, `sh/check-several.sh`), ORD005's hosts.
 *
 * A new check: a folder like `tcp/`, its `NetworkCheck` value (the folder's
 * name), its entry below, and a `WaitFor` factory that calls it. The API
 * checks have a folder each too (`job/`...: `render.ts`, `judge.sh`), named
 * by their `ApiJudge`.
 *
 * @internal
 */

/** Every network check kind, in the order a shared waiter's script defines them. */
export const NETWORK_CHECKS: readonly NetworkCheckKind[] = Object.freeze([TCP, HTTP, DNS, COMMAND]);

const BY_KIND = new Map<string, NetworkCheckKind>(NETWORK_CHECKS.map((k) => [k.kind, k]));

/** The check kind named `kind`, if there is one. */
export function networkCheckKind(kind: string): NetworkCheckKind | undefined {
  return BY_KIND.get(kind);
}

/** A shell file of a check's folder, as a path under `lib/` (and `build/`). */
function shellPath(kind: NetworkCheck, file: string): string {
  return `checks/${kind}/${file}`;
}

/** The shell of a script of check `kind` alone: paths under `lib/`, in order. */
export function checkShell(kind: NetworkCheck): string[] {
  return BY_KIND.get(kind)!.shell.map((f) => shellPath(kind, f));
}

/**
 * The shell of every check that can share a waiter, each kind's files then
 * its `take_<kind>`: what `sh/check-several.sh` calls by the kind of a line.
 */
export function sharedShell(): string[] {
  return NETWORK_CHECKS.filter((k) => k.shared).flatMap((k) => [...k.shell, k.shared!.take].map((f) => shellPath(k.kind, f)));
}

/**
 * The judge of an API check (`lib/checks/<judge>/judge.sh`): its `query`,
 * what kubectl prints of each watched object, and `judge`, which reads it.
 * One file per judge, so this is the one place that names it.
 */
export function judgeShell(judge: ApiJudge): string {
  return `checks/${judge}/judge.sh`;
}

/** Whether checks of `kind` share a waiter with others (a line of `WAIT_CHECKS`). */
export function isShared(kind: NetworkCheck | undefined): boolean {
  return kind !== undefined && BY_KIND.get(kind)?.shared !== undefined;
}

/**
 * A check's line of `WAIT_CHECKS`, `KIND NAME PARAMETERS...`, its parameters
 * from its environment (empty ones left out).
 */
export function checkLine(check: RenderedCheck, name: string): string {
  const shared = check.network && BY_KIND.get(check.network)?.shared;
  if (!shared) throw new Error(`a ${check.network ?? check.mode} check does not share a waiter, so it has no ${WAITER_ENV.CHECKS} line`);
  const env = new Map(check.env);
  return [check.network, name, ...shared.encode((k) => env.get(k) ?? '')].filter((x) => x !== '').join(' ');
}

/** A `WAIT_CHECKS` line's kind, name and environment, as `take` and `take_<kind>` set them; undefined for a blank line or an unknown kind. */
export function parseCheckLine(line: string): { kind: NetworkCheck; name: string; env: Array<[string, string]> } | undefined {
  const [kind, name, ...words] = line.trim().split(/\s+/);
  const shared = BY_KIND.get(kind)?.shared;
  if (!shared) return undefined;
  return { kind: kind as NetworkCheck, name: name ?? '', env: shared.decode(words) };
}

/** The hosts a waiter's checks connect to, from its environment: the variables any network check reads, each host once. */
export function hostsOfEnv(env: (name: string) => string | undefined): CheckHost[] {
  const seen = new Set<string>();
  return NETWORK_CHECKS.flatMap((k) => k.hosts?.(env) ?? []).filter((h) => {
    const id = `${h.variable} ${h.value}`;
    return !seen.has(id) && !!seen.add(id);
  });
}

/** The hosts of a `WAIT_CHECKS` line's check. */
export function hostsOfLine(line: string): CheckHost[] {
  const parsed = parseCheckLine(line);
  if (!parsed) return [];
  const env = new Map(parsed.env);
  return BY_KIND.get(parsed.kind)!.hosts?.((k) => env.get(k) || undefined) ?? [];
}
