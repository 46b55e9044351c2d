/*
 * store.c — opening a shnor database, migrating its schema, transactions,
 * cached statements and the mapping of SQLite errors to shnor statuses.
 *
 * Settings applied on every open, and why:
 *  - foreign_keys ON: SQLite leaves it off unless asked, per connection;
 *  - WAL: readers never block the writer, and a killed writer leaves the
 *    database as it was before its transaction;
 *  - synchronous FULL: a committed import survives a power cut, not only a
 *    crash; commits are few and large, so the fsync costs little;
 *  - busy timeout ($SHNOR_BUSY_TIMEOUT seconds, default 120): a second
 *    process waits for the writer instead of failing with "database is locked";
 *  - application_id "SHNR": another program's SQLite file is refused, not
 *    migrated.
 */
#include "store.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "schemaInt.h"

static const char *const stmt_sql[STMT_COUNT] = {
    [STMT_SCHOOL_ID] = "SELECT id FROM schools WHERE code = ?1",
    [STMT_INDICATOR_ID] = "SELECT id FROM indicators WHERE code = ?1",
    [STMT_BATCH_INSERT] = "INSERT INTO batches (kind, source, sha256, encoding, user, at) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    /* Every row of an import in one statement (see store_obs_put_many); the
       WHERE true tells the parser that ON CONFLICT is the upsert's. */
    [STMT_OBS_UPSERT] =
        "INSERT INTO observations (indicator_id, period, school_id, value, batch_id) "
        "SELECT indicator_id, period, school_id, value, ?2 FROM shnor_obs_feed(?1) WHERE true "
        "ON CONFLICT DO UPDATE SET value = excluded.value, batch_id = excluded.batch_id "
        "WHERE value IS NOT excluded.value",
    [STMT_OBS_GET] = "SELECT value FROM observations "
                     "WHERE indicator_id = ?1 AND period = ?2 AND school_id = ?3",
    [STMT_TERRITORY_GET] = "SELECT id, parent_id FROM territories WHERE name = ?1",
    [STMT_TERRITORY_INSERT] = "INSERT INTO territories (name, parent_id) VALUES (?1, ?2)",
    [STMT_TERRITORY_SET_PARENT] = "UPDATE territories SET parent_id = ?2 WHERE id = ?1",
    [STMT_SCHOOL_GET] =
        "SELECT id, name, territory_id, kind, settlement FROM schools WHERE code = ?1",
    [STMT_SCHOOL_INSERT] = "INSERT INTO schools (code, name, territory_id, kind, settlement) "
                           "VALUES (?1, ?2, ?3, ?4, ?5)",
    [STMT_SCHOOL_UPDATE] = "UPDATE schools SET name = ?2, territory_id = ?3, "
                           "kind = coalesce(?4, kind), settlement = coalesce(?5, settlement) "
                           "WHERE id = ?1",
    [STMT_SCHOOL_ATTR_SET] = "INSERT INTO school_attrs (school_id, name, value) "
                             "VALUES (?1, ?2, ?3) ON CONFLICT DO UPDATE "
                             "SET value = excluded.value WHERE value IS NOT excluded.value",
    [STMT_INDICATOR_GET] =
        "SELECT id, title, unit, better, min, max FROM indicators WHERE code = ?1",
    [STMT_INDICATOR_INSERT] = "INSERT INTO indicators (code, title, unit, better, min, max) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [STMT_INDICATOR_UPDATE] = "UPDATE indicators SET title = ?2, unit = ?3, better = ?4, "
                              "min = ?5, max = ?6 WHERE id = ?1",
    [STMT_BATCH_FINISH] = "UPDATE batches SET rows = ?2, inserted = ?3, replaced = ?4, "
                          "unchanged = ?5 WHERE id = ?1",
    [STMT_ACTIVITY_UPSERT] =
        "INSERT INTO activities (pack_id, key, section, title, due_text, responsible, "
        "coexecutors, result, indicator, document, position) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
        "ON CONFLICT (pack_id, key) DO UPDATE SET section = excluded.section, "
        "title = excluded.title, due_text = excluded.due_text, "
        "responsible = excluded.responsible, coexecutors = excluded.coexecutors, "
        "result = excluded.result, indicator = excluded.indicator, "
        "document = excluded.document, position = excluded.position "
        "RETURNING id",
    [STMT_ASSIGNMENT_INSERT] =
        "INSERT INTO assignments (activity_id, owner, school_id, period, start, due, "
        "created_at, created_by) "
        "VALUES (?1, ?2, (SELECT id FROM schools WHERE code = ?2), ?3, ?4, ?5, ?6, ?7) "
        "ON CONFLICT (activity_id, owner, due) DO NOTHING",
    /* ?3, the period, is bound but not compared: an assignment is one activity,
       owner and deadline, whichever period's roadmap made it first. */
    [STMT_ASSIGNMENT_GET] = "SELECT id, status, status_auto FROM assignments WHERE activity_id = ?1 AND "
                            "owner = ?2 AND ?3 IS NOT NULL AND due = ?4",
    [STMT_ASSIGNMENT_FIND] =
        "SELECT a.id, a.status, a.status_auto FROM assignments a "
        "JOIN activities c ON c.id = a.activity_id "
        "WHERE c.pack_id = ?1 AND c.key = ?2 AND a.owner = ?3 AND ?4 IS NOT NULL AND "
        "a.due = ?5",
    [STMT_ASSIGNMENT_SET] = "UPDATE assignments SET status = ?2, "
                            "evidence = coalesce(?3, evidence), "
                            "status_date = coalesce(?4, CASE WHEN status = ?2 THEN status_date "
                            "ELSE strftime('%Y-%m-%d', 'now', 'localtime') END), "
                            "status_by = ?5, status_auto = 0 WHERE id = ?1 AND (status <> ?2 OR "
                            "(?3 IS NOT NULL AND evidence IS NOT ?3) OR "
                            "(?4 IS NOT NULL AND status_date IS NOT ?4) OR "
                            "(?6 AND status_auto = 1))",
    [STMT_OVERRIDE_INSERT] = "INSERT INTO overrides (school_id, period, pack_id, category, "
                             "action, reason, by, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [STMT_OVERRIDE_REVOKE] = "UPDATE overrides SET revoked_at = ?2 "
                             "WHERE id = ?1 AND revoked_at IS NULL",
    [STMT_LISTING_PUT] = "INSERT OR REPLACE INTO listings (school_id, period, pack_id, "
                         "category, cohort, batch_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [STMT_OBS_COLUMN] = "SELECT school_id, value FROM observations "
                        "WHERE indicator_id = ?1 AND period = ?2",
    [STMT_OBS_REPLACED] = "SELECT count(*) FROM observation_history WHERE replaced_by = ?1",
    [STMT_INDICATOR_HAS_VALUES] =
        "SELECT EXISTS (SELECT 1 FROM observations WHERE indicator_id = ?1)",
    [STMT_INDICATOR_OUTSIDE] =
        "SELECT count(*), min(value), max(value) FROM observations WHERE indicator_id = ?1 "
        "AND ((?2 IS NOT NULL AND value < ?2) OR (?3 IS NOT NULL AND value > ?3))",
};

