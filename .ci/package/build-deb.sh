#!/usr/bin/env bash
# Builds the Debian package from release binaries (what `make package` runs):
#   .ci/package/build-deb.sh BIN_DIR VERSION OUTPUT.deb
# BIN_DIR holds kubeid and kubelogin (swift build -c release --static-swift-stdlib). The man
# pages come from the binaries' own help (swift-argument-parser's generate-manual tool, built
# from the checkout SwiftPM already resolved). Depends: is what dpkg-shlibdeps finds for the
# shared libraries the binaries link (OpenSSL, libjwt, SQLite, glibc), plus adduser (postinst).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bin_dir="$(cd "$1" && pwd)"
version="$2"
output="$(cd "$(dirname "$3")" && pwd)/$(basename "$3")"
work="$repo/.build/package"
root="$work/root"
arch="$(dpkg --print-architecture)"

rm -rf "$root"
mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/man/man1" "$root/usr/share/doc/kubeid" \
    "$root/lib/systemd/system" "$root/etc/kubeid"

# Stripped: the Swift runtime needs its metadata sections, not the symbol table.
for binary in kubeid kubelogin; do
    install -m 0755 "$bin_dir/$binary" "$root/usr/bin/$binary"
    strip --strip-unneeded "$root/usr/bin/$binary"
done
install -m 0644 "$here/kubeid.service" "$root/lib/systemd/system/kubeid.service"
# Read by systemd (root) before it drops to the kubeid user; may hold PGPASSWORD.
install -m 0600 "$here/kubeid.env" "$root/etc/kubeid/kubeid.env"
install -m 0644 "$repo/README.md" "$repo/docs/operations.md" "$repo/docs/configuration.md" "$repo/docs/kubelogin.md" \
    "$root/usr/share/doc/kubeid/"

# Man pages: kubeid(1) with every subcommand, kubelogin(1).
generator_scratch="$repo/.build/tools"
swift build --package-path "$repo/.build/checkouts/swift-argument-parser" --scratch-path "$generator_scratch" \
    --product generate-manual >/dev/null
generator="$(swift build --package-path "$repo/.build/checkouts/swift-argument-parser" \
    --scratch-path "$generator_scratch" --show-bin-path)/generate-manual"
date="$(git -C "$repo" log -1 --format=%cs 2>/dev/null || date -u +%F)"
for binary in kubeid kubelogin; do
    "$generator" "$root/usr/bin/$binary" --date "$date" --output-directory "$root/usr/share/man/man1"
done
gzip -9n "$root"/usr/share/man/man1/*.1

# Depends: from the shared libraries the binaries really link (dpkg-shlibdeps reads a
# debian/control, so give it a minimal one in a scratch directory).
shlibs="$work/shlibs"
rm -rf "$shlibs" && mkdir -p "$shlibs/debian"
printf 'Source: kubeid\n\nPackage: kubeid\nArchitecture: any\n' > "$shlibs/debian/control"
depends="$(cd "$shlibs" && dpkg-shlibdeps -O "$root/usr/bin/kubeid" "$root/usr/bin/kubelogin" 2>/dev/null \
    | sed -n 's/^shlibs:Depends=//p')"
[ -n "$depends" ] || { echo "Error: dpkg-shlibdeps found no shared-library dependencies" >&2; exit 1; }

installed_size="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
cat > "$root/DEBIAN/control" <<CONTROL
Package: kubeid
Version: $version
Architecture: $arch
Maintainer: kubeid maintainers <maintainers@kubeid.invalid>
Installed-Size: $installed_size
Depends: adduser, $depends
Section: admin
Priority: optional
Description: Entra ID-compatible identity provider for Kubernetes
 kubeid issues Microsoft Entra ID-shaped tokens for Kubernetes clusters and the
 Microsoft clients that talk to them (MSAL, azure-identity, kubelogin), from a
 single self-hosted process. The package ships the kubeid server and admin CLI,
 the kubelogin exec credential plugin, and a systemd unit (kubeid.service)
 running kubeid serve as the kubeid user with its data in /var/lib/kubeid.
CONTROL
echo /etc/kubeid/kubeid.env > "$root/DEBIAN/conffiles"
install -m 0755 "$here/postinst" "$here/prerm" "$here/postrm" "$root/DEBIAN/"

dpkg-deb --root-owner-group -Zxz --build "$root" "$output" >/dev/null
echo "Built $output ($(du -h "$output" | cut -f1))"
