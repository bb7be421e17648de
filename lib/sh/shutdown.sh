# Ordered shutdown: when the pod is told to stop (SIGTERM), wait until no pod
# matches any of SHUTDOWN_SELECTORS or SHUTDOWN_TIMEOUT seconds have passed,
# then create SHUTDOWN_FLAG, which releases the app containers' preStop hooks.
# SHUTDOWN_SELECTORS: space-separated words, each the label selector of a
# dependent's pods, in POD_NAMESPACE, or `NAMESPACE:SELECTOR` for pods in
# another namespace (a label selector never holds a colon). Each list is a job
# this shell waits on, and SIGALRM ends the wait when the bound runs out,
# whatever the API is doing.
log() { echo "shutdown-order: $*"; }
stopping=""
trap 'stopping=1' TERM
log "this pod stops only after $SHUTDOWN_DEPENDENTS (at most ${SHUTDOWN_TIMEOUT}s)"
while [ -z "$stopping" ]; do nap 3600; done
trap : TERM
late=""
trap 'late=1; [ -n "$job" ] && kill "$job" 2>/dev/null' ALRM
clock
t0=$now
alarm "$SHUTDOWN_TIMEOUT"
log "stopping: waiting up to ${SHUTDOWN_TIMEOUT}s for $SHUTDOWN_DEPENDENTS to stop first"
release() {
  cleanup
  printf '' 2>/dev/null >"$SHUTDOWN_FLAG" || log "ERROR: cannot create $SHUTDOWN_FLAG; the app containers wait out their own bound"
  exit 0
}
# count NAMESPACE SELECTOR: `n`, how many pods match, or why that is unknown.
count() {
  (
    if o=$(kubectl get pods -n "$1" -l "$2" -o name 2>&1 3>&- 4>&-); then
      printf '%s\n' "$o" | grep -c '^pod/'
    else
      printf 'unknown (%.300s)\n' "${o##*"$nl"}"
    fi
  ) >&3 2>&3 &
  job=$!
  wait "$job"
  job=""
  collect
  n=${out##*"$nl"}
}
left=" no answer from the API yet;"
while [ -z "$late" ]; do
  now_left=""
  for w in $SHUTDOWN_SELECTORS; do
    case $w in
      *:*) count "${w%%:*}" "${w#*:}" ;;
      *) count "$POD_NAMESPACE" "$w" ;;
    esac
    [ -n "$late" ] && break 2
    [ "$n" != 0 ] && now_left="$now_left $w: $n pod(s);"
  done
  left=$now_left
  if [ -z "$left" ]; then
    elapsed
    log "dependents stopped after ${el}s; releasing"
    release
  fi
  nap 1
done
elapsed
log "WARNING: dependents still running after ${el}s ($left); releasing anyway"
release
