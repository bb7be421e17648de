# Before its checks, an upgrade-checked waiter waits for the rollouts of its
# dependencies (judge-upgrade.sh): WAIT_ROLLOUTS holds one per line,
#   RESOURCE NAMESPACE NAME DEPENDENCY
# (NAMESPACE `-`: the pod's own, POD_NAMESPACE from the downward API), each
# watched by name as the API waiters watch, one after another. Then the
# network checks of WAIT_CHECKS run (check-several.sh, poll-loop.sh); with
# none, the waiter is ready.
todo=$WAIT_ROLLOUTS
progress </dev/null &
ticker=$!
helpers="$helpers $ticker"
while [ -n "$todo" ]; do
  line=${todo%%"$nl"*}
  case $todo in *"$nl"*) todo=${todo#*"$nl"} ;; *) todo="" ;; esac
  [ -n "$line" ] || continue
  set -f
  # shellcheck disable=SC2086 # one word per field
  set -- $line
  set +f
  WAIT_RESOURCE=$1 WAIT_NAMESPACE=$2 WAIT_SELECTOR_FLAG=--field-selector WAIT_SELECTOR=metadata.name=$3 dep=$4
  [ "$WAIT_NAMESPACE" = - ] && WAIT_NAMESPACE=$POD_NAMESPACE
  rollout_query
  pause=1
  while :; do
    watch_round
    [ "$jstatus" -eq 0 ] && break
    backoff
  done
  elapsed
  log "$dep's rollout is done after ${el}s"
done
kill "$ticker" 2>/dev/null
if [ -z "${WAIT_CHECKS:-}" ]; then
  cleanup
  elapsed
  log "$WAIT_FOR is ready after ${el}s"
  exit 0
fi
set --
