# probe_once ARGS: one probe, waited for, its output collected (see base.sh),
# judged: returns what `verdict` returns. `probe` and `verdict` are the
# check's (one-check.sh, or check-several.sh; see poll-loop.sh); the
# waiter's loop and the gate's both call it.
# A trapped signal that does not end the script (the waiter's progress tick)
# interrupts `wait`; then the job, still running, is waited for again.
probe_once() {
  probe "$@"
  while :; do
    wait "$job"
    rc=$?
    [ "$rc" -gt 128 ] && kill -0 "$job" 2>/dev/null && continue
    break
  done
  job=""
  collect
  verdict "$rc"
}
