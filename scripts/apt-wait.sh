# shellcheck shell=bash
# Sourced by install-deps.sh. apt_get ARGS...: runs `apt-get ARGS...` (through
# $SUDO when set); while another apt or dpkg process holds one of apt's locks
# (a boot-time unattended upgrade, a second install), waits for it instead of
# failing at once: retries every APT_LOCK_POLL seconds (default 5) for up to
# APT_LOCK_WAIT seconds (default 300), saying who holds the lock.
apt_get() {
  local limit="${APT_LOCK_WAIT:-300}" poll="${APT_LOCK_POLL:-5}" start=$SECONDS told=-1 err rc
  err="$(mktemp)"
  while :; do
    rc=0
    ${SUDO:-} apt-get "$@" 2>"$err" || rc=$?
    if [ "$rc" -eq 0 ] || ! grep -qE 'Could not get lock|Unable to acquire the dpkg frontend lock|Unable to lock' "$err"; then
      cat "$err" >&2
      rm -f "$err"
      return "$rc"
    fi
    local waited=$((SECONDS - start))
    # One line when the wait starts, then one every 30 seconds.
    if [ "$told" -lt 0 ] || [ $((waited - told)) -ge 30 ]; then
      echo "install-deps: waiting for another apt or dpkg process to release its lock (${waited}s of at most ${limit}s): $(grep -m1 -E 'Could not get lock|Unable to' "$err" | sed 's/^E: //')" >&2
      told=$waited
    fi
    if [ "$waited" -ge "$limit" ]; then
      cat "$err" >&2
      echo "install-deps: gave up after ${waited}s: another apt or dpkg process still holds the lock; wait for it to finish (or stop it) and run this again" >&2
      rm -f "$err"
      return "$rc"
    fi
    sleep "$poll"
  done
}
