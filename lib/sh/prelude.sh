# Common helpers of every waiter: logging, elapsed time, and giving up after
# WAIT_TIMEOUT seconds (WAIT_ON_TIMEOUT: fail exits 1, proceed exits 0).
set -u
log() { echo "wait-for: $*"; }
now() { date +%s; }
t0=$(now)
limit=${WAIT_TIMEOUT:-0}
every=${WAIT_PROGRESS:-5}
why="not ready yet"
elapsed() { echo $(( $(now) - t0 )); }
give_up() {
  if [ "${WAIT_ON_TIMEOUT:-fail}" = proceed ]; then
    log "WARNING: gave up on $WAIT_FOR after $(elapsed)s ($why); starting anyway (onTimeout: proceed)"
    exit 0
  fi
  log "ERROR: timed out after $(elapsed)s waiting for $WAIT_FOR: $why"
  exit 1
}
if [ "$limit" -gt 0 ]; then
  log "waiting for $WAIT_FOR (timeout ${limit}s, then ${WAIT_ON_TIMEOUT:-fail})"
else
  log "waiting for $WAIT_FOR (no timeout)"
fi
