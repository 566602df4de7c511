#!/usr/bin/env bash
# Rewrites the PublicAPI.Unshipped.txt of every library under src/ from its code: for each listed symbol that is gone
# (RS0017, read from a build) the line is dropped from Unshipped, or marked *REMOVED* in Unshipped when it had shipped;
# then the PublicApiAnalyzers' own code fix (dotnet format) adds each public symbol that is not listed (RS0016). Run it after changing a public surface, or when a merge brings API from another branch,
# then review the diff of the PublicAPI.*.txt files like code. The build fails on RS0016/RS0017 until they match.
#
#   scripts/update-public-api.sh                 every library
#   scripts/update-public-api.sh SdKit.Etcd ...  only these (names of folders under src/)
#
# Moving the entries of a release from Unshipped to Shipped is a separate, deliberate step (not done here).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ $# -gt 0 ]]; then
  libraries=("$@")
else
  # Every project under src/ except the sdkit tool (an executable nobody references: it has no tracked API).
  libraries=()
  for project in src/*/*.csproj; do
    name="$(basename "$project" .csproj)"
    [[ "$name" == "SdKit.Cli" ]] && continue
    libraries+=("$name")
  done
fi

for name in "${libraries[@]}"; do
  project="src/$name/$name.csproj"
  [[ -f "$project" ]] || { echo "update-public-api: no project $project" >&2; exit 2; }
  for list in PublicAPI.Shipped.txt PublicAPI.Unshipped.txt; do
    # A new library starts with empty lists that track nullable annotations (RS0037 asks for the header).
    [[ -f "src/$name/$list" ]] || printf '#nullable enable\n' > "src/$name/$list"
  done
  echo "update-public-api: $name"
  # RS0017 has no code fix: build once (fully, so the compiler runs and reports) with the rules as warnings and
  # apply what they report (list file and line).
  log="$(mktemp)"
  dotnet build "$project" -c Release --no-incremental -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= -nologo -clp:NoSummary > "$log" 2>&1 || {
    cat "$log" >&2; rm -f "$log"; echo "update-public-api: $project does not build" >&2; exit 1; }
  python3 - "src/$name" "$log" <<'PY'
import re, sys
folder, log = sys.argv[1], sys.argv[2]
gone = {}  # list file -> line numbers (1-based) of symbols that are gone
pattern = re.compile(r"(PublicAPI\.(?:Shipped|Unshipped)\.txt)\((\d+),\d+\): (?:warning|error) RS0017")
for line in open(log, encoding="utf-8"):
    match = pattern.search(line)
    if match and f"/{folder}/" in line.replace("\\", "/"):
        gone.setdefault(match.group(1), set()).add(int(match.group(2)))
unshipped_path = f"{folder}/PublicAPI.Unshipped.txt"
unshipped = open(unshipped_path, encoding="utf-8").read().splitlines()
removed = []
if "PublicAPI.Shipped.txt" in gone:
    shipped = open(f"{folder}/PublicAPI.Shipped.txt", encoding="utf-8").read().splitlines()
    removed = ["*REMOVED*" + shipped[n - 1] for n in sorted(gone["PublicAPI.Shipped.txt"])]
drop = gone.get("PublicAPI.Unshipped.txt", set())
if drop or removed:
    kept = [text for n, text in enumerate(unshipped, 1) if n not in drop]
    open(unshipped_path, "w", encoding="utf-8").write("\n".join(kept + [r for r in removed if r not in kept]) + "\n")
    print(f"update-public-api: {len(drop)} gone from Unshipped, {len(removed)} shipped marked *REMOVED*")
PY
  rm -f "$log"
  dotnet format analyzers "$project" --diagnostics RS0016 --severity warn --verbosity quiet
done

git -C "$root" --no-pager diff --stat -- 'src/*/PublicAPI.*.txt' || true
