# A user command, run until it exits 0. The command is the script's arguments
# (`sh -c SCRIPT wait-for CMD ARG...`), handed to `check` by the loop, since a
# shell function has positional parameters of its own.
check() {
  out=$("$@" 2>&1)
  rc=$?
  [ "$rc" -eq 0 ] && return 0
  why="command exited $rc: $(echo "$out" | tail -n 1)"
  return 1
}
