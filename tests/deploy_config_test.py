#!/usr/bin/env python3
"""The deployment files in deploy/ load in the tools that will run them.

usage: deploy_config_test.py DUALUSE SOURCE_DIR

  deploy/nginx/dualuse.conf      `nginx -t` accepts it inside a minimal http {} block, under a
                                 temporary prefix (a throwaway self-signed certificate stands in
                                 for the real one); its client_max_body_size equals the default
                                 of `dualuse serve --max-body`; the upstream has several servers,
                                 keep-alive and passive health checks.
                                 Then nginx runs it on loopback in front of three real
                                 `dualuse serve` processes: /healthz through TLS, a body of
                                 exactly the limit passed on (the server answers), one byte more
                                 refused by nginx with 413, and every request still answered
                                 after one server is killed with SIGKILL.
  deploy/systemd/dualuse@.service `systemd-analyze verify` accepts an instance of it without a
                                 single warning (ExecStart pointed at the built binary); the
                                 hardening settings are there.
Prints one line per check; exits 1 if any failed. A missing tool (nginx, openssl,
systemd-analyze) fails the test under CI=true and skips it (exit 77) otherwise.
"""
import http.client
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time

failures = []
missing = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def tool(name, *extra):
    path = shutil.which(name) or next((p for p in extra if os.access(p, os.X_OK)), None)
    if not path:
        missing.append(name)
    return path


def size_bytes(text):
    m = re.fullmatch(r"(\d+)([kKmMgG]?)", text)
    factor = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[m.group(2).lower()]
    return int(m.group(1)) * factor


