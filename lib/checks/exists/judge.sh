# An object exists: it is listed, added or modified, and is not being deleted
# (`deleting=` its deletionTimestamp, named as kubectl prints an absent field
# as nothing); not once it is deleted.
query='{.object.metadata.name} deleting={.object.metadata.deletionTimestamp}{"\n"}'
judge() {
  object_gone "$1" "$2" deleting "${2%% *}" && return 2
  # there only with its field, empty: a line without it is not taken as there
  case " $2 " in *" deleting= "*) return 0 ;; esac
  why="${2%% *} is being deleted"
  return 2
}
