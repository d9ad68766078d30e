#!/usr/bin/env python3
"""Several `dualuse serve` on one PostgreSQL behind nginx, under load and faults.

Run through bench/cluster/run.sh (which starts PostgreSQL). Steps:
  1. a fresh database and data directory; the UN list of 2025-11-20 imported
     (`dualuse lists import`), an officer, an authority official and an admin
     with tokens (`dualuse users add|token`);
  2. N servers (`dualuse serve --db postgresql://...`) on loopback ports and
     nginx with deploy/nginx/dualuse.conf (plain HTTP on loopback instead of
     TLS, its upstream pointed at the servers);
  3. client threads, each with one keep-alive connection to nginx, send
     /screen (50 %), /assess (35 %) and authority cases (15 %: filing,
     criteria assessment, grant decision) until the time is up
     (DUALUSE_CLUSTER_AUTHORITY=0: /screen and /assess only, 59 % / 41 %);
  4. at 35 % of the time one server is killed with SIGKILL and restarted a
     second later; at 55 % the UN list of 2026-02-27 is imported with the CLI
     and every server is asked directly (POST /screen) until it answers with
     the new version: each must within LIST_BOUND_S seconds of the import's
     commit (the CLI's exit);
  5. afterwards: every 2xx answer's record is in the store (X-Dualuse-Record
     or the answer's record_id for /screen and /assess; the record of kind
     authority_filing / authority_decision / authority_licence whose subject
     is the number answered for the authority); no record id or number was
     answered twice and none is in the store twice; `dualuse audit verify`.

Errors: answers that are not 2xx and requests without an answer. A 502 that
nginx logged with the killed server as its upstream, for a request sent
before the restart, is the killed server's request in flight: counted apart
(nginx does not send a POST that reached a server to another one).
"""

import argparse
import collections
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

LIST_BOUND_S = 2.0  # a list import reaches every server within this (docs/scaling.md)
CLIENTS = 12
OLD_UN = "un_consolidated_2025-11-20.xml"
NEW_UN = "un_consolidated_2026-02-27.xml"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc=None, seconds=60):
    end = time.time() + seconds
    while time.time() < end:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


