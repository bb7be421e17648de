# The preStop hold of ordered shutdown: returns once the file $1 exists (the
# shutdown-order container creates it when the dependents are gone, see
# shutdown.sh) or $2 seconds have passed, and not before $3 seconds (the drain
# pause; 0 for none). Inline in the hook's command:
# `sh -c TEXT hold-shutdown FLAG BOUND PAUSE`.
i=0
while { [ ! -e "$1" ] && [ "$i" -lt "$2" ]; } || [ "$i" -lt "$3" ]; do sleep 1; i=$((i+1)); done
