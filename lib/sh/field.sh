# field NAME LINE [DEFAULT]: the value of NAME=... in LINE, in `v` (DEFAULT,
# else nothing, when it is absent or empty). The API judges print named
# fields, since kubectl prints an absent one as nothing and word splitting
# would shift the next one into its place.
field() {
  v=""
  case " $2 " in *" $1="*) v=" $2 "; v=${v#*" $1="}; v=${v%% *} ;; esac
  v=${v:-${3:-}}
}
# object_gone EVENT LINE FIELD WHAT: true when the object of a watch event
# is gone: deleted (EVENT DELETED), or being deleted (FIELD, its
# deletionTimestamp, is set in LINE: its deletion waits on finalizers), with
# `why` saying so of WHAT. An object going is not there, whatever its status says. The pods
# judge, whose line is one pod's, reads its own.
# shellcheck disable=SC2120,SC2317 # the pods judge does not call it
object_gone() {
  if [ "$1" = DELETED ]; then why="$4 was deleted"; return 0; fi
  field "$3" "$2"
  [ -n "$v" ] || return 1
  why="$4 is being deleted"
}
