# A status condition: the line is `<name> status=<status> deleting=<deletion
# timestamp>` where status is that of condition WAIT_CONDITION (a qualified
# name, checked at synth); done when it equals WAIT_STATUS, and the object is
# not being deleted (an object whose deletion waits on finalizers is going,
# whatever its conditions say). Named fields, since kubectl prints an absent
# field as nothing. A status longer than 40 bytes (nothing validates a custom
# resource's) is told by its length: the reason is logged and handed back on
# a pipe, which a long one would fill.
query="{.object.metadata.name} status={.object.status.conditions[?(@.type==\"$WAIT_CONDITION\")].status} deleting={.object.metadata.deletionTimestamp}{\"\\n\"}"
judge() {
  object_gone "$1" "$2" deleting "${2%% *}" && return 2
  field status "$2"
  if [ "$v" = "$WAIT_STATUS" ]; then return 0; fi
  [ "${#v}" -le 40 ] || v="a value of ${#v} bytes"
  why="condition $WAIT_CONDITION is ${v:-not set}"
  return 2
}
