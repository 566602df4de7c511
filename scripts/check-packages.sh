#!/usr/bin/env bash
# Packs every project under src/ into a temporary folder and checks what each package promises (docs/architecture.md):
# its own README (first line "# <package id>"), the MIT license expression, XML docs beside every library assembly,
# and the package graph in the nuspec dependencies: SdKit and SdKit.ZooKeeper.Client depend on no SdKit package,
# SdKit.Hosting only on SdKit (never a backend or dotnet-etcd), a backend on no other backend, no analyzer leaks.
# Exits non-zero naming every broken promise.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for project in "$root"/src/*/*.csproj; do
  dotnet pack "$project" -c Release -o "$out" --nologo -v quiet > "$out/pack.log" 2>&1 || { cat "$out/pack.log" >&2; exit 1; }
done

python3 - "$out" <<'PY'
import re, sys, zipfile, glob, os
out = sys.argv[1]
allowed = {  # SdKit packages each package may depend on
    "SdKit": set(),
    "SdKit.ZooKeeper.Client": set(),
    "SdKit.Hosting": {"SdKit"},
    "SdKit.ZooKeeper": {"SdKit", "SdKit.ZooKeeper.Client", "SdKit.Hosting"},
    "SdKit.Etcd": {"SdKit", "SdKit.Hosting"},
    "SdKit.Cli": set(),  # a tool carries its dependencies inside
}
forbidden_elsewhere = {"SdKit.Hosting": {"dotnet-etcd"}, "SdKit": {"dotnet-etcd"}, "SdKit.ZooKeeper.Client": {"dotnet-etcd"}}
problems = []
for path in sorted(glob.glob(os.path.join(out, "*.nupkg"))):
    package = zipfile.ZipFile(path)
    names = package.namelist()
    nuspec = package.read(next(n for n in names if n.endswith(".nuspec"))).decode("utf-8")
    pid = re.search(r"<id>([^<]+)</id>", nuspec).group(1)
    deps = set(re.findall(r'<dependency id="([^"]+)"', nuspec))
    if pid not in allowed:
        problems.append(f"{pid}: a package the check does not know; add it to scripts/check-packages.sh")
        continue
    beyond = {d for d in deps if d.startswith("SdKit")} - allowed[pid]
    if beyond:
        problems.append(f"{pid} depends on {sorted(beyond)}")
    if deps & forbidden_elsewhere.get(pid, set()):
        problems.append(f"{pid} depends on {sorted(deps & forbidden_elsewhere[pid])}")
    if any("Analyzers" in d and "CodeAnalysis" in d for d in deps):
        problems.append(f"{pid} leaks an analyzer dependency")
    if "<readme>README.md</readme>" not in nuspec or "README.md" not in names:
        problems.append(f"{pid} has no README.md")
    elif not package.read("README.md").decode("utf-8").startswith(f"# {pid}\n"):
        problems.append(f"{pid}'s README.md is not its own (it does not start with '# {pid}')")
    if '<license type="expression">MIT</license>' not in nuspec:
        problems.append(f"{pid} has no MIT license expression")
    for dll in (n for n in names if n.startswith("lib/") and n.endswith(f"/{pid}.dll")):
        if dll[:-4] + ".xml" not in names:
            problems.append(f"{pid}: {dll} has no XML docs beside it")
    print(f"check-packages: {pid}: depends on {', '.join(sorted(deps)) or 'nothing'}")
for p in problems:
    print(f"check-packages: FAIL {p}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY
