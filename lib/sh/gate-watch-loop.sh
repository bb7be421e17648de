# A gate over a watch: every object line is judged and may flip the gate;
# other lines are logged. The judge of a round sets the gate itself and hands
# the gate's value back on fd 3 as it ends; a PATCH that fails ends the round
# (what kubectl printed until then is read and dropped, so it cannot reach
# the next round), and the next round (after the backoff) lists, judges and
# patches anew. A round that starts with the gate True first lists the
# objects: if none is left (deleted while no watch was open), the gate turns
# False.
judge_round() {
  failed=""
  while next_line; do
    [ -n "$failed" ] && continue
    case $line in
      "obj "*)
        ev=${line#obj }
        if judge "${ev%% *}" "${ev#* }"; then
          [ "$state" = True ] || set_gate True "$WAIT_FOR is ready" Ready || failed=1
        else
          [ "$state" = False ] || set_gate False "$why" NotReady || failed=1
        fi
        [ -n "$failed" ] && kill "$1" 2>/dev/null ;;
      *) log "kubectl: $line" ;;
    esac
  done
  [ -z "$failed" ] && log "watch ended (kubectl exit $kstatus); watching again"
  echo "state $state" >&3
}
gone() {
  (
    names=$(kubectl get "$WAIT_RESOURCE" -n "$WAIT_NAMESPACE" "$WAIT_SELECTOR_FLAG" "$WAIT_SELECTOR" -o name 2>/dev/null 3>&- 4>&- 5>&-) &&
      [ -z "$names" ] && echo gone >&3
  ) &
  job=$!
  wait "$job"
  job=""
  collect
  [ "$out" = gone ]
}
while :; do
  if [ "$round" -gt 0 ] && [ "$state" = True ] && gone; then
    gate False "nothing matches any more (deleted while no watch was open)" NotReady
  fi
  watch
  judge_round "$kpid" </dev/null &
  jpid=$!
  job="$kpid $jpid"
  watch_end
  case $out in *"state "*) state=${out##*state } ;; esac
  backoff
done
