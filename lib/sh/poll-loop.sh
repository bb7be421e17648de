# Polls `check` once a second (handing it the script's arguments, for a command
# check). A pod deleted while it waits stops at once: as PID 1 the shell would
# otherwise ignore SIGTERM and hold the pod until its grace period ends.
nap=""
trap 'log "stopping (SIGTERM) after $(elapsed)s, before $WAIT_FOR was ready"; [ -n "$nap" ] && kill $nap 2>/dev/null; exit 143' TERM INT
next=$every
until check "$@"; do
  el=$(elapsed)
  if [ "$limit" -gt 0 ] && [ "$el" -ge "$limit" ]; then give_up; fi
  if [ "$el" -ge "$next" ]; then
    log "still waiting for $WAIT_FOR after ${el}s: $why"
    next=$(( el + every ))
  fi
  sleep 1 & nap=$!
  wait $nap
done
log "$WAIT_FOR is ready after $(elapsed)s"
