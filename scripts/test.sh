#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls exactly this):
#   1. generated protobuf-c code matches Proto/ (no drift),
#   2. swift test (unit + integration over real HTTP against otlp-receiver),
#   3. swift test again under the thread sanitizer,
#   4. the official-definitions receiver's own tests,
#   5. telemetrygen -> official-definitions receiver: 10,000 spans with gzip, without, and with 503s.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "== protobuf-c code generation is up to date"
bash Proto/generate.sh --check

echo "== swift test"
swift build --build-tests
swift test --skip-build

echo "== swift test under the thread sanitizer"
swift test --sanitize=thread --scratch-path .build-tsan

echo "== official-definitions receiver self-test"
python3 -m pytest Tests/Conformance -q

echo "== telemetrygen against the official-definitions receiver"
bash Tests/Conformance/run_telemetrygen_check.sh "$(swift build --show-bin-path)"
