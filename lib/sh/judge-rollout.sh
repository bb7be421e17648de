# A rollout: the line is `<name> gen=<generation> seen=<observedGeneration>
# want=<desired> updated=<updated> available=<available> total=<total>` (named,
# as an absent status field prints as nothing): done when the controller has
# seen the latest spec and every wanted replica is updated and available, with
# no old one left. The fields depend on the kind (WAIT_RESOURCE).
case $WAIT_RESOURCE in
  daemonsets*) fields='want={.status.desiredNumberScheduled} updated={.status.updatedNumberScheduled} available={.status.numberAvailable} total={.status.currentNumberScheduled}' ;;
  statefulsets*) fields='want={.spec.replicas} updated={.status.updatedReplicas} available={.status.readyReplicas} total={.status.replicas}' ;;
  *) fields='want={.spec.replicas} updated={.status.updatedReplicas} available={.status.availableReplicas} total={.status.replicas}' ;;
esac
query="{.metadata.name} gen={.metadata.generation} seen={.status.observedGeneration} $fields{\"\\n\"}"
field() { printf ' %s ' "$2" | sed -n "s/.* $1=\([^ ]*\) .*/\1/p"; }
judge() {
  g=$(field gen "$1"); og=$(field seen "$1"); want=$(field want "$1")
  upd=$(field updated "$1"); avail=$(field available "$1"); total=$(field total "$1")
  g=${g:-0}; og=${og:-0}; want=${want:-1}; upd=${upd:-0}; avail=${avail:-0}; total=${total:-0}
  if [ "$og" -ge "$g" ] && [ "$upd" -ge "$want" ] && [ "$avail" -ge "$want" ] && [ "$total" -le "$want" ]; then return 0; fi
  why="$upd of $want updated, $avail available, $total total (generation $og/$g)"
  return 2
}
