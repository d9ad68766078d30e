#!/usr/bin/env python3
"""Generates data/law/annex-i/10-annex-i-circa2022.json from the shared tree.

Input: ../shared/data/controllists/eu-annex-i-tree-circa2022.json (a Django
fixture: regulations.regulation = one Annex I entry code, regulations.paragraph
= one node of its text tree with `path` (4 characters per level), `depth`,
`code` (the node's own label: "5A001.", "a.", "1.", "Note:", "N.B."...),
`note_type` ("base" for a sub-item, else the note kind) and `text`).

Output: one JSON document (schema dualuse.annex-i/1, see data/law/annex-i/README.md)
with one entry per base node, its notes attached to the nearest base ancestor.
Deterministic: the same input gives byte-identical output.

Usage: scripts/gen-annex-i.py [--shared ../shared] [--out data/law/annex-i]
"""
import argparse
import hashlib
import html
import json
import os
import re
import sys

SOURCE_FILE = "data/controllists/eu-annex-i-tree-circa2022.json"
ENTRY_VERSION = ("Annex I to Regulation (EU) 2021/821, text before the 2023 update "
                 "(delegated regulation not determined; pre-Delegated Regulation (EU) 2023/66)")

CODE_RE = re.compile(r"^[0-9][A-E][0-9]{3}(\.[a-z](\.[0-9]{1,2}(\.[a-z](\.[0-9]{1,2}(\.[a-z])?)?)?)?)?$")
SECTION_RE = re.compile(r"\s+[0-9][A-E][0-9]?\s+(Systems, Equipment and Components|Test, Inspection "
                        r"and Production Equipment|Materials|Software|Technology)\s*$")
CONTINUED_RE = re.compile(r"\s*\b[0-9][A-E][0-9]{3}(\.[a-z0-9]+)*\.?\s*continued\b\.?", re.I)


def clean(text):
    """Fixture text -> plain text: wraps joined, <br> as line breaks, entities decoded."""
    t = text.replace("\r", " ").replace("\n", " ")
    t = re.sub(r"<br\s*/?>", "\n", t, flags=re.I)
    t = re.sub(r"<[^>]+>", " ", t)
    t = html.unescape(t).replace("\u2003", " ").replace("\u00a0", " ")
    t = CONTINUED_RE.sub("", t)
    # Running section headers of the printed Annex ("5B2 Test, Inspection and Production
    # Equipment", "5E2 Technology") glued to the end of the preceding paragraph.
    t = SECTION_RE.sub("", t)
    lines = [re.sub(r"[ \t]+", " ", ln).strip() for ln in t.split("\n")]
    return "\n".join(ln for ln in lines if ln)


def note_kind(note_type, text):
    nt = note_type.lower()
    if nt.startswith("technical"):
        return "technical_note"
    if nt.startswith("n.b"):
        return "nb"
    if re.search(r"\b(does|do) not (control|apply)|\bnot controlled\b|\bare not controlled\b", text):
        return "decontrol_note"
    return "note"


