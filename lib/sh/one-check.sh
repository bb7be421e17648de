# The names the loops call (probe-once.sh, poll-loop.sh, gate-poll-loop.sh)
# in a script of one check: its kind's functions (probe_tcp...), the kind set
# by its check.sh. check-several.sh defines them for a script of several.
probe() { "probe_$kind" "$@"; }
verdict() { "verdict_$kind" "$@"; }
probing() { "probing_$kind" "$@"; }
