/**
 * The shell scripts that waiter containers run.
 *
 * Every script is POSIX `sh` and uses only what both BusyBox builds we test
 * with provide (the official busybox image and Debian's busybox-static):
 * `nc HOST PORT` with `-w`, `nslookup`, `date +%s`, `sleep`, `kill`. In
 * particular no `nc -z` (absent from Debian's build) and no `wget` (crashes in
 * a bare static rootfs). API waiters need `kubectl` and `timeout` on the PATH.
 *
 * A script reads its parameters from the environment (so the YAML says plainly
 * what a waiter waits for):
 *
 * - `WAIT_FOR`: a human description, used in every log line
 * - `WAIT_TIMEOUT`: seconds before giving up; `0` waits without limit
 * - `WAIT_ON_TIMEOUT`: `fail` (exit 1) or `proceed` (log a warning, exit 0)
 * - check parameters, documented on each check below.
 *
 * Log lines: one when it starts, one every `WAIT_PROGRESS` seconds (default
 * 5) while waiting, with the last reason, and one when it is done, with how
 * long it took.
 *
 * @internal
 */

/** Common helpers and the polling loop around a `check` function. */
const PRELUDE = `set -u
log() { echo "wait-for: $*"; }
now() { date +%s; }
t0=$(now)
limit=\${WAIT_TIMEOUT:-0}
every=\${WAIT_PROGRESS:-5}
why="not ready yet"
elapsed() { echo $(( $(now) - t0 )); }
give_up() {
  if [ "\${WAIT_ON_TIMEOUT:-fail}" = proceed ]; then
    log "WARNING: gave up on $WAIT_FOR after $(elapsed)s ($why); starting anyway (onTimeout: proceed)"
    exit 0
  fi
  log "ERROR: timed out after $(elapsed)s waiting for $WAIT_FOR: $why"
  exit 1
}
if [ "$limit" -gt 0 ]; then
  log "waiting for $WAIT_FOR (timeout \${limit}s, then \${WAIT_ON_TIMEOUT:-fail})"
else
  log "waiting for $WAIT_FOR (no timeout)"
fi
`;

/**
 * Polls `check` once a second (handing it the script's arguments, for
 * COMMAND). A pod deleted while it waits stops at once: as PID 1 the shell
 * would otherwise ignore SIGTERM and hold the pod until its grace period ends.
 */
const POLL_LOOP = `nap=""
trap 'log "stopping (SIGTERM) after $(elapsed)s, before $WAIT_FOR was ready"; [ -n "$nap" ] && kill $nap 2>/dev/null; exit 143' TERM INT
next=$every
until check "$@"; do
  el=$(elapsed)
  if [ "$limit" -gt 0 ] && [ "$el" -ge "$limit" ]; then give_up; fi
  if [ "$el" -ge "$next" ]; then
    log "still waiting for $WAIT_FOR after \${el}s: $why"
    next=$(( el + every ))
  fi
  sleep 1 & nap=$!
  wait $nap
done
log "$WAIT_FOR is ready after $(elapsed)s"
`;

/**
 * TCP: every `host:port` in `WAIT_ADDRESSES` (space separated) accepts a
 * connection. Against a ClusterIP Service this means some Ready pod listens.
 * `nc -w` bounds only the connect, and nc stays until the server closes, so
 * `timeout` bounds the whole exchange: a server that never closes is
 * reported, not waited on forever (and not taken as ready: a name lookup
 * that hangs would look the same).
 */
const TCP_CHECK = `check() {
  for a in $WAIT_ADDRESSES; do
    err=$(timeout 5 nc -w 2 "\${a%:*}" "\${a##*:}" </dev/null 2>&1 >/dev/null)
    case $? in
      0) ;;
      124|143) why="$a: no result within 5s (the server kept the connection open after ours closed, or the name lookup hung); for such a server use WaitFor.http or WaitFor.command"; return 1 ;;
      *) why="$a: \${err:-connection failed}"; return 1 ;;
    esac
  done
}
`;

