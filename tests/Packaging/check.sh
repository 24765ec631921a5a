#!/usr/bin/env bash
# Packs every package to a local folder feed and uses them as a new user would: installs the
# `engine` tool and runs `engine demo`, then builds and runs an app (Consumer/) that references
# the packages by PackageReference. Exits non-zero if a package is broken. Expects the solution
# built in Release (CI runs it after the tests).
set -euo pipefail
cd "$(dirname "$0")"
repo=$(cd ../.. && pwd)

# A version of its own for each run: the NuGet cache never hands back an older package with
# the same version, and the run's packages are removed from the cache at the end.
version="0.1.0-check.$(date +%s)"
work=$(mktemp -d)
cache=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
cleanup() {
  rm -rf "$work"
  for id in engine engine.processors engine.ipc engine.workers engine.hosting engine.tool; do rm -rf "$cache/$id/$version"; done
}
trap cleanup EXIT

echo "packing $version"
dotnet pack "$repo/Engine.sln" -c Release --no-build -p:PackageVersion="$version" -p:WarnOnPackingNonPackableProject=false -o "$work/feed" -v quiet -nologo
for id in Engine Engine.Processors Engine.Ipc Engine.Workers Engine.Hosting Engine.Tool; do
  test -f "$work/feed/$id.$version.nupkg" || { echo "missing package $id" >&2; exit 1; }
  test -f "$work/feed/$id.$version.snupkg" || { echo "missing symbols of $id" >&2; exit 1; }
done

echo "the engine tool from the feed: engine demo"
dotnet tool install Engine.Tool --version "$version" --tool-path "$work/tool" --add-source "$work/feed" >/dev/null
"$work/tool/engine" demo --records 2000 --workers 1 >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; echo "engine demo failed" >&2; exit 1; }
tail -1 "$work/demo.log"

echo "a fresh app consuming the packages"
dotnet build Consumer -c Release -nologo -v quiet -p:EnginePackageVersion="$version" \
  -p:RestoreAdditionalProjectSources="$work/feed" -p:BaseOutputPath="$work/bin/" -p:BaseIntermediateOutputPath="$work/obj/" \
  -p:MSBuildProjectExtensionsPath="$work/obj/"
dotnet "$work/bin/Release/net10.0/Consumer.dll" "$repo/workers/Samples/Increment/bin/Release/net10.0"
