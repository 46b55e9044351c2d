/*
 * test_store.c — opening, creating, refusing and migrating databases.
 */
#include "testutil.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "schemaInt.h"
#include "store.h"

typedef tu_scratch fixture;

static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fail_msg("%s: %s", sql, msg);
    }
    sqlite3_close(db);
}

static long pragma(shnor *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void test_store_create_sets_schema_and_pragmas(void **state)
{
    fixture *f = *state;
    shnor *db;
    assert_int_equal(shnor_open(f->db, SHNOR_OPEN_CREATE, &db), SHNOR_OK);
    int v = -1;
    assert_int_equal(shnor_schema_version(db, &v), SHNOR_OK);
    assert_int_equal(v, shnor_schema_latest());
    assert_int_equal(pragma(db, "PRAGMA application_id"), STORE_APPLICATION_ID);
    assert_int_equal(pragma(db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(pragma(db, "PRAGMA synchronous"), 2); /* FULL */
    shnor_close(db);
    char *mode = tu_sql(f->db, "PRAGMA journal_mode");
    assert_string_equal(mode, "wal");
    free(mode);
    char *created = tu_sql(f->db, "SELECT value FROM meta WHERE key = 'created_by'");
    assert_string_equal(created, "shnor " SHNOR_VERSION);
    free(created);
}

static void test_store_missing_file_needs_create(void **state)
{
    fixture *f = *state;
    shnor *db;
    assert_int_equal(shnor_open(f->db, 0, &db), SHNOR_IO);
    assert_non_null(strstr(shnor_errmsg(db), "no database at"));
    assert_non_null(strstr(shnor_errmsg(db), "init"));
    shnor_close(db);
    assert_int_equal(access(f->db, F_OK), -1);
}

static void test_store_refuses_newer_schema(void **state)
{
    fixture *f = *state;
    shnor *db;
    assert_int_equal(shnor_open(f->db, SHNOR_OPEN_CREATE, &db), SHNOR_OK);
    shnor_close(db);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", schema_latest + 3);
    raw_exec(f->db, sql);
    assert_int_equal(shnor_open(f->db, 0, &db), SHNOR_SCHEMA);
    char want[64];
    snprintf(want, sizeof want, "schema version %d", schema_latest + 3);
    assert_non_null(strstr(shnor_errmsg(db), want));
    assert_non_null(strstr(shnor_errmsg(db), "newer shnor"));
    shnor_close(db);
    /* and by a reader, which is not told to upgrade it (regression) */
    assert_int_equal(shnor_open(f->db, SHNOR_OPEN_READONLY, &db), SHNOR_SCHEMA);
    assert_non_null(strstr(shnor_errmsg(db), "newer shnor"));
    assert_null(strstr(shnor_errmsg(db), "upgrade"));
    shnor_close(db);
    /* Refusing it changed nothing. */
    char *v = tu_sql(f->db, "PRAGMA user_version");
    assert_int_equal(atoi(v), schema_latest + 3);
    free(v);
}

/* The other program's file made by raw_exec below is as it was: its one
   table, and its journal mode (never switched to WAL). */
static void expect_invoices_untouched(const char *path)
{
    char *mode = tu_sql(path, "PRAGMA journal_mode");
    assert_string_equal(mode, "delete");
    free(mode);
    char *tables = tu_sql(path, "SELECT group_concat(name) FROM sqlite_schema");
    assert_string_equal(tables, "invoices");
    free(tables);
}

static void test_store_refuses_other_programs_database(void **state)
{
    fixture *f = *state;
    raw_exec(f->db, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)");
    shnor *db;
    assert_int_equal(shnor_open(f->db, 0, &db), SHNOR_SCHEMA);
    assert_non_null(strstr(shnor_errmsg(db), "another program"));
    shnor_close(db);
    /* refused before anything was written (regression: switched to WAL) */
    expect_invoices_untouched(f->db);
}

static void test_store_refuses_file_that_is_not_a_database(void **state)
{
    fixture *f = *state;
    tu_write_str(f->db, "code,name\nS1,School\n");
    shnor *db;
    int status = shnor_open(f->db, 0, &db);
    assert_int_equal(status, SHNOR_DB);
    assert_non_null(strstr(shnor_errmsg(db), "not a database"));
    shnor_close(db);
}

/*
 * Every older schema version upgrades to the latest with its data intact:
 * a database is made at version v, given a school, and reopened.
 */
static void test_store_upgrades_every_older_version(void **state)
{
    fixture *f = *state;
    assert_true(schema_latest >= 2);
    for (int v = 1; v < schema_latest; v++) {
        unlink(f->db);
        shnor *db = calloc(1, sizeof *db);
        db->path = strdup(f->db);
        assert_int_equal(sqlite3_open(f->db, &db->sql), SQLITE_OK);
        assert_int_equal(store_migrate_to(db, v), SHNOR_OK);
        assert_int_equal(store_exec(db, "INSERT INTO territories (name) VALUES ('Кедровый');"
                                        "INSERT INTO schools (code, name, territory_id) "
                                        "VALUES ('S1', 'МКОУ СОШ №1', 1);"
                                        "INSERT INTO school_attrs VALUES (1, 'ИСБ', '0,4')"),
                         SHNOR_OK);
        store_close(db);
        free(db->path);
        free(db);
        char *got = tu_sql(f->db, "PRAGMA user_version");
        assert_int_equal(atoi(got), v);
        free(got);

        shnor *h;
        assert_int_equal(shnor_open(f->db, 0, &h), SHNOR_OK);
        int now = 0;
        shnor_schema_version(h, &now);
        assert_int_equal(now, schema_latest);
        shnor_close(h);
        got = tu_sql(f->db, "SELECT code || '|' || name FROM schools");
        assert_string_equal(got, "S1|МКОУ СОШ №1");
        free(got);
        /* 6: the attribute columns from the values kept (a database made at
           6 or later keeps them as it imports, not from a bare INSERT) */
        if (v < 6) {
            got = tu_sql(f->db, "SELECT group_concat(name) FROM attr_columns");
            assert_string_equal(got, "ИСБ");
            free(got);
        }
        /* 7: runs kept before say what evaluated them is not known */
        got = tu_sql(f->db, "SELECT \"notnull\" || dflt_value FROM pragma_table_info('runs') "
                            "WHERE name = 'engine'");
        assert_string_equal(got, "1''");
        free(got);
    }
}

/*
 * Version 4 tells shnor's statuses from people's: an assignment of a version
 * 3 database whose status was ever changed (it has history) is a person's,
 * and only the untouched ones may be withdrawn by a later roadmap.
 */
static void test_store_upgrade_to_4_marks_statuses_people_set(void **state)
{
    fixture *f = *state;
    unlink(f->db);
    shnor *db = calloc(1, sizeof *db);
    db->path = strdup(f->db);
    assert_int_equal(sqlite3_open(f->db, &db->sql), SQLITE_OK);
    assert_int_equal(store_migrate_to(db, 3), SHNOR_OK);
    assert_int_equal(
        store_exec(db, "INSERT INTO activities (pack_id, key, title) VALUES ('p', '1', 'А');"
                       "INSERT INTO assignments (activity_id, owner, period, start, due, "
                       "created_at, created_by) VALUES "
                       "(1, '', '2023', '2023-01-01', '2023-01-31', 'now', 'u'),"
                       "(1, '', '2023', '2023-02-01', '2023-02-28', 'now', 'u'),"
                       "(1, '', '2023', '2023-03-01', '2023-03-31', 'now', 'u');"
                       "UPDATE assignments SET status = 'done' WHERE id = 2;"
                       "UPDATE assignments SET status = 'planned', evidence = 'x' "
                       "WHERE id = 3;"),
        SHNOR_OK);
    store_close(db);
    free(db->path);
    free(db);
    shnor *h;
    assert_int_equal(shnor_open(f->db, 0, &h), SHNOR_OK);
    shnor_close(h);
    char *got = tu_sql(f->db, "SELECT id, status, status_auto FROM assignments ORDER BY id");
    assert_string_equal(got, "1|planned|1\n2|done|0\n3|planned|0");
    free(got);
}

/*
 * A database of an older shnor opened by a command that only reads (runs) is
 * upgraded in place first, as one that writes does (regression: exit 7,
 * "open it once for writing"); the history kept before version 5 has no
 * period, and assignment show says none.
 */
static void test_store_old_database_read_by_a_reading_command(void **state)
{
    fixture *f = *state;
    unlink(f->db);
    shnor *db = calloc(1, sizeof *db);
    db->path = strdup(f->db);
    assert_int_equal(sqlite3_open(f->db, &db->sql), SQLITE_OK);
    assert_int_equal(store_migrate_to(db, 4), SHNOR_OK);
    assert_int_equal(
        store_exec(db, "INSERT INTO activities (pack_id, key, title) VALUES ('p', '1', 'А');"
                       "INSERT INTO assignments (activity_id, owner, period, start, due, "
                       "created_at, created_by) VALUES "
                       "(1, '', '2023', '2023-01-01', '2023-01-31', 'now', 'u');"
                       "UPDATE assignments SET status = 'done', status_by = 'И' WHERE id = 1;"),
        SHNOR_OK);
    store_close(db);
    free(db->path);
    free(db);
    char *out = NULL, *err = NULL;
    assert_int_equal(tu_run(NULL, &out, &err, "--db", f->db, "runs", "--format", "csv", NULL),
                     0);
    free(out);
    free(err);
    char *v = tu_sql(f->db, "PRAGMA user_version");
    assert_int_equal(atoi(v), schema_latest);
    free(v);
    assert_int_equal(tu_run(NULL, &out, &err, "--db", f->db, "assignment", "show", "1",
                            "--format", "csv", NULL),
                     0);
    char *row = strchr(out, '\n') + 1;
    assert_non_null(strstr(row, ",done,,И,,\n")); /* no status date, no period */
    free(out);
    free(err);
}

/*
 * A command that only reads upgrades an older shnor database, and nothing
 * else: an empty file stays empty (regression: it became a version-0 shnor
 * database in WAL mode), another program's database keeps its journal mode
 * and tables, each with its own message and exit status.
 */
static void test_store_reading_command_writes_no_other_file(void **state)
{
    fixture *f = *state;
    unlink(f->db);
    tu_write_str(f->db, "");
    char *err = NULL;
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "runs", NULL), 8);
    assert_non_null(strstr(err, "is not a shnor database (it is empty); create one with: "
                                "shnor --db "));
    free(err);
    struct stat st;
    assert_int_equal(stat(f->db, &st), 0);
    assert_int_equal(st.st_size, 0);
    raw_exec(f->db, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)");
    err = NULL;
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "runs", NULL), 7);
    assert_non_null(strstr(err, "is an SQLite database of another program (application_id 0)"));
    free(err);
    expect_invoices_untouched(f->db);
}

