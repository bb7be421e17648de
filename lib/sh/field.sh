# field NAME LINE [DEFAULT]: the value of NAME=... in LINE, in `v` (DEFAULT,
# else nothing, when it is absent or empty). The API judges print named
# fields, since kubectl prints an absent one as nothing and word splitting
# would shift the next one into its place.
field() {
  v=""
  case " $2 " in *" $1="*) v=" $2 "; v=${v#*" $1="}; v=${v%% *} ;; esac
  v=${v:-${3:-}}
}
