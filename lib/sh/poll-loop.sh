# Probes about three times a second (handing the probe the script's
# arguments, for a command check). Each probe is a background job that this
# shell waits on, so SIGTERM and the timeout act at once whatever the probe
# is doing, and between probes it naps 0.3 s, without a fork where the shell
# has `read -t`. A probe is one fork (some 4 ms of CPU on a small VM, caches
# cold): 0.3 s keeps a long wait near 1.3% of a core, and a dependency that
# comes up is seen some 0.2 s later on average.
# The check defines, under its kind's name (`probe_tcp`..., which
# one-check.sh or check-several.sh calls by these names): `probe` (starts one
# job writing on fd 3, its pid in `job`), `verdict STATUS` (reads what the job
# wrote in `out`; returns 0 when ready, 1 when not, with the reason in `why`,
# 2 to probe again at once) and `probing SECONDS` (the reason when a probe is
# still running as the waiter gives up).
pending() {
  [ -n "$job" ] || return 0
  clock
  [ $(( now - began )) -lt 100 ] || probing $(( (now - began) / 100 ))
}
# A probe may run long (a command that hangs): a helper sends SIGUSR1 every
# WAIT_PROGRESS seconds, and `tick` logs, while a probe has run that long,
# that it is still waiting and why.
tick() {
  [ -n "$job" ] || return 0
  clock
  [ $(( now - began )) -ge $(( every * 100 )) ] && [ "$now" -ge "$next" ] || return 0
  probing $(( (now - began) / 100 ))
  log "still waiting for $WAIT_FOR after $(( (now - t0) / 100 ))s: $why"
  next=$(( now + every * 100 ))
}
trap tick USR1
(
  trap '[ -n "$napper" ] && kill "$napper"; exit 0' TERM
  while :; do
    nap "$every"
    kill -USR1 $$ || exit 0
  done
) </dev/null >/dev/null 2>&1 &
helpers="$helpers $!"
next=$(( t0 + every * 100 ))
while :; do
  clock
  began=$now
  probe_once "$@"
  case $? in
    0) break ;;
    2) continue ;;
  esac
  clock
  [ "$limit" -gt 0 ] && [ $(( now - t0 )) -ge $(( limit * 100 )) ] && give_up
  if [ "$now" -ge "$next" ]; then
    log "still waiting for $WAIT_FOR after $(( (now - t0) / 100 ))s: $why"
    next=$(( now + every * 100 ))
  fi
  nap 0.3
done
cleanup
elapsed
log "$WAIT_FOR is ready after ${el}s"
