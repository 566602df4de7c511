#!/usr/bin/env bash
# The short CI soak (issue 7): two minutes of seeded faults per backend against a real three-member cluster on
# loopback. Exits non-zero when the invariant breaks (a fault not converged within session/TTL + 2 s, a registration
# lost, an unobserved exception, leaked endpoints, or growing memory/threads). scripts/test.sh counts it as one test.
# Environment: SOAK_MINUTES (default 2), SOAK_SEED (default 7), SOAK_BACKENDS (default "etcd zk").
set -uo pipefail
cd "$(dirname "$0")/.."
minutes=${SOAK_MINUTES:-2}
seed=${SOAK_SEED:-7}
backends=${SOAK_BACKENDS:-"etcd zk"}

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build tests/SdKit.Soak -c Release -v quiet -nologo || { echo "soak: build failed"; exit 1; }

status=0
for backend in $backends; do
  out="artifacts/soak/ci-$backend-seed$seed"
  rm -rf "$out"
  echo "=== soak $backend: $minutes min, seed $seed (log and plot in $out)"
  # Cluster start, the fault phase and the last convergence wait fit well inside this limit.
  timeout --kill-after=30s "$(( ${minutes%.*} * 60 + 360 ))s" \
    dotnet run -c Release --no-build --project tests/SdKit.Soak -- --backend "$backend" --minutes "$minutes" --seed "$seed" --out "$out"
  rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "soak $backend: INVARIANT BROKEN or run failed (exit $rc); see $out/faults.log"
    status=1
  else
    echo "soak $backend: invariant held"
  fi
done
exit $status
