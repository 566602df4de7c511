#!/usr/bin/env bash
# Installs the registry servers the tests and the demo start on loopback: ZooKeeper 3.8 and etcd 3.4 from
# Debian's packages, Go with the seed's ZooKeeper library (the interop tests build the seed's Go programs offline,
# in GOPATH mode), Apache Curator 5.4 (x-discovery, framework and recipes, with a JDK whose javac compiles the Curator interop
# tests' Java peer), and chromium, which the dashboard's browser tests drive through Playwright. Idempotent and quick
# when they are already there.
set -euo pipefail

need=()
[ -f /usr/share/java/zookeeper.jar ] || need+=(zookeeper)
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || need+=(etcd-client)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v javac >/dev/null 2>&1 || need+=(default-jdk-headless)
[ -f /usr/share/java/curator-x-discovery.jar ] || need+=(libcurator-discovery-java)
[ -f /usr/share/java/curator-framework.jar ] || need+=(libcurator-framework-java)
# x-discovery's ServiceCache and ServiceProvider need the recipes jar, which Debian's package does not depend on.
[ -f /usr/share/java/curator-recipes.jar ] || need+=(libcurator-recipes-java)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v go >/dev/null 2>&1 || need+=(golang-go)
[ -d /usr/share/gocode/src/github.com/samuel/go-zookeeper/zk ] || need+=(golang-github-samuel-go-zookeeper-dev)
[ -x /usr/bin/chromium ] || need+=(chromium)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

echo "install-backends: installing ${need[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y --no-install-recommends "${need[@]}"
