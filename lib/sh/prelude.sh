# Common to every waiter: log lines, giving up after WAIT_TIMEOUT seconds
# (WAIT_ON_TIMEOUT: fail exits 1, proceed exits 0; a SIGALRM from `alarm`
# gives up at once, whatever the check is doing) and stopping at once on
# SIGTERM (as PID 1 the shell would otherwise ignore it and hold the pod until
# its grace period ends). Giving up, or failing for good, also writes the
# reason to the termination message file, WAIT_TERMINATION_LOG (default
# /dev/termination-log, the container's terminationMessagePath), which
# `kubectl describe pod` shows; a file that cannot be written is no error.
log() { echo "wait-for: $*"; }
limit=${WAIT_TIMEOUT:-0}
every=${WAIT_PROGRESS:-5}
why="not ready yet"
# tell MESSAGE: MESSAGE, on one line, as the termination message.
tell() {
  m=$1
  while :; do
    case $m in *"$nl"*) m="${m%%"$nl"*} ${m#*"$nl"}" ;; *) break ;; esac
  done
  printf '%s\n' "$m" 2>/dev/null >"${WAIT_TERMINATION_LOG:-/dev/termination-log}" || :
}
# pending: the loop's say, as the waiter gives up, about work still in flight.
# shellcheck disable=SC2317 # the loop may define its own
pending() { :; }
give_up() {
  trap : TERM INT ALRM
  pending
  cleanup
  elapsed
  if [ "${WAIT_ON_TIMEOUT:-fail}" = proceed ]; then
    log "WARNING: gave up on $WAIT_FOR after ${el}s ($why); starting anyway (onTimeout: proceed)"
    tell "gave up on $WAIT_FOR after ${el}s ($why); started anyway (onTimeout: proceed)"
    exit 0
  fi
  log "ERROR: timed out after ${el}s waiting for $WAIT_FOR: $why"
  tell "timed out after ${el}s waiting for $WAIT_FOR: $why"
  exit 1
}
stop() {
  trap : TERM INT ALRM
  cleanup
  elapsed
  log "stopping (SIGTERM) after ${el}s, before $WAIT_FOR was ready"
  exit 143
}
trap stop TERM INT
if [ "$limit" -gt 0 ]; then
  log "waiting for $WAIT_FOR (timeout ${limit}s, then ${WAIT_ON_TIMEOUT:-fail})"
  trap give_up ALRM
  alarm "$limit"
else
  log "waiting for $WAIT_FOR (no timeout)"
fi