/**
 * HTTP/1.0 GET of `WAIT_PATH` on `WAIT_HOST`:`WAIT_PORT`, written by hand over
 * `nc` so it works where `wget` does not; the status code must match one of
 * `WAIT_STATUS` (space separated codes or `lo-hi` ranges).
 */
const HTTP_CHECK = `status_ok() {
  for s in $WAIT_STATUS; do
    case $s in
      *-*) [ "$1" -ge "\${s%-*}" ] && [ "$1" -le "\${s#*-}" ] && return 0 ;;
      *) [ "$1" -eq "$s" ] && return 0 ;;
    esac
  done
  return 1
}
check() {
  line=$(printf 'GET %s HTTP/1.0\\r\\nHost: %s\\r\\nUser-Agent: cdk8s-ordered\\r\\nConnection: close\\r\\n\\r\\n' "$WAIT_PATH" "$WAIT_HOST:$WAIT_PORT" \\
    | timeout 5 nc -w 2 "$WAIT_HOST" "$WAIT_PORT" 2>&1 | head -n 1 | tr -d '\\r')
  code=$(echo "$line" | sed -n 's|^HTTP/[0-9.]* \\([0-9][0-9][0-9]\\).*|\\1|p')
  if [ -z "$code" ]; then why="no HTTP response (\${line:-connection failed})"; return 1; fi
  if status_ok "$code"; then return 0; fi
  why="HTTP $code, want $WAIT_STATUS"
  return 1
}
`;

/**
 * The HTTP check for a fixed address, for a hook (which has no environment of
 * its own): shell that sets the check's parameters and defines `check`, which
 * returns 0 once a GET of `path` on `host`:`port` answers 200-399 (what a
 * kubelet httpGet probe accepts), else 1 with the reason in `why`.
 *
 * @internal
 */
export function httpCheckFor(host: string, port: number, path: string): string {
  return `WAIT_HOST=${shellQuote(host)} WAIT_PORT=${shellQuote(String(port))} WAIT_PATH=${shellQuote(path)} WAIT_STATUS=200-399\n${HTTP_CHECK}`;
}

/** `s` as one shell word: as it is when it holds nothing the shell would read, else in single quotes. @internal */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/**
 * DNS: `WAIT_HOST` resolves (optionally through the server `WAIT_DNS_SERVER`).
 * Judged by the answer, not the exit code: BusyBox's nslookup also asks for
 * AAAA and exits 1 when only that query fails.
 */
const DNS_CHECK = `check() {
  if nslookup "$WAIT_HOST" \${WAIT_DNS_SERVER:-} 2>&1 | sed '1,/^Name:/d' | grep -q '^Address'; then
    return 0
  fi
  why="$WAIT_HOST does not resolve yet"
  return 1
}
`;

/**
 * A user command, run until it exits 0. The command is the script's
 * arguments (`sh -c SCRIPT wait-for CMD ARG...`), handed to `check` by the
 * loop, since a shell function has positional parameters of its own.
 */
const COMMAND_CHECK = `check() {
  out=$("$@" 2>&1)
  rc=$?
  [ "$rc" -eq 0 ] && return 0
  why="command exited $rc: $(echo "$out" | tail -n 1)"
  return 1
}
`;

/**
 * Kubernetes API waiters watch, they do not poll: one `kubectl get --watch`
 * with a field selector on the object's name (so RBAC `resourceNames` apply
 * and an object that does not exist yet is simply not listed). Each object
 * kubectl prints is a line starting `obj ` (the jsonpath template begins
 * so); the rest is handed to `judge`, which returns 0 (done), 2 (keep
 * waiting, `why` says why) or 3 (failed for good, e.g. a failed Job). Any
 * other line (an API error, a warning, a connection failure) is logged and
 * becomes the reason, never a verdict.
 *
 * Parameters: `WAIT_RESOURCE` (plural resource, with group), `WAIT_NAMESPACE`,
 * `WAIT_SELECTOR` (a `--field-selector` or `-l` argument), `WAIT_SELECTOR_FLAG`,
 * `WAIT_JSONPATH` (printed per object and event).
 *
 * A watch is re-established when it ends (API server timeouts, restarts);
 * each one is bounded by the time left before the timeout, and one that fails
 * at once is retried with exponential backoff (up to 30 s). The watch's lines
 * are judged in a pipeline's subshell, which hands its last reason back on
 * file descriptor 3 (its log lines go to the real output, kept as fd 4), so
 * that a timeout says why the object was not ready. kubectl and the progress
 * ticker hold neither descriptor, so nothing outlives the waiter's exit.
 */
