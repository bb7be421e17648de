# Watching, shared by the API waiters and the gates over a watch: one
# `kubectl get --watch` per round, with a field selector on the object's name
# (so RBAC resourceNames apply and an object that does not exist yet is simply
# not listed) or a label selector. With --output-watch-events every object
# kubectl prints is a line `obj TYPE ...` (TYPE: ADDED, MODIFIED or DELETED,
# then the judge's jsonpath `query`), so a deleted object is never taken for
# one that is there. kubectl writes on fd 5, a pipe this shell holds both ends
# of; a judge (a background job) reads it, and once kubectl has exited this
# shell marks the round's end there (`end ROUND STATUS`). This shell only ever
# waits, so SIGTERM acts at once. A round lasts at most WAIT_WATCH_SECONDS
# (default 600).
exec 5<<'EOF2'
x
EOF2
if { command exec 5<>/proc/self/fd/5; } 2>/dev/null; then
  read -r _ <&5
else
  log "ERROR: cannot open a pipe through /proc/self/fd (is /proc mounted?)"
  exit 1
fi
round=0
kpid=""
jpid=""
# watch: starts a round's kubectl (pid in `kpid`).
watch() {
  round=$(( round + 1 ))
  clock
  began=$now
  timeout "${WAIT_WATCH_SECONDS:-600}" kubectl get "$WAIT_RESOURCE" -n "$WAIT_NAMESPACE" "$WAIT_SELECTOR_FLAG" "$WAIT_SELECTOR" \
    --watch --output-watch-events -o "jsonpath=obj {.type} $query" </dev/null >&5 2>&5 3>&- 4>&- &
  kpid=$!
}
# next_line (in the judge): the round's next line from kubectl, in `line`;
# false at the round's end, with kubectl's exit status in `kstatus`. Empty
# lines are skipped: the end mark comes after one (see watch_end).
next_line() {
  while IFS= read -r line <&5; do
    case $line in
      "") ;;
      "end $round "*) kstatus=${line##* }; return 1 ;;
      "end "*) ;;
      *) return 0 ;;
    esac
  done
  kstatus=unknown
  return 1
}
# watch_end: waits for kubectl, marks the end of the round, waits for the
# judge (its status in `jstatus`) and collects what it handed back. The judge
# stops kubectl once it has a verdict; busybox sh would report that as a line
# "Terminated" on the waiter's stderr as it reaps kubectl, hence 2>/dev/null.
# A kubectl stopped in the middle of a write leaves a line without its end:
# the mark starts on a line of its own, or it would be read as the rest of
# that line, and the judge would wait for it forever.
watch_end() {
  wait "$kpid" 2>/dev/null
  printf '\nend %s %s\n' "$round" "$?" >&5
  kpid=""
  wait "$jpid"
  # shellcheck disable=SC2034 # read by the waiters' loop
  jstatus=$?
  jpid=""
  job=""
  collect
}
# backoff: after a round that ended at once (refused, forbidden, the API
# unreachable) naps 1, 2, 4 ... 30 s, so a failing API is not asked every
# second; after one that ran its course, 1 s.
pause=1
backoff() {
  clock
  if [ $(( now - began )) -lt 500 ]; then
    nap "$pause"
    pause=$(( pause * 2 ))
    [ "$pause" -gt 30 ] && pause=30
  else
    pause=1
    nap 1
  fi
}
