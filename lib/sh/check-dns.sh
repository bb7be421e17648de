# DNS: WAIT_HOST resolves (optionally through the server WAIT_DNS_SERVER).
# Judged by the answer, not the exit code: BusyBox's nslookup also asks for
# AAAA and exits 1 when only that query fails.
check() {
  if nslookup "$WAIT_HOST" ${WAIT_DNS_SERVER:+"$WAIT_DNS_SERVER"} 2>&1 | sed '1,/^Name:/d' | grep -q '^Address'; then
    return 0
  fi
  why="$WAIT_HOST does not resolve yet"
  return 1
}
