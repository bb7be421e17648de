# Readiness gates: `set_gate True|False MESSAGE REASON` PATCHes condition
# GATE_CONDITION of the pod's own status (POD_NAME, POD_NAMESPACE), only when
# the value changes: one API write per change, none per check.
set -u
log() { echo "gate: $*"; }
now() { date +%s; }
t0=$(now)
elapsed() { echo $(( $(now) - t0 )); }
why="not ready yet"
state=""
set_gate() {
  [ "$1" = "$state" ] && return 0
  # shellcheck disable=SC1003 # deletes double quotes and backslashes
  msg=$(printf '%s' "$2" | tr -d '"\\' | cut -c1-200)
  ts=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  patch="{\"status\":{\"conditions\":[{\"type\":\"$GATE_CONDITION\",\"status\":\"$1\",\"reason\":\"$3\",\"message\":\"$msg\",\"lastTransitionTime\":\"$ts\"}]}}"
  if out=$(kubectl patch pod "$POD_NAME" -n "$POD_NAMESPACE" --subresource=status --type=strategic -p "$patch" 2>&1); then
    state=$1
    log "$GATE_CONDITION=$1: $msg"
  else
    log "could not set $GATE_CONDITION=$1, will retry: $out"
  fi
}
trap 'log "stopping"; exit 0' TERM INT
log "gating readiness on $WAIT_FOR (condition $GATE_CONDITION)"