class Cluster:
    def __init__(self, a, tmp):
        self.a, self.tmp = a, tmp
        u = urllib.parse.urlsplit(a.pg)
        self.db_name = f"dualuse_cluster_{os.getpid()}"
        self.admin_url = a.pg
        self.url = urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + self.db_name, "", ""))
        self.data = os.path.join(tmp, "data")
        if a.store == "sqlite":
            self.url = os.path.join(self.data, "dualuse.db")
        self.servers = []  # [proc, port, log]
        self.nginx = None
        self.env = dict(os.environ)
        self.env.setdefault("DUALUSE_RESOURCES", os.path.join(a.root, "data"))

    def psql(self, url, sql):
        r = subprocess.run(["psql", "-X", "-qAt", "-F", "\t", url, "-c", sql],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"psql: {sql[:60]}: {r.stderr.strip()}")
        return [line.split("\t") for line in r.stdout.splitlines() if line]

    def cli(self, *args):
        r = subprocess.run([self.a.bin, *args, "--data-dir", self.data, "--db", self.url],
                           capture_output=True, text=True, env=self.env)
        if r.returncode != 0:
            raise RuntimeError(f"dualuse {' '.join(args)}: {r.stderr.strip()}")
        return r.stdout

    def list_file(self, name):
        out = os.path.join(self.tmp, name)
        src = os.path.join(self.a.root, "data", "lists", "bundled", "un_sc", name + ".xz")
        with open(out, "wb") as f:
            subprocess.run(["xz", "-dc", src], stdout=f, check=True)
        return out

    def records(self):
        """(id, kind, subject) of every record in the store."""
        if self.a.store == "sqlite":
            import sqlite3
            with sqlite3.connect(self.url) as db:
                return [list(r) for r in db.execute("SELECT id, kind, subject FROM records")]
        return self.psql(self.url, "SELECT id, kind, subject FROM records")

    def setup(self):
        if self.a.store == "postgresql":
            self.psql(self.admin_url, f"DROP DATABASE IF EXISTS {self.db_name}")
            self.psql(self.admin_url, f"CREATE DATABASE {self.db_name}")
        os.makedirs(self.data)
        self.old_list, self.new_list = self.list_file(OLD_UN), self.list_file(NEW_UN)
        self.cli("lists", "import", self.old_list)
        tokens = {}
        for name, role, org in (("olga", "officer", "Example B.V."), ("ann", "authority", ""),
                                ("adm", "admin", "")):
            extra = ["--organisation", org] if org else []
            self.cli("users", "add", name, "--role", role, *extra)
            tokens[role] = self.cli("users", "token", name).strip()
        self.tokens = tokens

    def start_server(self, i, port):
        log = open(os.path.join(self.tmp, f"serve{i}.log"), "a")
        proc = subprocess.Popen(
            [self.a.bin, "serve", "--port", str(port), "--data-dir", self.data, "--db", self.url,
             "--threads", "2", "--workers", "4"],
            stdout=log, stderr=log, env=self.env)
        if not wait_port(port, proc):
            raise RuntimeError(f"server {i} did not listen on {port}: see {log.name}")
        return [proc, port, log]

    def start(self):
        for i in range(self.a.servers):
            self.servers.append(self.start_server(i, free_port()))
        conf = open(os.path.join(self.a.root, "deploy", "nginx", "dualuse.conf")).read()
        self.nginx_port = free_port()
        # The TLS server block, served as plain HTTP on loopback: the bench measures the
        # servers and the proxying, not TLS. The redirecting port-80 block is dropped.
        conf = re.sub(r"# Plain HTTP only redirects\.\nserver \{.*?\n\}\n", "", conf, flags=re.S)
        conf = re.sub(r"^\s*listen \[::\]:.*\n", "", conf, flags=re.M)
        conf = re.sub(r"listen 443 ssl http2;", f"listen 127.0.0.1:{self.nginx_port};", conf)
        conf = re.sub(r"^\s*(ssl_\w+|add_header Strict-Transport-Security)[^;]*;\n", "", conf,
                      flags=re.M)
        body = "".join(f"    server 127.0.0.1:{s[1]} max_fails=2 fail_timeout=10s;\n"
                       for s in self.servers)
        conf, n = re.subn(r"(upstream dualuse \{\n)(?:.*?\n)*?(    keepalive )",
                          lambda m: m.group(1) + body + m.group(2), conf, count=1)
        if n != 1:
            raise RuntimeError("deploy/nginx/dualuse.conf: no upstream dualuse block to rewrite")
        conf = conf.replace("location / {\n",
                            "location / {\n        access_log " + self.tmp + "/access.log bench;\n")
        with open(os.path.join(self.tmp, "dualuse.conf"), "w") as f:
            f.write(conf)
        temp = "".join(f"    {k}_temp_path {self.tmp}/{k};\n"
                       for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        with open(os.path.join(self.tmp, "nginx.conf"), "w") as f:
            f.write(f"pid {self.tmp}/nginx.pid;\nerror_log {self.tmp}/error.log;\n"
                    f"worker_processes 2;\nevents {{ worker_connections 1024; }}\n"
                    f"http {{\n    log_format bench '$http_x_bench_id $status "
                    f"\"$upstream_addr\" \"$upstream_status\"';\n    access_log off;\n{temp}"
                    f"    include {self.tmp}/dualuse.conf;\n}}\n")
        self.nginx = subprocess.Popen(
            ["/usr/sbin/nginx", "-p", self.tmp + "/", "-c", os.path.join(self.tmp, "nginx.conf"),
             "-e", os.path.join(self.tmp, "error.log"), "-g", "daemon off;"],
            stderr=subprocess.DEVNULL)
        if not wait_port(self.nginx_port, self.nginx):
            raise RuntimeError(f"nginx did not start: see {self.tmp}/error.log")

    def stop(self):
        for s in self.servers:
            if s[0].poll() is None:
                s[0].send_signal(signal.SIGTERM)
        for s in self.servers:
            try:
                s[0].wait(timeout=30)
            except subprocess.TimeoutExpired:
                s[0].kill()
        if self.nginx and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)
            try:
                self.nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()


def read_json(path):
    with open(path) as f:
        return json.load(f)