int shnor_schema_latest(void)
{
    return schema_latest;
}

const char *store_text(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? (const char *)t : "";
}

double store_real(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? NAN : sqlite3_column_double(st, col);
}

int store_fail(shnor *db, int rc, const char *doing)
{
    const char *path = db->path ? db->path : "?";
    const char *msg = db->sql ? sqlite3_errmsg(db->sql) : sqlite3_errstr(rc);
    /* A disk that fills while SQLite grows the WAL index (-shm) or opens the
       WAL comes back as an I/O error; the system error says it was full. */
    if (db->sql && ((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_CANTOPEN)) {
        int e = sqlite3_system_errno(db->sql);
        if (e == ENOSPC || e == EDQUOT) {
            rc = SQLITE_FULL;
        }
    }
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return shnor_seterr(db, SHNOR_DB,
                            "%s: database '%s' stayed locked by another process "
                            "longer than the busy timeout (%s); nothing was written",
                            doing, path, msg);
    case SQLITE_FULL:
        return shnor_seterr(db, SHNOR_DB,
                            "%s: the disk holding '%s' is full (%s); nothing was written",
                            doing, path, msg);
    case SQLITE_READONLY:
        return shnor_seterr(db, SHNOR_DB,
                            "%s: database '%s' is read-only (%s); check the permissions of "
                            "the file and its directory; nothing was written",
                            doing, path, msg);
    case SQLITE_NOTADB:
        return shnor_seterr(db, SHNOR_DB, "%s: '%s' is not a database file (%s)", doing,
                            path, msg);
    case SQLITE_CORRUPT:
        return shnor_seterr(db, SHNOR_DB, "%s: database '%s' is damaged (%s)", doing, path,
                            msg);
    case SQLITE_CANTOPEN:
        return shnor_seterr(db, SHNOR_IO, "%s: cannot open database '%s' (%s)", doing, path,
                            msg);
    case SQLITE_IOERR:
        return shnor_seterr(db, SHNOR_IO, "%s: input/output error on '%s' (%s)", doing, path,
                            msg);
    case SQLITE_NOMEM:
        return shnor_seterr(db, SHNOR_NOMEM, "%s: out of memory", doing);
    default:
        return shnor_seterr(db, SHNOR_DB, "%s: database '%s': %s", doing, path, msg);
    }
}

