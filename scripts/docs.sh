#!/usr/bin/env bash
# Generates the DocC documentation of the public modules and fails on any DocC warning, a broken ``Symbol`` link
# among them (docc --warnings-as-errors):
#
#   bash scripts/docs.sh [--scratch-path DIR]
#
# Each module's catalog is Sources/<Module>/Documentation.docc (landing page and articles); the symbols' own pages come
# from the doc comments. The archives land in DIR/plugins/Swift-DocC/outputs/<Module>.doccarchive (DIR: .build by
# default). The plugin (swiftlang/swift-docc-plugin, a dependency of Package.swift that no target uses) builds the
# modules in DIR to extract their symbols, so a DIR that already holds a debug build of the package costs little more
# than DocC itself (about a minute on 2 cores); from scratch it is a debug build of the four modules first.
#
# DocC resolves ``Symbol`` links within one module only: name another module's symbols in code voice (`FlushCoordinator`).
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=.build
case ${1:-} in
    "") ;;
    --scratch-path) [[ $# -eq 2 ]] || { echo "usage: $0 [--scratch-path DIR]" >&2; exit 2; }; scratch=$2 ;;
    *) echo "usage: $0 [--scratch-path DIR]" >&2; exit 2 ;;
esac

modules=(OTelSDK OTLPHTTP LambdaLifecycle OTelTesting)
targets=()
for module in "${modules[@]}"; do targets+=(--target "$module"); done

swift package --scratch-path "$scratch" generate-documentation "${targets[@]}" --warnings-as-errors