class Load:
    """Client threads; every request is one entry of self.results."""

    def __init__(self, cluster):
        self.c = cluster
        root = cluster.a.root
        self.assess_body = json.dumps(read_json(
            os.path.join(root, "tests", "conformance", "listed-to-china.json"))["request"])
        criteria = read_json(os.path.join(root, "data", "law", "authority", "criteria.json"))
        self.criteria = [c["id"] for c in criteria["criteria"]]
        self.names = [json.loads(line)["name"] for line in
                      open(os.path.join(root, "bench", "server", "screen.bodies")) if line.strip()]
        self.lock = threading.Lock()
        self.results = []  # dicts: op, status, t0, t1, id, record, numbers, error
        self.stop = threading.Event()
        self.seq = 0
        self.with_authority = os.environ.get("DUALUSE_CLUSTER_AUTHORITY", "1") != "0"

    def next_id(self):
        with self.lock:
            self.seq += 1
            return f"b{self.seq}"

    def call(self, conn_box, op, method, path, body, role):
        bid = self.next_id()
        headers = {"Authorization": "Bearer " + self.c.tokens[role], "X-Bench-Id": bid,
                   "Content-Type": "application/json"}
        res = {"op": op, "id": bid, "t0": time.time(), "status": 0, "record": None,
               "numbers": [], "error": "", "json": None}
        try:
            if conn_box[0] is None:
                conn_box[0] = http.client.HTTPConnection("127.0.0.1", self.c.nginx_port,
                                                         timeout=60)
            conn_box[0].request(method, path, body=body, headers=headers)
            r = conn_box[0].getresponse()
            data = r.read()
            res["status"] = r.status
            if r.getheader("X-Dualuse-Record"):
                res["record"] = int(r.getheader("X-Dualuse-Record"))
            try:
                res["json"] = json.loads(data)
            except ValueError:
                res["error"] = data[:200].decode("utf-8", "replace")
            if r.status >= 300:
                res["error"] = data[:200].decode("utf-8", "replace")
            if r.getheader("Connection", "").lower() == "close":
                conn_box[0].close()
                conn_box[0] = None
        except (OSError, http.client.HTTPException) as e:
            res["error"] = f"{type(e).__name__}: {e}"
            if conn_box[0] is not None:
                conn_box[0].close()
            conn_box[0] = None
        res["t1"] = time.time()
        with self.lock:
            self.results.append(res)
        return res

    def screen(self, box, rng):
        body = json.dumps({"name": rng.choice(self.names)})
        self.call(box, "screen", "POST", "/screen", body, "officer")

    def assess(self, box, rng):
        self.call(box, "assess", "POST", "/assess", self.assess_body, "officer")

    def authority(self, box, rng):
        filing = authority_filing(rng)
        r = self.call(box, "filing", "POST", "/authority/filings", json.dumps(filing), "officer")
        if r["status"] != 201 or not r["json"]:
            return
        app = r["json"]["id"]
        r["numbers"] = [("authority_filing", app)]
        a = {"application_id": app, "officer": "ann", "date": "2026-03-05",
             "answers": [{"criterion": c, "finding": "no_concern",
                          "reasoning": "Considered the end-user's record and the destination."}
                         for c in self.criteria]}
        r = self.call(box, "criteria", "POST", "/authority/assessments", json.dumps(a),
                      "authority")
        if r["status"] != 201:
            return
        grant = {"application_id": app, "date": "2026-03-10", "kind": "grant",
                 "validity": {"from": "2026-03-10", "until": "2026-09-10"},
                 "allowances": [{"item_id": "1", "quantity": 10, "value_eur": 100000}]}
        r = self.call(box, "decision", "POST", "/authority/decisions", json.dumps(grant),
                      "authority")
        if r["status"] == 201 and r["json"]:
            r["numbers"] = [("authority_decision", r["json"]["id"])]
            lic = r["json"].get("licence")
            if isinstance(lic, dict) and lic.get("id"):
                r["numbers"].append(("authority_licence", lic["id"]))

    def client(self, seed):
        rng = random.Random(seed)
        box = [None]
        while not self.stop.is_set():
            x = rng.random()
            if not self.with_authority:
                x *= 0.85  # /screen and /assess only, in the same proportion
            if x < 0.50:
                self.screen(box, rng)
            elif x < 0.85:
                self.assess(box, rng)
            else:
                self.authority(box, rng)
        if box[0] is not None:
            box[0].close()


