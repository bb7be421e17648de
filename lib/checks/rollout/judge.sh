# A rollout: the line is `<name> del=<deletionTimestamp> gen=<generation> seen=<observedGeneration>
# want=<desired> updated=<updated> available=<available> total=<total>` (named,
# as an absent status field prints as nothing): done when the controller has
# seen the latest spec and every wanted replica is updated and available, with
# no old one left. The fields depend on the kind (WAIT_RESOURCE).
case $WAIT_RESOURCE in
  daemonsets*) fields='want={.object.status.desiredNumberScheduled} updated={.object.status.updatedNumberScheduled} available={.object.status.numberAvailable} total={.object.status.currentNumberScheduled}' ;;
  statefulsets*) fields='want={.object.spec.replicas} updated={.object.status.updatedReplicas} available={.object.status.readyReplicas} total={.object.status.replicas}' ;;
  *) fields='want={.object.spec.replicas} updated={.object.status.updatedReplicas} available={.object.status.availableReplicas} total={.object.status.replicas}' ;;
esac
query="{.object.metadata.name} del={.object.metadata.deletionTimestamp} gen={.object.metadata.generation} seen={.object.status.observedGeneration} $fields{\"\\n\"}"
judge() {
  object_gone "$1" "$2" del "${2%% *}" && return 2
  field gen "$2" 0; g=$v
  field seen "$2" 0; og=$v
  field want "$2" 1; want=$v
  field updated "$2" 0; upd=$v
  field available "$2" 0; avail=$v
  field total "$2" 0; total=$v
  if [ "$og" -ge "$g" ] && [ "$upd" -ge "$want" ] && [ "$avail" -ge "$want" ] && [ "$total" -le "$want" ]; then return 0; fi
  why="$upd of $want updated, $avail available, $total total (generation $og/$g)"
  return 2
}
