# An object exists: it is listed, added or modified, and is not being deleted
# (`deleting=` its deletionTimestamp, named as kubectl prints an absent field
# as nothing); not once it is deleted.
query='{.object.metadata.name} deleting={.object.metadata.deletionTimestamp}{"\n"}'
judge() {
  if [ "$1" = DELETED ]; then why="${2%% *} was deleted"; return 2; fi
  case " $2 " in *" deleting= "*) return 0 ;; esac
  why="${2%% *} is being deleted"
  return 2
}