def authority_filing(rng):
    """A dualuse.authority-filing/1 (spec sections 2 and 3), distinct end users so that
    filings are not "essentially identical" to one another."""
    end_user = f"Example Telecom {rng.randrange(10**9)} Co., Ltd"
    item = {"id": "1", "description": "IP network surveillance system", "kind": "goods",
            "control_entries": ["5A001.j"], "cyber_surveillance": True, "quantity": 10,
            "value_eur": 100000}
    request = {"schema": "dualuse.assessment/1", "reference": "PO-1", "date": "2026-03-01",
               "activity": "export",
               "exporter": {"name": "Example B.V.", "country": "NL", "has_icp": True},
               "destination": "CN", "items": [item],
               "parties": [{"role": "end_user", "name": end_user, "country": "CN",
                            "type": "organization", "sector": "telecom_operator"}],
               "end_use": {"description": "lawful interception for the operator's network"}}
    determination = {"schema": "dualuse.determination/1", "reference": "PO-1",
                     "verdict": "licence_required",
                     "findings": [{"rule": "eu-2021-821/art-3-1",
                                   "basis": "Regulation (EU) 2021/821, Article 3(1)",
                                   "effect": "licence_required", "item": "1",
                                   "summary": "listed"}],
                     "screening": [{"party": 0, "status": "clear", "matches": []}]}
    return {"schema": "dualuse.authority-filing/1", "request": request,
            "determination": determination, "classification_records": {"1": "CLS-7"},
            "reviews": [], "due_diligence": [{"question": "Red flags?", "answer": "none"}],
            "filed_on": "2026-03-01"}


def pct(sorted_values, p):
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, int(round(p / 100.0 * (len(sorted_values) - 1))))
    return sorted_values[k]


