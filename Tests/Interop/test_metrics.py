"""kubeid's metrics, scraped by a real Prometheus server (Debian's `prometheus` package).

A `kubeid serve --metrics-listen` gets known traffic (N client-credential tokens, M wrong
secrets); Prometheus, started on loopback with a generated config that scrapes it every second
and loads docs/operations/kubeid-alerts.yml, must then answer PromQL queries with exactly those
numbers. The example alert rules pass `promtool check rules` and load healthy, and every panel
query of the example Grafana dashboard is valid PromQL.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time

import pytest
import requests

from conftest import AKS_SCOPE, ARTIFACTS, REPO, create_sp, free_port, launch_kubeid, stop_kubeid

ALERTS = REPO / "docs" / "operations" / "kubeid-alerts.yml"
DASHBOARD = REPO / "docs" / "operations" / "kubeid-dashboard.json"
TOKENS, DENIALS = 5, 3

pytestmark = pytest.mark.skipif(shutil.which("prometheus") is None, reason="needs Debian's prometheus package")


@pytest.fixture(scope="module")
def scraped(tmp_path_factory):
    work = tmp_path_factory.mktemp("metrics")
    metrics_port = free_port()
    server = launch_kubeid(work / "kubeid", ARTIFACTS / "kubeid-metrics.log",
                           ("--metrics-listen", f"127.0.0.1:{metrics_port}"))
    prometheus = None
    try:
        config = work / "prometheus.yml"
        config.write_text(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            f"rule_files: ['{ALERTS}']\n"
            "scrape_configs:\n  - job_name: kubeid\n"
            f"    static_configs:\n      - targets: ['127.0.0.1:{metrics_port}']\n")
        api_port = free_port()
        log = open(ARTIFACTS / "prometheus.log", "wb")
        prometheus = subprocess.Popen(
            ["prometheus", f"--config.file={config}", f"--storage.tsdb.path={work / 'tsdb'}",
             f"--web.listen-address=127.0.0.1:{api_port}"], stdout=log, stderr=subprocess.STDOUT)
        api = f"http://127.0.0.1:{api_port}"
        _wait_ready(api, prometheus)
        yield server, api
    finally:
        if prometheus:
            prometheus.terminate()
            prometheus.wait(timeout=30)
        assert stop_kubeid(server) == 0, server.log_tail()


def _wait_ready(api: str, prometheus: subprocess.Popen, timeout: float = 120) -> None:
    """Prometheus answers 503 until its storage is open: wait for /-/ready (slow on a busy machine)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert prometheus.poll() is None, (ARTIFACTS / "prometheus.log").read_text()[-2000:]
        try:
            if requests.get(f"{api}/-/ready", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    pytest.fail(f"Prometheus not ready after {timeout} s:\n{(ARTIFACTS / 'prometheus.log').read_text()[-2000:]}")


def _query(api: str, expr: str) -> list:
    r = requests.get(f"{api}/api/v1/query", params={"query": expr}, timeout=10)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "success", body
    return body["data"]["result"]


def _eventually(api: str, expr: str, expected: float, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = _query(api, expr)
            if last and float(last[0]["value"][1]) == expected:
                return
        except requests.RequestException as error:  # Prometheus still starting
            last = error
        time.sleep(0.5)
    pytest.fail(f"{expr} never became {expected}; last answer: {last}")


def test_prometheus_sees_exactly_the_traffic_sent(scraped):
    server, api = scraped
    tenant = server.cli("tenant", "create", "--name", "fabrikam-metrics")
    sp = create_sp(server, "fabrikam-metrics", "metrics-pipeline")
    url = f"{server.base}/{tenant['id']}/oauth2/v2.0/token"
    for secret, count, status in ((sp.password, TOKENS, 200), ("not-the-secret", DENIALS, 401)):
        for _ in range(count):
            r = requests.post(url, verify=server.ca, timeout=30, data={
                "grant_type": "client_credentials", "client_id": sp.app_id, "client_secret": secret, "scope": AKS_SCOPE})
            assert r.status_code == status, r.text

    _eventually(api, 'up{job="kubeid"}', 1)
    _eventually(api, 'sum(kubeid_tokens_issued_total{grant="clientCredentials"})', TOKENS)
    _eventually(api, 'sum(kubeid_sign_in_failures_total{grant="clientCredentials",code="7000215"})', DENIALS)
    _eventually(api, 'sum(kubeid_http_requests_total{route="/{tenant}/oauth2/v2.0/token",status="4xx"})', DENIALS)
    _eventually(api, 'sum(kubeid_http_request_duration_seconds_count{route="/{tenant}/oauth2/v2.0/token"})',
                TOKENS + DENIALS)
    _eventually(api, "kubeid_signing_keys_published", 1)
    # Automatic rotation is on by default: the next key takes over in the future.
    _eventually(api, "kubeid_signing_key_next_rotation_timestamp_seconds > bool time()", 1)
    # The store reports its operations by backend and method name.
    _eventually(api, 'sum(kubeid_store_operation_duration_seconds_count{backend="sqlite",operation="signingKeys"}) > bool 0', 1)
    # The histogram resolves below a millisecond: its smallest bucket is 100 µs.
    buckets = {r["metric"]["le"] for r in _query(api, "kubeid_http_request_duration_seconds_bucket")}
    assert "0.0001" in buckets, sorted(buckets)
    # No label holds a tenant, a client id or a raw path.
    series = requests.get(f"{api}/api/v1/series", params={"match[]": '{job="kubeid"}'}, timeout=10).json()["data"]
    text = json.dumps(series)
    assert tenant["id"] not in text and sp.app_id not in text and "metrics-pipeline" not in text


def test_the_example_alert_rules_check_and_load(scraped):
    _, api = scraped
    checked = subprocess.run(["promtool", "check", "rules", str(ALERTS)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    deadline = time.monotonic() + 30
    while True:
        groups = requests.get(f"{api}/api/v1/rules", timeout=10).json()["data"]["groups"]
        rules = [rule for group in groups for rule in group["rules"]]
        if rules and all(rule.get("health") == "ok" for rule in rules):
            break
        assert time.monotonic() < deadline, rules
        time.sleep(1)
    assert {rule["name"] for rule in rules} >= {"KubeidDown", "KubeidServerErrors", "KubeidRefreshTokenReuse"}
    firing = [rule["name"] for rule in rules if rule["state"] == "firing"]
    assert not firing, f"an idle, healthy kubeid fires {firing}"


def test_every_dashboard_panel_is_valid_promql(scraped):
    _, api = scraped
    dashboard = json.loads(DASHBOARD.read_text())
    expressions = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    assert len(expressions) >= 10
    for expr in expressions:
        _query(api, expr)  # a 400 or an error status fails here
