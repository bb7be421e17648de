# DNS: WAIT_HOST resolves (optionally through the server WAIT_DNS_SERVER).
# Judged by the answer, not the exit code: BusyBox's nslookup also asks for
# AAAA and exits 1 when only that query fails. Resolved means a line starting
# `Address` after one starting `Name:`.
probe() {
  nslookup "$WAIT_HOST" ${WAIT_DNS_SERVER:+"$WAIT_DNS_SERVER"} </dev/null >&3 2>&3 &
  job=$!
}
verdict() {
  case $nl$out in *"${nl}Name:"*"${nl}Address"*) return 0 ;; esac
  why="$WAIT_HOST does not resolve yet"
  return 1
}
probing() {
  why="$WAIT_HOST does not resolve yet (the lookup has not answered in ${1}s)"
}