def nginx(dualuse, conf_path, tmp):
    nginx_bin = tool("nginx", "/usr/sbin/nginx")
    openssl = tool("openssl")
    if not nginx_bin or not openssl:
        return
    conf = open(conf_path).read()
    # A throwaway certificate where the real one goes: nginx -t loads it.
    tls = os.path.join(tmp, "tls")
    os.makedirs(tls)
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=dualuse.example.com",
                    "-keyout", os.path.join(tls, "privkey.pem"),
                    "-out", os.path.join(tls, "fullchain.pem")],
                   check=True, capture_output=True)
    check("/etc/ssl/dualuse/" in conf, "nginx: certificates under /etc/ssl/dualuse/")
    with open(os.path.join(tmp, "dualuse.conf"), "w") as f:
        f.write(conf.replace("/etc/ssl/dualuse/", tls + "/"))
    temp_paths = "".join(f"    {kind}_temp_path {tmp}/{kind};\n"
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    with open(os.path.join(tmp, "nginx.conf"), "w") as f:
        f.write(f"pid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\nevents {{}}\n"
                f"http {{\n    access_log off;\n{temp_paths}    include {tmp}/dualuse.conf;\n}}\n")
    r = subprocess.run([nginx_bin, "-t", "-p", tmp + "/", "-c", os.path.join(tmp, "nginx.conf"),
                        "-e", os.path.join(tmp, "error.log")], capture_output=True, text=True)
    check(r.returncode == 0 and "test is successful" in r.stderr,
          "nginx -t accepts deploy/nginx/dualuse.conf" +
          ("" if r.returncode == 0 else ": " + r.stderr.strip().replace("\n", " | ")))

    # The request-size limit is the server's.
    sizes = re.findall(r"^\s*client_max_body_size\s+(\S+);", conf, re.M)
    check(len(sizes) == 1, f"nginx: one client_max_body_size (found {sizes})")
    help_text = subprocess.run([dualuse, "serve", "--help"], capture_output=True,
                               text=True).stdout
    m = re.search(r"--max-body\s+\w+=(\d+)\s", help_text)
    check(m is not None, "dualuse serve --help shows the default of --max-body")
    if sizes and m:
        check(size_bytes(sizes[0]) == int(m.group(1)),
              f"nginx client_max_body_size {sizes[0]} = dualuse serve --max-body {m.group(1)}")

    upstream = re.search(r"upstream\s+dualuse\s*\{(.*?)\n\}", conf, re.S)
    check(upstream is not None, "nginx: upstream dualuse")
    if upstream:
        body = re.sub(r"#.*", "", upstream.group(1))
        servers = re.findall(r"^\s*server\s+(\S+)([^;]*);", body, re.M)
        check(len(servers) >= 3, f"nginx: several upstream servers ({len(servers)})")
        check(all("max_fails=" in s[1] and "fail_timeout=" in s[1] for s in servers),
              "nginx: every upstream server has max_fails and fail_timeout")
        check(re.search(r"^\s*keepalive\s+\d+;", body, re.M) is not None,
              "nginx: upstream keep-alive")
    check(re.search(r"^\s*proxy_http_version 1\.1;", conf, re.M) is not None and
          'proxy_set_header Connection "";' in conf,
          "nginx: HTTP/1.1 with an empty Connection header (needed for keep-alive)")
    check(re.search(r"location = /healthz", conf) is not None, "nginx: /healthz")
    if r.returncode == 0 and m:
        live(nginx_bin, dualuse, conf, tls, tmp, int(m.group(1)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(dualuse, data_dir, lists_dir):
    """One `dualuse serve --port 0` on its own SQLite store; returns (process, port)."""
    os.makedirs(data_dir)
    out = open(os.path.join(data_dir, "serve.out"), "w+")
    proc = subprocess.Popen([dualuse, "serve", "--port", "0", "--data-dir", data_dir, "--list",
                             os.path.join(lists_dir, "un_sc", "un_consolidated_2026-02-27.xml")],
                            stdout=out, stderr=subprocess.DEVNULL)
    for _ in range(600):
        out.seek(0)
        found = re.search(r"http://127\.0\.0\.1:(\d+)", out.read())
        if found:
            return proc, int(found.group(1))
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"dualuse serve in {data_dir} did not print its port")


def request(port, method, path, body=None):
    """One HTTPS request to nginx on loopback (the throwaway certificate is not verified)."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    c = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=30)
    try:
        headers = {"Host": "dualuse.example.com"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        c.request(method, path, body=body, headers=headers)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def live(nginx_bin, dualuse, conf, tls, tmp, max_body):
    """nginx with this configuration in front of three real servers, on loopback."""
    lists_dir = os.path.join(os.path.dirname(os.path.abspath(dualuse)), "data", "lists")
    servers, nginx = [], None
    try:
        for i in range(3):
            servers.append(start_server(dualuse, os.path.join(tmp, f"serve{i}"), lists_dir))
        https, plain = free_port(), free_port()
        run = conf.replace("/etc/ssl/dualuse/", tls + "/")
        # The same file, with loopback ports for nginx and the servers' actual ports.
        run = re.sub(r"^\s*listen \[::\]:.*\n", "", run, flags=re.M)
        run = run.replace("listen 443 ssl", f"listen 127.0.0.1:{https} ssl")
        run = run.replace("listen 80;", f"listen 127.0.0.1:{plain};")
        upstream_ports = iter(port for _, port in servers)
        run = re.sub(r"server 127\.0\.0\.1:\d+", lambda _: f"server 127.0.0.1:{next(upstream_ports)}",
                     run)
        with open(os.path.join(tmp, "dualuse.conf"), "w") as f:
            f.write(run)
        nginx = subprocess.Popen([nginx_bin, "-p", tmp + "/", "-c", os.path.join(tmp, "nginx.conf"),
                                  "-e", os.path.join(tmp, "error.log"), "-g", "daemon off;"],
                                 stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", https), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        status, body = request(https, "GET", "/healthz")
        check(status == 200 and b'"status":"ok"' in body.replace(b" ", b""),
              f"live: GET /healthz through nginx and TLS: {status}")
        # The largest body both accept reaches the server, which refuses it for want of a
        # token (401, its JSON error); one byte more is nginx's own 413.
        status, body = request(https, "POST", "/screen", b" " * max_body)
        check(status == 401 and b"unauthenticated" in body,
              f"live: a body of {max_body} bytes is passed to the server (401 from it): {status}")
        status, body = request(https, "POST", "/screen", b" " * (max_body + 1))
        check(status == 413 and b"nginx" in body,
              f"live: a body of {max_body + 1} bytes is refused by nginx with 413: {status}")
        # One server gone: nginx passes its share to the others.
        servers[0][0].send_signal(signal.SIGKILL)
        servers[0][0].wait()
        statuses = [request(https, "GET", "/healthz")[0] for _ in range(12)]
        check(statuses == [200] * 12, f"live: 12 requests after one server was killed: {statuses}")
    except (OSError, RuntimeError, http.client.HTTPException) as e:
        check(False, f"live: {e}")
    finally:
        if nginx:
            nginx.send_signal(signal.SIGQUIT)
            try:
                nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                nginx.kill()
        for proc, _ in servers:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)


def systemd(dualuse, unit_path, tmp):
    analyze = tool("systemd-analyze")
    if not analyze:
        return
    unit = open(unit_path).read()
    check("ExecStart=/usr/local/bin/dualuse serve " in unit, "systemd: ExecStart runs dualuse serve")
    for setting in ("User=dualuse", "NoNewPrivileges=yes", "ProtectSystem=strict",
                    "StateDirectory=dualuse", "PrivateTmp=yes", "ProtectHome=yes",
                    "CapabilityBoundingSet=", "--data-dir /var/lib/dualuse", "--port %i"):
        check(re.search(r"(^|\s)" + re.escape(setting) + r"($|\s)", unit, re.M) is not None,
              f"systemd: {setting}")
    d = os.path.join(tmp, "systemd")
    os.makedirs(d)
    with open(os.path.join(d, "dualuse@.service"), "w") as f:
        f.write(unit.replace("/usr/local/bin/dualuse", os.path.abspath(dualuse)))
    r = subprocess.run([analyze, "verify", os.path.join(d, "dualuse@8081.service")],
                       capture_output=True, text=True)
    out = (r.stdout + r.stderr).strip()
    check(r.returncode == 0 and out == "",
          "systemd-analyze verify dualuse@8081.service: no error, no warning" +
          ("" if not out else ": " + out.replace("\n", " | ")))


def main():
    if len(sys.argv) != 3:
        print("usage: deploy_config_test.py DUALUSE SOURCE_DIR", file=sys.stderr)
        return 2
    dualuse, source = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="dualuse-deploy-") as tmp:
        nginx(dualuse, os.path.join(source, "deploy", "nginx", "dualuse.conf"), tmp)
        systemd(dualuse, os.path.join(source, "deploy", "systemd", "dualuse@.service"), tmp)
    if missing:
        msg = "missing tool(s): " + ", ".join(missing) + " (Debian: nginx, openssl, systemd)"
        if os.environ.get("CI") == "true":
            print("FAIL " + msg + " (CI=true)")
            return 1
        print("skipped: " + msg)
        return 1 if failures else 77
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