static void test_store_read_only_file_reads_but_refuses_writes(void **state)
{
    fixture *f = *state;
    /* Opened read-only (root ignores file modes, so the flag stands in for a
       read-only file here; store_open treats both the same way). */
    shnor *db;
    assert_int_equal(shnor_open(f->db, SHNOR_OPEN_CREATE, &db), SHNOR_OK);
    shnor_close(db);
    assert_int_equal(shnor_open(f->db, SHNOR_OPEN_READONLY, &db), SHNOR_OK);
    shnor_import_result res;
    int status = shnor_import_buffer(db, SHNOR_IMPORT_INDICATORS, "i.csv",
                                     "code,title,unit,better\nx,X,share,lower\n", 37, NULL, &res);
    assert_int_equal(status, SHNOR_DB);
    assert_non_null(strstr(shnor_errmsg(db), "read-only"));
    shnor_close(db);
    char *n = tu_sql(f->db, "SELECT count(*) FROM indicators");
    assert_string_equal(n, "0");
    free(n);
}

/*
 * Forks a process that opens path, begins a write transaction (running sql
 * in it, when given), and once the parent goes on holds it for hold_ms, then
 * creates the whole schema in it (when make_schema) and commits. Returns when
 * the transaction has begun; the caller waits for the pid.
 */
