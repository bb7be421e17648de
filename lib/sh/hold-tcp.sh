# The postStart hold of a sidecar whose readiness is a port (a TCP, HTTPS or
# gRPC probe's, else its first): returns once 127.0.0.1:$1 accepts a
# connection, trying every second. The kubelet starts the next container only
# when the hook returns. It runs in the sidecar's own image, inline in the
# hook's command (`sh -c TEXT hold-tcp PORT`), and asks of `nc` only `-w`.
until nc -w 1 127.0.0.1 "$1" </dev/null >/dev/null 2>&1; do sleep 1; done
