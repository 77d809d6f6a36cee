"""Fixtures for kubeid's interoperability tests.

A session starts one `kubeid serve` on a free loopback port with a fresh data directory,
plus a small external OIDC issuer (HTTPS, own CA) that kubeid trusts through
`--trusted-ca-file`, used by the federated-credential tests. Directory objects are
created with kubeid's admin CLI, exactly as an operator would.

Nothing here changes the environment for other tests: CA trust is always passed per
client (`verify=` for msal and requests, `connection_verify=` for azure-identity).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import http.server
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import jwt
import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ARTIFACTS = HERE / "artifacts"

AKS_SERVER_APP = "6dae42f8-4368-4678-94ff-3960e28e3630"
AKS_CLIENT_APP = "80faf920-1908-4b52-b5ef-a8e7bedfc67a"
AKS_SCOPE = AKS_SERVER_APP + "/.default"
FIC_AUDIENCE = "api://AzureADTokenExchange"

# requests lets these override a per-call `verify=` (docs/compatibility.md, Library quirks); the
# msal/azure variables would redirect or regionalise the clients. They are removed for this process
# only, so every test sees the same clean client configuration.
_ENV_TO_DROP = (
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "MSAL_FORCE_REGION",
    "AZURE_REGIONAL_AUTHORITY_NAME",
    "AZURE_AUTHORITY_HOST",
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_TENANT_ID",
    "AZURE_FEDERATED_TOKEN_FILE",
    "AZURE_CLIENT_CERTIFICATE_PATH",
)
for _name in _ENV_TO_DROP:
    os.environ.pop(_name, None)


# --------------------------------------------------------------------------- helpers


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    text = text.rstrip("=")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def jwt_header(token: str | bytes) -> dict:
    if isinstance(token, bytes):
        token = token.decode("ascii")
    return json.loads(b64url_decode(token.split(".")[0]))


def jwt_claims_unverified(token: str | bytes) -> dict:
    if isinstance(token, bytes):
        token = token.decode("ascii")
    return json.loads(b64url_decode(token.split(".")[1]))


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_ca(cn: str) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(_name(cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def make_server_cert(
    ca_key: rsa.RSAPrivateKey, ca_cert: x509.Certificate
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    import ipaddress

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def split_pem(path: str | Path) -> tuple[Any, x509.Certificate, str, str]:
    """(private key object, certificate, private key PEM, certificate PEM) from a PEM file."""
    text = Path(path).read_text()
    key_m = re.search(
        r"-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----.*?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----",
        text, re.S,
    )
    cert_m = re.search(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", text, re.S)
    assert key_m, f"no private key in {path}"
    assert cert_m, f"no certificate in {path}"
    key_pem, cert_pem = key_m.group(0) + "\n", cert_m.group(0) + "\n"
    key = serialization.load_pem_private_key(key_pem.encode(), password=None)
    cert = x509.load_pem_x509_certificate(cert_pem.encode())
    return key, cert, key_pem, cert_pem


# --------------------------------------------------------------------------- external issuer


@dataclass
class ExternalIssuer:
    """A minimal OIDC issuer (discovery + JWKS over HTTPS), like a cluster's SA issuer."""

    url: str
    ca_path: Path
    kid: str
    key: rsa.RSAPrivateKey
    requests_seen: list = field(default_factory=list)

    def sign(self, claims: dict, key: rsa.RSAPrivateKey | None = None, kid: str | None = None) -> str:
        return jwt.encode(
            claims, key or self.key, algorithm="RS256",
            headers={"kid": kid or self.kid, "typ": "JWT"},
        )

    def assertion(self, subject: str, audience: str = FIC_AUDIENCE, lifetime: int = 3600, **extra) -> str:
        now = int(time.time())
        claims = {
            "iss": self.url, "sub": subject, "aud": [audience],
            "iat": now, "nbf": now, "exp": now + lifetime,
            "jti": str(uuid.uuid4()),
            "kubernetes.io": {"namespace": "default", "serviceaccount": {"name": subject.rsplit(":", 1)[-1]}},
        }
        claims.update(extra)
        return self.sign(claims)


