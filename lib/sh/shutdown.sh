# Ordered shutdown: when the pod is told to stop (SIGTERM), wait until no pod
# matches any of SHUTDOWN_SELECTORS (label selectors of the dependents, space
# separated) or SHUTDOWN_TIMEOUT seconds have passed, then create SHUTDOWN_FLAG,
# which releases the app containers' preStop hooks.
set -u
log() { echo "shutdown-order: $*"; }
now() { date +%s; }
release() {
  [ -n "$napper" ] && kill "$napper" 2>/dev/null
  t0=$(now)
  log "stopping: waiting up to ${SHUTDOWN_TIMEOUT}s for $SHUTDOWN_DEPENDENTS to stop first"
  while :; do
    left=""
    for sel in $SHUTDOWN_SELECTORS; do
      if out=$(kubectl get pods -n "$POD_NAMESPACE" -l "$sel" -o name 2>&1); then
        n=$(printf '%s\n' "$out" | grep -c '^pod/')
      else
        n="unknown ($out)"
      fi
      [ "$n" != 0 ] && left="$left $sel: $n pod(s);"
    done
    el=$(( $(now) - t0 ))
    if [ -z "$left" ]; then log "dependents stopped after ${el}s; releasing"; break; fi
    if [ "$el" -ge "$SHUTDOWN_TIMEOUT" ]; then log "WARNING: dependents still running after ${el}s ($left); releasing anyway"; break; fi
    sleep 1
  done
  : > "$SHUTDOWN_FLAG"
  exit 0
}
napper=""
trap release TERM
log "this pod stops only after $SHUTDOWN_DEPENDENTS (at most ${SHUTDOWN_TIMEOUT}s)"
while :; do sleep 3600 & napper=$!; wait "$napper"; done
