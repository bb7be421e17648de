# Pods matching a label selector: lines are `<pod> <Ready status>
# <deletionTimestamp>`; done when at least WAIT_MIN_READY distinct pods are
# Ready and not being deleted.
query='{.metadata.name} {.status.conditions[?(@.type=="Ready")].status} {.metadata.deletionTimestamp}{"\n"}'
ready=" "
judge() {
  # shellcheck disable=SC2086 # the line is split into its words on purpose
  set -- $1
  ready=$(echo "$ready" | sed "s| $1 | |")
  if [ "${2:-}" = True ] && [ -z "${3:-}" ]; then ready="$ready$1 "; fi
  # shellcheck disable=SC2086 # one word per Ready pod
  set -- $ready
  n=$#
  if [ "$n" -ge "$WAIT_MIN_READY" ]; then return 0; fi
  why="$n of $WAIT_MIN_READY pods Ready"
  return 2
}
