#!/usr/bin/env bash
# Adopts this package as a user would: a new package outside the repository that depends on it by path, whose function
# is the README's Lambda quick start (the code block between the `lambda-quick-start` markers in README.md, taken as
# written, so the README cannot drift from what is tested). Then, with scripts/package-lambda.sh --package-path on that
# package and one scratch path, zips two functions: the quick start (the full release build) and example-entity-api, a
# product of the dependency (mostly a link step). Each zip's unzipped bootstrap must answer invocations under
# lambda-sim with an empty environment and deliver traces, metrics and logs to otlp-receiver
# (Tests/Packaging/check_lambda_zip.sh). First, the examples (Sources/example-*) must import no `@_spi`.
#
#   bash Tests/Packaging/check_outside_package.sh "$(swift build --show-bin-path)"
#
# BINDIR holds lambda-sim and otlp-receiver. package-lambda.sh's exit 3 (the only finding: a glibc symbol newer than
# provided.al2023's 2.34, which Debian's toolchain links) counts as success here; any other failure fails the check.
# Dependencies resolve as the repository's do: git rewrites https://github.com/ to this machine's package copies
# (/etc/gitconfig, url.insteadOf), which applies to every package on the machine.
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: $0 BINDIR" >&2; exit 2; }
bin=$1
repo=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "check_outside_package: FAILED: $*" >&2; exit 1; }

# Examples are what users copy: public API only.
if spi=$(grep -rn '@_spi' "$repo"/Sources/example-*); then
    fail "an example imports SPI, which a user's package cannot rely on: $spi"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

package=$work/quick-start-function
mkdir -p "$package/Sources/quick-start"
# A path dependency's identity is its directory's name.
identity=$(basename "$repo")
cat >"$package/Package.swift" <<EOF
// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "quick-start-function",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "$repo")],
    targets: [
        .executableTarget(
            name: "quick-start",
            dependencies: [
                .product(name: "LambdaLifecycle", package: "$identity"),
                .product(name: "OTLPHTTP", package: "$identity"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
EOF
awk '/<!-- lambda-quick-start/ { inside = 1; next } /<!-- \/lambda-quick-start -->/ { inside = 0 } inside && !/^```/' \
    "$repo/README.md" >"$package/Sources/quick-start/main.swift"
grep -q 'LambdaRuntime' "$package/Sources/quick-start/main.swift" ||
    fail "no Lambda quick start between the lambda-quick-start markers in README.md"

package_lambda() { # PRODUCT: 0 (deployable) and 3 (only the expected glibc finding) pass
    local status=0
    bash "$repo/scripts/package-lambda.sh" "$1" --package-path "$package" || status=$?
    [[ $status == 0 || $status == 3 ]] || fail "scripts/package-lambda.sh $1 --package-path $package exited with $status"
}

echo "check_outside_package: the README's Lambda quick start, in a package that depends on $repo by path"
started=$SECONDS
package_lambda quick-start
echo "check_outside_package: quick-start packaged in $((SECONDS - started)) s"
# One span per invocation: the runtime's invocation span; the handler makes none of its own.
bash "$repo/Tests/Packaging/check_lambda_zip.sh" "$package/out/lambda/quick-start.zip" "$bin" 1

echo "check_outside_package: example-entity-api, a product of the dependency, from the same build"
started=$SECONDS
package_lambda example-entity-api
echo "check_outside_package: example-entity-api packaged in $((SECONDS - started)) s"
bash "$repo/Tests/Packaging/check_lambda_zip.sh" "$package/out/lambda/example-entity-api.zip" "$bin"
