/*
 * award-ledger.h: the tamper-evident award ledger (sổ khen thưởng).
 *
 * Entries are only ever appended (the store refuses UPDATE and DELETE on
 * both backends). Each entry carries a BLAKE2b-256 hash (libsodium
 * crypto_generichash) over its canonical content, which includes the
 * previous entry's hash, so editing any entry behind the program's back
 * breaks the chain from that entry on. The canonical content is
 * "thidua-ledger-v1\n" followed by one "name=LEN:VALUE\n" line per field
 * in this order: seq kind decision date signer year subject award amount
 * based_on ref reason prev_hash (numbers in decimal, ref 0 when none).
 * The first entry's prev_hash is 64 zeros.
 *
 * A revocation (false declaration, later findings) is a new entry of kind
 * "revoke" pointing at the award entry (ref), carrying the reason and the
 * negated amount (money to recover); it also marks the award revoked in
 * the awards history so eligibility ignores it.
 */
#ifndef THIDUA_AWARD_LEDGER_H
#define THIDUA_AWARD_LEDGER_H

#include <stdint.h>

#include "err.h"
#include "store-award.h"

struct sb;

/* Hex hash of entry l's canonical content (l->hash is not read). */
void	 ledger_hash(const struct ledger_entry *l, char out[AWARD_HASH]);

/*
 * Append l: fills l->seq, l->prev_hash and l->hash. Runs inside the
 * caller's transaction. ERR_CONFLICT when another session appended first.
 */
int	 ledger_append(struct store *, struct ledger_entry *l, struct err *);

/*
 * A ledger head: the last entry's seq and hash. An empty ledger's head is
 * seq 0 and 64 zeros (the first entry's prev_hash). Written "SEQ:HASH"
 * on the command line (--head) and "SEQ HASH" by `ledger head`.
 */
struct ledger_head {
	int64_t	 seq;
	char	 hash[AWARD_HASH];	/* 64 lower-case hex digits */
};
/* The current head. 0 or -1. */
int	 ledger_head_get(struct store *, struct ledger_head *, struct err *);
/*
 * Parse "SEQ:HASH" (hex digits in either case; seq 0 only with 64
 * zeros). 0, or -1 with an ERR_USAGE error naming field.
 */
int	 ledger_head_parse(const char *, const char *field, struct ledger_head *,
	    struct err *);
/* {"seq": N, "hash": "…"} */
void	 ledger_head_json(const struct ledger_head *, struct sb *out);

/*
 * Result of walking the whole chain, then checking that every decision
 * still has as many award entries as it recorded and every award marked
 * revoked still has its revoke entry (a chain cut at its end leaves no
 * broken link; the missing entries are then named by the first seq after
 * the last one), and, when given an anchor (a head taken earlier, signed
 * or printed), that the chain still holds that entry with that hash.
 */
struct ledger_check {
	int64_t	 entries;	/* entries read, revocations included */
	int64_t	 bad_seq;	/* first entry that does not match, 0 if whole */
	char	 why[256];	/* in the user's language */
	char	 head[AWARD_HASH];	/* the last entry's hash, "" when
					   empty */
	int64_t	 head_seq;	/* and its seq, 0 when empty */
	int	 anchored;	/* an anchor was checked: */
	struct ledger_head anchor;	/* the entry it names */
	int	 held;		/* the chain holds it */
	char	 signed_at[32];	/* a signed anchor's time, else "" */
	char	 key[65];	/* and its public key (hex), else "" */
};
/* 0 after a full walk (check->bad_seq says whether it is whole), -1 error. */
int	 ledger_verify(struct store *, struct ledger_check *, struct err *);
/*
 * The same, also checking anchor (NULL: none). c->signed_at and c->key
 * are the caller's to fill (ledger_verify_signed does).
 */
int	 ledger_verify_at(struct store *, const struct ledger_head *anchor,
	    struct ledger_check *, struct err *);
/* {"ok": bool, "entries": N, "first_bad": SEQ|null, "reason": TEXT|null,
 *  "head": HASH|null, "head_seq": N|null, "anchor": null | {"seq": N,
 *  "hash": H, "held": bool, "signed_at": T|null, "key": HEX|null}} */
