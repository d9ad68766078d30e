#!/usr/bin/env python3
"""The reader's language of `dualuse assess` (--lang, LANG; docs/spec.md section 8).

usage: cli_lang_test.py DUALUSE_BINARY SOURCE_DIR

- --lang nl: the answer carries "lang": "nl", the same codes (verdict, rules,
  effects, bases, review_required) as in English, and none of its texts contains
  an English sentence of the message catalogue (data/messages/en.json) that the
  Dutch catalogue does not also have.
- --lang en and no --lang under LANG=C give the same answer, without "lang".
- LANG=nl_NL.UTF-8 without --lang answers in Dutch; --lang en wins over it.
- A refused request under --lang nl: one line, file name and JSON path kept,
  the expectation in Dutch; under en the message is the English one.
- --format text --lang nl: Dutch headings.
"""
import json, os, re, subprocess, sys

dualuse, src = sys.argv[1], sys.argv[2]
failures = []
SEED = os.path.join(src, "examples", "seed-case-3894.json")


def run(args, stdin=None, env_lang="C.UTF-8"):
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    if env_lang is not None:
        env["LANG"] = env_lang
    return subprocess.run([dualuse] + args, input=stdin, capture_output=True, text=True,
                          timeout=120, env=env)


def check(name, cond, detail=""):
    if not cond:
        failures.append(f"{name}: {detail}")


def texts(d):
    out = [f["summary"] for f in d.get("findings", [])]
    out += [a["reason"] for a in d.get("authorisations", [])]
    out += d.get("obligations", []) + d.get("caveats", []) + d.get("review_reasons", [])
    return out


def codes(d):
    return (d["verdict"], d["licence_required"], d["review_required"],
            [(f["rule"], f["effect"], f.get("item"), f.get("party"))
             for f in d["findings"]],
            [(a["id"], a["applicable"]) for a in d.get("authorisations", [])],
            [(s["party"], s["status"]) for s in d.get("screening", [])])


def strip_args(pattern):
    """The literal text of an ICU pattern: every {...} group (nested) removed."""
    out, depth = [], 0
    for ch in pattern:
        if ch == "{":
            depth += 1
            out.append("\0") if depth == 1 else None
        elif ch == "}":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out).split("\0")


def english_sentences():
    """Fragments of 4 or more words of the English messages that the Dutch
    catalogue does not contain (codes and list names are the same in both)."""
    en = json.load(open(os.path.join(src, "data", "messages", "en.json")))["messages"]
    nl = json.load(open(os.path.join(src, "data", "messages", "nl.json")))["messages"]
    nl_all = " ".join(nl.values())
    frags = set()
    for pid, pattern in en.items():
        for frag in strip_args(pattern):
            for piece in re.split(r"[;:()]", frag):
                piece = piece.strip(" ,.")
                if len(piece.split()) >= 4 and piece not in nl_all:
                    frags.add(piece)
    return frags


common = ["assess", "--no-record"]
en_default = run(common + [SEED])
en_flag = run(common + ["--lang", "en", SEED])
nl = run(common + ["--lang", "nl", SEED])
for name, p in (("default", en_default), ("--lang en", en_flag), ("--lang nl", nl)):
    check(name, p.returncode == 0, f"exit {p.returncode}: {p.stderr}")
if not failures:
    d_en, d_en2, d_nl = json.loads(en_default.stdout), json.loads(en_flag.stdout), json.loads(nl.stdout)
    check("en default = --lang en", en_default.stdout == en_flag.stdout)
    check("en has no lang field", "lang" not in d_en, d_en.get("lang"))
    check("nl lang field", d_nl.get("lang") == "nl", d_nl.get("lang"))
    check("same codes", codes(d_en) == codes(d_nl), f"{codes(d_en)} != {codes(d_nl)}")
    check("texts differ", texts(d_en) != texts(d_nl))
    check("same number of texts", len(texts(d_en)) == len(texts(d_nl)))
    frags = english_sentences()
    check("catalogue fragments found", len(frags) > 50, len(frags))
    en_hits = [f for f in frags if any(f in t for t in texts(d_en))]
    check("the English answer uses the catalogue", len(en_hits) >= 5, en_hits)
    for t in texts(d_nl):
        for f in frags:
            check("no English sentence in nl", f not in t, f"{f!r} in {t!r}")
    check("Dutch terms", any("product voor cybersurveillance" in t for t in texts(d_nl)),
          texts(d_nl))
    check("Dutch citation", any("van Verordening (EU) 2021/821" in t for t in texts(d_nl)),
          texts(d_nl))

env_nl = run(common + [SEED], env_lang="nl_NL.UTF-8")
check("LANG=nl", env_nl.returncode == 0 and json.loads(env_nl.stdout).get("lang") == "nl",
      env_nl.stdout[:200] + env_nl.stderr)
env_nl_en = run(common + ["--lang", "en", SEED], env_lang="nl_NL.UTF-8")
check("--lang en wins over LANG=nl", env_nl_en.stdout == en_default.stdout)

bad = json.load(open(SEED))
bad["destination"] = "XX"
p = run(common + ["--lang", "nl", "-"], stdin=json.dumps(bad))
lines = p.stderr.splitlines()
check("refused nl exit", p.returncode == 2, p.returncode)
check("refused nl one line", len(lines) == 1, lines)
want = 'error: <stdin>: Het verzoek is niet aanvaard: $.destination: "XX" is geen landcode'
check("refused nl text", lines and lines[0].startswith(want), lines)
p = run(common + ["-"], stdin=json.dumps(bad))
check("refused en text", p.stderr.startswith(
    'error: <stdin>: $.destination: "XX" is not an ISO 3166-1 alpha-2 country code'), p.stderr)

p = run(common + ["--lang", "nl", "--format", "text", SEED])
check("text nl", p.returncode == 0 and "OORDEEL: NOTIFY AUTHORITY" in p.stdout
      and "Verplichtingen" in p.stdout, p.stdout[:400])
p = run(common + ["--lang", "fr", SEED])
check("unknown language refused", p.returncode == 2, p.returncode)

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("cli_lang: all checks passed")