const WATCH_LOOP = `progress() {
  trap 'kill $nap 2>/dev/null; exit 0' TERM
  while :; do
    sleep "$every" & nap=$!
    wait $nap
    log "still waiting for $WAIT_FOR after $(elapsed)s"
  done
}
progress & ticker=$!
trap 'kill $ticker 2>/dev/null' EXIT
exec 4>&1
watch_once() {
  { timeout "$1" kubectl get "$WAIT_RESOURCE" -n "$WAIT_NAMESPACE" "$WAIT_SELECTOR_FLAG" "$WAIT_SELECTOR" \\
      --watch -o "jsonpath=$WAIT_JSONPATH" 2>&1 3>&- 4>&- &
    echo "pid:$!"
    wait $!
    echo "end:$?"
  } 2>/dev/null | {
    rc=1
    while IFS= read -r line; do
      case $line in
        pid:*) kpid=\${line#pid:} ;;
        end:*) log "watch ended (kubectl exit \${line#end:}); $why"; break ;;
        "obj "*) was=$why; judge "\${line#obj }"; rc=$?
           if [ "$rc" -eq 3 ]; then log "ERROR: $WAIT_FOR failed after $(elapsed)s: $why"; fi
           if [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ]; then kill "$kpid" 2>/dev/null; break; fi
           [ "$why" != "$was" ] && log "$why"
           rc=1 ;;
        *) [ "kubectl: $line" != "$why" ] && log "kubectl: $line"
           why="kubectl: $line" ;;
      esac
    done
    echo "$why" >&3
    exit "$rc"
  }
}
pause=1
while :; do
  slice=\${WAIT_WATCH_SECONDS:-600}
  if [ "$limit" -gt 0 ]; then
    left=$(( limit - $(elapsed) ))
    [ "$left" -le 0 ] && give_up
    [ "$left" -lt "$slice" ] && slice=$left
  fi
  began=$(now)
  why=$(watch_once "$slice" 3>&1 >&4)
  case $? in
    0) log "$WAIT_FOR is ready after $(elapsed)s"; exit 0 ;;
    3) exit 1 ;;
  esac
  # A watch that ended at once (refused, forbidden, API unreachable) is retried
  # after 1, 2, 4 ... 30 s, not every second; one that ran its course at once.
  if [ $(( $(now) - began )) -lt 5 ]; then
    nap=$pause
    [ "$limit" -gt 0 ] && [ $(( limit - $(elapsed) )) -lt "$nap" ] && nap=$(( limit - $(elapsed) ))
    [ "$nap" -gt 0 ] && sleep "$nap"
    pause=$(( pause * 2 )); [ "$pause" -gt 30 ] && pause=30
  else
    pause=1
    sleep 1
  fi
done
`;

/** The object exists: any line printed means it is listed. */
const EXISTS_JUDGE = `judge() {
  return 0
}
`;

/**
 * A status condition: the line is `<name> <status>` where status is that of
 * condition `WAIT_CONDITION`; done when it equals `WAIT_STATUS`.
 */
const CONDITION_JUDGE = `judge() {
  set -- $1
  if [ "\${2:-}" = "$WAIT_STATUS" ]; then return 0; fi
  why="condition $WAIT_CONDITION is \${2:-not set}"
  return 2
}
`;

/**
 * A Job: the line is `<name> complete=<Complete status> failed=<Failed
 * status>`. Named fields, since kubectl prints an absent condition as
 * nothing and word splitting would shift the next one into its place.
 */
const JOB_JUDGE = `field() { printf ' %s ' "$2" | sed -n "s/.* $1=\\([^ ]*\\) .*/\\1/p"; }
judge() {
  if [ "$(field complete "$1")" = True ]; then return 0; fi
  if [ "$(field failed "$1")" = True ]; then why="the Job failed (condition Failed=True); see kubectl describe job"; return 3; fi
  why="the Job has not completed yet"
  return 2
}
`;

