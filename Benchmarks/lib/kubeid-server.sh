# Sourced by the benchmark scripts: start and stop a `kubeid serve` on a free loopback port, and
# run wrk against it with its figures parsed. Needs KUBEID_BIN; the caller sets `bench_name`
# (its error prefix) and `work` (a scratch directory) first and calls bench_stop_server on exit.

die() { echo "${bench_name:-bench}: $*" >&2; exit 1; }

bench_require_kubeid() {
    [ -n "${KUBEID_BIN:-}" ] || die "set KUBEID_BIN to a kubeid binary (a release build: swift build -c release)"
    [ -x "$KUBEID_BIN" ] || die "KUBEID_BIN=$KUBEID_BIN is not an executable"
}

bench_require_tools() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || die "$tool is required (apt-get install $*)"
    done
}

bench_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

server_pid=""
# bench_start_server DATA_DIR [serve flags...]: starts the server and waits for /healthz; sets
# bench_base (https://127.0.0.1:PORT), bench_ca (its TLS CA file) and server_pid. The log is
# $work/serve-<pid>.log, kept in bench_serve_log.
bench_start_server() {
    local data="$1"; shift
    local port i
    port="$(bench_free_port)"
    bench_base="https://127.0.0.1:$port"
    bench_ca="$data/tls/ca.crt"
    bench_serve_log="$work/serve-$port.log"
    "$KUBEID_BIN" serve --data-dir "$data" "$@" --listen "127.0.0.1:$port" --issuer-url "$bench_base" \
        >"$bench_serve_log" 2>&1 &
    server_pid=$!
    for i in $(seq 1 300); do
        kill -0 "$server_pid" 2>/dev/null || { cat "$bench_serve_log" >&2; die "kubeid serve exited during start-up"; }
        if [ -f "$bench_ca" ] && curl -sf --cacert "$bench_ca" -o /dev/null "$bench_base/healthz"; then return 0; fi
        sleep 0.2
    done
    cat "$bench_serve_log" >&2
    die "kubeid serve not healthy after 60 s"
}

bench_stop_server() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
}

# bench_wrk LABEL URL [wrk flags...]: wrk with keep-alive TLS and latency percentiles (threads,
# connections and duration from BENCH_THREADS/BENCH_CONNECTIONS/BENCH_DURATION), its output
# shown and kept in $work/LABEL.wrk. Sets wrk_rps, wrk_p50, wrk_p99 (as wrk prints them) and
# fails when a response was not 2xx.
bench_wrk() {
    local label="$1" url="$2"; shift 2
    local out="$work/$label.wrk" non2xx
    echo "== $label: wrk -t${BENCH_THREADS:-2} -c${BENCH_CONNECTIONS:-64} -d${BENCH_DURATION:-15s} $url"
    wrk -t"${BENCH_THREADS:-2}" -c"${BENCH_CONNECTIONS:-64}" -d"${BENCH_DURATION:-15s}" --latency "$@" "$url" | tee "$out"
    wrk_rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
    wrk_p50="$(awk '$1 == "50%" { print $2 }' "$out")"
    wrk_p99="$(awk '$1 == "99%" { print $2 }' "$out")"
    [ -n "$wrk_rps" ] || die "$label: could not parse wrk output"
    non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")"
    if [ "${non2xx:-0}" != 0 ]; then
        tail -n 20 "$bench_serve_log" >&2
        die "$label: $non2xx responses were not 2xx"
    fi
    if grep -q '^ *Socket errors:' "$out"; then echo "warning: $label: wrk reported socket errors" >&2; fi
}
