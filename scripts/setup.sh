#!/usr/bin/env bash
# Installs what the build and the tests need beyond a Rust toolchain, from
# Debian's packages, when missing: protoc (etcd-client's build), etcd, and
# PostgreSQL (the cluster tests), Chromium and ChromeDriver (the browser
# test). Safe to run again: it installs only what is not there.
set -euo pipefail

need=()
command -v protoc >/dev/null || need+=(protobuf-compiler)
command -v etcd >/dev/null || need+=(etcd-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
[ ${#need[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "setup: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >&2
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
# Debian starts the packaged servers; the tests start their own.
for service in etcd postgresql; do
    "${sudo[@]}" systemctl disable --now "$service" >/dev/null 2>&1 || true
    "${sudo[@]}" service "$service" stop >/dev/null 2>&1 || true
done
