#!/usr/bin/env bash
# Builds the Pulumi CLI and the Node.js language host from Go modules into $1 (a cache folder
# outside the work tree). Usage: build-engine.sh OUT_DIR CLI_VERSION
set -euo pipefail
out=$1
version=$2
# The Node.js language host has been a separate, untagged Go module since 3.69.0 and the module
# proxy reachable here serves no pseudo-version of it; 3.68.0 is the last SDK module that carries it.
# The engine keeps backward compatibility with older language hosts, which is what this relies on.
language_host_sdk=${PULUMI_LANGUAGE_HOST_SDK_VERSION:-v3.68.0}

command -v go >/dev/null || { echo "build-engine: Go is not installed; install Go 1.25+ or put a pulumi $version CLI on PATH" >&2; exit 3; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod GONOSUMDB=github.com/pulumi/pulumi GOTOOLCHAIN=local
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version"

mkdir -p "$work/cli" "$work/lang" "$out.partial"
echo "[engine] building pulumi v$version CLI from the Go module proxy (several minutes on 2 cores)" >&2
( cd "$work/cli"
  go mod init pulumi-cli-build >/dev/null 2>&1
  cat >> go.mod <<MOD
require (
	github.com/pulumi/pulumi/pkg/v3 v$version
	github.com/pulumi/pulumi/sdk/v3 v$version
)
MOD
  # the pkg module's own replace directives are ignored in a dependency; restore the one that matters
  go mod download github.com/pulumi/pulumi/pkg/v3 >/dev/null 2>&1 || true
  grep '^replace' "$(go env GOMODCACHE)/cache/download/github.com/pulumi/pulumi/pkg/v3/@v/v$version.mod" | grep -v '=> \.' >> go.mod || true
  go get github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$version >&2
  go build -trimpath -ldflags "$ldflags" -o "$out.partial/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2 )

echo "[engine] building the Node.js language host (sdk $language_host_sdk)" >&2
( cd "$work/lang"
  go mod init pulumi-language-nodejs-build >/dev/null 2>&1
  go get "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs@$language_host_sdk" >&2
  go build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$language_host_sdk" \
    -o "$out.partial/pulumi-language-nodejs" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs >&2 )

cp "$(dirname "$0")/../node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs" "$out.partial/" 2>/dev/null || true
rm -rf "$out"
mv "$out.partial" "$out"
echo "[engine] ready in $out" >&2
