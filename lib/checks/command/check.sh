# A user command, run until it exits 0. The command is the script's arguments
# (`sh /ordered/wait-command.sh CMD ARG...`), handed by the loop to `probe`
# (one-check.sh) and on to `probe_command`, since a shell function has
# positional parameters of its own. The job hands back the
# last line the command printed, cut to 300 bytes: it reads all of the
# command's output as it comes (so the command never blocks on a full pipe)
# and keeps one line at a time, then exits with the command's status, which
# follows the output as a line of its own.
probe_command() {
  (
    { "$@" 2>&1 </dev/null 3>&- 4>&-; printf '\n%s\n' "$?"; } | {
      last=""
      l=""
      while IFS= read -r s; do
        [ -n "$l" ] && last=$l
        l=$s
      done
      printf '%.300s\n' "$last"
      exit "$l"
    }
  ) >&3 2>&3 &
  job=$!
}
verdict_command() {
  [ "$1" -eq 0 ] && return 0
  why="command exited $1: $out"
  return 1
}
probing_command() {
  why="the command has run ${1}s without exiting"
}
# The kind whose functions the script calls (one-check.sh).
kind='command'
