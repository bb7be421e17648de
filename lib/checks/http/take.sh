# take_http HOST PORT PATH CODE...: a WAIT_CHECKS line's parameters (`http
# NAME HOST PORT PATH CODE...`) into this check's, in a waiter of several
# (check-several.sh calls it).
take_http() {
  WAIT_HOST=$1 WAIT_PORT=$2 WAIT_PATH=$3
  shift 3
  WAIT_STATUS=$*
}