static pid_t fork_writer(const char *path, const char *sql, int hold_ms, int make_schema)
{
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    pid_t pid = fork();
    if (pid == 0) {
        sqlite3 *other;
        sqlite3_open(path, &other);
        sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (sql) {
            sqlite3_exec(other, sql, NULL, NULL, NULL);
        }
        (void)write(ready[1], "x", 1);
        usleep((useconds_t)hold_ms * 1000);
        for (int v = 0; make_schema && v < schema_latest; v++) {
            for (const char *const *part = schema_migrations[v]; *part; part++) {
                sqlite3_exec(other, *part, NULL, NULL, NULL);
            }
        }
        if (make_schema) {
            char header[96];
            snprintf(header, sizeof header,
                     "PRAGMA user_version = %d; PRAGMA application_id = %d", schema_latest,
                     STORE_APPLICATION_ID);
            sqlite3_exec(other, header, NULL, NULL, NULL);
        }
        sqlite3_exec(other, "COMMIT", NULL, NULL, NULL);
        sqlite3_close(other);
        _exit(0);
    }
    char c;
    assert_int_equal(read(ready[0], &c, 1), 1);
    close(ready[0]);
    close(ready[1]);
    return pid;
}

/* A second process holding the write lock makes the first wait, not fail. */
static void test_store_waits_for_a_writer_instead_of_failing(void **state)
{
    fixture *f = *state;
    shnor *db;
    assert_int_equal(shnor_open(f->db, SHNOR_OPEN_CREATE, &db), SHNOR_OK);
    pid_t pid = fork_writer(f->db, "INSERT INTO meta VALUES ('held', 'yes')", 700, 0);
    const char *csv = "code,title,unit,better\nfail_share,Доля неуспевающих,share,lower\n";
    shnor_import_result res;
    assert_int_equal(shnor_import_buffer(db, SHNOR_IMPORT_INDICATORS, "i.csv", csv,
                                         strlen(csv), NULL, &res),
                     SHNOR_OK);
    assert_int_equal(res.inserted, 1);
    int st;
    waitpid(pid, &st, 0);
    shnor_close(db);
    char *got = tu_sql(f->db, "SELECT (SELECT value FROM meta WHERE key = 'held') || "
                              "(SELECT count(*) FROM indicators)");
    assert_string_equal(got, "yes1");
    free(got);
}

