# Kubernetes API waiters watch, they do not poll: one `kubectl get --watch` with
# a field selector on the object's name (so RBAC resourceNames apply and an
# object that does not exist yet is simply not listed). Each object kubectl
# prints is a line starting `obj ` (the jsonpath `query` of the judge begins
# so); the rest is handed to `judge`, which returns 0 (done), 2 (keep waiting,
# `why` says why) or 3 (failed for good, e.g. a failed Job). Any other line (an
# API error, a warning, a connection failure) is logged and becomes the reason,
# never a verdict. A watch is re-established when it ends; one that fails at
# once is retried with exponential backoff (up to 30 s). The watch's lines are
# judged in a pipeline's subshell, which hands its last reason back on file
# descriptor 3 (its log lines go to the real output, kept as fd 4).
progress() {
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
  { timeout "$1" kubectl get "$WAIT_RESOURCE" -n "$WAIT_NAMESPACE" "$WAIT_SELECTOR_FLAG" "$WAIT_SELECTOR" \
      --watch -o "jsonpath=obj $query" 2>&1 3>&- 4>&- &
    echo "pid:$!"
    wait $!
    echo "end:$?"
  } 2>/dev/null | {
    rc=1
    while IFS= read -r line; do
      case $line in
        pid:*) kpid=${line#pid:} ;;
        end:*) log "watch ended (kubectl exit ${line#end:}); $why"; break ;;
        "obj "*) was=$why; judge "${line#obj }"; rc=$?
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
  slice=${WAIT_WATCH_SECONDS:-600}
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