int store_exec(shnor *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db->sql, sql, NULL, NULL, &msg);
    sqlite3_free(msg);
    if (rc != SQLITE_OK) {
        return store_fail(db, rc, "updating the database");
    }
    return SHNOR_OK;
}

int store_prepare(shnor *db, const char *sql, sqlite3_stmt **out)
{
    int rc = sqlite3_prepare_v2(db->sql, sql, -1, out, NULL);
    if (rc != SQLITE_OK) {
        *out = NULL;
        return store_fail(db, rc, "preparing a query");
    }
    return SHNOR_OK;
}

sqlite3_stmt *store_stmt(shnor *db, int which)
{
    if (which < 0 || which >= STMT_COUNT) {
        shnor_seterr(db, SHNOR_MISUSE, "store_stmt: no statement %d", which);
        return NULL;
    }
    sqlite3_stmt *st = db->stmts[which];
    if (!st) {
        if (store_prepare(db, stmt_sql[which], &st) != SHNOR_OK) {
            return NULL;
        }
        db->stmts[which] = st;
    } else {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    return st;
}

static int busy_timeout_ms(void);

int store_begin(shnor *db)
{
    if (db->in_txn) {
        return shnor_seterr(db, SHNOR_MISUSE, "a transaction is already open");
    }
    int rc = sqlite3_exec(db->sql, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        return store_fail(db, rc, "starting a transaction");
    }
    db->in_txn = 1;
    return SHNOR_OK;
}

int store_begin_now(shnor *db)
{
    sqlite3_busy_timeout(db->sql, 0);
    int status = store_begin(db);
    sqlite3_busy_timeout(db->sql, busy_timeout_ms());
    return status;
}

int store_commit(shnor *db)
{
    if (!db->in_txn) {
        return shnor_seterr(db, SHNOR_MISUSE, "no transaction is open");
    }
    int rc = sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        int status = store_fail(db, rc, "committing");
        store_rollback(db);
        return status;
    }
    db->in_txn = 0;
    return SHNOR_OK;
}

void store_rollback(shnor *db)
{
    if (db->in_txn) {
        /* Statements still stepping would keep the transaction's read lock. */
        for (int i = 0; i < STMT_COUNT; i++) {
            if (db->stmts[i]) {
                sqlite3_reset(db->stmts[i]);
            }
        }
        if (!sqlite3_get_autocommit(db->sql)) {
            sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
        }
        db->in_txn = 0;
    }
}

