#!/usr/bin/env bash
# Starts the chat as a cluster on loopback, for trying it out: etcd,
# PostgreSQL, two chat-servers registered in etcd (sharing the database) and
# two gates discovering them, each serving the chat page at GET /.
#
#   samples/gate-chat/cluster.sh            # then open the two pages it prints
#   BASE=20000 samples/gate-chat/cluster.sh # ports from 20000 (default 17000)
#
# Ports, from BASE: etcd +0/+1, PostgreSQL +2, chat-servers +10 and +11,
# gates (TCP, WebSocket and page) +20/+21 and +30/+31. Everything runs
# under one directory (printed; logs in its logs/ folder) and stops at
# Ctrl-C. Try the faults: kill a chat-server (its rooms move to the other),
# stop etcd (nothing breaks), stop a gate (only its sessions are kicked).
set -euo pipefail
cd "$(dirname "$0")/../.."

base=${BASE:-17000}
root=$(mktemp -d "${TMPDIR:-/tmp}/gate-chat-cluster.XXXXXX")
mkdir -p "$root/logs"
pids=()
stop() {
    trap - INT TERM EXIT
    echo "stopping…" >&2
    # The gates first, then the chat-servers, then etcd.
    for i in $(printf '%s\n' "${!pids[@]}" | sort -rn); do
        kill "${pids[$i]}" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    [ -n "${pg_ctl:-}" ] && as_postgres "$pg_ctl" -D "$root/pg" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$root"
}
trap 'stop; exit 130' INT TERM
trap stop EXIT

bash scripts/setup.sh
cargo build --release --quiet --bin gsgate --bin chat-server
bin=target/release

# PostgreSQL refuses to run as root: as root, it runs as `postgres`.
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pg_ctl=$pg_bin/pg_ctl
[ "$(id -u)" -eq 0 ] && chown postgres "$root"
as_postgres "$pg_bin/initdb" -D "$root/pg" -U postgres --auth=trust -E UTF8 >/dev/null
as_postgres "$pg_ctl" -D "$root/pg" -l "$root/pg.log" -w \
    -o "-p $((base + 2)) -k $root -c listen_addresses=127.0.0.1" start >/dev/null
db="postgres://postgres@127.0.0.1:$((base + 2))/postgres"

# Each server in a session of its own: Ctrl-C reaches this script, which
# stops them in order, rather than all of them at once.
setsid etcd --name cluster --data-dir "$root/etcd" \
    --listen-client-urls "http://127.0.0.1:$base" --advertise-client-urls "http://127.0.0.1:$base" \
    --listen-peer-urls "http://127.0.0.1:$((base + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((base + 1))" \
    --initial-cluster "cluster=http://127.0.0.1:$((base + 1))" >"$root/logs/etcd.log" 2>&1 &
pids+=($!)
etcd_url="http://127.0.0.1:$base"
for _ in $(seq 100); do
    curl -fs "$etcd_url/health" >/dev/null 2>&1 && break
    sleep 0.1
done

for i in 1 2; do
    setsid "$bin/chat-server" --listen "127.0.0.1:$((base + 9 + i))" --db "$db" --name "chat-$i" \
        --etcd "$etcd_url" --log-dir "$root/logs" >/dev/null 2>>"$root/logs/chat-$i.err" &
    pids+=($!)
done
for i in 1 2; do
    port=$((base + 10 * (i + 1)))
    GSGATE_TOKEN_SECRET=cluster-demo setsid "$bin/gsgate" --name "gate-$i" \
        --tcp "127.0.0.1:$port" --ws "127.0.0.1:$((port + 1))" \
        --etcd "$etcd_url" --schema samples/gate-chat/chat.gs \
        --page samples/gate-chat/web/chat.html --log-dir "$root/logs" >/dev/null 2>>"$root/logs/gate-$i.err" &
    pids+=($!)
done

cat <<INFO
The chat cluster is up (directory $root):
  etcd          $etcd_url
  PostgreSQL    $db
  chat-servers  127.0.0.1:$((base + 10)) (chat-1), 127.0.0.1:$((base + 11)) (chat-2)
  gate-1        http://127.0.0.1:$((base + 21))/  (TCP 127.0.0.1:$((base + 20)))
  gate-2        http://127.0.0.1:$((base + 31))/  (TCP 127.0.0.1:$((base + 30)))
Open both pages, register, log in and join a room; or
  cargo run --release --bin chat-client -- --tcp 127.0.0.1:$((base + 20))
Members: ETCDCTL_API=3 etcdctl --endpoints $etcd_url get --prefix /gscluster/
Ctrl-C stops everything.
INFO
# Until Ctrl-C. A process that exits (one killed to try a fault, say) is
# reported; the others go on.
while true; do
    for i in "${!pids[@]}"; do
        if ! kill -0 "${pids[$i]}" 2>/dev/null; then
            echo "process ${pids[$i]} of the cluster exited (logs: $root/logs)" >&2
            unset "pids[$i]"
        fi
    done
    [ ${#pids[@]} -eq 0 ] && exit 1
    sleep 1
done
