#!/usr/bin/env bash
# Builds the Pulumi CLI and the Node.js language host from Go modules into $1 (a cache folder
# outside the work tree). Usage: build-engine.sh OUT_DIR CLI_VERSION
#
# Every module is verified against checksums committed in this repository:
#   scripts/engine/cli/vN.N.N/go.{mod,sum}     github.com/pulumi/pulumi/pkg/v3 + sdk/v3 (the CLI), one
#                                              folder per CLI version the tests run (the oldest
#                                              supported and the newest)
#   scripts/engine/language-host/go.{mod,sum}  github.com/pulumi/pulumi/sdk/v3 v3.68.0 (pulumi-language-nodejs)
# The public checksum database does not know Pulumi's pkg/sdk versions, so instead of switching
# verification off (GONOSUMDB) the build copies those files into its work folders and Go refuses
# any download whose hash differs from go.sum. A CLI_VERSION other than the pinned one fails.
#
# Adding the pins of a CLI version N.N.N, from the repository root:
#   export GOTOOLCHAIN=local GOFLAGS=-mod=mod GONOSUMDB=github.com/pulumi/pulumi   # this one run only
#   w=$(mktemp -d); mkdir "$w/cli" "$w/lang"
#   pkgmod=$(go mod download -json github.com/pulumi/pulumi/pkg/v3@vN.N.N | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
#   { echo 'module pulumi-cli-build'; grep '^go ' "$pkgmod"
#     echo 'require github.com/pulumi/pulumi/pkg/v3 vN.N.N'; echo 'require github.com/pulumi/pulumi/sdk/v3 vN.N.N'
#     grep '^replace' "$pkgmod" | grep -v '=> \.'; } > "$w/cli/go.mod"     # pkg's replaces, minus local ones
#   (cd "$w/cli" && go get github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@vN.N.N)
#   printf 'module pulumi-language-nodejs-build\ngo 1.18\nrequire github.com/pulumi/pulumi/sdk/v3 v3.68.0\n' > "$w/lang/go.mod"
#   (cd "$w/lang" && go get github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs@v3.68.0)
#   mkdir -p scripts/engine/cli/vN.N.N && cp "$w"/cli/go.mod "$w"/cli/go.sum scripts/engine/cli/vN.N.N/
#   cp "$w"/lang/go.mod "$w"/lang/go.sum scripts/engine/language-host/
# That run trusts the module proxy once: review the go.sum diff, then prove the pins in a new shell
# with cold caches:
#   GOMODCACHE=$(mktemp -d) GOCACHE=$(mktemp -d) PULUMI_ENGINE_CACHE=$(mktemp -d) node scripts/engine.js
set -euo pipefail
out=$1
version=${2#v}
here=$(cd "$(dirname "$0")" && pwd)
pins=$here/engine

# The version a go.mod pins for a module path ("" when absent).
pinned() { awk -v mod="$2" '$1 == mod { print $2; exit } $1 == "require" && $2 == mod { print $3; exit }' "$1"; }

cli_pins=$pins/cli/v$version
cli_pinned=$(pinned "$cli_pins/go.mod" github.com/pulumi/pulumi/pkg/v3 2>/dev/null || true)
# The Node.js language host has been a separate, untagged Go module since 3.69.0 and the module
# proxy serves no pseudo-version of it; 3.68.0 is the last SDK module that carries it. The engine
# keeps backward compatibility with older language hosts, which is what this relies on.
language_host_sdk=$(pinned "$pins/language-host/go.mod" github.com/pulumi/pulumi/sdk/v3)

regenerate="add scripts/engine/cli/v$version/go.{mod,sum} as described at the top of scripts/build-engine.sh"
if [ "$cli_pinned" != "v$version" ]; then
  echo "build-engine: asked for pulumi v$version but scripts/engine/cli/v$version/go.mod pins ${cli_pinned:-nothing}; $regenerate" >&2
  exit 4
fi
if [ -n "${PULUMI_LANGUAGE_HOST_SDK_VERSION:-}" ] && [ "${PULUMI_LANGUAGE_HOST_SDK_VERSION}" != "$language_host_sdk" ]; then
  echo "build-engine: PULUMI_LANGUAGE_HOST_SDK_VERSION=$PULUMI_LANGUAGE_HOST_SDK_VERSION but scripts/engine/language-host/go.mod pins $language_host_sdk; $regenerate" >&2
  exit 4
fi

command -v go >/dev/null || { echo "build-engine: Go is not installed; install Go 1.25+ or put a pulumi v$version CLI on PATH" >&2; exit 3; }

# Checksums are verified: nothing the caller set may exempt modules from go.sum or the checksum
# database, or let Go skip TLS. GOFLAGS replaces the caller's (and `go env -w`) flags entirely.
export GOFLAGS=-mod=mod GONOSUMDB= GONOSUMCHECK= GOPRIVATE= GOINSECURE= GOTOOLCHAIN=local
unset GOSUMDB   # Go's default (or the `go env -w` one), unless that is "off"
if [ "$(go env GOSUMDB)" = off ]; then export GOSUMDB=sum.golang.org; fi

work=$(mktemp -d)
# progress every 30 s (the caller waits synchronously and cannot print it)
started=$(date +%s)
( while sleep 30 </dev/null >/dev/null 2>&1 && kill -0 $$ 2>/dev/null; do echo "[engine] still building ($(( $(date +%s) - started ))s)" >&2; done ) &
heartbeat=$!
trap 'kill "$heartbeat" 2>/dev/null; rm -rf "$work" "$out.partial"' EXIT
mkdir -p "$work/cli" "$work/lang" "$out.partial"
cp "$cli_pins/go.mod" "$cli_pins/go.sum" "$work/cli/"
cp "$pins/language-host/go.mod" "$pins/language-host/go.sum" "$work/lang/"

echo "[engine] building pulumi v$version CLI from the Go module proxy, checksums pinned in scripts/engine/cli/v$version (several minutes on 2 cores)" >&2
( cd "$work/cli"
  go build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
    -o "$out.partial/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2 )

echo "[engine] building the Node.js language host (sdk $language_host_sdk), checksums pinned in scripts/engine/language-host" >&2
( cd "$work/lang"
  go build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$language_host_sdk" \
    -o "$out.partial/pulumi-language-nodejs" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs >&2 )

cp "$here/../node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs" "$out.partial/" 2>/dev/null || true
rm -rf "$out"
mv "$out.partial" "$out"
echo "[engine] ready in $out" >&2
