"""Serve a built site with Debian's nginx and deploy/nginx.conf, on 127.0.0.1, as non-root.

The shipped file is a production server block; only its placeholders are replaced (root, ports,
certificate), inside a main configuration of our own (pid, logs and temp paths in a scratch
folder). A site built for a sub-path (base_url https://example.org/union/) is served the way the
top of deploy/nginx.conf tells a deployer: the site path in the $yizhan_path map, a root folder
holding the `site` link under the sub-path's name, and the 404 page and feed locations under it.
Used by tests/browser/test_csp_nginx.py and bench/lighthouse.py.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

NGINX = os.environ.get("YIZHAN_NGINX", "/usr/sbin/nginx")
CONF = Path(__file__).resolve().parents[2] / "deploy/nginx.conf"
HOST = "gonghui.example.org"
MAIN = """worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {work}/tmp/body;
    proxy_temp_path {work}/tmp/proxy;
    fastcgi_temp_path {work}/tmp/fastcgi;
    uwsgi_temp_path {work}/tmp/uwsgi;
    scgi_temp_path {work}/tmp/scgi;
    include {work}/yizhan.conf;
}}
"""


@dataclass(frozen=True)
class Served:
    url: str  # https://127.0.0.1:PORT
    http_url: str  # the plain-HTTP server that redirects to HTTPS
    certificate: Path  # the self-signed certificate, for clients that verify


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_config(
    root: Path, port: int, http_port: int, cert: Path, key: Path, prefix: str = ""
) -> str:
    """Return deploy/nginx.conf with its placeholders replaced for a local run.

    With a ``prefix`` (such as ``/union``), ``root`` is the folder holding the site under that
    name, and the changes the file's comments list for a sub-path are made too.
    """
    text = CONF.read_text(encoding="utf-8")
    replacements = [
        (r"\n\s*listen \[::\]:\d+[^;]*;", ""),
        (r"listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl http2;"),
        (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
        (r"root /srv/yizhan/site;", f"root {root};"),
        (r"include /srv/yizhan/deploy/", f"include {root.parent}/deploy/"),
        (r"ssl_certificate +/etc/letsencrypt/\S+;", f"ssl_certificate {cert};"),
        (r"ssl_certificate_key +/etc/letsencrypt/\S+;", f"ssl_certificate_key {key};"),
    ]
    if prefix:
        replacements += [
            (r'"~\^\(\?<yizhan_in_site>', f'"~^{re.escape(prefix)}(?<yizhan_in_site>'),
            (r"error_page 404 /404\.html;", f"error_page 404 {prefix}/404.html;"),
            (r"location = /feed\.xml ", f"location = {prefix}/feed.xml "),
            (r"location = /rss\.xml ", f"location = {prefix}/rss.xml "),
        ]
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text)
        if not count:
            raise AssertionError(f"deploy/nginx.conf no longer has {pattern!r}")
    return text


def _certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@contextmanager
def nginx_serving(site: Path, prefix: str = "", moved: Path | None = None) -> Iterator[Served]:
    """Serve a copy of the built ``site`` with nginx until the block ends, under ``prefix``
    (``/union``) when the site was built for that sub-path; ``moved`` is the build's map of
    renamed addresses (deploy/redirects.map)."""
    if not Path(NGINX).is_file():
        raise RuntimeError(f"{NGINX} is missing: apt-get install nginx (test.sh does it as root)")
    work = Path(tempfile.mkdtemp(prefix="yizhan-nginx-"))
    process = None
    try:
        # A copy, so that nginx running as an unprivileged user can read it wherever it was built.
        shutil.copytree(Path(site).resolve(), work / "site")
        if moved is not None:
            (work / "deploy").mkdir()
            shutil.copy(moved, work / "deploy" / "redirects.map")
        (work / "tmp").mkdir()
        root = work / "site"
        if prefix:  # www/union -> site, as a deployer links the `site` link
            root = work / "www"
            link = root / prefix.strip("/")
            link.parent.mkdir(parents=True)
            link.symlink_to(work / "site", target_is_directory=True)
        cert, key = _certificate(work)
        port, http_port = free_port(), free_port()
        config = server_config(root, port, http_port, cert, key, prefix)
        (work / "yizhan.conf").write_text(config)
        (work / "nginx.conf").write_text(MAIN.format(work=work))
        user = {}
        if os.geteuid() == 0:  # never run the server as root: nginx's own workers would be
            nobody = pwd.getpwnam("nobody")
            user = {"user": nobody.pw_uid, "group": nobody.pw_gid}
            work.chmod(0o755)
            for path in [work, *work.rglob("*")]:
                os.chown(path, nobody.pw_uid, nobody.pw_gid, follow_symlinks=False)
        command = [
            NGINX,
            "-p",
            str(work),
            "-e",
            str(work / "error.log"),
            "-c",
            str(work / "nginx.conf"),
        ]
        checked = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True, **user)
        if checked.returncode:
            raise RuntimeError(f"nginx -t failed:\n{checked.stderr}")
        process = subprocess.Popen([*command, "-g", "daemon off;"], stderr=subprocess.PIPE, **user)
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (work / "error.log").read_text(errors="replace")
                    raise RuntimeError(f"nginx did not start:\n{log}") from None
                time.sleep(0.05)
        yield Served(f"https://127.0.0.1:{port}", f"http://127.0.0.1:{http_port}", cert)
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stderr:
                process.stderr.close()
        shutil.rmtree(work, ignore_errors=True)
