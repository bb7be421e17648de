# A gate over a watch: every object line kubectl prints is judged and may flip
# the gate; other lines are logged.
while :; do
  kubectl get "$WAIT_RESOURCE" -n "$WAIT_NAMESPACE" "$WAIT_SELECTOR_FLAG" "$WAIT_SELECTOR" --watch -o "jsonpath=obj $query" 2>&1 | {
    while IFS= read -r line; do
      case $line in
        "obj "*) if judge "${line#obj }"; then set_gate True "$WAIT_FOR is ready" Ready; else set_gate False "$why" NotReady; fi ;;
        *) log "kubectl: $line" ;;
      esac
    done
  }
  log "watch ended; watching again"
  sleep 1 & wait $!
done
