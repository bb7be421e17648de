# The check of a postStart hold (httpCheckFor): HTTP/1.0 GET of WAIT_PATH on
# WAIT_HOST:WAIT_PORT, written by hand over `nc` so it works where `wget` does
# not; the status code must match one of WAIT_STATUS (space separated codes or
# `lo-hi` ranges). It runs in the sidecar's own image, so it asks of `nc` only
# what most netcats do (no `-e`), and `check` returns when it is done.
check() {
  line=$(printf 'GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: cdk8s-ordered\r\nConnection: close\r\n\r\n' "$WAIT_PATH" "$WAIT_HOST:$WAIT_PORT" \
    | timeout 5 nc -w 2 "$WAIT_HOST" "$WAIT_PORT" 2>&1 | head -n 1 | tr -d '\r')
  code=$(echo "$line" | sed -n 's|^HTTP/[0-9.]* \([0-9][0-9][0-9]\).*|\1|p')
  if [ -z "$code" ]; then why="no HTTP response (${line:-connection failed})"; return 1; fi
  if status_ok "$code"; then return 0; fi
  why="HTTP $code, want $WAIT_STATUS"
  return 1
}
