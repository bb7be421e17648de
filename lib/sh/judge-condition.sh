# A status condition: the line is `<name> <status>` where status is that of
# condition WAIT_CONDITION (a qualified name, checked at synth); done when it
# equals WAIT_STATUS.
query="{.metadata.name} {.status.conditions[?(@.type==\"$WAIT_CONDITION\")].status}{\"\\n\"}"
judge() {
  # shellcheck disable=SC2086 # the line is split into its words on purpose
  set -- $1
  if [ "${2:-}" = "$WAIT_STATUS" ]; then return 0; fi
  why="condition $WAIT_CONDITION is ${2:-not set}"
  return 2
}
