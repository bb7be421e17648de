# Kubernetes API waiters watch, they do not poll. The judge returns 0 (done),
# 2 (keep waiting, `why` says why) or 3 (failed for good, e.g. a failed Job)
# for each object line; any other line (an API error, a warning, a connection
# failure) is logged and becomes the reason, never a verdict. The judge of a
# round ends with its verdict as its status (1: the watch ended) and hands its
# last reason back on fd 3 (its first 300 bytes: a pipe holds 64 KiB), on
# SIGUSR1 at once (when the waiter gives up mid-round). Once it has a
# verdict it stops kubectl and reads what kubectl wrote before it stopped, up
# to the round's end mark: a pipe left full would hold that mark back.
judge_round() {
  trap 'printf "%.300s\n" "$why" >&3; exit 2' USR1
  rc=1
  while next_line; do
    case $line in
      "obj "*)
        was=$why
        ev=${line#obj }
        judge "${ev%% *}" "${ev#* }"
        rc=$?
        if [ "$rc" -eq 0 ] || [ "$rc" -eq 3 ]; then
          kill "$1" 2>/dev/null
          while next_line; do :; done
          break
        fi
        [ "$why" != "$was" ] && log "$why"
        rc=1 ;;
      *)
        [ "kubectl: $line" != "$why" ] && log "kubectl: $line"
        why="kubectl: $line" ;;
    esac
  done
  [ "$rc" -eq 1 ] && log "watch ended (kubectl exit $kstatus); $why"
  printf '%.300s\n' "$why" >&3
  exit "$rc"
}
# shellcheck disable=SC2317 # an upgrade waiter's polling loop redefines it
pending() {
  [ -n "$jpid" ] || return 0
  kill -USR1 "$jpid" 2>/dev/null
  wait "$jpid"
  collect
  [ -n "$out" ] && why=${out##*"$nl"}
}
progress() {
  trap '[ -n "$napper" ] && kill "$napper"; exit 0' TERM
  while :; do
    nap "$every"
    elapsed
    log "still waiting for $WAIT_FOR after ${el}s"
  done
}
# watch_round: one round of watching, judged: the verdict in `jstatus`, the
# last reason in `why`.
watch_round() {
  watch
  judge_round "$kpid" </dev/null &
  jpid=$!
  job="$kpid $jpid"
  watch_end
  [ -n "$out" ] && why=${out##*"$nl"}
}