/*
 * Creating a database while another process holds a write transaction on the
 * new file: switching it to WAL needs the exclusive lock, and SQLite answers
 * SQLITE_BUSY there at once instead of calling the busy handler. shnor_open
 * must wait for the other process all the same (several `shnor init` or
 * imports creating one database at once failed with "database is locked").
 */
static void test_store_create_waits_for_a_writer_on_the_new_file(void **state)
{
    fixture *f = *state;
    pid_t pid = fork_writer(f->db, NULL, 400, 0);
    shnor *db;
    int status = shnor_open(f->db, SHNOR_OPEN_CREATE, &db);
    if (status != SHNOR_OK) {
        fail_msg("shnor_open: %s", shnor_errmsg(db));
    }
    assert_int_equal(pragma(db, "PRAGMA user_version"), schema_latest);
    shnor_close(db);
    int st;
    waitpid(pid, &st, 0);
    char *mode = tu_sql(f->db, "PRAGMA journal_mode");
    assert_string_equal(mode, "wal");
    free(mode);
}

/*
 * A command that only reads, started while another process creates the
 * database in a transaction, waits for it and reads the new database
 * (regression: "it is empty; create one with init", exit 8).
 */
static void test_store_reader_waits_for_a_database_being_created(void **state)
{
    fixture *f = *state;
    unlink(f->db);
    pid_t pid = fork_writer(f->db, NULL, 400, 1);
    char *out = NULL, *err = NULL;
    int rc = tu_run(NULL, &out, &err, "--db", f->db, "runs", "--format", "csv", NULL);
    int st;
    waitpid(pid, &st, 0);
    if (rc != 0) {
        fail_msg("runs: exit %d\n%s", rc, err);
    }
    assert_non_null(strstr(out, "id,"));
    assert_int_equal(tu_count_lines(out), 1); /* the header: no run yet */
    free(out);
    free(err);
}

/*
 * A reader that waited its busy timeout for a process still creating the
 * database says so, and does not call the file empty (it is not known yet
 * what the writer makes of it).
 */
static void test_store_reader_says_a_writer_held_the_new_file(void **state)
{
    fixture *f = *state;
    unlink(f->db);
    pid_t pid = fork_writer(f->db, NULL, 1500, 1);
    char *out = NULL, *err = NULL;
    setenv("SHNOR_BUSY_TIMEOUT", "0.2", 1);
    int rc = tu_run(NULL, &out, &err, "--db", f->db, "runs", NULL);
    unsetenv("SHNOR_BUSY_TIMEOUT");
    int st;
    waitpid(pid, &st, 0);
    if (rc != 7 || !strstr(err, "is still being written by another process") ||
        strstr(err, "empty")) {
        fail_msg("runs while the file is created: exit %d\n%s", rc, err);
    }
    free(out);
    free(err);
}

#define T(name) cmocka_unit_test_setup_teardown(name, tu_scratch_setup, tu_scratch_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_store_create_sets_schema_and_pragmas),
        T(test_store_missing_file_needs_create),
        T(test_store_refuses_newer_schema),
        T(test_store_refuses_other_programs_database),
        T(test_store_refuses_file_that_is_not_a_database),
        T(test_store_upgrades_every_older_version),
        T(test_store_upgrade_to_4_marks_statuses_people_set),
        T(test_store_old_database_read_by_a_reading_command),
        T(test_store_reading_command_writes_no_other_file),
        T(test_store_read_only_file_reads_but_refuses_writes),
        T(test_store_waits_for_a_writer_instead_of_failing),
        T(test_store_create_waits_for_a_writer_on_the_new_file),
        T(test_store_reader_waits_for_a_database_being_created),
        T(test_store_reader_says_a_writer_held_the_new_file),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
