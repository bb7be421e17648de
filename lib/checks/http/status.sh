# `status_ok CODE`: whether an HTTP status code matches one of WAIT_STATUS
# (space separated codes or `lo-hi` ranges). Shared by the HTTP waiter's check
# and the postStart hold's.
status_ok() {
  for s in $WAIT_STATUS; do
    case $s in
      *-*) [ "$1" -ge "${s%-*}" ] && [ "$1" -le "${s#*-}" ] && return 0 ;;
      *) [ "$1" -eq "$s" ] && return 0 ;;
    esac
  done
  return 1
}
