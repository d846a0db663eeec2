"""The anchored award ledger on both backends: `ledger head`, `verify
--head SEQ:HASH`, Ed25519 keys (`keygen`), signed heads (`sign`, `verify
--signed --pubkey`), and the paper anchor printed on the decision and the
certificates. The attacks: the guards lifted and the chain's last entry
deleted (an award, then a revocation), and the whole chain rewritten with
fresh, consistent hashes (which plain verify cannot see)."""
import hashlib
import json
import os
import re
import sqlite3
import stat
import subprocess

import pytest

from testbed import decide_ldtt, j, run

ZERO = "0" * 64


def sql(db, backend, *stmts):
    """Run statements behind the program's back, in one transaction."""
    if backend == "sqlite":
        con = sqlite3.connect(db)
        for s in stmts:
            con.execute(s)
        con.commit()
        con.close()
    else:
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", db, "-c",
                        "; ".join(stmts)], check=True, capture_output=True)


def unguard(db, backend):
    """Lift the append-only guards, as an intruder with the database would."""
    if backend == "sqlite":
        sql(db, backend, "DROP TRIGGER ledger_no_update",
            "DROP TRIGGER ledger_no_delete")
    else:
        sql(db, backend, "ALTER TABLE ledger DISABLE TRIGGER USER")


def canonical(e):
    """The canonical content of an entry (src/award-ledger.h), as bytes."""
    fields = [("seq", e["seq"]), ("kind", e["kind"]),
              ("decision", e["decision"]), ("date", e["date"]),
              ("signer", e["signer"]), ("year", e["year"]),
              ("subject", e["subject"]), ("award", e["award"]),
              ("amount", e["amount"]), ("based_on", ";".join(e["based_on"])),
              ("ref", e["ref"] or 0), ("reason", e["reason"]),
              ("prev_hash", e["prev_hash"])]
    out = b"thidua-ledger-v1\n"
    for name, v in fields:
        b = str(v).encode("utf-8")
        out += name.encode() + b"=" + str(len(b)).encode() + b":" + b + b"\n"
    return out


def blake(e):
    return hashlib.blake2b(canonical(e), digest_size=32).hexdigest()


def entries(db):
    return j(run("--format", "json", "ledger", "show", db=db))["entries"]


def head(db):
    r = run("ledger", "head", db=db)
    assert r.code == 0, r
    seq, h = r.out.split()
    return int(seq), h


def verify(db, *args):
    return run("--lang", "en", "--format", "json", "ledger", "verify", *args,
               db=db)


def keys(tmp_path, name="k"):
    k = tmp_path / name
    r = run("ledger", "keygen", "-o", k)
    assert r.code == 0, r
    return k, tmp_path / (name + ".pub")


def sign(db, key, out):
    r = run("ledger", "sign", "--key", key, "-o", out, db=db)
    assert r.code == 0, r
    return out


def test_head_and_verify_head(pdb):
    assert run("ledger", "head", db=pdb).out == f"0 {ZERO}\n"
    _, dec = decide_ldtt(pdb)
    last = dec["awarded"][-1]
    assert head(pdb) == (2, last["hash"])
    assert j(run("--format", "json", "ledger", "head", db=pdb)) == {
        "seq": 2, "hash": last["hash"]}
    # The head and any earlier entry's hash are held.
    for seq, h in ((2, last["hash"]), (1, dec["awarded"][0]["hash"]),
                   (0, ZERO)):
        r = verify(pdb, "--head", f"{seq}:{h.upper()}")
        assert r.code == 0, r
        doc = json.loads(r.out)
        assert doc["ok"] is True and doc["entries"] == 2
        assert doc["head"] == last["hash"] and doc["head_seq"] == 2
        assert doc["anchor"] == {"seq": seq, "hash": h, "held": True,
                                 "signed_at": None, "key": None}
    assert json.loads(verify(pdb).out)["anchor"] is None
    # Another hash for entry 1; a head the chain never reached.
    r = verify(pdb, "--head", f"1:{last['hash']}")
    assert r.code == 1 and "entry 1" in r.err, r
    doc = json.loads(r.out)
    assert doc["ok"] is False and doc["first_bad"] == 1
    assert doc["anchor"]["held"] is False
    r = verify(pdb, "--head", f"5:{last['hash']}")
    assert r.code == 1 and "entry 3" in r.err, r
    # Malformed anchors are usage errors naming the option.
    for bad in ("2", f"x:{last['hash']}", "2:abc", f"-1:{ZERO}",
                f"0:{last['hash']}", "2:" + "g" * 64):
        r = run("ledger", "verify", "--head", bad, db=pdb)
        assert r.code == 2 and "--head" in r.err, (bad, r)


