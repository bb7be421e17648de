# The rollout of a dependency, before its check (an upgrade-checked
# dependency): a new version of a pod that waits must not be answered by the
# previous version of what it waits for. The line is
#   `<name> del=<deletionTimestamp> gen=<generation> seen=<observedGeneration>
#    strategy=<update strategy> partition=<partition> replicas=<wanted>
#    updated=<pods of the current revision> ready=<available pods>
#    total=<pods of any revision> stuck=<Progressing reason>`
# (named fields: kubectl prints an absent one as nothing). Done when the
# controller has seen the latest spec, no pod of an older revision is left
# (for a partitioned StatefulSet: none above the partition) and at least one
# pod is available. A change of replicas alone never holds it (new pods are
# of the current revision); scaled to zero, nothing serves, so it holds. An
# OnDelete workload's pods change only when deleted: its rollout is not
# waited for. The fields depend on the kind (WAIT_RESOURCE); `dep` names the
# dependency in every reason.
# shellcheck disable=SC2034 # query is read by watch.sh
rollout_query() {
  case $WAIT_RESOURCE in
    daemonsets*) fields='strategy={.object.spec.updateStrategy.type} replicas={.object.status.desiredNumberScheduled} updated={.object.status.updatedNumberScheduled} ready={.object.status.numberAvailable} total={.object.status.currentNumberScheduled}' ;;
    statefulsets*) fields='strategy={.object.spec.updateStrategy.type} partition={.object.spec.updateStrategy.rollingUpdate.partition} replicas={.object.spec.replicas} updated={.object.status.updatedReplicas} ready={.object.status.readyReplicas} total={.object.status.replicas}' ;;
    *) fields='replicas={.object.spec.replicas} updated={.object.status.updatedReplicas} ready={.object.status.availableReplicas} total={.object.status.replicas} stuck={.object.status.conditions[?(@.type=="Progressing")].reason}' ;;
  esac
  query="{.object.metadata.name} del={.object.metadata.deletionTimestamp} gen={.object.metadata.generation} seen={.object.status.observedGeneration} $fields{\"\\n\"}"
}
judge() {
  object_gone "$1" "$2" del "$dep: ${2%% *}" && return 2
  field gen "$2" 0; g=$v
  field seen "$2" 0; og=$v
  if [ "$og" -lt "$g" ]; then why="$dep: its controller has not seen its latest spec yet (generation $og of $g)"; return 2; fi
  field replicas "$2" 0; want=$v
  field updated "$2" 0; upd=$v
  field ready "$2" 0; ready=$v
  field total "$2" 0; total=$v
  field strategy "$2"; strategy=$v
  field partition "$2" 0; part=$v
  [ "$part" -gt "$total" ] && part=$total
  if [ "$strategy" != OnDelete ] && [ $(( upd + part )) -lt "$total" ]; then
    why="$dep: rollout in progress, $upd/$total updated, $ready available"
    field stuck "$2"
    [ "$v" = ProgressDeadlineExceeded ] && why="$dep: rollout stuck (ProgressDeadlineExceeded), $upd/$total updated, $ready available"
    return 2
  fi
  if [ "$ready" -lt 1 ]; then
    if [ "$want" -eq 0 ]; then why="$dep: scaled to zero, no pod serves"; else why="$dep: no pod available yet (0 of $want)"; fi
    return 2
  fi
  return 0
}
