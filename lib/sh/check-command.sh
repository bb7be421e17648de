# A user command, run until it exits 0. The command is the script's arguments
# (`sh -c SCRIPT wait-for CMD ARG...`), handed to `probe` by the loop, since a
# shell function has positional parameters of its own. Its output is kept by
# the job, which hands back the last line.
probe() {
  (
    o=$("$@" 2>&1 </dev/null 3>&- 4>&-)
    rc=$?
    printf '%s\n' "${o##*"$nl"}"
    exit "$rc"
  ) >&3 2>&3 &
  job=$!
}
verdict() {
  [ "$1" -eq 0 ] && return 0
  why="command exited $1: $out"
  return 1
}
probing() {
  why="the command has run ${1}s without exiting"
}
