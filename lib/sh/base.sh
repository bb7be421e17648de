# What every script starts with. The shell never blocks in `$(...)` or in a
# foreground command for long: slow work runs as a background job, and the
# shell waits on it with `wait` (or naps with `nap`), which a trapped signal
# (SIGTERM, or SIGALRM from `alarm`) interrupts at once. A job hands back what
# it printed on fd 3 (see `collect`).
set -u
nl='
'
job=""
napper=""
helpers=""
# clock: `now`, in centiseconds, from /proc/uptime, which the shell reads
# itself (no fork); `date +%s` where there is no /proc. The source is chosen
# once: a read of /proc/uptime that fails later (a signal can cut it short in
# a trap) keeps the last reading, and never mixes the two clocks, whose
# difference would read as decades.
uptime=""
read -r up _ 2>/dev/null </proc/uptime && uptime=1
clock() {
  if [ -z "$uptime" ]; then
    now=$(( $(date +%s) * 100 ))
  elif read -r up _ 2>/dev/null </proc/uptime; then
    now=$(( ${up%.*} * 100 + 1${up#*.} - 100 ))
  fi
}
clock
t0=$now
# elapsed: `el`, whole seconds since the script started.
# shellcheck disable=SC2034 # not every script reads it
elapsed() { clock; el=$(( (now - t0) / 100 )); }
# fd 3 and fd 4: pipes this shell holds both ends of. A here-document is a
# pipe in ash, dash and bash 5.1+; reopened read-write through /proc/self/fd
# it gets a write end too. Jobs write on fd 3; nobody writes on fd 4, so
# `read -t` on it is a nap without a fork. Without /proc both are /dev/null:
# jobs' output is lost (reasons say less) and naps fork `sleep`.
exec 3<<'EOF'
x
EOF
exec 4<<'EOF'
x
EOF
quiet=""
if { command exec 3<>/proc/self/fd/3 4<>/proc/self/fd/4; } 2>/dev/null; then
  read -r _ <&3
  read -r _ <&4
  # ash and bash take `read -t` with fractions (a timeout returns 1, or 142
  # in bash); dash has no -t.
  # shellcheck disable=SC3045
  (read -r -t 0.01 _ <&4) 2>/dev/null
  case $? in 1|1[3-9][0-9]) quiet=1 ;; esac
else
  exec 3<>/dev/null 4<>/dev/null
fi
# nap SECONDS (fractions allowed): sleeps; a trapped signal ends it at once.
nap() {
  if [ -n "$quiet" ]; then
    # shellcheck disable=SC3045 # only where the shell has it (checked above)
    read -r -t "$1" _ <&4
  else
    sleep "$1" >/dev/null 2>&1 &
    napper=$!
    wait "$napper" || kill "$napper" 2>/dev/null
    napper=""
  fi
}
# collect: `out`, what jobs wrote on fd 3 since the last call. This shell
# writes a mark after it and reads up to the mark, so the read never waits
# (jobs write little: a line or a few).
mark=-ordered-end-of-output-
collect() {
  out=""
  printf '%s\n' "$mark" >&3
  while IFS= read -r l <&3; do
    case $l in *"$mark") out=$out${l%"$mark"}; break ;; esac
    out=$out$l$nl
  done
  out=${out%"$nl"}
}
# alarm SECONDS: SIGALRM to this shell after that long, from a helper.
alarm() {
  (
    trap '[ -n "$napper" ] && kill "$napper"; exit 0' TERM
    nap "$1"
    kill -ALRM $$
  ) </dev/null >/dev/null 2>&1 &
  helpers="$helpers $!"
}
# cleanup: ends the job and the helpers this shell started.
cleanup() {
  for p in $job $napper $helpers; do kill "$p" 2>/dev/null; done
  return 0
}
