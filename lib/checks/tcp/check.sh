# TCP: every `host:port` in WAIT_ADDRESSES (space separated) accepts a
# connection, as for a kubelet tcpSocket probe. `nc -w 2` bounds the connect
# (and, in Debian's busybox, the name lookup); once connected nc runs `true`
# in its place, which closes the connection at once, so nothing waits on a
# server that keeps connections open. Against a ClusterIP Service this means
# some Ready pod listens. One address per probe: `left` holds those still to
# try in this round.
left=""
probe_tcp() {
  [ -n "$left" ] || left=$WAIT_ADDRESSES
  # shellcheck disable=SC2086 # one word per address
  set -- $left
  at=$1
  shift
  left=$*
  nc -w 2 "${at%:*}" "${at##*:}" -e true </dev/null >&3 2>&3 &
  job=$!
}
verdict_tcp() {
  if [ "$1" -eq 0 ]; then
    [ -n "$left" ] && return 2
    return 0
  fi
  left=""
  why="$at: ${out:-connection failed (nc exit $1)}"
  return 1
}
probing_tcp() {
  why="$at: no connection after ${1}s (the connect or the name lookup has not finished)"
}
# The kind whose functions a script of this check alone calls (one-check.sh);
# check-several.sh sets it for each line of WAIT_CHECKS.
kind='tcp'