def list_version_of(port, token):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        c.request("POST", "/screen", body=json.dumps({"name": "Ivan Petrov"}),
                  headers={"Authorization": "Bearer " + token,
                           "Content-Type": "application/json"})
        r = c.getresponse()
        data = json.loads(r.read())
        if r.status != 200:
            return None, None
        return data.get("list_versions", {}).get("un_sc"), r.getheader("X-Dualuse-Record")
    except (OSError, ValueError, http.client.HTTPException):
        return None, None
    finally:
        c.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--seconds", type=float, required=True)
    ap.add_argument("--servers", type=int, default=3)
    ap.add_argument("--pg", required=True)
    ap.add_argument("--store", choices=("postgresql", "sqlite"), default="postgresql")
    ap.add_argument("--root", required=True)
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    a = ap.parse_args()
    for tool in ("psql", "xz"):
        if not shutil.which(tool):
            sys.exit(f"cluster: {tool} not found")
    if not os.path.exists("/usr/sbin/nginx"):
        sys.exit("cluster: /usr/sbin/nginx not found (apt-get install nginx)")
    tmp = tempfile.mkdtemp(prefix="dualuse-cluster-")
    c = Cluster(a, tmp)
    problems = []
    try:
        c.setup()
        c.start()
        load = Load(c)
        started = time.time()
        threads = [threading.Thread(target=load.client, args=(i,)) for i in range(CLIENTS)]
        for t in threads:
            t.start()
        # The kill: the last server, at 35 % of the time; restarted a second later.
        # Not with a single server (every request would fail meanwhile).
        time.sleep(a.seconds * 0.35)
        victim_port, killed_at, restarted_at = None, None, started
        if len(c.servers) > 1:
            victim = c.servers[-1]
            victim_port = victim[1]
            victim[0].send_signal(signal.SIGKILL)
            victim[0].wait()
            killed_at = time.time()
            time.sleep(1.0)
            c.servers[-1] = c.start_server(len(c.servers) - 1, victim_port)
            restarted_at = time.time()
        # The list import, at 55 % of the time.
        time.sleep(max(0.0, started + a.seconds * 0.55 - time.time()))
        imported_at = time.time()
        c.cli("lists", "import", c.new_list)
        cli_done = time.time()
        want = re.search(r"(\d{4}-\d{2}-\d{2})", NEW_UN).group(1)
        seen, probe_records = {}, []
        while len(seen) < len(c.servers) and time.time() - cli_done < 10:
            for s in c.servers:
                if s[1] in seen:
                    continue
                version, rec = list_version_of(s[1], c.tokens["officer"])
                if rec:
                    probe_records.append(int(rec))
                if version == want:
                    seen[s[1]] = time.time() - cli_done
            time.sleep(0.02)
        time.sleep(max(0.0, started + a.seconds - time.time()))
        load.stop.set()
        for t in threads:
            t.join()
        elapsed = time.time() - started
        c.stop()

        # ---- checks against the store
        records = {}
        for rid, kind, subject in c.records():
            records[int(rid)] = (kind, subject)
        by_subject = collections.Counter((k, s) for k, s in records.values())
        log = {}
        if os.path.exists(os.path.join(tmp, "access.log")):
            for line in open(os.path.join(tmp, "access.log")):
                m = re.match(r'(\S+) (\d+) "([^"]*)" "([^"]*)"', line)
                if m:
                    log[m.group(1)] = (int(m.group(2)), m.group(3), m.group(4))
        res = load.results
        ok = [r for r in res if 200 <= r["status"] < 300]
        errors, killed = [], []
        for r in res:
            if 200 <= r["status"] < 300:
                continue
            entry = log.get(r["id"])
            if (victim_port and entry and r["status"] == 502 and f":{victim_port}" in entry[1]
                    and r["t0"] < restarted_at):
                killed.append(r)
            else:
                errors.append(r)
        missing, answered = [], collections.Counter()
        expected_kind = {"screen": "screening", "assess": "assessment"}
        for r in ok:
            if r["op"] in expected_kind:
                rid = r["record"]
                if rid is None and isinstance(r["json"], dict):
                    rid = r["json"].get("record_id")
                answered[("record", rid)] += 1
                if rid is None or records.get(rid, ("", ""))[0] != expected_kind[r["op"]]:
                    missing.append((r["op"], rid))
            for kind, number in r["numbers"]:
                answered[(kind, number)] += 1
                if by_subject[(kind, number)] == 0:
                    missing.append((kind, number))
        for rid in probe_records:
            answered[("record", rid)] += 1
            if rid not in records:
                missing.append(("probe", rid))
        dup_answers = [k for k, n in answered.items() if n > 1]
        dup_store = [k for k, n in by_subject.items()
                     if n > 1 and k[0] in ("authority_filing", "authority_decision",
                                           "authority_licence")]
        verify = subprocess.run([a.bin, "audit", "verify", "--db", c.url, "--data-dir", c.data],
                                capture_output=True, text=True, env=c.env)
        intact = verify.returncode == 0
        unique = not dup_answers and not dup_store

        # ---- report
        lat = collections.defaultdict(list)
        for r in ok:
            lat[r["op"]].append((r["t1"] - r["t0"]) * 1000)
        all_lat = sorted(x for v in lat.values() for x in v)
        print(f"cluster: {a.servers} servers behind nginx on {a.store}, {CLIENTS} clients "
              f"with keep-alive connections, {elapsed:.1f} s")
        print(f"throughput: {len(res) / elapsed:.1f} requests/s ({len(ok)} answered 2xx); "
              f"latency of 2xx answers p50 {pct(all_lat, 50):.1f} ms, p99 {pct(all_lat, 99):.1f} ms")
        for op in ("screen", "assess", "filing", "criteria", "decision"):
            v = sorted(lat[op])
            n_all = sum(1 for r in res if r["op"] == op)
            print(f"  {op:9s} {n_all:6d} requests, {len(v):6d} 2xx, p50 {pct(v, 50):7.1f} ms, "
                  f"p99 {pct(v, 99):7.1f} ms")
        if victim_port:
            print(f"kill: server on port {victim_port} killed at {killed_at - started:.1f} s, "
                  f"restarted at {restarted_at - started:.1f} s; {len(killed)} of its requests "
                  f"in flight answered 502 (counted apart)")
        else:
            print("kill: none (a single server)")
        bound_ok = len(seen) == len(c.servers) and max(seen.values()) <= LIST_BOUND_S
        print(f"lists: import of un_sc {want} at {imported_at - started:.1f} s (CLI took "
              f"{cli_done - imported_at:.2f} s); new version answered by "
              f"{len(seen)}/{len(c.servers)} servers, the slowest "
              f"{max(seen.values()) if seen else float('nan'):.2f} s after the import's commit "
              f"(bound {LIST_BOUND_S} s)")
        print(f"records: {len(records)} in the store; {len(missing)} 2xx answers without "
              f"their record; {len(dup_answers)} numbers answered twice, {len(dup_store)} "
              f"numbers recorded twice")
        print("audit verify: " + (verify.stdout.strip().splitlines() or [""])[-1]
              + (verify.stderr.strip() if not intact else ""))
        for r in errors[:10]:
            print(f"  error: {r['op']} {r['status']} {r['error'][:160]}")
        for m in missing[:10]:
            print(f"  missing record: {m}")
        for d in (dup_answers + dup_store)[:10]:
            print(f"  duplicated: {d}")
        n_errors = len(errors) + len(missing)
        if not bound_ok:
            problems.append("list version bound")
        print(f"cluster: {a.servers} servers, {len(res)} requests, {n_errors} errors, chain "
              f"{'intact' if intact else 'broken'}, ids {'unique' if unique else 'duplicated'}")
        failed = n_errors > 0 or not intact or not unique or problems
        return 1 if failed else 0
    finally:
        c.stop()
        try:
            if a.store == "postgresql":
                c.psql(c.admin_url, f"DROP DATABASE IF EXISTS {c.db_name}")
        except RuntimeError:
            pass
        if a.keep:
            print(f"cluster: kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
