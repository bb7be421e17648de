import { readFileSync } from 'fs';
import { join } from 'path';
import { checkShell, judgeShell, sharedShell } from './checks';
import { ApiJudge, NetworkCheck } from './checks/check';

export { ApiJudge, NetworkCheck } from './checks/check';

/**
 * The shell scripts that waiter containers run.
 *
 * Every script is POSIX `sh` (ash, dash, bash 5.1+) and uses only what both
 * BusyBox builds we test with provide (the official busybox image and Debian's
 * busybox-static): `nc HOST PORT -e PROG` with `-w`, `nslookup`, `sleep`,
 * `kill`, `/proc` (a clock read without forking, and pipes reopened through
 * /proc/self/fd). In particular no `nc -z` (absent from Debian's build) and no
 * `wget` (crashes in a bare static rootfs). API scripts need `kubectl`,
 * `timeout`, `sleep` (under dash, which has no `read -t`), and for gates `date`
 * and `sed`, on the PATH.
 *
 * A script reads its parameters from the environment (so the YAML says plainly
 * what a waiter waits for):
 *
 * - `WAIT_FOR`: a human description, used in every log line
 * - `WAIT_TIMEOUT`: seconds before giving up; `0` waits without limit
 * - `WAIT_ON_TIMEOUT`: `fail` (exit 1) or `proceed` (log a warning, exit 0)
 * - `WAIT_TERMINATION_LOG`: where the reason goes when it gives up (default
 *   `/dev/termination-log`, Kubernetes' default terminationMessagePath)
 * - check parameters, documented in each check's shell: `checks/<kind>/check.sh`
 *   for a network check, `checks/<judge>/judge.sh` for an API one.
 *
 * (The hold hooks' scripts, which run in the app's own containers, take their
 * parameters as arguments instead: see `Hold`.)
 *
 * Log lines: one when it starts, one every `WAIT_PROGRESS` seconds (default
 * 5) while waiting, with the last reason, and one when it is done, with how
 * long it took.
 *
 * @internal
 */

/** A fragment of shell: a file under the folder of this file (`lib/`, or `build/` where the compile step copies them). */
function fragment(path: string): string {
  return readFileSync(join(__dirname, path), 'utf8');
}

/** The fragments of `sh/` named, as paths. */
function sh(...names: string[]): string[] {
  return names.map((n) => `sh/${n}.sh`);
}

/**
 * A script our containers run, by the name of its file in the scripts
 * ConfigMap (`wait-tcp.sh`); `scriptText` has its text. @internal
 */
export interface Script {
  readonly file: string;
}

/**
 * Each script, by its file name, and the fragments it is made of, in order
 * (paths under `lib/`). A waiter over a network check probes it (the check's
 * shell, `checks/<kind>/check.sh`, whose functions bear its kind's name, then
 * `sh/one-check.sh`, which calls them by the names the loops use, then
 * `sh/probe-once.sh`, `sh/poll-loop.sh`); one over the API watches (`checks/<judge>/judge.sh`,
 * the judge's `query` and `judge`; `sh/watch.sh`...). A gate keeper does the same
 * in its own loop. A waiter for several network checks (listed in
 * `WAIT_CHECKS`, one after another) has the shell of every check that can
 * share a waiter, each defining its functions under its kind's name
 * (`probe_tcp`, `take_tcp`...), and `sh/check-several.sh`, last, which calls
 * the one at hand's; it starts with the shellcheck directive it needs as a
 * whole (`sh/several-head.sh`). A hold hook's script is its own file
 * (`sh/hold-<kind>.sh`), the HTTP one after its check (`status_ok` from
 * `checks/http/status.sh`, then `sh/hook-http.sh`).
 */
function recipes(): Array<[string, string[]]> {
  const waiter = sh('base', 'prelude');
  const gate = sh('base', 'gate-prelude');
  const several = [...sharedShell(), ...sh('check-several')];
  return [
    ...Object.values(NetworkCheck).flatMap((c): Array<[string, string[]]> => [
      [`wait-${c}.sh`, [...waiter, ...checkShell(c), ...sh('one-check', 'probe-once', 'poll-loop')]],
      [`gate-${c}.sh`, [...gate, ...checkShell(c), ...sh('one-check', 'probe-once', 'gate-poll-loop')]],
    ]),
    ...Object.values(ApiJudge).flatMap((j): Array<[string, string[]]> => [
      [`wait-${j}.sh`, [...waiter, ...sh('field'), judgeShell(j), ...sh('watch', 'watch-judge', 'watch-loop')]],
      [`gate-${j}.sh`, [...gate, ...sh('field'), judgeShell(j), ...sh('watch', 'gate-watch-loop')]],
    ]),
    ['wait-several.sh', [...sh('several-head'), ...waiter, ...several, ...sh('probe-once', 'poll-loop')]],
    ['wait-upgrade.sh', [...sh('several-head'), ...waiter, ...sh('field', 'judge-upgrade', 'watch', 'watch-judge', 'rollout-loop'), ...several,
      ...sh('probe-once', 'poll-loop')]],
    ['shutdown.sh', sh('base', 'shutdown')],
    ['hold-tcp.sh', sh('hold-tcp')],
    ['hold-http.sh', ['checks/http/status.sh', ...sh('hook-http', 'hold-http')]],
    ['hold-command.sh', sh('hold-command')],
    ['hold-shutdown.sh', sh('hold-shutdown')],
  ];
}

