# A Job: the line is `<name> complete=<Complete status> failed=<Failed status>
# deleting=<deletionTimestamp>`. Named fields, since kubectl prints an absent
# condition as nothing and word splitting would shift the next one into its
# place. Failed=True fails for good; a Job being deleted or deleted is waited
# for again (it may be created anew), whatever its conditions say.
query='{.object.metadata.name} complete={.object.status.conditions[?(@.type=="Complete")].status} failed={.object.status.conditions[?(@.type=="Failed")].status} deleting={.object.metadata.deletionTimestamp}{"\n"}'
judge() {
  object_gone "$1" "$2" deleting "the Job" && return 2
  field complete "$2"
  if [ "$v" = True ]; then return 0; fi
  field failed "$2"
  if [ "$v" = True ]; then why="the Job failed (condition Failed=True); see kubectl describe job"; return 3; fi
  why="the Job has not completed yet"
  return 2
}
