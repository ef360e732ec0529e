#!/usr/bin/env bash
# Runs an unpacked image's process the way a container runtime would, without one: in new mount and PID
# namespaces, chrooted into the image's root filesystem mounted READ-ONLY, with a tmpfs on /tmp (the image's only
# VOLUME), its own /proc and a /dev of null, zero, random and urandom, as the image's user. The process is PID 1
# of its namespace (the image's ENTRYPOINT, tini). The host's network is shared (the local stack on 127.0.0.1).
# Usage (as root): chroot-run.sh <rootfs> <uid:gid> <cwd> <NAME=value>... -- <arg>...
# The environment is exactly the NAME=value words given (env -i), as the image config and the caller set it.
set -euo pipefail
rootfs="$1" user="$2" cwd="$3"
shift 3
exec unshare --mount --pid --fork --propagation private bash -c '
  set -e; r="$1" user="$2" cwd="$3"; shift 3
  mount --bind "$r" "$r" && mount -o remount,bind,ro "$r"
  mount -t tmpfs -o size=64m,mode=1777,nosuid,nodev tmpfs "$r/tmp"
  mount -t proc -o nosuid,nodev,noexec proc "$r/proc"
  mount -t tmpfs -o size=1m,mode=755,nosuid tmpfs "$r/dev"
  for d in null zero random urandom; do touch "$r/dev/$d"; mount --bind "/dev/$d" "$r/dev/$d"; done
  env=(); while [ "$1" != -- ]; do env+=("$1"); shift; done; shift
  exec chroot --userspec="$user" "$r" /usr/bin/env -i "${env[@]}" /bin/sh -c "cd \"\$0\" && exec \"\$@\"" "$cwd" "$@"
' chroot-run "$rootfs" "$user" "$cwd" "$@"
