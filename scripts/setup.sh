#!/usr/bin/env bash
# Installs what the build and the tests need beyond a Rust toolchain, from
# Debian's packages, when missing (with sudo unless root):
#   build    protoc and the well-known types it imports (etcd-client's
#            build script)
#   servers  etcd and PostgreSQL (the cluster tests start their own)
#   browser  Chromium and ChromeDriver (the chat page's test)
# `scripts/setup.sh` alone installs all three; safe to run again: it
# installs only what is not there.
set -euo pipefail

groups=("$@")
[ ${#groups[@]} -eq 0 ] && groups=(build servers browser)
need=()
# protoc finds google/protobuf/*.proto: Debian ships them apart, in
# libprotobuf-dev (a Recommends of protobuf-compiler).
protoc_works() {
    local dir
    dir=$(mktemp -d)
    printf 'syntax = "proto3";\nimport "google/protobuf/descriptor.proto";\n' >"$dir/probe.proto"
    protoc -I"$dir" --descriptor_set_out=/dev/null "$dir/probe.proto" >/dev/null 2>&1
    local ok=$?
    rm -rf "$dir"
    return $ok
}
for group in "${groups[@]}"; do
    case $group in
    build) command -v protoc >/dev/null && protoc_works || need+=(protobuf-compiler libprotobuf-dev) ;;
    servers)
        command -v etcd >/dev/null || need+=(etcd-server)
        ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
        ;;
    browser)
        command -v chromium >/dev/null || need+=(chromium)
        command -v chromedriver >/dev/null || need+=(chromium-driver)
        ;;
    *) echo "setup: unknown group $group (build, servers, browser)" >&2; exit 2 ;;
    esac
done
[ ${#need[@]} -eq 0 ] && exit 0

# Without a terminal (as under cargo test), sudo fails rather than prompts.
sudo=()
[ "$(id -u)" -eq 0 ] || { [ -t 0 ] && sudo=(sudo) || sudo=(sudo -n); }
echo "setup: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >&2
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
# Debian starts the servers it installs; the tests start their own, so
# those just installed are stopped (servers that were there are left alone).
for package in "${need[@]}"; do
    case $package in
    etcd-server) service=etcd ;;
    postgresql) service=postgresql ;;
    *) continue ;;
    esac
    "${sudo[@]}" systemctl disable --now "$service" >/dev/null 2>&1 || true
    "${sudo[@]}" service "$service" stop >/dev/null 2>&1 || true
done
