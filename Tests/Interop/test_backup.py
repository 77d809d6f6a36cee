"""Backups of the SQLite store (docs/operations.md, Backups): `kubeid db backup` copies the store
of a server under load, `kubeid db restore` puts it into a new data directory, and a server
started there answers for everything issued before the backup: the same signing keys (JWKS), the
same client secrets, a user's refresh token. Restore refuses while a server runs on the data
directory, refuses a file that is not a kubeid store, and refuses a backup whose key-encryption
key it does not have; every refusal leaves the store as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import stat
import subprocess
import threading
import time
from pathlib import Path

import jwt
import pytest

from conftest import (
    AKS_CLIENT_APP, AKS_SCOPE, AKS_SERVER_APP, ARTIFACTS, CREATED_SECRETS, KubeID, _child_env, jwt_header,
    launch_kubeid, stop_kubeid,
)


def kubeid_cli(binary: Path, data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """The admin CLI on a data directory no KubeID object stands for (no server there yet)."""
    return subprocess.run([str(binary), *args, "--data-dir", str(data_dir)], capture_output=True, text=True,
                          timeout=60, env=_child_env(), cwd=data_dir.parent)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dump(path: Path) -> list[str]:
    """The database's content as SQL (the file's bytes change when its WAL is folded in)."""
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump())
    finally:
        db.close()


def jwks(server: KubeID, tid: str) -> dict:
    r = server.get(f"/{tid}/discovery/v2.0/keys")
    assert r.status_code == 200, r.text
    return r.json()


def client_credentials(server: KubeID, tid: str, app_id: str, secret: str):
    return server.post(f"/{tid}/oauth2/v2.0/token", data={
        "grant_type": "client_credentials", "client_id": app_id, "client_secret": secret, "scope": AKS_SCOPE})


def refresh(server: KubeID, tid: str, token: str):
    return server.post(f"/{tid}/oauth2/v2.0/token", data={
        "grant_type": "refresh_token", "client_id": AKS_CLIENT_APP, "refresh_token": token, "scope": AKS_SCOPE})


class TokenTraffic:
    """Client-credentials requests in a loop on a thread, counting answers by status."""

    def __init__(self, server: KubeID, tid: str, app_id: str, secret: str):
        self.statuses: dict[int, int] = {}
        self.errors: list[str] = []
        self._stop = threading.Event()

        def run():
            while not self._stop.is_set():
                try:
                    r = client_credentials(server, tid, app_id, secret)
                    self.statuses[r.status_code] = self.statuses.get(r.status_code, 0) + 1
                    if r.status_code != 200:
                        self.errors.append(r.text[:300])
                except Exception as exc:  # noqa: BLE001 - reported by the test
                    self.errors.append(repr(exc))

        self._thread = threading.Thread(target=run, name="token-traffic", daemon=True)
        self._thread.start()

    @property
    def issued(self) -> int:
        return self.statuses.get(200, 0)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


def test_backup_under_load_restores_into_a_new_data_directory(tmp_path):
    work = tmp_path
    old_dir, new_dir, backups = work / "old-data", work / "new-data", work / "backups"
    backups.mkdir()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    old = launch_kubeid(old_dir, ARTIFACTS / "kubeid-backup-old.log")
    new: KubeID | None = None
    try:
        tid = old.cli("tenant", "create", "--name", "fabrikam")["id"]
        sp = old.cli("sp", "create-for-rbac", "--tenant", "fabrikam", "--name", "backup-traffic")
        CREATED_SECRETS.append(sp["password"])  # test_zz_log_hygiene.py: no server log may hold it
        upn, password = "erin@fabrikam.test", "Pw-" + secrets.token_urlsafe(12)
        old.cli("user", "create", "--tenant", "fabrikam", "--user-principal-name", upn, "--display-name", "Erin",
                "--password-stdin", input=password + "\n")
        old.cli("app", "update", "--tenant", tid, "--id", AKS_CLIENT_APP, "--enable-ropc")
        time.sleep(1.5)  # the server's directory cache notices within a second

        signed_in = old.post(f"/{tid}/oauth2/v2.0/token", data={
            "grant_type": "password", "client_id": AKS_CLIENT_APP, "username": upn, "password": password,
            "scope": AKS_SCOPE + " openid profile offline_access"})
        assert signed_in.status_code == 200, signed_in.text
        refresh_token = signed_in.json()["refresh_token"]
        keys_before = jwks(old, tid)
        assert keys_before["keys"], keys_before

        # The backup runs while the server issues tokens as fast as this client asks.
        traffic = TokenTraffic(old, tid, sp["appId"], sp["password"])
        try:
            deadline = time.monotonic() + 30
            while traffic.issued < 20 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert traffic.issued >= 20, (traffic.statuses, traffic.errors[:3])
            during = traffic.issued
            backup_file = backups / "kubeid-backup.sqlite"
            made = old.run_cli("db", "backup", "--to", str(backup_file), check=False)
            assert made.returncode == 0, made.stderr
            after_backup = traffic.issued
            while traffic.issued < after_backup + 20 and time.monotonic() < deadline + 30:
                time.sleep(0.05)
        finally:
            traffic.stop()
        assert not traffic.errors, traffic.errors[:3]
        assert traffic.issued >= after_backup + 20 > during, traffic.statuses

        report = json.loads(made.stdout)
        assert report["backup"] == str(backup_file), report
        assert report["bytes"] == backup_file.stat().st_size > 0, report
        assert report["signingKeys"] >= 1 and report["keyEncryptionKeyIds"], report
        # The command names the key files a restore needs.
        kek_file = old_dir / "key-encryption.key"
        assert str(kek_file) in made.stderr and str(old_dir / "secret-hash.key") in made.stderr, made.stderr
        assert report["keyEncryptionKeyIds"][0] in made.stderr, made.stderr
        # Private: 0600, like the store itself; one file (no -wal or -journal beside it).
        assert mode(backup_file) == 0o600, oct(mode(backup_file))
        assert sorted(p.name for p in backups.iterdir()) == ["kubeid-backup.sqlite"], list(backups.iterdir())
        assert sqlite3.connect(backup_file).execute("PRAGMA journal_mode").fetchone()[0] == "delete"

        # Written after the backup: must not be in the restored store.
        old.cli("tenant", "create", "--name", "after-backup")

        # A restore onto the live server's data directory is refused, naming the server.
        live = old.run_cli("db", "restore", "--from", str(backup_file), check=False)
        assert live.returncode == 1, (live.stdout, live.stderr)
        assert live.stderr.strip() == (f"Error: a kubeid server is running on {old_dir} (pid {old.process.pid}); "
                                       "stop it before restoring"), live.stderr
        # A second server on the same data directory is refused too.
        second = subprocess.run([str(old.binary), "serve", "--data-dir", str(old_dir), "--listen", "127.0.0.1:1"],
                                capture_output=True, text=True, timeout=60, env=_child_env())
        assert second.returncode == 1, second.stderr
        assert f"a kubeid server is running on {old_dir} (pid {old.process.pid})" in second.stderr, second.stderr

        assert stop_kubeid(old) == 0, old.log_tail()

        # A new data directory without the key-encryption key: refused before anything is written.
        new_dir.mkdir(mode=0o700)
        shutil.copy2(old_dir / "secret-hash.key", new_dir / "secret-hash.key")
        no_key = kubeid_cli(old.binary, new_dir, "db", "restore", "--from", str(backup_file))
        assert no_key.returncode == 1, (no_key.stdout, no_key.stderr)
        assert no_key.stderr.startswith("Error: the backup's private keys are sealed under key-encryption key "
                                        f"{report['keyEncryptionKeyIds'][0]}"), no_key.stderr
        assert str(new_dir / "key-encryption.key") in no_key.stderr, no_key.stderr
        assert not (new_dir / "kubeid.sqlite").exists()
        assert not (new_dir / "key-encryption.key").exists(), "a refused restore must not create a key"

        # As docs/operations.md says: the key files kept with the backup go into the data directory.
        shutil.copy2(kek_file, new_dir / "key-encryption.key")
        restored = kubeid_cli(old.binary, new_dir, "db", "restore", "--from", str(backup_file))
        assert restored.returncode == 0, restored.stderr
        assert json.loads(restored.stdout)["replaced"] is None, restored.stdout
        assert mode(new_dir / "kubeid.sqlite") == 0o600

        new = launch_kubeid(new_dir, ARTIFACTS / "kubeid-backup-new.log")
        # The same signing keys (kids, public keys, certificates), so tokens issued before the
        # backup still verify; only each key's `issuer` differs, as the new server has a new URL.
        def keys_without_issuer(document: dict) -> list[dict]:
            return [{k: v for k, v in key.items() if k != "issuer"} for key in document["keys"]]
        keys_after = jwks(new, tid)
        assert keys_without_issuer(keys_after) == keys_without_issuer(keys_before)
        assert [k["kid"] for k in keys_after["keys"]] == [k["kid"] for k in keys_before["keys"]]
        # The refresh token issued before the backup redeems, and its access token verifies.
        redeemed = refresh(new, tid, refresh_token)
        assert redeemed.status_code == 200, redeemed.text
        access = redeemed.json()["access_token"]
        key = next(k for k in keys_before["keys"] if k["kid"] == jwt_header(access)["kid"])
        claims = jwt.decode(access, jwt.PyJWK(key, algorithm="RS256").key, algorithms=["RS256"],
                            audience=AKS_SERVER_APP, options={"verify_iss": False})
        assert claims["upn"] == upn, claims
        # The client secret still matches (the secret-hashing key was copied).
        assert client_credentials(new, tid, sp["appId"], sp["password"]).status_code == 200
        names = [t["name"] for t in new.cli("tenant", "list")]
        assert "fabrikam" in names and "after-backup" not in names, names

        # Restore onto the new, running server: refused, store untouched.
        inode = (new_dir / "kubeid.sqlite").stat().st_ino
        busy = new.run_cli("db", "restore", "--from", str(backup_file), check=False)
        assert busy.returncode == 1, busy.stderr
        assert busy.stderr.strip() == (f"Error: a kubeid server is running on {new_dir} (pid {new.process.pid}); "
                                       "stop it before restoring"), busy.stderr
        assert (new_dir / "kubeid.sqlite").stat().st_ino == inode
        assert stop_kubeid(new) == 0, new.log_tail()
        new = None

        # Garbage, an empty file and a foreign SQLite database are refused; the store stays as it was.
        garbage, empty, foreign = backups / "garbage.sqlite", backups / "empty.sqlite", backups / "foreign.sqlite"
        garbage.write_bytes(os.urandom(64 * 1024))
        empty.write_bytes(b"")
        with sqlite3.connect(foreign) as db:
            db.execute("CREATE TABLE notes (text TEXT)")
        before = digest(new_dir / "kubeid.sqlite")
        listing = sorted(p.name for p in new_dir.iterdir())
        for bad, reason in ((garbage, "is not a kubeid store"), (empty, "is not a kubeid store"),
                            (foreign, "is not a kubeid store"), (backups / "missing.sqlite", "there is no backup file")):
            refused = kubeid_cli(old.binary, new_dir, "db", "restore", "--from", str(bad))
            assert refused.returncode == 1, (bad, refused.stdout, refused.stderr)
            assert refused.stderr.startswith("Error: ") and reason in refused.stderr, refused.stderr
            assert "the store was not changed" in refused.stderr, refused.stderr
            assert "Fatal error" not in refused.stderr and refused.stdout == "", refused
            assert digest(new_dir / "kubeid.sqlite") == before, bad
            assert sorted(p.name for p in new_dir.iterdir()) == listing, bad

        # A good restore over an existing store keeps the one it replaced.
        content = dump(new_dir / "kubeid.sqlite")
        again = kubeid_cli(old.binary, new_dir, "db", "restore", "--from", str(backup_file))
        assert again.returncode == 0, again.stderr
        replaced = Path(json.loads(again.stdout)["replaced"])
        assert re.fullmatch(r"kubeid\.sqlite\.replaced-\d{8}T\d{6}Z", replaced.name), replaced
        assert dump(replaced) == content and mode(replaced) == 0o600
        assert not any(p.name.startswith("kubeid.sqlite.restore-") for p in new_dir.iterdir()), list(new_dir.iterdir())
    finally:
        for server in (old, new):
            if server is not None and server.process and server.process.poll() is None:
                stop_kubeid(server)


def test_backup_and_restore_on_postgresql_point_to_pg_dump(tmp_path):
    """No surprise on PostgreSQL: both commands exit 1 and say what to use instead (no connection
    is made, so any postgres:// URL shows it)."""
    binary = Path(os.environ.get("KUBEID_BIN") or Path(__file__).resolve().parents[2] / ".build/debug/kubeid")
    data_dir = tmp_path / "data"
    url = "postgres://kubeid@127.0.0.1:1/kubeid"
    backup = kubeid_cli(binary, data_dir, "db", "backup", "--to", str(tmp_path / "b.sqlite"), "--database-url", url)
    assert backup.returncode == 1, backup
    assert backup.stderr.startswith("Error: db backup copies the SQLite store; on PostgreSQL back up with pg_dump")
    assert "key-encryption key" in backup.stderr and "secret-hashing key" in backup.stderr, backup.stderr
    restore = kubeid_cli(binary, data_dir, "db", "restore", "--from", str(tmp_path / "b.sqlite"), "--database-url", url)
    assert restore.returncode == 1, restore
    assert restore.stderr.startswith("Error: db restore replaces the SQLite store; on PostgreSQL restore a pg_dump "
                                     "with pg_restore"), restore.stderr
    assert not (tmp_path / "b.sqlite").exists()
