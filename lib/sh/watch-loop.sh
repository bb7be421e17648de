# An API waiter's loop: a round of watching after another (watch.sh), each
# judged (watch-judge.sh), until the judge says done or failed for good.
progress </dev/null &
helpers="$helpers $!"
while :; do
  watch_round
  case $jstatus in
    0) cleanup; elapsed; log "$WAIT_FOR is ready after ${el}s"; exit 0 ;;
    3)
      cleanup
      elapsed
      log "ERROR: $WAIT_FOR failed after ${el}s: $why"
      tell "$WAIT_FOR failed after ${el}s: $why"
      exit 1 ;;
  esac
  backoff
done
