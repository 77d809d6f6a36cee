#!/usr/bin/env bash
# Tests the Debian package `make package` built (what `make package-test` runs):
#   .ci/package/test-deb.sh PACKAGE.deb VERSION
# Reads its metadata (dpkg-deb --info/--contents), unpacks it into a scratch root (dpkg -x),
# checks the unit with systemd-analyze, and runs both binaries from there: --help, --version, and
# `kubeid serve` on a scratch data directory until /healthz answers.
set -euo pipefail

package="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
version="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
scratch="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill -KILL "$server_pid" 2>/dev/null || true; fi
    rm -rf "$scratch"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# --------------------------------------------------------------------------- metadata
info="$(dpkg-deb --info "$package")"
field() { dpkg-deb --field "$package" "$1"; }
[ "$(field Package)" = kubeid ] && pass "Package: kubeid" || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] && pass "Version: $version" || fail "Version is '$(field Version)', expected $version"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] && pass "Architecture: $(field Architecture)" \
    || fail "Architecture is '$(field Architecture)'"
depends="$(field Depends)"
echo "   Depends: $depends"
# ", name," for every package Depends names, versions dropped: fixed-string lookups (libstdc++6).
depends_names=", $(sed 's/ ([^)]*)//g' <<<"$depends"),"
grep -q 'postinst' <<<"$info" && grep -q 'conffiles' <<<"$info" && pass "control has postinst and conffiles" \
    || fail "control lacks postinst or conffiles: $info"

contents="$(dpkg-deb --contents "$package")"
expect_entry() {  # mode path
    if grep -Eq "^$1 root/root .* \./$2\$" <<<"$contents"; then pass "$1 $2"; else fail "no entry '$1 root/root ./$2'"; fi
}
expect_entry '-rwxr-xr-x' usr/bin/kubeid
expect_entry '-rwxr-xr-x' usr/bin/kubelogin
expect_entry '-rw-r--r--' lib/systemd/system/kubeid.service
expect_entry '-rw-------' etc/kubeid/kubeid.env
expect_entry '-rw-r--r--' usr/share/man/man1/kubeid.1.gz
expect_entry '-rw-r--r--' usr/share/man/man1/kubelogin.1.gz
expect_entry '-rw-r--r--' usr/share/doc/kubeid/operations.md

control="$scratch/control"
dpkg-deb --control "$package" "$control"
[ "$(cat "$control/conffiles")" = /etc/kubeid/kubeid.env ] && pass "the environment file is a conffile" \
    || fail "conffiles is '$(cat "$control/conffiles")'"
for script in postinst prerm postrm; do
    if [ -x "$control/$script" ] && sh -n "$control/$script"; then pass "$script is an executable sh script"
    else fail "$script missing, not executable or not valid sh"; fi
done
grep -q 'adduser --system' "$control/postinst" && pass "postinst creates the kubeid system user" \
    || fail "postinst does not create the kubeid user"

# --------------------------------------------------------------------------- unpacked
root="$scratch/root"
dpkg -x "$package" "$root"
kubeid="$root/usr/bin/kubeid"
kubelogin="$root/usr/bin/kubelogin"

