#!/usr/bin/env bash
# Installs what building and testing need, and nothing that is already there:
# Debian packages (libprotobuf-c, zlib, protoc-c) and the Python packages of the wire-format check.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for package in libprotobuf-c-dev zlib1g-dev protobuf-c-compiler pkg-config openssl; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! python3 -c 'import opentelemetry.proto.trace.v1.trace_pb2' >/dev/null 2>&1 || ! python3 -c 'import pytest' >/dev/null 2>&1; then
    echo "setup: installing Python packages (Tests/Conformance/requirements.txt, pytest)"
    python3 -m pip install -q -r Tests/Conformance/requirements.txt pytest
fi