/**
 * Pods matching a label selector: lines are `<pod> <Ready status>
 * <deletionTimestamp>`; done when at least `WAIT_MIN_READY` distinct pods
 * are Ready and not being deleted.
 */
const PODS_JUDGE = `ready=" "
judge() {
  set -- $1
  ready=$(echo "$ready" | sed "s| $1 | |")
  if [ "\${2:-}" = True ] && [ -z "\${3:-}" ]; then ready="$ready$1 "; fi
  n=$(echo $ready | wc -w)
  if [ "$n" -ge "$WAIT_MIN_READY" ]; then return 0; fi
  why="$n of $WAIT_MIN_READY pods Ready"
  return 2
}
`;

/**
 * A rollout: the line is `<name> gen=<generation> seen=<observedGeneration>
 * want=<desired> updated=<updated> available=<available> total=<total>`
 * (named, as an absent status field prints as nothing): done when the
 * controller has seen the latest spec and every wanted replica is updated and
 * available, with no old one left.
 */
const ROLLOUT_JUDGE = `field() { printf ' %s ' "$2" | sed -n "s/.* $1=\\([^ ]*\\) .*/\\1/p"; }
judge() {
  g=$(field gen "$1"); og=$(field seen "$1"); want=$(field want "$1")
  upd=$(field updated "$1"); avail=$(field available "$1"); total=$(field total "$1")
  g=\${g:-0}; og=\${og:-0}; want=\${want:-1}; upd=\${upd:-0}; avail=\${avail:-0}; total=\${total:-0}
  if [ "$og" -ge "$g" ] && [ "$upd" -ge "$want" ] && [ "$avail" -ge "$want" ] && [ "$total" -le "$want" ]; then return 0; fi
  why="$upd of $want updated, $avail available, $total total (generation $og/$g)"
  return 2
}
`;

/**
 * Readiness gates: `set_gate True|False MESSAGE REASON` PATCHes condition
 * `GATE_CONDITION` of the pod's own status (`POD_NAME`, `POD_NAMESPACE`),
 * only when the value changes: one API write per change, none per check.
 */
const GATE_PRELUDE = `set -u
log() { echo "gate: $*"; }
now() { date +%s; }
t0=$(now)
elapsed() { echo $(( $(now) - t0 )); }
every=\${WAIT_PROGRESS:-5}
why="not ready yet"
state=""
set_gate() {
  [ "$1" = "$state" ] && return 0
  msg=$(printf '%s' "$2" | tr -d '"\\\\' | cut -c1-200)
  ts=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  patch="{\\"status\\":{\\"conditions\\":[{\\"type\\":\\"$GATE_CONDITION\\",\\"status\\":\\"$1\\",\\"reason\\":\\"$3\\",\\"message\\":\\"$msg\\",\\"lastTransitionTime\\":\\"$ts\\"}]}}"
  if out=$(kubectl patch pod "$POD_NAME" -n "$POD_NAMESPACE" --subresource=status --type=strategic -p "$patch" 2>&1); then
    state=$1
    log "$GATE_CONDITION=$1: $msg"
  else
    log "could not set $GATE_CONDITION=$1, will retry: $out"
  fi
}
trap 'log "stopping"; exit 0' TERM INT
log "gating readiness on $WAIT_FOR (condition $GATE_CONDITION)"
`;

/** A gate over a polled check: checked every `GATE_PERIOD` seconds (default 5). */
const GATE_POLL_LOOP = `while :; do
  if check "$@"; then set_gate True "$WAIT_FOR is ready" Ready; else set_gate False "$why" NotReady; fi
  sleep "\${GATE_PERIOD:-5}" & wait $!
done
`;

