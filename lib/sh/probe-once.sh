# probe_once ARGS: one probe, waited for, its output collected (see base.sh),
# judged: returns what `verdict` returns. The check defines `probe` and
# `verdict` (see poll-loop.sh); the waiter's loop and the gate's both call it.
probe_once() {
  probe "$@"
  wait "$job"
  rc=$?
  job=""
  collect
  verdict "$rc"
}
