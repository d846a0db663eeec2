/*
 * store-pg-lib.h: libpq, opened on the first PostgreSQL connection
 * (dynlib.h). Included after <libpq-fe.h> in store-pg.c, it turns each
 * libpq function that file calls into its pointer in pq_lib, so the
 * calls read as usual; a function newly called there goes in PQ_FUNCS
 * and gets its #define below (the build fails at link time otherwise).
 */
#ifndef THIDUA_STORE_PG_LIB_H
#define THIDUA_STORE_PG_LIB_H

#include <libpq-fe.h>

#include "err.h"

#define PQ_FUNCS(X) \
	X(PQclear) X(PQconnectdb) X(PQerrorMessage) X(PQexec) \
	X(PQexecParams) X(PQexecPrepared) X(PQfinish) X(PQgetResult) \
	X(PQgetisnull) X(PQgetvalue) X(PQnfields) X(PQntuples) X(PQprepare) \
	X(PQputCopyData) X(PQputCopyEnd) X(PQreset) X(PQresultErrorField) \
	X(PQresultErrorMessage) X(PQresultStatus) X(PQsetNoticeReceiver) \
	X(PQstatus) X(PQtransactionStatus)

struct pq_lib {
#define PQ_SLOT(f) __typeof__(f) *f;
	PQ_FUNCS(PQ_SLOT)
#undef PQ_SLOT
};

extern struct pq_lib pq_lib;

/* libpq opened and pq_lib filled (once); 0, or -1 and e. */
int	 pq_lib_load(struct err *e);

#ifndef STORE_PG_LIB_TABLE	/* (store-pg-lib.c fills the table by name) */
#define PQclear(...)			(pq_lib.PQclear)(__VA_ARGS__)
#define PQconnectdb(...)		(pq_lib.PQconnectdb)(__VA_ARGS__)
#define PQerrorMessage(...)		(pq_lib.PQerrorMessage)(__VA_ARGS__)
#define PQexec(...)			(pq_lib.PQexec)(__VA_ARGS__)
#define PQexecParams(...)		(pq_lib.PQexecParams)(__VA_ARGS__)
#define PQexecPrepared(...)		(pq_lib.PQexecPrepared)(__VA_ARGS__)
#define PQfinish(...)		(pq_lib.PQfinish)(__VA_ARGS__)
#define PQgetResult(...)		(pq_lib.PQgetResult)(__VA_ARGS__)
#define PQgetisnull(...)		(pq_lib.PQgetisnull)(__VA_ARGS__)
#define PQgetvalue(...)		(pq_lib.PQgetvalue)(__VA_ARGS__)
#define PQnfields(...)		(pq_lib.PQnfields)(__VA_ARGS__)
#define PQntuples(...)		(pq_lib.PQntuples)(__VA_ARGS__)
#define PQprepare(...)		(pq_lib.PQprepare)(__VA_ARGS__)
#define PQputCopyData(...)		(pq_lib.PQputCopyData)(__VA_ARGS__)
#define PQputCopyEnd(...)		(pq_lib.PQputCopyEnd)(__VA_ARGS__)
#define PQreset(...)			(pq_lib.PQreset)(__VA_ARGS__)
#define PQresultErrorField(...)	(pq_lib.PQresultErrorField)(__VA_ARGS__)
#define PQresultErrorMessage(...)	(pq_lib.PQresultErrorMessage)(__VA_ARGS__)
#define PQresultStatus(...)		(pq_lib.PQresultStatus)(__VA_ARGS__)
#define PQsetNoticeReceiver(...)	(pq_lib.PQsetNoticeReceiver)(__VA_ARGS__)
#define PQstatus(...)		(pq_lib.PQstatus)(__VA_ARGS__)
#define PQtransactionStatus(...)	(pq_lib.PQtransactionStatus)(__VA_ARGS__)
#endif

#endif /* THIDUA_STORE_PG_LIB_H */
