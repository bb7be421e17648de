# HTTP/1.0 GET of WAIT_PATH on WAIT_HOST:WAIT_PORT over `nc` (which works
# where `wget` does not); the status code must match one of WAIT_STATUS
# (space separated codes or `lo-hi` ranges). Once connected, nc runs a small
# sh in its place that sends the request and reads the status line, at most
# 200 bytes of it, for at most 5 s (`read -t`, `-n`), and hands it back on
# fd 3, cut to 200 bytes whatever its shell read: a server that answers with a
# long line can neither block the waiter nor fill its log.
# shellcheck disable=SC2016 # expanded by that sh, from its arguments
http_talk='printf "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: cdk8s-ordered\r\nConnection: close\r\n\r\n" "$1" "$2"
read -t 5 -n 200 -r l 2>/dev/null
[ $? -eq 2 ] && read -r l
printf "status-line: %.200s\n" "$l" >&2'
cr=$(printf '\r')
probe_http() {
  nc -w 2 "$WAIT_HOST" "$WAIT_PORT" -e sh -c "$http_talk" http "$WAIT_PATH" "$WAIT_HOST:$WAIT_PORT" </dev/null >&3 2>&3 &
  job=$!
}
verdict_http() {
  case $out in
    *status-line:*)
      line=${out#*status-line: }
      line=${line%%"$nl"*}
      line=${line%"$cr"}
      code=""
      case $line in "HTTP/"*" "[0-9][0-9][0-9]*) code=${line#* }; code=${code%"${code#???}"} ;; esac
      if [ -z "$code" ]; then
        why="no HTTP response (${line:-nothing within 5s, or the connection closed})"
        return 1
      fi
      status_ok "$code" && return 0
      why="HTTP $code, want $WAIT_STATUS"
      return 1 ;;
  esac
  why="no HTTP response (${out:-connection failed})"
  return 1
}
probing_http() {
  why="no HTTP response after ${1}s (connecting, or the server has not answered)"
}
# The kind whose functions a script of this check alone calls (one-check.sh);
# check-several.sh sets it for each line of WAIT_CHECKS.
kind='http'