/** A script as the pods get it: without its comment lines and blank lines. */
function compact(text: string): string {
  return text.split('\n').filter((l) => l.trim() !== '' && !/^\s*#/.test(l)).join('\n') + '\n';
}

/**
 * Every script, by file name: as written (`full`, for shellcheck and readers
 * of the `.sh` files) and as the pods get it (`compact`). Assembled once,
 * when the module loads; frozen.
 */
const SCRIPTS: Readonly<Record<string, Readonly<{ full: string; compact: string }>>> = (() => {
  const read = new Map<string, string>();
  const part = (name: string) => read.get(name) ?? read.set(name, fragment(name)).get(name)!;
  return Object.freeze(Object.fromEntries(recipes().map(([file, parts]) => {
    const full = parts.map(part).join('');
    return [file, Object.freeze({ full, compact: compact(full) })];
  })));
})();

/** The file names of every script, sorted. @internal */
export const SCRIPT_FILES: readonly string[] = Object.freeze(Object.keys(SCRIPTS).sort());

/** Whether `file` names one of our scripts. @internal */
export function isScriptFile(file: string): boolean {
  return Object.prototype.hasOwnProperty.call(SCRIPTS, file);
}

/**
 * The text of the script named `file`: as the pods get it, or with the
 * `.sh` files' comments (shellcheck's directives among them). @internal
 */
export function scriptText(file: string, comments = false): string {
  if (!isScriptFile(file)) throw new Error(`no script is named ${JSON.stringify(file)}; there are: ${SCRIPT_FILES.join(', ')}`);
  return comments ? SCRIPTS[file].full : SCRIPTS[file].compact;
}

/** The script for a polling waiter. @internal */
export function networkScript(check: NetworkCheck): Script {
  return { file: `wait-${check}.sh` };
}

/**
 * The script of a waiter for several network checks (TCP, HTTP and DNS,
 * listed in `WAIT_CHECKS`), one after another. @internal
 */
export function severalScript(): Script {
  return { file: 'wait-several.sh' };
}

/**
 * The script of an upgrade-checked waiter: it watches the rollout of each
 * dependency in `WAIT_ROLLOUTS` until the controller has seen its latest
 * spec and no pod of an older revision is left (`sh/judge-upgrade.sh`,
 * `sh/rollout-loop.sh`), then runs the network checks in `WAIT_CHECKS`, as
 * `severalScript` does. @internal
 */
export function upgradeScript(): Script {
  return { file: 'wait-upgrade.sh' };
}

/** The script for a watching (Kubernetes API) waiter. @internal */
export function apiScript(judge: ApiJudge): Script {
  return { file: `wait-${judge}.sh` };
}

/** The script of a readiness-gate keeper over a polled check. @internal */
export function gatePollScript(check: NetworkCheck): Script {
  return { file: `gate-${check}.sh` };
}

/** The script of a readiness-gate keeper over a watch. @internal */
export function gateWatchScript(judge: ApiJudge): Script {
  return { file: `gate-${judge}.sh` };
}

/** The script of the shutdown-order container. @internal */
export function shutdownScript(): Script {
  return { file: 'shutdown.sh' };
}

/**
 * What a hold hook waits for. A hook runs in the app's own container, which
 * has neither our scripts volume nor environment of ours, so its script is
 * inline in its command, with the values it varies by as positional
 * parameters (`sh -c TEXT NAME ARGS...`; `hookCommand` in pod/scripts.ts).
 *
 * @internal
 */
export enum Hold {
  /** postStart: until 127.0.0.1:`$1` accepts a connection. */
  TCP = 'tcp',
  /** postStart: until a GET of `$3` on `$1`:`$2` answers 200-399. */
  HTTP = 'http',
  /** postStart: until the command of the arguments succeeds. */
  COMMAND = 'command',
  /** preStop: until the file `$1` exists or `$2` seconds have passed, and at least `$3` seconds. */
  SHUTDOWN = 'shutdown',
}

/** The script of a hold hook. @internal */
export function holdScript(hold: Hold): Script {
  return { file: `hold-${hold}.sh` };
}