# Depends names the package of every shared library the binaries link directly (readelf's
# NEEDED entries, found on disk by ldd, owned per dpkg -S; libjwt's own dependencies are libjwt0's
# business), and the Swift runtime is not one of them (--static-swift-stdlib).
for binary in "$kubeid" "$kubelogin"; do
    loaded="$(ldd "$binary")"
    if grep -q libswift <<<"$loaded"; then fail "$(basename "$binary") links the Swift runtime dynamically"; fi
    if grep -q '=> /opt/' <<<"$loaded"; then fail "$(basename "$binary") loads a library from /opt"; fi
    for needed in $(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        library="$(awk -v name="$needed" '$1 == name && $2 == "=>" {print $3}' <<<"$loaded")"
        if [ -z "$library" ]; then
            case "$needed" in ld-linux*) library="/lib64/$needed" ;; *) fail "$needed is not found"; continue ;; esac
        fi
        owner="$(dpkg -S "$library" 2>/dev/null || dpkg -S "$(readlink -f "$library")" 2>/dev/null \
            || dpkg -S "${library#/usr}" 2>/dev/null || true)"
        owner="${owner%%:*}"
        if [ -z "$owner" ]; then fail "no Debian package owns $library"; continue; fi
        if [[ "$depends_names" == *", $owner,"* ]]; then pass "$(basename "$binary"): $library ($owner) is in Depends"
        else fail "$(basename "$binary") loads $library from $owner, which Depends does not name"; fi
    done
done
grep -q 'libssl3' <<<"$depends" && grep -q 'libjwt' <<<"$depends" && pass "Depends has libssl3 and libjwt" \
    || fail "Depends lacks libssl3 or libjwt: $depends"

# A clean environment: no Swift toolchain on PATH or in the library path.
run() { env -i PATH=/usr/bin:/bin HOME="$scratch/home" "$@"; }
mkdir -p "$scratch/home"
help="$(run "$kubeid" --help)" && grep -q 'serve' <<<"$help" && grep -q ' db ' <<<"$help" \
    && pass "kubeid --help" || fail "kubeid --help: $help"
[ "$(run "$kubeid" --version)" = "$version" ] && pass "kubeid --version is $version" \
    || fail "kubeid --version is '$(run "$kubeid" --version)'"
# (Output goes through variables: with pipefail, `… | grep -q` fails when grep stops reading early.)
backup_help="$(run "$kubeid" db backup --help)" && grep -q -- '--to' <<<"$backup_help" \
    && pass "kubeid db backup --help" || fail "kubeid db backup --help: $backup_help"
kubelogin_version="$(run "$kubelogin" --version)" && grep -q 'kubelogin version' <<<"$kubelogin_version" \
    && pass "kubelogin --version" || fail "kubelogin --version: $kubelogin_version"
kubelogin_help="$(run "$kubelogin" --help)" && grep -q 'get-token' <<<"$kubelogin_help" \
    && pass "kubelogin --help" || fail "kubelogin --help: $kubelogin_help"

# Every KUBEID_* setting `kubeid serve --help` mentions is in the environment file.
env_file="$root/etc/kubeid/kubeid.env"
serve_help="$(run "$kubeid" serve --help)"
for variable in $(grep -o 'KUBEID_[A-Z_]*[A-Z]' <<<"$serve_help" | sort -u); do
    [ "$variable" = KUBEID_DATA_DIR ] && continue  # fixed by the unit's --data-dir
    grep -q "^#$variable=" "$env_file" && pass "kubeid.env documents $variable" || fail "kubeid.env lacks #$variable="
done
if grep -v '^#' "$env_file" | grep -q '[^[:space:]]'; then fail "kubeid.env sets something: only comments belong there"; fi

# Man pages render and cover the subcommands.
for page in kubeid kubelogin; do
    rendered="$(MANWIDTH=120 man -l "$root/usr/share/man/man1/$page.1.gz" 2>"$scratch/man.err" | col -b)"
    if [ -s "$scratch/man.err" ]; then fail "man $page: $(cat "$scratch/man.err")"; fi
    grep -q 'NAME' <<<"$rendered" && pass "man $page renders" || fail "man $page does not render"
    [ "$page" = kubeid ] || continue
    grep -q 'backup' <<<"$rendered" && grep -q 'restore' <<<"$rendered" && pass "kubeid(1) covers db backup and restore" \
        || fail "kubeid(1) does not mention db backup and restore"
done

# The unit: systemd-analyze verify prints nothing for a good unit (warnings go to stderr and
# leave the exit status 0, so any output fails). The ExecStart binary is the unpacked one.
unit="$scratch/kubeid.service"
sed "s#/usr/bin/kubeid#$kubeid#" "$root/lib/systemd/system/kubeid.service" > "$unit"
grep -q '^ExecStart=/usr/bin/kubeid serve --data-dir /var/lib/kubeid$' "$root/lib/systemd/system/kubeid.service" \
    && grep -q '^User=kubeid$' "$unit" && grep -q '^StateDirectory=kubeid$' "$unit" \
    && grep -q '^EnvironmentFile=/etc/kubeid/kubeid.env$' "$unit" && pass "unit runs kubeid serve as kubeid on /var/lib/kubeid" \
    || fail "unit: ExecStart, User, StateDirectory or EnvironmentFile is not as documented"
if command -v systemd-analyze >/dev/null; then
    verify="$(MANPATH="$root/usr/share/man" systemd-analyze verify "$unit" 2>&1)" || fail "systemd-analyze verify failed: $verify"
    [ -z "$verify" ] && pass "systemd-analyze verify: clean" || fail "systemd-analyze verify: $verify"
    exposure="$(systemd-analyze security --offline=yes "$unit" 2>/dev/null | tail -1)" || true
    echo "   systemd-analyze security: ${exposure:-not available}"
else
    fail "systemd-analyze is missing (Debian package systemd)"
fi

# --------------------------------------------------------------------------- serve
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
data="$scratch/data"
# Started directly (not through `run`, a function, which would put a subshell between $! and kubeid).
env -i PATH=/usr/bin:/bin HOME="$scratch/home" "$kubeid" serve --data-dir "$data" --listen "127.0.0.1:$port" \
    --log-level warning >"$scratch/serve.log" 2>&1 &
server_pid=$!
healthy=""
for _ in $(seq 1 150); do
    if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
    if [ -f "$data/tls/ca.crt" ] \
        && answer="$(curl --silent --fail --max-time 2 --cacert "$data/tls/ca.crt" "https://127.0.0.1:$port/healthz")"; then
        healthy="$answer"
        break
    fi
    sleep 0.2
done
[ "$healthy" = '{"status":"ok"}' ] && pass "kubeid serve from the package answers /healthz" \
    || fail "kubeid serve never answered /healthz: $(cat "$scratch/serve.log")"
kill -TERM "$server_pid" 2>/dev/null || true
status=0
wait "$server_pid" || status=$?
server_pid=""
[ "$status" = 0 ] && pass "kubeid serve exits 0 on SIGTERM" || fail "kubeid serve exited $status: $(cat "$scratch/serve.log")"

if [ "$failures" -gt 0 ]; then
    echo "$failures package check(s) failed" >&2
    exit 1
fi
echo "all package checks passed ($(du -h "$package" | cut -f1) package)"
