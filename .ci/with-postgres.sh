#!/usr/bin/env bash
# Runs a command with a private, throwaway PostgreSQL cluster on a free loopback port, and
# exports its URL as KUBEID_TEST_POSTGRES_URL (postgres://postgres@127.0.0.1:PORT/postgres).
# The cluster is stopped and removed when the command ends, also when it fails or is interrupted.
#
# Usage: .ci/with-postgres.sh COMMAND [ARG...]
#   KUBEID_TEST_POSTGRES_URL already set → the command runs against that server, nothing is started.
#   KUBEID_SKIP_POSTGRES=1              → the command runs without PostgreSQL (those tests skip).
#
# Installs Debian's `postgresql` when initdb is missing. PostgreSQL refuses to run as root, so
# initdb and pg_ctl run as the `postgres` user (runuser) when this script runs as root.
# Also exported, for tests that stop and start the server: KUBEID_TEST_POSTGRES_DATA (the data
# directory) and KUBEID_TEST_POSTGRES_CTL (pg_ctl, wrapped to run as the cluster's owner).
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi
if [ -n "${KUBEID_TEST_POSTGRES_URL:-}" ] || [ "${KUBEID_SKIP_POSTGRES:-0}" = 1 ]; then
    exec "$@"
fi

find_bindir() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

bindir="$(find_bindir || true)"
if [ -z "$bindir" ]; then
    echo "with-postgres: installing postgresql (Debian)" >&2
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >/dev/null
    bindir="$(find_bindir)"
fi

# Who owns and runs the cluster: root hands it to `postgres`; anyone else runs it themselves.
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
    as_owner=(runuser -u postgres --)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/kubeid-pg.XXXXXX")"
chmod 0755 "$work"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$work"; fi
data="$work/data"

free_port() {
    python3 - <<'EOF'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

stop_cluster() {
    local rc=$?
    if [ -f "$data/postmaster.pid" ]; then
        "${as_owner[@]}" "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
    exit $rc
}
trap stop_cluster EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"${as_owner[@]}" "$bindir/initdb" -D "$data" -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 \
    >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; exit 1; }

# Settings go into postgresql.conf (not pg_ctl -o), so a test that stops and starts the server
# gets the same ones. Durability is off: the cluster lives for one test run.
cat >>"$data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 400
EOF

# A port can be taken between choosing and binding it: try a few.
started=0
for _ in 1 2 3 4 5; do
    port="$(free_port)"
    echo "port = $port" >>"$data/postgresql.conf"
    if "${as_owner[@]}" "$bindir/pg_ctl" -D "$data" -l "$work/server.log" -w -t 30 start >/dev/null 2>&1; then
        started=1
        break
    fi
done
if [ "$started" != 1 ]; then
    echo "with-postgres: PostgreSQL did not start; server log:" >&2
    cat "$work/server.log" >&2 || true
    exit 1
fi

# pg_ctl for tests that take the server down and bring it back (same options as above).
ctl="$work/pg_ctl"
cat >"$ctl" <<EOF
#!/usr/bin/env bash
exec ${as_owner[*]} "$bindir/pg_ctl" -D "$data" -l "$work/server.log" "\$@"
EOF
chmod 0755 "$ctl"

export KUBEID_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
export KUBEID_TEST_POSTGRES_DATA="$data"
export KUBEID_TEST_POSTGRES_CTL="$ctl"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2

set +e
"$@"
rc=$?
set -e
exit $rc