def _start_external_issuer(workdir: Path) -> tuple[ExternalIssuer, Callable[[], None]]:
    ca_key, ca_cert = make_ca("kubeid-interop external issuer CA")
    srv_key, srv_cert = make_server_cert(ca_key, ca_cert)
    workdir.mkdir(parents=True, exist_ok=True)
    ca_path = workdir / "external-ca.crt"
    ca_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    cert_path = workdir / "external-server.pem"
    cert_path.write_bytes(
        srv_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        + srv_cert.public_bytes(serialization.Encoding.PEM)
    )

    signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pub = signing_key.public_key().public_numbers()
    kid = b64url(hashlib.sha256(str(pub.n).encode()).digest())[:32]
    jwk = {
        "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
        "n": b64url(pub.n.to_bytes((pub.n.bit_length() + 7) // 8, "big")),
        "e": b64url(pub.e.to_bytes((pub.e.bit_length() + 7) // 8, "big")),
    }

    port = free_port()
    url = f"https://127.0.0.1:{port}"
    issuer = ExternalIssuer(url=url, ca_path=ca_path, kid=kid, key=signing_key)
    discovery = {
        "issuer": url,
        "jwks_uri": url + "/openid/v1/jwks",
        "response_types_supported": ["id_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }
    routes = {
        "/.well-known/openid-configuration": discovery,
        "/openid/v1/jwks": {"keys": [jwk]},
    }

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 (http.server naming)
            issuer.requests_seen.append(self.path)
            path = self.path.split("?", 1)[0]
            body_obj = routes.get(path)
            # Any "/<prefix>" in front is another issuer with the same key: a fresh cache
            # entry in kubeid for tests that count fetches. "/impostor" serves a document that
            # names the plain issuer instead of itself.
            for suffix in routes:
                prefix = path[: -len(suffix)] if path.endswith(suffix) else None
                if body_obj is None and prefix and prefix.count("/") == 1:
                    body_obj = routes[suffix]
                    if suffix == "/.well-known/openid-configuration":
                        named = url if prefix == "/impostor" else url + prefix
                        body_obj = dict(body_obj, issuer=named, jwks_uri=url + prefix + "/openid/v1/jwks")
            if body_obj is None:
                body, status = b'{"error":"not found"}', 404
            else:
                body, status = json.dumps(body_obj).encode(), 200
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, fmt, *args):  # keep pytest output clean
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    httpd.daemon_threads = True
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(cert_path))
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, name="external-issuer", daemon=True)
    thread.start()

    def stop():
        httpd.shutdown()
        httpd.server_close()

    return issuer, stop


@pytest.fixture(scope="session")
def external_issuer(tmp_path_factory) -> ExternalIssuer:
    issuer, stop = _start_external_issuer(tmp_path_factory.mktemp("external-issuer"))
    yield issuer
    stop()


# --------------------------------------------------------------------------- kubeid server


class CLIError(AssertionError):
    pass


@dataclass
class KubeID:
    binary: Path
    data_dir: Path
    port: int
    log_path: Path
    process: subprocess.Popen | None = None
    _log: Any = None

    @property
    def base(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def ca(self) -> str:
        return str(self.data_dir / "tls" / "ca.crt")

    def v1_issuer(self, tid: str) -> str:
        return f"{self.base}/{tid}/"

    def v2_issuer(self, tid: str) -> str:
        return f"{self.base}/{tid}/v2.0"

    def log_tail(self, lines: int = 80) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def run_cli(self, *args: str, check: bool = True, input: str | None = None) -> subprocess.CompletedProcess:
        cmd = [str(self.binary), *args, "--data-dir", str(self.data_dir)]
        # Scratch HOME and working directory, so no CLI output file lands in the real ones
        # (create_sp also passes --cert-output-dir: the default is the user's home, as az).
        home = self.data_dir.parent / "cli-home"
        home.mkdir(exist_ok=True)
        env = _child_env()
        env["HOME"] = str(home)
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env, cwd=home, input=input)
        if check and proc.returncode != 0:
            raise CLIError(
                f"kubeid CLI failed (exit {proc.returncode}): {' '.join(cmd)}\n"
                f"stdout: {proc.stdout}\nstderr: {proc.stderr}"
            )
        return proc

    def cli(self, *args: str, input: str | None = None) -> Any:
        proc = self.run_cli(*args, input=input)
        if not proc.stdout.strip():
            return None  # e.g. `group member add` prints nothing, like `az ad group member add`
        try:
            return json.loads(proc.stdout)
        except json.JSONDecodeError as exc:
            raise CLIError(f"kubeid {' '.join(args)}: stdout is not JSON ({exc}): {proc.stdout!r}") from exc

    def get(self, path: str, **kw) -> requests.Response:
        kw.setdefault("timeout", 30)
        return requests.get(self.base + path, verify=self.ca, **kw)

    def post(self, path: str, **kw) -> requests.Response:
        kw.setdefault("timeout", 30)
        return requests.post(self.base + path, verify=self.ca, **kw)


def _child_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KUBEID_")}
    return env


def _binary() -> Path:
    return Path(os.environ.get("KUBEID_BIN") or REPO / ".build" / "debug" / "kubeid").resolve()


_SERVER: KubeID | None = None


def launch_kubeid(data_dir: Path, log_path: Path, extra_args: tuple[str, ...] = ()) -> KubeID:
    """Starts `kubeid serve` on a free loopback port and waits until /readyz answers 200."""
    binary = _binary()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.exit(f"kubeid binary not found at {binary} (build it, or set KUBEID_BIN)", returncode=2)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = KubeID(binary=binary, data_dir=data_dir, port=port, log_path=log_path)
    cmd = [
        str(binary), "serve",
        "--data-dir", str(data_dir),
        "--listen", f"127.0.0.1:{port}",
        "--issuer-url", server.base,
        *extra_args,
    ]
    log = open(log_path, "wb")
    server.process = subprocess.Popen(
        cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=_child_env()
    )
    server._log = log

    deadline = time.monotonic() + 60
    last_error: Exception | None = None
    while True:
        if server.process.poll() is not None:
            log.close()
            pytest.exit(
                f"kubeid serve exited with {server.process.returncode} during start-up:\n{server.log_tail()}",
                returncode=3,
            )
        if Path(server.ca).is_file():
            try:
                r = requests.get(server.base + "/readyz", verify=server.ca, timeout=2)
                if r.status_code == 200:
                    break
                last_error = RuntimeError(f"/readyz answered {r.status_code}: {r.text[:200]}")
            except requests.RequestException as exc:
                last_error = exc
        if time.monotonic() > deadline:
            server.process.kill()
            server.process.wait()
            log.close()
            pytest.exit(
                f"kubeid serve did not become healthy within 60 s (last error: {last_error}):\n"
                f"{server.log_tail()}",
                returncode=3,
            )
        time.sleep(0.2)
    return server


def stop_kubeid(server: KubeID) -> int:
    """SIGTERM, as an operator would; returns the exit status (kills after 10 s)."""
    server.process.send_signal(signal.SIGTERM)
    try:
        rc = server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
        server._log.close()
        pytest.fail(f"kubeid serve did not exit within 10 s of SIGTERM:\n{server.log_tail()}")
    server._log.close()
    return rc


@pytest.fixture(scope="session")
def kubeid(tmp_path_factory, external_issuer) -> KubeID:
    """The running kubeid server. The external issuer's CA is passed as --trusted-ca-file."""
    global _SERVER
    server = launch_kubeid(tmp_path_factory.mktemp("kubeid-data"), ARTIFACTS / "kubeid-serve.log",
                           ("--trusted-ca-file", str(external_issuer.ca_path)))
    _SERVER = server

    yield server

    # Clean shutdown on SIGTERM is part of the contract.
    rc = stop_kubeid(server)
    _SERVER = None
    assert rc == 0, f"kubeid serve exited with {rc} after SIGTERM:\n{server.log_tail()}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and _SERVER is not None:
        report.sections.append(("kubeid serve log (tail)", _SERVER.log_tail()))


# --------------------------------------------------------------------------- directory fixture


@dataclass
class ServicePrincipal:
    app_id: str
    object_id: str
    display_name: str
    password: str | None = None
    pem_path: str | None = None

    def cert_parts(self):
        assert self.pem_path
        return split_pem(self.pem_path)


@dataclass
class Directory:
    tenant_id: str
    tenant_name: str
    outer_group: str
    inner_group: str
    secret_sp: ServicePrincipal
    cert_sp: ServicePrincipal


# Every client secret the tests created: test_zz_log_hygiene.py checks that no server log holds one.
CREATED_SECRETS: list[str] = []


def create_sp(kubeid: KubeID, tenant: str, name: str, cert: bool = False) -> ServicePrincipal:
    args = ["sp", "create-for-rbac", "--tenant", tenant, "--name", name]
    if cert:
        # Default is $HOME, as az does; keep the test's PEM files in the scratch dir.
        out_dir = kubeid.data_dir.parent / "certs"
        out_dir.mkdir(exist_ok=True)
        args += ["--create-cert", "--cert-output-dir", str(out_dir)]
    out = kubeid.cli(*args)
    assert out["displayName"] == name, out
    if cert:
        assert "password" not in out or not out["password"], out
        pem = out["fileWithCertAndPrivateKey"]
        assert os.path.isabs(pem) and os.path.isfile(pem), out
    else:
        assert out.get("password"), out
        CREATED_SECRETS.append(out["password"])
    shown = kubeid.cli("sp", "show", "--tenant", tenant, "--id", out["appId"])
    assert shown["appId"] == out["appId"], shown
    return ServicePrincipal(
        app_id=out["appId"], object_id=shown["id"], display_name=name,
        password=out.get("password"), pem_path=out.get("fileWithCertAndPrivateKey"),
    )


@pytest.fixture(scope="session")
def directory(kubeid: KubeID) -> Directory:
    """Tenant contoso; SPs → inner group → outer group (nested)."""
    tenant = kubeid.cli("tenant", "create", "--name", "contoso")
    assert tenant["name"] == "contoso", tenant
    tid = tenant["id"]
    uuid.UUID(tid)

    outer = kubeid.cli("group", "create", "--tenant", "contoso", "--display-name", "aks-admins")
    inner = kubeid.cli("group", "create", "--tenant", "contoso", "--display-name", "platform-team")
    assert outer["displayName"] == "aks-admins", outer
    kubeid.cli("group", "member", "add", "--tenant", "contoso", "--group", outer["id"], "--member-id", inner["id"])

    secret_sp = create_sp(kubeid, "contoso", "interop-secret")
    cert_sp = create_sp(kubeid, "contoso", "interop-cert", cert=True)
    for sp in (secret_sp, cert_sp):
        kubeid.cli("group", "member", "add", "--tenant", "contoso", "--group", inner["id"], "--member-id", sp.object_id)

    return Directory(
        tenant_id=tid, tenant_name="contoso", outer_group=outer["id"], inner_group=inner["id"],
        secret_sp=secret_sp, cert_sp=cert_sp,
    )


# --------------------------------------------------------------------------- token checks


def fetch_jwks(kubeid: KubeID, tid: str) -> dict:
    disco = kubeid.get(f"/{tid}/.well-known/openid-configuration")
    assert disco.status_code == 200, disco.text
    jwks_uri = disco.json()["jwks_uri"]
    r = requests.get(jwks_uri, verify=kubeid.ca, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def verify_v1_app_token(
    kubeid: KubeID, directory: Directory, token: str, sp: ServicePrincipal, appidacr: str | tuple,
    audience: str = AKS_SERVER_APP, expect_groups: bool = True,
) -> dict:
    """Verify signature (JWKS), aud, iss and the app-token claims of a v1 AKS token."""
    tid = directory.tenant_id
    header = jwt_header(token)
    assert header.get("alg") == "RS256", header
    assert header.get("kid"), header
    assert header.get("x5t"), f"v1 tokens carry x5t in the header: {header}"

    jwks = fetch_jwks(kubeid, tid)
    matching = [k for k in jwks["keys"] if k.get("kid") == header["kid"]]
    assert matching, f"kid {header['kid']} not in JWKS {[k.get('kid') for k in jwks['keys']]}"
    key = jwt.PyJWK(matching[0], algorithm="RS256").key

    claims = jwt.decode(
        token, key, algorithms=["RS256"], audience=audience, issuer=kubeid.v1_issuer(tid),
        options={"require": ["exp", "iat", "nbf", "iss", "aud", "sub"]},
    )
    assert claims["ver"] == "1.0", claims
    assert claims["tid"] == tid, claims
    assert claims["oid"] == sp.object_id, claims
    assert claims["sub"] == sp.object_id, claims
    assert claims["appid"] == sp.app_id, claims
    allowed = (appidacr,) if isinstance(appidacr, str) else appidacr
    assert claims["appidacr"] in allowed, claims
    assert claims["idtyp"] == "app", claims
    for absent in ("scp", "upn", "unique_name"):
        assert absent not in claims, f"app token must not carry {absent}: {claims}"
    if expect_groups:
        groups = claims.get("groups")
        assert isinstance(groups, list), claims
        assert directory.inner_group in groups, f"direct group missing: {claims}"
        assert directory.outer_group in groups, f"transitive (nested) group missing: {claims}"
    return claims


class RecordingSession(requests.Session):
    """requests.Session that records POST bodies; used as msal's http_client."""

    def __init__(self, verify: str):
        super().__init__()
        self.verify = verify
        self.trust_env = False  # REQUESTS_CA_BUNDLE etc. must not override `verify`
        self.posts: list[tuple[str, dict]] = []

    def post(self, url, data=None, **kw):  # type: ignore[override]
        self.posts.append((url, dict(data or {})))
        kw.setdefault("timeout", 30)
        return super().post(url, data=data, **kw)
