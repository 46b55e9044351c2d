/*
 * errors.c — status names and the message kept on the handle.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "shnorInt.h"

const char *shnor_errstr(int status)
{
    switch (status) {
    case SHNOR_OK:
        return "ok";
    case SHNOR_ERROR:
        return "error";
    case SHNOR_MISUSE:
        return "misuse";
    case SHNOR_NOMEM:
        return "out of memory";
    case SHNOR_IO:
        return "input/output error";
    case SHNOR_INPUT:
        return "bad input";
    case SHNOR_DB:
        return "database error";
    case SHNOR_SCHEMA:
        return "database of a newer shnor, or not a shnor database";
    case SHNOR_PACK:
        return "rule pack error";
    case SHNOR_LIMIT:
        return "limit reached";
    case SHNOR_NOTFOUND:
        return "not found";
    case SHNOR_FAILED:
        return "check failed";
    default:
        return "unknown status";
    }
}

int shnor_vseterr(shnor *db, int status, const char *fmt, va_list ap)
{
    if (db) {
        sb_reset(&db->err);
        sb_vprintf(&db->err, fmt, ap);
    }
    return status;
}

int shnor_seterr(shnor *db, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    shnor_vseterr(db, status, fmt, ap);
    va_end(ap);
    return status;
}

void shnor_clearerr(shnor *db)
{
    if (db) {
        sb_reset(&db->err);
    }
}

const char *shnor_errmsg(const shnor *db)
{
    if (!db) {
        return "no database handle (out of memory or misuse)";
    }
    return db->err.data;
}

const char *shnor_user(void)
{
    static const char *const vars[] = {"SHNOR_USER", "USER", "LOGNAME"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) {
            return v;
        }
    }
    /* no environment (cron, a service, su without -l): the account's name,
       so that a record says who as far as the system knows */
    static char account[64];
    if (!account[0]) {
        struct passwd pw, *found = NULL;
        char buf[1024];
        if (getpwuid_r(getuid(), &pw, buf, sizeof buf, &found) == 0 && found &&
            found->pw_name && *found->pw_name) {
            snprintf(account, sizeof account, "%s", found->pw_name);
        } else {
            snprintf(account, sizeof account, "uid %ld", (long)getuid());
        }
    }
    return account;
}

void shnor_now_iso(char buf[21])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
