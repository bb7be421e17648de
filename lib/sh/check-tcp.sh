# TCP: every `host:port` in WAIT_ADDRESSES (space separated) accepts a
# connection. Against a ClusterIP Service this means some Ready pod listens.
# `nc -w` bounds only the connect, and nc stays until the server closes, so
# `timeout` bounds the whole exchange: a server that never closes is reported,
# not waited on forever (and not taken as ready: a name lookup that hangs would
# look the same).
check() {
  for a in $WAIT_ADDRESSES; do
    err=$(timeout 5 nc -w 2 "${a%:*}" "${a##*:}" </dev/null 2>&1 >/dev/null)
    case $? in
      0) ;;
      124|143) why="$a: no result within 5s (the server kept the connection open after ours closed, or the name lookup hung); for such a server use WaitFor.http or WaitFor.command"; return 1 ;;
      *) why="$a: ${err:-connection failed}"; return 1 ;;
    esac
  done
}
