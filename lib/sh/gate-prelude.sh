# Readiness gates: `set_gate True|False MESSAGE REASON` PATCHes condition
# GATE_CONDITION of the pod's own status (POD_NAME, POD_NAMESPACE) and sets
# `state`; the loops call it only when the value changes: one API write per
# change, none per check. It blocks, so the loops' own shell runs it as a job.
# The message goes into the JSON as kubectl itself encodes it (a ConfigMap
# built client-side, never sent): quotes, backslashes and control characters
# escaped, bytes that are not UTF-8 replaced, so any message makes valid JSON.
# A PATCH that fails is tried again after 1, 2, 4 ... 30 s. SIGTERM stops the
# keeper at once.
log() { echo "gate: $*"; }
why="not ready yet"
state=""
set_gate() {
  msg=$(printf '%.300s' "$2")
  json=$(kubectl create configmap message --dry-run=client -o json --from-literal="m=$msg" 2>/dev/null | sed -n 's/^ *"m": //p')
  [ -n "$json" ] || json='"(the message could not be encoded)"'
  ts=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  patch="{\"status\":{\"conditions\":[{\"type\":\"$GATE_CONDITION\",\"status\":\"$1\",\"reason\":\"$3\",\"message\":$json,\"lastTransitionTime\":\"$ts\"}]}}"
  if out=$(kubectl patch pod "$POD_NAME" -n "$POD_NAMESPACE" --subresource=status --type=strategic -p "$patch" 2>&1 3>&- 4>&- 5>&-); then
    state=$1
    log "$GATE_CONDITION=$1: $msg"
    return 0
  fi
  log "could not set $GATE_CONDITION=$1: $out"
  return 1
}
# gate VALUE MESSAGE REASON: set_gate as a job, unless a PATCH failed less than
# the backoff ago; `state` follows.
pause_patch=1
retry_at=0
gate() {
  clock
  [ "$now" -ge "$retry_at" ] || return 0
  (set_gate "$@" && echo "state $1" >&3) &
  job=$!
  wait "$job"
  job=""
  collect
  if [ "$out" = "state $1" ]; then
    state=$1
    pause_patch=1
  else
    clock
    retry_at=$(( now + pause_patch * 100 ))
    log "trying again in ${pause_patch}s"
    pause_patch=$(( pause_patch * 2 ))
    [ "$pause_patch" -gt 30 ] && pause_patch=30
  fi
}
stop() {
  trap : TERM INT
  cleanup
  log "stopping"
  exit 0
}
trap stop TERM INT
log "gating readiness on $WAIT_FOR (condition $GATE_CONDITION)"