/** A gate over a watch: every object line kubectl prints is judged and may flip the gate; other lines are logged. */
const GATE_WATCH_LOOP = `while :; do
  kubectl get "$WAIT_RESOURCE" -n "$WAIT_NAMESPACE" "$WAIT_SELECTOR_FLAG" "$WAIT_SELECTOR" --watch -o "jsonpath=$WAIT_JSONPATH" 2>&1 | {
    while IFS= read -r line; do
      case $line in
        "obj "*) if judge "\${line#obj }"; then set_gate True "$WAIT_FOR is ready" Ready; else set_gate False "$why" NotReady; fi ;;
        *) log "kubectl: $line" ;;
      esac
    done
  }
  log "watch ended; watching again"
  sleep 1 & wait $!
done
`;

/**
 * Ordered shutdown: when the pod is told to stop (SIGTERM), wait until no pod
 * matches any of `SHUTDOWN_SELECTORS` (label selectors of the dependents,
 * space separated) or `SHUTDOWN_TIMEOUT` seconds have passed, then create
 * `SHUTDOWN_FLAG`, which releases the app containers' preStop hooks.
 */
const SHUTDOWN_SCRIPT = `set -u
log() { echo "shutdown-order: $*"; }
now() { date +%s; }
release() {
  [ -n "$napper" ] && kill "$napper" 2>/dev/null
  t0=$(now)
  log "stopping: waiting up to \${SHUTDOWN_TIMEOUT}s for $SHUTDOWN_DEPENDENTS to stop first"
  while :; do
    left=""
    for sel in $SHUTDOWN_SELECTORS; do
      if out=$(kubectl get pods -n "$POD_NAMESPACE" -l "$sel" -o name 2>&1); then
        n=$(printf '%s\\n' "$out" | grep -c '^pod/')
      else
        n="unknown ($out)"
      fi
      [ "$n" != 0 ] && left="$left $sel: $n pod(s);"
    done
    el=$(( $(now) - t0 ))
    if [ -z "$left" ]; then log "dependents stopped after \${el}s; releasing"; break; fi
    if [ "$el" -ge "$SHUTDOWN_TIMEOUT" ]; then log "WARNING: dependents still running after \${el}s ($left); releasing anyway"; break; fi
    sleep 1
  done
  : > "$SHUTDOWN_FLAG"
  exit 0
}
napper=""
trap release TERM
log "this pod stops only after $SHUTDOWN_DEPENDENTS (at most \${SHUTDOWN_TIMEOUT}s)"
while :; do sleep 3600 & napper=$!; wait "$napper"; done
`;

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

const NETWORK_CHECKS: Record<NetworkCheck, string> = {
  [NetworkCheck.TCP]: TCP_CHECK,
  [NetworkCheck.HTTP]: HTTP_CHECK,
  [NetworkCheck.DNS]: DNS_CHECK,
  [NetworkCheck.COMMAND]: COMMAND_CHECK,
};

const API_JUDGES: Record<ApiJudge, string> = {
  [ApiJudge.EXISTS]: EXISTS_JUDGE,
  [ApiJudge.CONDITION]: CONDITION_JUDGE,
  [ApiJudge.JOB]: JOB_JUDGE,
  [ApiJudge.PODS]: PODS_JUDGE,
  [ApiJudge.ROLLOUT]: ROLLOUT_JUDGE,
};

/** The script for a polling waiter. @internal */
export function networkScript(check: NetworkCheck): string {
  return PRELUDE + NETWORK_CHECKS[check] + POLL_LOOP;
}

/** The script for a watching (Kubernetes API) waiter. @internal */
export function apiScript(judge: ApiJudge): string {
  return PRELUDE + API_JUDGES[judge] + WATCH_LOOP;
}

/** The script of a readiness-gate keeper over a polled check. @internal */
export function gatePollScript(check: NetworkCheck): string {
  return GATE_PRELUDE + NETWORK_CHECKS[check] + GATE_POLL_LOOP;
}

/** The script of a readiness-gate keeper over a watch. @internal */
export function gateWatchScript(judge: ApiJudge): string {
  return GATE_PRELUDE + API_JUDGES[judge] + GATE_WATCH_LOOP;
}

/** The script of the shutdown-order container. @internal */
export function shutdownScript(): string {
  return SHUTDOWN_SCRIPT;
}
