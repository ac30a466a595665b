#!/usr/bin/env bash
# Builds PRODUCT in release mode and packages it as out/lambda/PRODUCT.zip for a provided.al2023 function: an
# executable named `bootstrap` at the zip's root, linked statically against the Swift runtime (--static-swift-stdlib)
# and libprotobuf-c (its .a from libprotobuf-c-dev). Where the build machine has no libprotobuf-c.a (Amazon Linux's
# protobuf-c-devel ships only the shared library), libprotobuf-c.so.1 rides in the zip's lib/, which is on Lambda's
# LD_LIBRARY_PATH for custom runtimes.
#
# Then inspects `bootstrap` and exits with
#   0  deployable to provided.al2023 (Amazon Linux 2023, glibc 2.34);
#   3  the only finding: it needs a glibc symbol version newer than 2.34 (named), which provided.al2023 lacks.
#      Build inside the Amazon Linux 2023 Swift image instead (deploy/Dockerfile). The zip is written anyway: it runs
#      on this machine, under lambda-sim;
#   4  it needs a shared library outside what provided.al2023 has (glibc's libraries, libstdc++, libgcc_s, libz) and the
#      zip does not carry;
#   2  usage errors and failed builds.
#
#   bash scripts/package-lambda.sh example-entity-api [--package-path DIR] [--arch x86_64|aarch64] [--include FILE]...
#
# --package-path builds PRODUCT of the package at DIR (default: this repository), in DIR/.build-lambda, and writes the
# zip to DIR/out/lambda: a function's own package that depends on this one, whose PRODUCT may be its own executable or
# one of its dependencies' (example-entity-api). --include puts FILE at the zip's root beside bootstrap (for example
# deploy/collector.yaml, which a collector layer reads from /var/task). Relative paths are the caller's.
set -euo pipefail

