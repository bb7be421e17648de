# `check HOST PORT PATH`, the check of a postStart hold (hold-http.sh):
# HTTP/1.0 GET of PATH on HOST:PORT, written by hand over `nc` so it works
# where `wget` does not; returns 0 once the status code is one a kubelet
# httpGet probe accepts (WAIT_STATUS, 200-399, for `status_ok`), else 1. It
# runs in the sidecar's own image, so it asks of `nc` only what most netcats
# do (no `-e`).
WAIT_STATUS=200-399
check() {
  line=$(printf 'GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: cdk8s-ordered\r\nConnection: close\r\n\r\n' "$3" "$1:$2" \
    | timeout 5 nc -w 2 "$1" "$2" 2>&1 | head -n 1 | tr -d '\r')
  code=$(echo "$line" | sed -n 's|^HTTP/[0-9.]* \([0-9][0-9][0-9]\).*|\1|p')
  [ -n "$code" ] && status_ok "$code"
}
