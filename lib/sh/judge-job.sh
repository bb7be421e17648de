# A Job: the line is `<name> complete=<Complete status> failed=<Failed status>`.
# Named fields, since kubectl prints an absent condition as nothing and word
# splitting would shift the next one into its place. Failed=True fails for good.
query='{.metadata.name} complete={.status.conditions[?(@.type=="Complete")].status} failed={.status.conditions[?(@.type=="Failed")].status}{"\n"}'
field() { printf ' %s ' "$2" | sed -n "s/.* $1=\([^ ]*\) .*/\1/p"; }
judge() {
  if [ "$(field complete "$1")" = True ]; then return 0; fi
  if [ "$(field failed "$1")" = True ]; then why="the Job failed (condition Failed=True); see kubectl describe job"; return 3; fi
  why="the Job has not completed yet"
  return 2
}
