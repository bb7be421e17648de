# take_tcp HOST:PORT...: a WAIT_CHECKS line's parameters (`tcp NAME
# HOST:PORT...`) into this check's, in a waiter of several (check-several.sh
# calls it); a new round of addresses starts.
take_tcp() {
  WAIT_ADDRESSES=$*
  left=""
}