usage() { echo "usage: $0 PRODUCT [--package-path DIR] [--arch x86_64|aarch64] [--include FILE]..." >&2; exit 2; }
[[ $# -ge 1 ]] || usage
product=$1
shift
arch=$(uname -m)
package=$(cd "$(dirname "$0")/.." && pwd)
includes=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --arch) [[ $# -ge 2 ]] || usage; arch=$2; shift 2 ;;
        --package-path)
            [[ $# -ge 2 ]] || usage
            [[ -f $2/Package.swift ]] || { echo "package-lambda: --package-path $2: no Package.swift there" >&2; exit 2; }
            package=$(cd "$2" && pwd)
            shift 2
            ;;
        --include)
            [[ $# -ge 2 ]] || usage
            [[ -f $2 ]] || { echo "package-lambda: --include $2: no such file" >&2; exit 2; }
            includes+=("$(realpath "$2")")
            shift 2
            ;;
        *) usage ;;
    esac
done
cd "$(dirname "$0")/.."
[[ $arch == x86_64 || $arch == aarch64 ]] || { echo "package-lambda: --arch must be x86_64 or aarch64, not '$arch'" >&2; exit 2; }
if [[ $arch != "$(uname -m)" ]]; then
    echo "package-lambda: this machine is $(uname -m); build for $arch on an $arch machine or in deploy/Dockerfile" >&2
    exit 2
fi

# On Debian, the packages the build needs; elsewhere (deploy/Dockerfile) the image provides them.
if command -v apt-get >/dev/null; then bash scripts/setup.sh; fi

# libprotobuf-c, statically: a pkg-config file of our own whose only library directory holds the .a, so that the
# linker cannot pick the shared library.
static_dir=$(mktemp -d)
trap 'rm -rf "$static_dir"' EXIT
archive=$(find /usr/lib /usr/lib64 /usr/local/lib -name libprotobuf-c.a 2>/dev/null | head -1 || true)
if [[ -z $archive ]]; then
    echo "package-lambda: no libprotobuf-c.a here: libprotobuf-c.so.1 goes into the zip's lib/ instead" >&2
    static_dir_libs="$(pkg-config --libs libprotobuf-c)"
else
    ln -s "$archive" "$static_dir/libprotobuf-c.a"
    static_dir_libs="-L$static_dir -lprotobuf-c"
fi
cat >"$static_dir/libprotobuf-c.pc" <<EOF
Name: protobuf-c
Description: protobuf-c, linked statically
Version: $(pkg-config --modversion libprotobuf-c)
Libs: $static_dir_libs
Cflags: $(pkg-config --cflags libprotobuf-c)
EOF

build=(swift build -c release --static-swift-stdlib --package-path "$package" --scratch-path "$package/.build-lambda")
echo "package-lambda: building $product of $package (release, static Swift runtime and libprotobuf-c, $arch)"
if ! PKG_CONFIG_PATH="$static_dir" "${build[@]}" --product "$product"; then
    echo "package-lambda: the build failed" >&2
    exit 2
fi
binary="$(PKG_CONFIG_PATH="$static_dir" "${build[@]}" --show-bin-path)/$product"

out=$package/out/lambda
staging=$out/$product
zip=$out/$product.zip
rm -rf "$staging" "$zip"
mkdir -p "$staging"
cp "$binary" "$staging/bootstrap"
strip "$staging/bootstrap"
chmod 755 "$staging/bootstrap"
for file in "${includes[@]}"; do
    cp "$file" "$staging/"
done
if [[ -z $archive ]]; then
    mkdir -p "$staging/lib"
    cp -L "$(pkg-config --variable=libdir libprotobuf-c)/libprotobuf-c.so.1" "$staging/lib/"
fi
python3 - "$staging" "$zip" <<'EOF'
import os, sys, zipfile
staging, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
    for root, _, files in os.walk(staging):
        for name in sorted(files):
            path = os.path.join(root, name)
            info = zipfile.ZipInfo(os.path.relpath(path, staging))
            info.external_attr = (os.stat(path).st_mode & 0xFFFF) << 16  # the file's mode: bootstrap stays executable
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as source:
                archive.writestr(info, source.read())
EOF
echo "package-lambda: wrote $zip ($(du -h "$zip" | cut -f1); bootstrap $(du -h "$staging/bootstrap" | cut -f1))"

# What provided.al2023 has: glibc's libraries, the C++ runtime and zlib.
allowed='^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libutil\.so\.1|ld-linux-x86-64\.so\.2|ld-linux-aarch64\.so\.1|libstdc\+\+\.so\.6|libgcc_s\.so\.1|libz\.so\.1)$'
needed=$(objdump -p "$staging/bootstrap" | awk '/NEEDED/ { print $2 }')
outside=$(grep -Ev "$allowed" <<<"$needed" | while read -r library; do [[ -e $staging/lib/$library ]] || echo "$library"; done || true)
echo "package-lambda: bootstrap needs: $(tr '\n' ' ' <<<"$needed")"
if [[ -n $outside ]]; then
    echo "package-lambda: NOT deployable: bootstrap needs shared libraries provided.al2023 does not have: $(tr '\n' ' ' <<<"$outside")" >&2
    exit 4
fi

newest=$(objdump -T "$staging/bootstrap" | grep -o 'GLIBC_[0-9.]*' | sort -Vu | tail -1)
newer=$(objdump -T "$staging/bootstrap" | awk '/GLIBC_[0-9]/ { for (i = 1; i <= NF; i++) if ($i ~ /GLIBC_/) { v = $i; gsub(/[()]/, "", v); print v, $NF } }' \
    | awk '{ split(substr($1, 7), p, "."); if (p[1] > 2 || (p[1] == 2 && p[2] > 34)) print $2 "@" $1 }' | sort -u)
if [[ -n $newer ]]; then
    echo "package-lambda: glibc: bootstrap needs $newest; provided.al2023 has glibc 2.34, so these symbols would not resolve there:" \
        "$(tr '\n' ' ' <<<"$newer")" >&2
    echo "package-lambda: build inside the Amazon Linux 2023 Swift image (deploy/Dockerfile) to get a deployable zip;" \
        "this one runs here and under lambda-sim" >&2
    exit 3
fi
echo "package-lambda: deployable to provided.al2023 ($arch): no Swift runtime or libprotobuf-c to ship, glibc up to ${newest#GLIBC_}"
