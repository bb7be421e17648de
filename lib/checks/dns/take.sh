# take_dns HOST [SERVER]: a WAIT_CHECKS line's parameters (`dns NAME HOST
# [SERVER]`) into this check's, in a waiter of several (check-several.sh
# calls it).
take_dns() {
  WAIT_HOST=$1 WAIT_DNS_SERVER=${2:-}
}
