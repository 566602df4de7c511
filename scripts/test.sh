#!/usr/bin/env bash
# The project's test command (README, .ci/run): installs the registry servers when missing, restores, builds
# Release, runs every test project against real local servers, and ends with one line 'N passed, N failed'.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/install-backends.sh || { echo "install-backends failed: ZooKeeper and etcd are needed (apt-get install zookeeper etcd-server etcd-client)"; echo "0 passed, 1 failed"; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet restore SdKit.sln || { echo "0 passed, 1 failed"; exit 1; }
dotnet build SdKit.sln -c Release --no-restore || { echo "0 passed, 1 failed"; exit 1; }

results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"
passed=0; failed=0; skipped=0; broken=()

for proj in tests/*.Tests/*.csproj; do
  name=$(basename "$proj" .csproj)
  echo "=== $name"
  dotnet test "$proj" -c Release --no-build --results-directory "$results/$name" \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --blame-hang --blame-hang-timeout 8m
  rc=$?
  trx="$results/$name/$name.trx"
  p=0; f=0; s=0
  if [ -f "$trx" ]; then
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); p=${p:-0}
    f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=${f:-0}
    s=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters"); s=${s:-0}
  fi
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; broken+=("$name (exit $rc without a failed test: crashed or hung)"); fi
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done

if [ -x scripts/soak-short.sh ]; then
  if bash scripts/soak-short.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); broken+=("soak (short run)"); fi
fi

# The names of failed tests go last, beside the total, so that a CI log's tail says which ones failed.
for trx in "$results"/*/*.trx; do
  [ -f "$trx" ] || continue
  grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" | sed -n 's/.* testName="\([^"]*\)".*/failed: \1/p' | head -20
done
for b in "${broken[@]}"; do echo "broken: $b"; done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
