# The postStart hold of a sidecar with an HTTP readiness probe: returns once a
# GET of $3 on $1:$2 answers 200-399 (`check`, hook-http.sh), trying every
# second. Inline in the hook's command: `sh -c TEXT hold-http HOST PORT PATH`.
until check "$1" "$2" "$3"; do sleep 1; done
