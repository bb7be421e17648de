# A status condition: the line is `<name> <status>` where status is that of
# condition WAIT_CONDITION (a qualified name, checked at synth); done when it
# equals WAIT_STATUS, and the object is not being deleted.
query="{.object.metadata.name} {.object.status.conditions[?(@.type==\"$WAIT_CONDITION\")].status}{\"\\n\"}"
judge() {
  # shellcheck disable=SC2086 # the line is split into its words on purpose
  set -- "$1" $2
  if [ "$1" = DELETED ]; then why="${2:-it} was deleted"; return 2; fi
  if [ "${3:-}" = "$WAIT_STATUS" ]; then return 0; fi
  why="condition $WAIT_CONDITION is ${3:-not set}"
  return 2
}
