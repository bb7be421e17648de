# Several network checks in one waiter (every wait of a pod with the same
# timeout whose check can share a waiter): WAIT_CHECKS holds one per line,
#   KIND NAME PARAMETERS...
# taken one after another: the first is probed until it passes, then the
# next, so each is logged ready as it passes and the waiter is ready once the
# last one is. The checks are those of lib/checks/KIND/, included before this,
# whose functions bear their kind's name (probe_tcp...); `take_KIND`
# (lib/checks/KIND/take.sh) sets the check's parameters from the rest of its
# line (`tcp NAME HOST:PORT...`, `http NAME HOST PORT PATH CODE...`,
# `dns NAME HOST [SERVER]`). This defines the names the loop calls again to
# call the kind at hand's, and names its dependency in every reason.
todo=$WAIT_CHECKS
kind=""
name=""
# take: the next line of WAIT_CHECKS into the check's parameters; 1 when none is left.
take() {
  line=""
  while [ -z "$line" ] && [ -n "$todo" ]; do
    line=${todo%%"$nl"*}
    case $todo in *"$nl"*) todo=${todo#*"$nl"} ;; *) todo="" ;; esac
  done
  [ -n "$line" ] || return 1
  set -f
  # shellcheck disable=SC2086 # one word per field
  set -- $line
  set +f
  kind=$1
  name=$2
  shift 2
  "take_$kind" "$@"
  return 0
}
probe() { "probe_$kind"; }
verdict() {
  "verdict_$kind" "$1"
  case $? in
    0)
      elapsed
      log "$name is ready after ${el}s"
      take || return 0
      return 2 ;;
    1) why="$name: $why"; return 1 ;;
  esac
  return 2
}
probing() {
  "probing_$kind" "$1"
  why="$name: $why"
}
take
