# Pods matching a label selector: lines are `<pod> <Ready status>
# <deletionTimestamp>`; done when at least WAIT_MIN_READY distinct pods are
# Ready, neither being deleted nor deleted. `ready` holds their names.
query='{.object.metadata.name} {.object.status.conditions[?(@.type=="Ready")].status} {.object.metadata.deletionTimestamp}{"\n"}'
ready=" "
judge() {
  # shellcheck disable=SC2086 # the line is split into its words on purpose
  set -- "$1" $2
  case $ready in *" $2 "*) ready="${ready%%" $2 "*} ${ready#*" $2 "}" ;; esac
  if [ "$1" != DELETED ] && [ "${3:-}" = True ] && [ -z "${4:-}" ]; then ready="$ready$2 "; fi
  # shellcheck disable=SC2086 # one word per Ready pod
  set -- $ready
  if [ "$#" -ge "$WAIT_MIN_READY" ]; then return 0; fi
  why="$# of $WAIT_MIN_READY pods Ready"
  return 2
}
