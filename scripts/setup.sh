#!/usr/bin/env bash
# Installs what building and testing need, and nothing that is already there:
# Debian packages (libprotobuf-c, zlib, protoc-c, python3-venv when needed) and, in the project's own virtual
# environment `.venv/` (git-ignored), the Python packages of the wire-format checks: Debian's Python refuses
# `pip install` outside one (PEP 668, "externally-managed-environment"). scripts/test.sh puts `.venv/bin` first on
# PATH, so every `python3` the tests start is that environment's.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
python_packages=(-r Tests/Conformance/requirements.txt pytest)
# False also for a .venv whose interpreter no longer runs (its base Python was removed or upgraded): it is made again.
venv_works() { "$venv/bin/python3" -c '' >/dev/null 2>&1; }

missing=()
for package in libprotobuf-c-dev zlib1g-dev protobuf-c-compiler pkg-config openssl; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
# `python3 -m venv` needs ensurepip, which Debian ships in python3-venv (only needed to create .venv).
if ! venv_works && ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    missing+=(python3-venv)
fi
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! venv_works; then
    echo "setup: creating the Python virtual environment $venv"
    python3 -m venv --clear "$venv"
fi
if ! "$venv/bin/python3" -c 'import opentelemetry.proto.trace.v1.trace_pb2, awslambdaric, pytest' >/dev/null 2>&1; then
    echo "setup: installing Python packages into $venv (Tests/Conformance/requirements.txt, pytest)"
    "$venv/bin/python3" -m pip install -q --disable-pip-version-check "${python_packages[@]}"
fi
