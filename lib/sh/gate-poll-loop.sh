# A gate over a probed check (see poll-loop.sh for `probe` and `verdict`):
# probed every GATE_PERIOD seconds (default 5).
while :; do
  probe_once "$@"
  case $? in
    0) [ "$state" = True ] || gate True "$WAIT_FOR is ready" Ready ;;
    1) [ "$state" = False ] || gate False "$why" NotReady ;;
    2) continue ;;
  esac
  nap "${GATE_PERIOD:-5}"
done
