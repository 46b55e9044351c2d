/*
 * shnorInt.h — what is behind the opaque shnor handle, shared by the core.
 *
 * Invariants:
 *  1. sql is an open connection from a successful store_open(), or NULL.
 *  2. err holds the message of the last failing call ("" after success);
 *     shnor_seterr() is the only writer besides the *_clear helper.
 *  3. in_txn is 1 exactly while a transaction begun by store_begin() is open.
 */
#ifndef SHNOR_INT_H
#define SHNOR_INT_H

#include <stdarg.h>

#include "shnor.h"
#include "strbuf.h"

struct sqlite3;
struct sqlite3_stmt;

/* Statements prepared once per handle and reused (see store.c). */
enum {
    STMT_SCHOOL_ID,
    STMT_INDICATOR_ID,
    STMT_BATCH_INSERT,
    STMT_OBS_UPSERT,
    STMT_OBS_GET,
    STMT_TERRITORY_GET,
    STMT_TERRITORY_INSERT,
    STMT_TERRITORY_SET_PARENT,
    STMT_SCHOOL_GET,
    STMT_SCHOOL_INSERT,
    STMT_SCHOOL_UPDATE,
    STMT_SCHOOL_ATTR_SET,
    STMT_INDICATOR_GET,
    STMT_INDICATOR_INSERT,
    STMT_INDICATOR_UPDATE,
    STMT_INDICATOR_HAS_VALUES,
    STMT_INDICATOR_OUTSIDE,
    STMT_BATCH_FINISH,
    STMT_OBS_REPLACED,
    STMT_OBS_COLUMN,
    STMT_ACTIVITY_UPSERT,
    STMT_ASSIGNMENT_INSERT,
    STMT_ASSIGNMENT_GET,
    STMT_ASSIGNMENT_FIND,
    STMT_ASSIGNMENT_SET,
    STMT_OVERRIDE_INSERT,
    STMT_OVERRIDE_REVOKE,
    STMT_LISTING_PUT,
    STMT_COUNT
};

struct shnor {
    struct sqlite3 *sql;
    char *path;   /* as given to shnor_open */
    strbuf err;   /* last error message */
    int in_txn;
    int readonly;
    struct sqlite3_stmt *stmts[STMT_COUNT];
};

/* Sets the handle's message from fmt and returns status (for `return shnor_seterr(...)`). */
int shnor_seterr(shnor *db, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int shnor_vseterr(shnor *db, int status, const char *fmt, va_list ap);
/* Clears the message (a call succeeded). */
void shnor_clearerr(shnor *db);

/* The effective user name for records: $SHNOR_USER, $USER, $LOGNAME, else "unknown". Borrowed. */
const char *shnor_user(void);

/* Current time as ISO 8601 UTC "2023-01-09T10:15:00Z" into buf (21 bytes). */
void shnor_now_iso(char buf[21]);

#endif
