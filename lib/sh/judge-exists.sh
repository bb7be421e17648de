# An object exists: it is listed, added or modified; not once it is deleted.
query='{.object.metadata.name}{"\n"}'
judge() {
  [ "$1" != DELETED ] && return 0
  why="${2:-it} was deleted"
  return 2
}
