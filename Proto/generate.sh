#!/usr/bin/env bash
# Regenerates the C target Sources/COTLP from the .proto files in Proto/ with
# protoc-c (Debian package protobuf-c-compiler), or verifies that the committed
# files are up to date.
#
#   Proto/generate.sh           regenerate Sources/COTLP in place
#   Proto/generate.sh --check   regenerate into a temporary directory and diff it
#                               against Sources/COTLP; exit 1 on any drift
#
# Runnable from any working directory. The output is deterministic: the same
# .proto files and the same protoc-c version always give byte-identical files.
#
# Layout of Sources/COTLP (everything in it is generated; never edit by hand):
#
#   Sources/COTLP/include/module.modulemap              module COTLP, umbrella
#                                                       header COTLP.h
#   Sources/COTLP/include/COTLP.h                       umbrella header: includes
#                                                       every generated header
#   Sources/COTLP/include/<proto path>.pb-c.h           generated headers
#   Sources/COTLP/<proto path>.pb-c.c                   generated sources
#
# protoc-c makes every generated file include the others by their proto path,
# e.g. #include "opentelemetry/proto/common/v1/common.pb-c.h". Because the
# headers keep that relative layout under include/, and SwiftPM puts include/ on
# the header search path of the target and of every module that imports it,
# those includes resolve both when the .c files are compiled and when Swift
# imports COTLP. The module map is written explicitly because SwiftPM refuses to
# synthesize one for an umbrella header that has directories next to it.
#
# The `service` blocks of the collector protos are kept: protoc-c turns them into
# ProtobufCServiceDescriptor tables that need nothing beyond libprotobuf-c.
set -euo pipefail

# The exact protoc-c whose output is committed. Another version generates
# different (if equivalent) code, which --check would report as drift.
readonly PROTOC_C_VERSION="protobuf-c 1.4.1"

# Inputs, relative to Proto/, in a fixed order (the umbrella header uses it).
readonly PROTOS=(
  google/protobuf/any.proto
  google/rpc/status.proto
  opentelemetry/proto/common/v1/common.proto
  opentelemetry/proto/resource/v1/resource.proto
  opentelemetry/proto/trace/v1/trace.proto
  opentelemetry/proto/metrics/v1/metrics.proto
  opentelemetry/proto/logs/v1/logs.proto
  opentelemetry/proto/collector/trace/v1/trace_service.proto
  opentelemetry/proto/collector/metrics/v1/metrics_service.proto
  opentelemetry/proto/collector/logs/v1/logs_service.proto
)

proto_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root_dir="$(cd "${proto_dir}/.." && pwd)"
target_dir="${root_dir}/Sources/COTLP"

mode="generate"
case "${1:-}" in
  "") ;;
  --check) mode="check" ;;
  -h|--help)
    sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "generate.sh: unknown argument '$1' (expected nothing or --check)" >&2
    exit 2
    ;;
esac

if ! command -v protoc-c >/dev/null 2>&1; then
  echo "generate.sh: protoc-c not found; install it with: apt-get install protobuf-c-compiler" >&2
  exit 2
fi
# (No `| head` here: with pipefail, protoc-c could die of SIGPIPE on its second line.)
found_version="$(protoc-c --version 2>&1)"
found_version="${found_version%%$'\n'*}"
if [[ "${found_version}" != "${PROTOC_C_VERSION}" ]]; then
  echo "generate.sh: expected '${PROTOC_C_VERSION}' but found '${found_version}';" \
       "the committed Sources/COTLP was generated with ${PROTOC_C_VERSION}" >&2
  exit 2
fi

# protoc-c 1.4.1 rejects proto3 `optional` fields; Proto/ spells them as one-field
# oneofs instead (see the note at the top of metrics.proto). Catch a re-import of an
# upstream file that still has them with a clear message.
if optional_lines="$(cd "${proto_dir}" && grep -nE '^[[:space:]]*optional[[:space:]]' "${PROTOS[@]}")"; then
  echo "generate.sh: protoc-c ${PROTOC_C_VERSION#protobuf-c } does not accept proto3 'optional';" \
       "rewrite each 'optional T name = N;' as 'oneof _name { T name = N; }' (wire-identical):" >&2
  echo "${optional_lines}" >&2
  exit 1
fi

work_dir="$(mktemp -d)"
trap 'rm -rf "${work_dir}"' EXIT

# 1. Run protoc-c. Paths are given relative to Proto/ so the generated
#    "Generated from:" comments and #include lines are machine-independent.
raw_dir="${work_dir}/raw"
mkdir -p "${raw_dir}"
(cd "${proto_dir}" && protoc-c --proto_path=. --c_out="${raw_dir}" "${PROTOS[@]}")

# 2. Arrange the output in the SwiftPM layout described above.
out_dir="${work_dir}/COTLP"
mkdir -p "${out_dir}/include"
for proto in "${PROTOS[@]}"; do
  stem="${proto%.proto}"
  mkdir -p "${out_dir}/include/$(dirname "${stem}")" "${out_dir}/$(dirname "${stem}")"
  mv "${raw_dir}/${stem}.pb-c.h" "${out_dir}/include/${stem}.pb-c.h"
  mv "${raw_dir}/${stem}.pb-c.c" "${out_dir}/${stem}.pb-c.c"
done
if [[ -n "$(find "${raw_dir}" -type f)" ]]; then
  echo "generate.sh: protoc-c produced unexpected files:" >&2
  find "${raw_dir}" -type f >&2
  exit 1
fi

# 3. The umbrella header.
{
  echo "/* Generated by Proto/generate.sh. DO NOT EDIT. */"
  echo "/* Umbrella header of the COTLP module: every protoc-c generated message type. */"
  echo "#ifndef COTLP_H"
  echo "#define COTLP_H"
  echo ""
  echo "#include <protobuf-c/protobuf-c.h>"
  echo ""
  for proto in "${PROTOS[@]}"; do
    echo "#include \"${proto%.proto}.pb-c.h\""
  done
  echo ""
  echo "#endif /* COTLP_H */"
} > "${out_dir}/include/COTLP.h"

# 4. The module map (see the layout notes at the top).
{
  echo "// Generated by Proto/generate.sh. DO NOT EDIT."
  echo "module COTLP {"
  echo "    umbrella header \"COTLP.h\""
  echo "    export *"
  echo "}"
} > "${out_dir}/include/module.modulemap"

if [[ "${mode}" == "check" ]]; then
  if diff -r -u "${target_dir}" "${out_dir}" > "${work_dir}/drift.diff" 2>&1; then
    echo "generate.sh --check: Sources/COTLP is up to date with Proto/ (${PROTOC_C_VERSION})."
    exit 0
  fi
  echo "generate.sh --check: DRIFT: Sources/COTLP does not match what Proto/generate.sh" >&2
  echo "generates from Proto/. Run Proto/generate.sh and commit the result. Differences:" >&2
  head -n 200 "${work_dir}/drift.diff" >&2
  exit 1
fi

# Replace the whole target directory: everything in it is generated.
rm -rf "${target_dir}"
mkdir -p "$(dirname "${target_dir}")"
cp -R "${out_dir}" "${target_dir}"
echo "generate.sh: regenerated Sources/COTLP from Proto/ (${PROTOC_C_VERSION})."
