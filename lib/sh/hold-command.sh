# The postStart hold of a sidecar with an exec readiness probe: runs the
# probe's command, given as the arguments (`sh -c TEXT hold-command WORD...`),
# every second until it succeeds. Each word reaches the command as written:
# "$@" is not read again by the shell.
until "$@"; do sleep 1; done