def test_keygen_works_offline_and_never_overwrites(tmp_path):
    r = run("ledger", "keygen", "-o", "ledger.key", cwd=tmp_path)
    assert r.code == 0, r
    assert not (tmp_path / "thidua.db").exists()
    sk, pk = tmp_path / "ledger.key", tmp_path / "ledger.key.pub"
    assert stat.S_IMODE(os.stat(sk).st_mode) == 0o600
    s, p = sk.read_text().splitlines(), pk.read_text().splitlines()
    assert s[0] == "thidua-ledger-secret-key-v1" and re.fullmatch("[0-9a-f]{128}", s[1])
    assert p[0] == "thidua-ledger-public-key-v1" and re.fullmatch("[0-9a-f]{64}", p[1])
    assert s[1][64:] == p[1]             # libsodium's sk ends with the pk
    before = sk.read_bytes()
    r = run("ledger", "keygen", "-o", sk)
    assert r.code == 1 and "ledger.key" in r.err, r
    assert sk.read_bytes() == before
    # The public half alone in the way also refuses, writing nothing.
    (tmp_path / "other.pub").write_text("x")
    r = run("ledger", "keygen", "-o", tmp_path / "other")
    assert r.code == 1 and not (tmp_path / "other").exists(), r
    assert run("ledger", "keygen").code == 2


def test_sign_and_verify_signed(pdb, tmp_path):
    _, dec = decide_ldtt(pdb)
    sk, pk = keys(tmp_path)
    r = run("ledger", "sign", "--key", sk, db=pdb)
    assert r.code == 0, r
    lines = r.out.splitlines()
    assert lines[0] == "thidua-ledger-signed-head-v1"
    assert lines[1:3] == ["seq=2", "hash=" + dec["awarded"][-1]["hash"]]
    assert re.fullmatch(r"signed_at=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", lines[3])
    assert lines[4] == "key=" + pk.read_text().split()[1]
    assert re.fullmatch("signature=[0-9a-f]{128}", lines[5]) and len(lines) == 6
    signed = sign(pdb, sk, tmp_path / "head.txt")
    r = verify(pdb, "--signed", signed, "--pubkey", pk)
    assert r.code == 0, r
    a = json.loads(r.out)["anchor"]
    assert a["seq"] == 2 and a["held"] is True
    assert a["signed_at"] == signed.read_text().splitlines()[3][10:]
    assert a["key"] == pk.read_text().split()[1]
    # Still held after later entries are appended.
    assert run("ledger", "revoke", "1", "--reason", "Kê khai sai",
               db=pdb).code == 0
    assert verify(pdb, "--signed", signed, "--pubkey", pk).code == 0
    # --signed and --pubkey go together; not with --head.
    assert run("ledger", "verify", "--signed", signed, db=pdb).code == 2
    assert run("ledger", "verify", "--pubkey", pk, db=pdb).code == 2
    assert run("ledger", "verify", "--signed", signed, "--pubkey", pk,
               "--head", f"0:{ZERO}", db=pdb).code == 2
    assert run("ledger", "sign", db=pdb).code == 2
    # The secret key never reaches the database.
    secret = sk.read_text().split()[1]
    dump = json.dumps(entries(pdb))
    assert secret not in dump and secret[:64] not in dump


