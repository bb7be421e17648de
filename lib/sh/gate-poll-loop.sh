# A gate over a polled check: checked every GATE_PERIOD seconds (default 5).
while :; do
  if check "$@"; then set_gate True "$WAIT_FOR is ready" Ready; else set_gate False "$why" NotReady; fi
  sleep "${GATE_PERIOD:-5}" & wait $!
done
