import { readFileSync } from 'fs';
import { join } from 'path';

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
 * - check parameters, documented in each check's file under `sh/`.
 *
 * Log lines: one when it starts, one every `WAIT_PROGRESS` seconds (default
 * 5) while waiting, with the last reason, and one when it is done, with how
 * long it took.
 *
 * @internal
 */

/** A fragment of shell from `sh/` beside this file, read once when the module loads. */
function fragment(name: string): string {
  return readFileSync(join(__dirname, 'sh', `${name}.sh`), 'utf8');
}

/** Each script by its file name (`wait-tcp.sh`): as written, and as the YAML carries it. */
const SCRIPTS = new Map<string, { full: string; compact: string }>();
/** Each script as the YAML carries it, to its file name. */
const FILES = new Map<string, string>();

/**
 * A script, assembled once: as written (`comments`, for shellcheck and
 * readers of the `.sh` files), or as the pods get it, without its comment
 * lines and blank lines.
 */
function script(file: string, text: () => string, comments: boolean): string {
  let s = SCRIPTS.get(file);
  if (!s) {
    const full = text();
    s = { full, compact: full.split('\n').filter((l) => l.trim() !== '' && !/^\s*#/.test(l)).join('\n') + '\n' };
    SCRIPTS.set(file, s);
    FILES.set(s.compact, file);
  }
  return comments ? s.full : s.compact;
}

/**
 * The file name of a script this module wrote (as the YAML carries it), for
 * the ConfigMap that holds it; undefined for any other text.
 *
 * @internal
 */
export function scriptFileOf(text: string): string | undefined {
  return FILES.get(text);
}

const BASE = fragment('base');
const PRELUDE = BASE + fragment('prelude');
/** One probe, judged: shared by the waiter's polling loop and the gate's. */
const PROBE_ONCE = fragment('probe-once');
const POLL_LOOP = PROBE_ONCE + fragment('poll-loop');
/** What an API waiter does with each round of its watch: judge it, log progress. */
const WATCH_JUDGE = fragment('watch-judge');
const WATCH_LOOP = WATCH_JUDGE + fragment('watch-loop');
/** `status_ok`, which both HTTP checks judge a status line with. */
const HTTP_STATUS = fragment('http-status');
const HOOK_HTTP_CHECK = HTTP_STATUS + fragment('hook-http');
const WATCH = fragment('watch');
const GATE_PRELUDE = BASE + fragment('gate-prelude');
const GATE_POLL_LOOP = PROBE_ONCE + fragment('gate-poll-loop');
const GATE_WATCH_LOOP = fragment('gate-watch-loop');
const SHUTDOWN_SCRIPT = BASE + fragment('shutdown');

/**
 * The HTTP check for a fixed address, for a hook (which has no environment of
 * its own): shell that sets the check's parameters and defines `check`, which
 * returns 0 once a GET of `path` on `host`:`port` answers 200-399 (what a
 * kubelet httpGet probe accepts), else 1 with the reason in `why`.
 *
 * @internal
 */
export function httpCheckFor(host: string, port: number, path: string): string {
  return `WAIT_HOST=${shellQuote(host)} WAIT_PORT=${shellQuote(String(port))} WAIT_PATH=${shellQuote(path)} WAIT_STATUS=200-399\n${HOOK_HTTP_CHECK}`;
}

/** `s` as one shell word: as it is when it holds nothing the shell would read, else in single quotes. @internal */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** Which check a network waiter runs. @internal */
export enum NetworkCheck {
  TCP = 'tcp',
  HTTP = 'http',
  DNS = 'dns',
  COMMAND = 'command',
}

/** How an API waiter judges what it watches. @internal */
export enum ApiJudge {
  EXISTS = 'exists',
  CONDITION = 'condition',
  JOB = 'job',
  PODS = 'pods',
  ROLLOUT = 'rollout',
}

/** Each network check's `check` function: `sh/check-<name>.sh`. */
const NETWORK_CHECKS = Object.fromEntries(Object.values(NetworkCheck)
  .map((c) => [c, (c === NetworkCheck.HTTP ? HTTP_STATUS : '') + fragment(`check-${c}`)])) as Record<NetworkCheck, string>;

/** Each API judge's `query` (the jsonpath kubectl prints) and `judge` function, side by side: `sh/judge-<name>.sh`. */
const API_JUDGES = Object.fromEntries(Object.values(ApiJudge).map((j) => [j, fragment(`judge-${j}`)])) as Record<ApiJudge, string>;

/** The script for a polling waiter. @internal */
export function networkScript(check: NetworkCheck, comments = false): string {
  return script(`wait-${check}.sh`, () => PRELUDE + NETWORK_CHECKS[check] + POLL_LOOP, comments);
}

/**
 * The checks of a waiter for several, one after another: each defines its
 * functions under its kind's name (`probe_tcp`...), and `check-several.sh`
 * calls the one at hand's.
 */
const SEVERAL_CHECKS = HTTP_STATUS + fragment('check-tcp') + fragment('check-http') + fragment('check-dns') + fragment('check-several');

/**
 * The script of a waiter for several network checks (TCP, HTTP and DNS,
 * listed in `WAIT_CHECKS`), one after another. @internal
 */
export function severalScript(comments = false): string {
  // Before the first command, a directive covers the whole script: WAIT_FOR comes from the environment, as in every
  // waiter, and is no misspelling of WAIT_PORT, which this one sets.
  return script('wait-several.sh', () => '# shellcheck disable=SC2153\n' + PRELUDE + SEVERAL_CHECKS + POLL_LOOP, comments);
}

/**
 * The script of an upgrade-checked waiter: it watches the rollout of each
 * dependency in `WAIT_ROLLOUTS` until the controller has seen its latest
 * spec and no pod of an older revision is left (`sh/judge-upgrade.sh`,
 * `sh/rollout-loop.sh`), then runs the network checks in `WAIT_CHECKS`, as
 * `severalScript` does. @internal
 */
export function upgradeScript(comments = false): string {
  return script('wait-upgrade.sh', () => '# shellcheck disable=SC2153\n' + PRELUDE + fragment('judge-upgrade') + WATCH + WATCH_JUDGE
    + fragment('rollout-loop') + SEVERAL_CHECKS + POLL_LOOP, comments);
}

/** The script for a watching (Kubernetes API) waiter. @internal */
export function apiScript(judge: ApiJudge, comments = false): string {
  return script(`wait-${judge}.sh`, () => PRELUDE + API_JUDGES[judge] + WATCH + WATCH_LOOP, comments);
}

/** The script of a readiness-gate keeper over a polled check. @internal */
export function gatePollScript(check: NetworkCheck, comments = false): string {
  return script(`gate-${check}.sh`, () => GATE_PRELUDE + NETWORK_CHECKS[check] + GATE_POLL_LOOP, comments);
}

/** The script of a readiness-gate keeper over a watch. @internal */
export function gateWatchScript(judge: ApiJudge, comments = false): string {
  return script(`gate-${judge}.sh`, () => GATE_PRELUDE + API_JUDGES[judge] + WATCH + GATE_WATCH_LOOP, comments);
}

/** The script of the shutdown-order container. @internal */
export function shutdownScript(comments = false): string {
  return script('shutdown.sh', () => SHUTDOWN_SCRIPT, comments);
}
