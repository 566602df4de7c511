#!/usr/bin/env bash
# The seed demo on every backend, on a fresh machine: installs ZooKeeper and etcd when missing, starts each on
# loopback with free ports in a temporary folder, runs `sdkit demo` in memory, on ZooKeeper and on etcd, and stops
# the servers again (also on failure or Ctrl-C). Exit code 0 only when all three demos held.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/install-backends.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build src/SdKit.Cli -c Release -v quiet -nologo >/dev/null
tool=$(ls "$root"/artifacts/bin/SdKit.Cli/release*/SdKit.Cli.dll | head -1)

work=$(mktemp -d -t sdkit-demo.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

wait_for() { # wait_for DESCRIPTION COMMAND...: retries the command for up to 60 s
  local what=$1; shift
  for _ in $(seq 1 120); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "demo.sh: $what did not start; its log:" >&2
  return 1
}

# ZooKeeper, standalone, from Debian's jars.
zk_port=$(free_port)
mkdir -p "$work/zk/data"
cat >"$work/zk/zoo.cfg" <<CFG
tickTime=200
dataDir=$work/zk/data
clientPort=$zk_port
clientPortAddress=127.0.0.1
admin.enableServer=false
4lw.commands.whitelist=ruok
CFG
cp=$(ls /usr/share/java/{zookeeper,zookeeper-jute,slf4j-api,slf4j-simple,netty-handler,netty-common,netty-buffer,netty-transport,netty-codec,netty-resolver,netty-transport-native-epoll,netty-transport-native-unix-common,commons-cli,metrics-core,snappy-java,jackson-databind,jackson-core,jackson-annotations}.jar 2>/dev/null | paste -sd:)
java -Xmx192m -XX:+UseSerialGC -Djava.net.preferIPv4Stack=true -Dzookeeper.admin.enableServer=false \
  -cp "$cp" org.apache.zookeeper.server.ZooKeeperServerMain "$work/zk/zoo.cfg" >"$work/zk/server.log" 2>&1 &
pids+=($!)

# etcd, one member.
etcd_port=$(free_port); peer_port=$(free_port)
etcd --name demo --data-dir "$work/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
  --initial-cluster "demo=http://127.0.0.1:$peer_port" >"$work/etcd.log" 2>&1 &
pids+=($!)

wait_for "ZooKeeper on 127.0.0.1:$zk_port" dotnet "$tool" list --zk "127.0.0.1:$zk_port" --timeout 2s || { tail -20 "$work/zk/server.log" >&2; exit 1; }
wait_for "etcd on 127.0.0.1:$etcd_port" dotnet "$tool" list --etcd "http://127.0.0.1:$etcd_port" --timeout 2s || { tail -20 "$work/etcd.log" >&2; exit 1; }

status=0
for backend in "--memory" "--zk 127.0.0.1:$zk_port" "--etcd http://127.0.0.1:$etcd_port"; do
  echo
  echo "=== sdkit demo $backend"
  # shellcheck disable=SC2086 # the backend option and its value are two words on purpose
  dotnet "$tool" demo $backend --timeout 30s || status=1
done

echo
if [ "$status" -eq 0 ]; then echo "demo.sh: the demo held on memory, ZooKeeper and etcd"; else echo "demo.sh: a demo failed" >&2; fi
exit "$status"
