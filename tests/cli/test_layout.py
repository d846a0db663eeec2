"""docs/HACKING.md's layout names every file of src/, and nothing else
(issue 21): the first column of each line of its src/ block, the file
names before the description, must be exactly `ls src`. A file added,
renamed or removed without the page following fails here."""
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def layout_names():
    text = open(os.path.join(ROOT, "docs", "HACKING.md"), encoding="utf-8").read()
    block = text[text.index("## Layout"):text.index("## Conventions")]
    src = block[block.index("```\nsrc/") + 4:]
    src = src[:src.index("```")]
    names = []
    for line in src.splitlines()[1:]:
        head = re.split(r"\s{2,}", line.strip())[0] if line.strip() else ""
        names += [t for t in head.split(" ") if re.fullmatch(r"[\w-]+\.[ch]", t)]
    return names


def test_layout_lists_every_source_file_once():
    names = layout_names()
    assert len(names) == len(set(names)), "listed twice: %s" % sorted(
        n for n in set(names) if names.count(n) > 1)
    real = set(os.listdir(os.path.join(ROOT, "src")))
    assert set(names) - real == set(), "in HACKING.md, not in src/"
    assert real - set(names) == set(), "in src/, not in HACKING.md"


def test_a_file_name_says_its_layer_or_area():
    """Every src file starts with a known layer or area prefix, or is one
    of the base files listed under 'no prefix'."""
    prefixes = ("cmd", "http", "h", "store", "snapcache", "rules", "elig",
                "movement", "schedule", "award", "growth", "innovation",
                "exemplar", "demo", "import")
    base = {"main", "util", "err", "codemap", "collate", "textnorm", "config",
            "yaml-mark", "scope", "par", "audit", "auth", "metrics", "check",
            "dynlib", "icu"}
    for f in os.listdir(os.path.join(ROOT, "src")):
        stem = f.rsplit(".", 1)[0]
        assert stem in base or stem.split("-")[0] in prefixes, f