def test_tampered_signature_and_wrong_key(pdb, tmp_path):
    _, dec = decide_ldtt(pdb)
    sk, pk = keys(tmp_path)
    _, other = keys(tmp_path, "other")
    signed = sign(pdb, sk, tmp_path / "head.txt")
    text = signed.read_text()
    r = verify(pdb, "--signed", signed, "--pubkey", other)
    assert r.code == 1 and "signature" in r.err, r
    # Moved to entry 1 (a point the chain does hold): the signature fails.
    moved = tmp_path / "moved.txt"
    moved.write_text(text.replace("seq=2", "seq=1").replace(
        dec["awarded"][1]["hash"], dec["awarded"][0]["hash"]))
    assert run("ledger", "verify", "--head",
               f"1:{dec['awarded'][0]['hash']}", db=pdb).code == 0
    r = verify(pdb, "--signed", moved, "--pubkey", pk)
    assert r.code == 1 and "signature" in r.err, r
    # One digit of the signature, the signing time: refused.
    sig = re.search("signature=([0-9a-f]+)", text).group(1)
    flipped = sig[:-1] + ("0" if sig[-1] != "0" else "1")
    for name, new in (("sig.txt", text.replace(sig, flipped)),
                      ("time.txt", re.sub("signed_at=.*", "signed_at="
                                          "2000-01-01T00:00:00Z", text))):
        f = tmp_path / name
        f.write_text(new)
        r = verify(pdb, "--signed", f, "--pubkey", pk)
        assert r.code == 1 and "signature" in r.err, (name, r)
    # Not a signed head / a secret key given as the public one.
    junk = tmp_path / "junk.txt"
    junk.write_text("seq=2\n")
    r = verify(pdb, "--signed", junk, "--pubkey", pk)
    assert r.code == 1 and "junk.txt" in r.err, r
    r = verify(pdb, "--signed", signed, "--pubkey", sk)
    assert r.code == 1 and "public-key" in r.err, r
    r = verify(pdb, "--signed", tmp_path / "absent.txt", "--pubkey", pk)
    assert r.code == 1, r


@pytest.mark.parametrize("tail", ["award", "revoke"])
def test_tail_entry_deleted(pdb, backend, tmp_path, tail):
    _, dec = decide_ldtt(pdb)
    if tail == "revoke":
        r = j(run("--format", "json", "ledger", "revoke", "1", "--reason",
                  "Kê khai không trung thực", db=pdb))
        assert r["seq"] == 3 and r["ref"] == 1
    seq, h = head(pdb)
    assert (seq, entries(pdb)[-1]["kind"]) == ((3, "revoke") if tail == "revoke"
                                               else (2, "award"))
    doc = json.loads(verify(pdb).out)
    assert doc["ok"] is True and doc["entries"] == seq    # revocations count
    sk, pk = keys(tmp_path)
    signed = sign(pdb, sk, tmp_path / "head.txt")
    unguard(pdb, backend)
    sql(pdb, backend, f"DELETE FROM ledger WHERE seq = {seq}")
    assert head(pdb)[0] == seq - 1
    # Plain verify: the decision's count, or the award still marked revoked.
    r = verify(pdb)
    assert r.code == 1 and f"entry {seq}" in r.err, r
    assert json.loads(r.out)["entries"] == seq - 1
    if tail == "revoke":
        assert "revocation" in r.err and "P1" in r.err, r
    for args in (("--head", f"{seq}:{h}"), ("--signed", signed, "--pubkey", pk)):
        r = verify(pdb, *args)
        assert r.code == 1 and f"entry {seq}" in r.err, (args, r)
        doc = json.loads(r.out)
        assert doc["first_bad"] == seq and doc["anchor"]["held"] is False
    # A broken chain is not signed.
    r = run("--lang", "en", "ledger", "sign", "--key", sk, db=pdb)
    assert r.code == 1 and f"entry {seq}" in r.err and r.out == "", r


