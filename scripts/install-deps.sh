#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine, then the npm packages.
#   - busybox-static: the stand-in for the busybox waiter image (scripts run under it)
#   - podman, runc: run the synthesized YAML for real (e2e; crun cannot run in this sandbox)
#   - catatonit: podman's pause process for pods (only recommended by the podman package)
#   - netavark, aardvark-dns: the network backend whose DNS resolves pod names and aliases
#   - iptables: netavark sets up pod networks with it (without it: "netavark: No such file or directory")
#   - nginx-light, dnsmasq-base: real servers the HTTP and DNS waiters are tested against
#   - shellcheck: every waiter script (lib/sh/*.sh and lib/checks/*/*.sh, as assembled) is checked by it
set -euo pipefail
cd "$(dirname "$0")/.."
# apt_get: waits (up to 5 minutes, saying so) while another apt or dpkg process holds the lock.
# shellcheck source=scripts/apt-wait.sh
. scripts/apt-wait.sh
need=()
command -v busybox >/dev/null || need+=(busybox-static)
command -v podman >/dev/null || need+=(podman)
command -v runc >/dev/null || need+=(runc)
command -v catatonit >/dev/null || need+=(catatonit)
[ -x /usr/lib/podman/netavark ] || need+=(netavark)
[ -x /usr/lib/podman/aardvark-dns ] || need+=(aardvark-dns)
[ -x /usr/sbin/iptables ] || need+=(iptables)
command -v nginx >/dev/null || need+=(nginx-light)
command -v dnsmasq >/dev/null && [ -x /usr/sbin/dnsmasq ] || need+=(dnsmasq-base)
command -v unzip >/dev/null || need+=(unzip)
command -v shellcheck >/dev/null || need+=(shellcheck)
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  apt_get update -qq
  DEBIAN_FRONTEND=noninteractive apt_get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
npm ci --no-audit --no-fund
