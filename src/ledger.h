/*
 * ledger.h: the tamper-evident award ledger (sổ khen thưởng).
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
#ifndef THIDUA_LEDGER_H
#define THIDUA_LEDGER_H

#include <stdint.h>

#include "err.h"
#include "store-ledger.h"

struct sb;

/* Hex hash of entry l's canonical content (l->hash is not read). */
void	 ledger_hash(const struct ledger_entry *l, char out[SL_HASH]);

/*
 * Append l: fills l->seq, l->prev_hash and l->hash. Runs inside the
 * caller's transaction. ERR_CONFLICT when another session appended first.
 */
int	 ledger_append(struct store *, struct ledger_entry *l, struct err *);

/*
 * Result of walking the whole chain, then checking that every decision
 * still has as many award entries as it recorded (a chain cut at its end
 * leaves no broken link; the missing entries are then named by the first
 * seq after the last one).
 */
struct ledger_check {
	int64_t	 entries;	/* entries read */
	int64_t	 bad_seq;	/* first entry that does not match, 0 if whole */
	char	 why[256];	/* in the user's language */
	char	 head[SL_HASH];	/* the last entry's hash, "" when empty */
};
/* 0 after a full walk (check->bad_seq says whether it is whole), -1 error. */
int	 ledger_verify(struct store *, struct ledger_check *, struct err *);
/* {"ok": bool, "entries": N, "first_bad": SEQ|null, "reason": TEXT|null,
 *  "head": HASH|null} */
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

#endif /* THIDUA_LEDGER_H */