def test_rewritten_chain(pdb, backend, tmp_path):
    _, dec = decide_ldtt(pdb)
    r = j(run("--format", "json", "ledger", "revoke", "2", "--reason",
              "Kê khai không trung thực", db=pdb))
    old = entries(pdb)
    assert [blake(e) for e in old] == [e["hash"] for e in old]
    seq, h = head(pdb)
    assert seq == 3
    sk, pk = keys(tmp_path)
    signed = sign(pdb, sk, tmp_path / "head.txt")
    # Every entry rewritten (the amounts doubled), every hash recomputed.
    unguard(pdb, backend)
    prev, stmts = ZERO, []
    for e in old:
        e = dict(e, amount=e["amount"] * 2, prev_hash=prev)
        e["hash"] = prev = blake(e)
        stmts.append(f"UPDATE ledger SET amount = {e['amount']}, prev_hash = "
                     f"'{e['prev_hash']}', hash = '{e['hash']}' "
                     f"WHERE seq = {e['seq']}")
    sql(pdb, backend, *stmts)
    new = entries(pdb)
    assert [e["amount"] for e in new] == [2 * e["amount"] for e in old]
    assert head(pdb) == (3, prev) and prev != h
    r = verify(pdb)
    assert r.code == 0, r                 # consistent with itself
    assert json.loads(r.out)["entries"] == 3
    for args in (("--head", f"{seq}:{h}"), ("--signed", signed, "--pubkey", pk)):
        r = verify(pdb, *args)
        assert r.code == 1 and "entry 3" in r.err, (args, r)
        assert "rewritten" in r.err
        assert json.loads(r.out)["first_bad"] == 3
    # An earlier anchor (entry 1, printed on paper) catches it too.
    r = verify(pdb, "--head", f"1:{old[0]['hash']}")
    assert r.code == 1 and "entry 1" in r.err, r


def pdftext(path):
    p = subprocess.run(["pdftotext", path, "-"], capture_output=True,
                       text=True)
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_paper_anchor(pdb, tmp_path):
    doc, dec = decide_ldtt(pdb)
    pid = doc["proposal"]
    seq, h = head(pdb)
    assert (seq, h) == (2, dec["awarded"][-1]["hash"])
    anchor = f"Sổ khen thưởng: mục {seq}, mã băm {h}"
    d, c, split = tmp_path / "qd.pdf", tmp_path / "gk.pdf", tmp_path / "split"
    assert run("print", "decision", pid, "-o", d, db=pdb).code == 0
    assert run("print", "certificates", pid, "-o", c, "--split", split,
               db=pdb).code == 0
    assert pdftext(d).count(anchor) == 1
    txt = pdftext(c)
    assert txt.count(anchor) == 2
    # Each certificate keeps its own entry number and short hash.
    for a in dec["awarded"]:
        assert f"Sổ khen thưởng số {a['ledger_seq']} · {a['hash'][:16]}" in txt
    for f in sorted(os.listdir(split)):
        assert pdftext(split / f).count(anchor) == 1, f
    # Later entries do not move a document's anchor; the same decision
    # prints the same bytes.
    assert run("ledger", "revoke", "1", "--reason", "Kê khai sai",
               db=pdb).code == 0
    gk = j(run("--format", "json", "propose", "--year", "2025", "--award",
               "GK", "--subject", "A4", db=pdb))["proposal"]
    assert run("proposal", "submit", gk, db=pdb).code == 0
    assert run("proposal", "review", gk, db=pdb).code == 0
    dec2 = j(run("--format", "json", "decide", gk, "--number", "20/QĐ-Z121",
                 "--date", "2026-07-15", "--signer", "Giám đốc", db=pdb))
    assert head(pdb) == (4, dec2["awarded"][0]["hash"])
    c2 = tmp_path / "gk2.pdf"
    assert run("print", "certificates", pid, "-o", c2, db=pdb).code == 0
    assert pdftext(c2).count(anchor) == 1      # the revoked one is gone
    d2 = tmp_path / "qd2.pdf"
    assert run("print", "decision", gk, "-o", d2, db=pdb).code == 0
    assert f"Sổ khen thưởng: mục 4, mã băm {dec2['awarded'][0]['hash']}" in pdftext(d2)
    d3 = tmp_path / "qd3.pdf"
    assert run("print", "decision", gk, "-o", d3, db=pdb).code == 0
    assert d2.read_bytes() == d3.read_bytes()
    # The printed anchor is one that verify --head accepts.
    m = re.search(r"mục (\d+), mã băm ([0-9a-f]{64})", pdftext(d))
    assert run("ledger", "verify", "--head", f"{m[1]}:{m[2]}", db=pdb).code == 0