static int pragma_int(shnor *db, const char *sql, int *out)
{
    sqlite3_stmt *st = NULL;
    int status = store_prepare(db, sql, &st);
    if (status != SHNOR_OK) {
        return status;
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        *out = 0;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? SHNOR_OK : store_fail(db, rc, "reading the database header");
}

/* $SHNOR_BUSY_TIMEOUT seconds, else two minutes: how long a writer is waited for. */
static int busy_timeout_ms(void)
{
    const char *s = getenv("SHNOR_BUSY_TIMEOUT");
    if (s && *s) {
        char *end;
        double v = strtod(s, &end);
        if (*end == '\0' && v >= 0 && v < 86400) {
            return (int)(v * 1000);
        }
    }
    return 120000;
}

/* What the first page of a database file says. */
typedef struct {
    int version; /* user_version: the schema version, 0 for a new file */
    int appid;   /* application_id */
    int tables;  /* entries of sqlite_schema */
} db_header;

/* Reads the header of sql's main database in one statement, so all three
   come from one moment even while another process creates the schema. */
static int header_read(sqlite3 *sql, db_header *h)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(sql,
                                "SELECT (SELECT user_version FROM pragma_user_version), "
                                "(SELECT application_id FROM pragma_application_id), "
                                "(SELECT count(*) FROM sqlite_schema)",
                                -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        h->version = sqlite3_column_int(st, 0);
        h->appid = sqlite3_column_int(st, 1);
        h->tables = sqlite3_column_int(st, 2);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

static int read_header(shnor *db, db_header *h)
{
    int rc = header_read(db->sql, h);
    return rc == SQLITE_OK ? SHNOR_OK : store_fail(db, rc, "reading the database header");
}

/*
 * The header of an empty-looking file at path once no other process is
 * writing it: `init` in another process may be creating the schema in a
 * transaction a reader cannot see yet. Waits (busy timeout) for the write
 * lock in a connection of its own, reads, and lets go without writing. Where
 * the file cannot be opened for writing, *h stays as it was. Returns 0, or
 * -1 when the writer held the file past the busy timeout (*h as it was).
 */
static int header_after_writers(const char *path, db_header *h)
{
    sqlite3 *sql = NULL;
    int busy = 0;
    if (sqlite3_open_v2(path, &sql, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) ==
            SQLITE_OK &&
        sqlite3_db_readonly(sql, "main") == 0) {
        sqlite3_busy_timeout(sql, busy_timeout_ms());
        db_header now;
        int rc = sqlite3_exec(sql, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (rc == SQLITE_OK && header_read(sql, &now) == SQLITE_OK) {
            *h = now;
        }
        busy = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
        sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
    }
    sqlite3_close_v2(sql);
    return busy ? -1 : 0;
}

/* An SQLite file another program made: refused, whatever was asked. */
static int is_foreign(const db_header *h)
{
    return h->appid != STORE_APPLICATION_ID && (h->tables > 0 || h->version > 0);
}

/* A database a newer shnor wrote: refused, by readers and writers alike. */
static int newer_schema(shnor *db, const char *path, int version)
{
    return shnor_seterr(db, SHNOR_SCHEMA,
                        "database '%s' has schema version %d, newer than the %d this shnor %s "
                        "knows; use a newer shnor",
                        path, version, schema_latest, SHNOR_VERSION);
}

static int foreign_database(shnor *db, const char *path, int appid)
{
    return shnor_seterr(db, SHNOR_SCHEMA,
                        "'%s' is an SQLite database of another program (application_id %d), "
                        "not a shnor database; nothing was changed",
                        path, appid);
}

/*
 * Applies migrations from the current user_version up to target inside one
 * immediate transaction, so two processes opening a fresh file do not both
 * create the tables, and a failed migration leaves the old schema intact.
 */
int store_migrate_to(shnor *db, int target)
{
    db_header h;
    int status;
    if (target < 0 || target > schema_latest) {
        return shnor_seterr(db, SHNOR_MISUSE, "no schema version %d", target);
    }
    if ((status = store_begin(db)) != SHNOR_OK) {
        return status;
    }
    if ((status = read_header(db, &h)) != SHNOR_OK) {
        goto fail;
    }
    int version = h.version;
    if (is_foreign(&h)) {
        status = foreign_database(db, db->path, h.appid);
        goto fail;
    }
    if (version > schema_latest) {
        status = newer_schema(db, db->path, version);
        goto fail;
    }
    if (version > target) {
        status = shnor_seterr(db, SHNOR_MISUSE, "database is at version %d, above %d",
                              version, target);
        goto fail;
    }
    for (int v = version; v < target; v++) {
        for (const char *const *part = schema_migrations[v]; *part; part++) {
            if ((status = store_exec(db, *part)) != SHNOR_OK) {
                goto fail;
            }
        }
    }
    if (version < target) {
        char sql[96];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d; PRAGMA application_id = %d",
                 target, STORE_APPLICATION_ID);
        if ((status = store_exec(db, sql)) != SHNOR_OK) {
            goto fail;
        }
        if (version == 0) {
            char now[21];
            shnor_now_iso(now);
            sqlite3_stmt *st = NULL;
            if ((status = store_prepare(db,
                                        "INSERT INTO meta (key, value) VALUES "
                                        "('created_at', ?1), ('created_by', ?2)",
                                        &st)) != SHNOR_OK) {
                goto fail;
            }
            sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 2, "shnor " SHNOR_VERSION, -1, SQLITE_STATIC);
            int rc = sqlite3_step(st);
            sqlite3_finalize(st);
            if (rc != SQLITE_DONE) {
                status = store_fail(db, rc, "creating the database");
                goto fail;
            }
        }
    }
    return store_commit(db);
fail:
    store_rollback(db);
    return status;
}

/*
 * Switches the file to WAL (a no-op when it is already). On a new file the
 * switch promotes a shared lock to an exclusive one, and when two processes
 * switch at once SQLite gives one of them SQLITE_BUSY at once rather than
 * call the busy handler (waiting could deadlock). The statement is retried
 * after a pause, within the busy timeout; by then the other process has
 * switched the file, and the retry finds it in WAL.
 */
static int set_wal(shnor *db)
{
    int limit = busy_timeout_ms(), waited = 0;
    for (;;) {
        int rc = sqlite3_exec(db->sql, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
        if (rc == SQLITE_OK) {
            return SHNOR_OK;
        }
        if ((rc & 0xff) != SQLITE_BUSY || waited >= limit) {
            return store_fail(db, rc, "switching the database to WAL");
        }
        sqlite3_sleep(10);
        waited += 10;
    }
}

int store_open(shnor *db, const char *path, unsigned flags)
{
    int status;
    int oflags = SQLITE_OPEN_NOMUTEX;
    struct stat sb;

    db->readonly = (flags & SHNOR_OPEN_READONLY) != 0;
    if (db->readonly) {
        oflags |= SQLITE_OPEN_READONLY;
    } else {
        oflags |= SQLITE_OPEN_READWRITE;
        if (flags & SHNOR_OPEN_CREATE) {
            oflags |= SQLITE_OPEN_CREATE;
        }
    }
    if (!(flags & SHNOR_OPEN_CREATE) && stat(path, &sb) != 0) {
        return shnor_seterr(db, SHNOR_IO,
                            "no database at '%s'; create one with: shnor --db %s init", path,
                            path);
    }
    int rc = sqlite3_open_v2(path, &db->sql, oflags, NULL);
    if (rc != SQLITE_OK) {
        status = store_fail(db, rc, "opening");
        return status;
    }
    sqlite3_extended_result_codes(db->sql, 1);
    sqlite3_busy_timeout(db->sql, busy_timeout_ms());
    if ((status = store_obs_register(db)) != SHNOR_OK) {
        return status;
    }
    if ((status = store_exec(db, "PRAGMA foreign_keys = ON")) != SHNOR_OK) {
        return status;
    }
    /* A file without write permission opens read-only even when asked for
       read-write; reading it must still work, and writing fails with a message
       saying it is read-only. */
    if (!db->readonly && sqlite3_db_readonly(db->sql, "main") == 1) {
        db->readonly = 1;
    }
    db_header h;
    if ((status = read_header(db, &h)) != SHNOR_OK) {
        return status;
    }
    /* Before anything is written (set_wal would change it). Told apart from
       an older shnor database, which a command that only reads upgrades
       first (SHNOR_DB): an empty file and another program's stay untouched. */
    if (is_foreign(&h)) {
        return foreign_database(db, path, h.appid);
    }
    if (db->readonly) {
        if (h.version == 0 && (flags & SHNOR_OPEN_READONLY)) {
            if (header_after_writers(path, &h) != 0) {
                /* Not "empty": what the writer makes of it is not known yet. */
                return shnor_seterr(db, SHNOR_DB,
                                    "'%s' is still being written by another process (a "
                                    "database being created?) after the busy timeout (%g s); "
                                    "nothing was read; try again when it is done, or raise "
                                    "SHNOR_BUSY_TIMEOUT",
                                    path, busy_timeout_ms() / 1000.0);
            }
            if (is_foreign(&h)) {
                return foreign_database(db, path, h.appid);
            }
        }
        if (h.version == 0) {
            if (!(flags & SHNOR_OPEN_READONLY)) {
                return shnor_seterr(db, SHNOR_IO,
                                    "'%s' is empty and not writable, so no database can be "
                                    "made in it; check its permissions",
                                    path);
            }
            return shnor_seterr(db, SHNOR_IO,
                                "'%s' is not a shnor database (it is empty); create one "
                                "with: shnor --db %s init",
                                path, path);
        }
        int version = h.version;
        if (version > schema_latest) {
            return newer_schema(db, path, version);
        }
        if (version != schema_latest) {
            return shnor_seterr(db, SHNOR_DB,
                                "database '%s' has schema version %d and this shnor needs "
                                "%d; open it once for writing to upgrade it",
                                path, version, schema_latest);
        }
        return SHNOR_OK;
    }
    if ((status = store_exec(db, "PRAGMA synchronous = FULL; "
                                 "PRAGMA journal_size_limit = 67108864")) != SHNOR_OK) {
        return status;
    }
    /* A new file gets its schema before the switch to WAL, which writes page
       1 on its own: a reader finding version 0 in between would call the
       file empty, as header_after_writers waits only for a transaction. */
    if (h.version == 0 && (status = store_migrate_to(db, schema_latest)) != SHNOR_OK) {
        return status;
    }
    /* journal_mode needs no open transaction and persists in the file. */
    if ((status = set_wal(db)) != SHNOR_OK) {
        return status;
    }
    return store_migrate_to(db, schema_latest);
}

void store_close(shnor *db)
{
    for (int i = 0; i < STMT_COUNT; i++) {
        sqlite3_finalize(db->stmts[i]);
        db->stmts[i] = NULL;
    }
    if (db->sql) {
        store_rollback(db);
        sqlite3_close_v2(db->sql);
        db->sql = NULL;
    }
}

int shnor_open(const char *path, unsigned flags, shnor **out)
{
    if (!out) {
        return SHNOR_MISUSE;
    }
    *out = NULL;
    shnor *db = calloc(1, sizeof *db);
    if (!db) {
        return SHNOR_NOMEM;
    }
    sb_init(&db->err);
    *out = db;
    if (!path || !*path) {
        return shnor_seterr(db, SHNOR_MISUSE, "no database path given");
    }
    db->path = strdup(path);
    if (!db->path) {
        return shnor_seterr(db, SHNOR_NOMEM, "out of memory");
    }
    int status = store_open(db, path, flags);
    if (status != SHNOR_OK) {
        store_close(db);
        return status;
    }
    shnor_clearerr(db);
    return SHNOR_OK;
}

void shnor_close(shnor *db)
{
    if (!db) {
        return;
    }
    store_close(db);
    free(db->path);
    sb_free(&db->err);
    free(db);
}

int shnor_schema_version(shnor *db, int *version)
{
    if (!db || !db->sql || !version) {
        return SHNOR_MISUSE;
    }
    return pragma_int(db, "PRAGMA user_version", version);
}