void	 ledger_check_json(const struct ledger_check *, struct sb *out);

/*
 * Revoke award entry SEQ in one transaction: appends the revoke entry
 * (out, may be NULL) and sets awards.revoked. date "" means today;
 * decision and signer may be "" (then the revoked entry's number is used).
 */
struct ledger_revocation {
	int64_t		 seq;
	const char	*reason;
	const char	*date;		/* YYYY-MM-DD or NULL for today */
	const char	*decision;	/* NULL: the revoked entry's number */
	const char	*signer;	/* NULL: "" */
};
int	 ledger_revoke(struct store *, const struct ledger_revocation *,
	    struct ledger_entry *out, struct err *);

/*
 * The ledger as JSON (service function shared by CLI and HTTP):
 * {"entries":[{"seq","kind","decision","date","signer","year","subject",
 *  "award","amount","based_on":[..],"ref","reason","prev_hash","hash",
 *  "revoked"}]}. subject NULL for every entry. 0 or -1.
 */
int	 ledger_json(struct store *, const char *subject, struct sb *out,
	    struct err *);
/* One entry as a JSON object. */
void	 ledger_entry_json(const struct ledger_entry *, struct sb *out);

/*
 * ---- signed heads (award-ledger-sign.c) ----
 *
 * An Ed25519 key pair (libsodium crypto_sign) kept outside the database
 * signs the head, so a chain rewritten with fresh hashes, or cut back,
 * no longer matches what was signed. Files are text:
 *   secret key  "thidua-ledger-secret-key-v1\n" + 128 hex digits + "\n"
 *               (libsodium's 64-byte secret key), mode 0600
 *   public key  "thidua-ledger-public-key-v1\n" + 64 hex digits + "\n"
 *   signed head "thidua-ledger-signed-head-v1\n" then the lines
 *               seq=N, hash=H, signed_at=YYYY-MM-DDTHH:MM:SSZ, key=PUBHEX,
 *               signature=128 hex digits, in this order.
 * The signature covers the message "thidua-ledger-head-v1\nseq=N\n"
 * "hash=H\nsigned_at=T\n" (ledger_sign_message); key= only names the
 * key that signed, the verifier's own public key file decides.
 */
#define LEDGER_PK_BYTES		32
#define LEDGER_SK_BYTES		64
struct ledger_signed {
	struct ledger_head head;
	char	 signed_at[32];
	char	 key[2 * LEDGER_PK_BYTES + 1];
	char	 sig[2 * 64 + 1];
};
/* The message a signature covers. */
void	 ledger_sign_message(const struct ledger_signed *, struct sb *out);
/* Fill s->key and s->sig from s->head and s->signed_at with sk. */
void	 ledger_sign_raw(struct ledger_signed *s,
	    const unsigned char sk[LEDGER_SK_BYTES]);
/* 1 when s's signature is valid under pk, else 0. */
int	 ledger_signed_valid(const struct ledger_signed *s,
	    const unsigned char pk[LEDGER_PK_BYTES]);
/* The signed-head document, and its parser (path names it in errors). */
void	 ledger_signed_text(const struct ledger_signed *, struct sb *out);
int	 ledger_signed_parse(const char *text, const char *path,
	    struct ledger_signed *, struct err *);

/*
 * A new key pair: the secret key in path (mode 0600), the public key in
 * path.pub; refuses (ERR_USER) when either exists. 0 or -1.
 */
int	 ledger_keygen(const char *path, struct err *);
/*
 * Sign the current head with the secret key file: the chain is verified
 * first and a broken one is refused (ERR_USER naming the entry). signed_at
 * NULL: now (UTC). 0 or -1.
 */
int	 ledger_sign(struct store *, const char *keyfile, const char *signed_at,
	    struct ledger_signed *, struct err *);
/*
 * Read the signed head in path and the public key in pubfile, check the
 * signature (ERR_USER when it fails: the document is not evidence), then
 * verify the chain against the head it signs. 0 or -1.
 */
int	 ledger_verify_signed(struct store *, const char *path,
	    const char *pubfile, struct ledger_check *, struct err *);

#endif /* THIDUA_AWARD_LEDGER_H */
