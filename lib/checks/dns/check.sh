# DNS: WAIT_HOST resolves (optionally through the server WAIT_DNS_SERVER).
# Judged by the answer, not the exit code: BusyBox's nslookup also asks for
# AAAA and exits 1 when only that query fails. Resolved means a line starting
# `Address` after one starting `Name:`. The job hands back the first 20 lines
# of the answer, each cut to 200 bytes, and stops reading there: an nslookup
# that lists thousands of addresses (one that asks again over TCP) can
# neither block the waiter nor fill its memory.
probe_dns() {
  (
    nslookup "$WAIT_HOST" ${WAIT_DNS_SERVER:+"$WAIT_DNS_SERVER"} </dev/null 2>&1 3>&- 4>&- | {
      n=0
      while [ "$n" -lt 20 ] && IFS= read -r l; do
        printf '%.200s\n' "$l"
        n=$(( n + 1 ))
      done
    }
  ) >&3 2>&3 &
  job=$!
}
verdict_dns() {
  case $nl$out in *"${nl}Name:"*"${nl}Address"*) return 0 ;; esac
  why="$WAIT_HOST does not resolve yet"
  return 1
}
probing_dns() {
  why="$WAIT_HOST does not resolve yet (the lookup has not answered in ${1}s)"
}
# The kind whose functions a script of this check alone calls (one-check.sh);
# check-several.sh sets it for each line of WAIT_CHECKS.
kind='dns'