def note_label_and_text(code, note_type, text):
    label = code.strip().rstrip(":").strip()
    if note_type.lower().startswith("technical"):
        # The fixture cut "Technical Note:" after "Technical": the text starts "Note:"/"Notes:".
        text = re.sub(r"^\s*Notes?\s*:\s*", "", text)
    m = re.match(r"^Note\s*(\d+)$", label)
    if m:
        text = re.sub(r"^\s*" + m.group(1) + r"\s*:\s*", "", text)
    label = re.sub(r"^Note(\d)", r"Note \1", label)
    return label, text


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--shared", default=os.path.join(here, "..", "..", "shared"))
    ap.add_argument("--out", default=os.path.join(here, "..", "data", "law", "annex-i"))
    args = ap.parse_args()
    src = os.path.join(args.shared, SOURCE_FILE)
    raw = open(src, "rb").read()
    fixture = json.loads(raw)

    cats = {x["pk"]: x["fields"] for x in fixture if x["model"] == "regulations.category"}
    regs = {x["pk"]: x["fields"] for x in fixture if x["model"] == "regulations.regulation"}
    paras = [x["fields"] for x in fixture if x["model"] == "regulations.paragraph"]
    paras.sort(key=lambda p: p["path"])
    by_path = {p["path"]: p for p in paras}

    entries = {}  # code -> entry
    order = []
    path_code = {}  # path of a base node -> its full code
    problems = []

    def base_ancestor(path):
        p = path[:-4]
        while p:
            if p in path_code:
                return path_code[p]
            p = p[:-4]
        return None

    # A node that cannot be an entry of its own (a list item inside a note, a label
    # that breaks the letter/digit alternation, a duplicate label) is kept as a line
    # of the text it belongs to: `absorbed[path]` = (kind, target) with kind "note"
    # (target: the note dict) or "entry" (target: the entry code).
    absorbed = {}
    note_at = {}

    def append_line(path, label, text, depth_from):
        kind, target = absorbed[path]
        indent = "  " * max(0, depth_from)
        line = indent + (label + " " if label else "") + text
        if kind == "note":
            target["text"] += "\n" + line
        else:
            entries[target]["heading"] += "\n" + line

    for p in paras:
        path = p["path"]
        reg_code = regs[p["regulation"]]["code"]
        text = clean(p["text"])
        parent_path = path[:-4]
        label = p["code"].strip()
        if parent_path in absorbed or parent_path in note_at:
            if parent_path in note_at:
                absorbed[path] = ("note", note_at[parent_path])
                depth_from = 0
            else:
                absorbed[path] = absorbed[parent_path]
                depth_from = 1
            append_line(path, label, text, depth_from)
            continue
        if p["note_type"] == "base":
            frag = label.rstrip(".").strip()
            if p["depth"] == 1:
                code = reg_code
                parent = ""
                if frag != reg_code:
                    problems.append(f"{path}: top node {frag!r} under {reg_code}")
            else:
                parent = base_ancestor(path)
                if parent is None:
                    problems.append(f"{path}: base node without base ancestor")
                    continue
                code = parent + "." + frag
            if not CODE_RE.match(code) or code in entries:
                why = "duplicate code" if code in entries else "not Annex I syntax"
                problems.append(f"{path}: {code!r} ({why}) kept as a line of {parent}")
                absorbed[path] = ("entry", parent)
                append_line(path, label, text, 0)
                continue
            path_code[path] = code
            if not text:
                problems.append(f"{path}: {code} has no text in the source")
                text = "[no text in the source data]"
            cat = cats[p["category"]]
            entries[code] = {
                "code": code,
                "parent": parent,
                "heading": text,
                "notes": [],
                "children": [],
                "category": str(cat["identifier"]),
                "part": cat["part"],
                "version": ENTRY_VERSION,
            }
            order.append(code)
            if parent:
                entries[parent]["children"].append(code)
            m = re.match(r"^a\.\s+(.*)$", text, re.S)
            if p["depth"] == 1 and m:
                # The source lost the entry's heading line: its first paragraph is
                # sub-item a. (4E001, 9E101). Keep a. as its own entry.
                problems.append(f"{path}: {code} has no heading in the source; "
                                f"its first paragraph made {code}.a")
                entries[code]["heading"] = "[no heading in the source data; see the sub-items]"
                entries[code + ".a"] = dict(entries[code], code=code + ".a", parent=code,
                                            heading=m.group(1), notes=[], children=[])
                entries[code]["children"].insert(0, code + ".a")
                order.append(code + ".a")
        else:
            owner = base_ancestor(path)
            if owner is None:
                problems.append(f"{path}: note without entry")
                continue
            nlabel, ntext = note_label_and_text(p["code"], p["note_type"], text)
            note = {"kind": note_kind(p["note_type"], ntext), "label": nlabel, "text": ntext}
            entries[owner]["notes"].append(note)
            note_at[path] = note

    # Full text: the entry's heading followed by its sub-items, indented by depth.
    def render(code, depth, out):
        e = entries[code]
        label = code if depth == 0 else code.rsplit(".", 1)[1] + "."
        out.append("  " * depth + label + " " + e["heading"].replace("\n", "\n" + "  " * (depth + 1)))
        for n in e["notes"]:
            out.append("  " * (depth + 1) + n["label"] + ": " +
                       n["text"].replace("\n", "\n" + "  " * (depth + 2)))
        for c in e["children"]:
            render(c, depth + 1, out)

    result = []
    for code in order:
        e = entries[code]
        lines = []
        render(code, 0, lines)
        e["text"] = "\n".join(lines)
        result.append({k: e[k] for k in ("code", "parent", "heading", "text", "notes",
                                          "children", "category", "part", "version")})

    doc = {
        "schema": "dualuse.annex-i/1",
        "data_version": "circa2022",
        "title": "Annex I to Regulation (EU) 2021/821 (list of dual-use items), pre-2023 text",
        "act": "Regulation (EU) 2021/821, Annex I (text before Delegated Regulation (EU) 2023/66)",
        "verification": "V",
        "source": {
            "file": "../shared/" + SOURCE_FILE,
            "sha256": hashlib.sha256(raw).hexdigest(),
            "origin": "safetecnordic/export-control:regulations/fixtures/regulations.json "
                      "@ 58632d73dfdd4ff9cdf3119aece53bdfe90783fc (last changed 2022-10-24)",
            "licence": "MIT (Copyright (c) 2022 cdp-group4); underlying EU text reusable "
                       "with acknowledgement (Commission Decision 2011/833/EU)",
            "generator": "scripts/gen-annex-i.py",
        },
        "categories": [
            {"category": str(c["identifier"]), "part": c["part"], "name": c["name"]}
            for _, c in sorted(cats.items())
        ],
        "parsing_notes": problems,
        "entries": result,
    }
    os.makedirs(args.out, exist_ok=True)
    out = os.path.join(args.out, "10-annex-i-circa2022.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{out}: {len(result)} entries, {sum(len(e['notes']) for e in result)} notes, "
          f"{len(problems)} parsing notes", file=sys.stderr)


if __name__ == "__main__":
    main()
