/*
 * test_dbfail.c — a full disk and a read-only database, through the built
 * binary: each command that cannot write says so clearly (exit 7, "is
 * full" or "read-only", "nothing was written"), the database is exactly as
 * it was (integrity_check ok, the same rows), and once there is room again
 * the same command succeeds.
 *
 * A full disk is a small tmpfs mounted for the test, filled up with a file
 * (root only: without root, or where mounting is not allowed, those tests
 * are skipped and say so). A read-only database is that tmpfs remounted
 * read-only, and a file without write permission opened by an unprivileged
 * user (the CLI is started as "nobody" when the suite runs as root).
 */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testproc.h"

enum { NSCHOOLS = 2000, NINDS = 10, NOBODY = 65534 };

typedef struct {
    char *dir; /* the suite's temporary directory */
    char *mnt; /* the tmpfs mounted in it, or NULL */
    char *db;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = tu_tmpdir();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (f->mnt) {
        umount2(f->mnt, MNT_DETACH);
    }
    tu_rmrf(f->dir);
    free(f->dir);
    free(f->mnt);
    free(f->db);
    free(f);
    return 0;
}

/* Mounts a tmpfs of size (e.g. "4m") at dir/mnt with the database path in
   it, or skips the test when that is not possible here. */
static void small_disk(fixture *f, const char *size)
{
    char opts[64];
    snprintf(opts, sizeof opts, "size=%s,mode=0755", size);
    char *mnt = tu_path(f->dir, "mnt");
    assert_int_equal(mkdir(mnt, 0755), 0);
    if (mount("tmpfs", mnt, "tmpfs", 0, opts) != 0) {
        printf("   skipped: cannot mount a small tmpfs here (%s); run as root\n",
               strerror(errno));
        free(mnt);
        skip();
    }
    f->mnt = mnt;
    f->db = tu_path(mnt, "full.db");
}

/* Fills the tmpfs but for about keep_kb kilobytes. */
static void fill(fixture *f, int keep_kb)
{
    char *slack = tu_path(f->mnt, "slack"), *filler = tu_path(f->mnt, "filler");
    static char block[4096];
    int fd = open(slack, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    for (int i = 0; i < keep_kb / 4; i++) {
        assert_int_equal(write(fd, block, sizeof block), (ssize_t)sizeof block);
    }
    close(fd);
    fd = open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    while (write(fd, block, sizeof block) > 0) {
    }
    assert_int_equal(errno, ENOSPC);
    close(fd);
    assert_int_equal(unlink(slack), 0);
    free(slack);
    free(filler);
}

static void unfill(fixture *f)
{
    char *filler = tu_path(f->mnt, "filler");
    assert_int_equal(unlink(filler), 0);
    free(filler);
}

/* What the database holds, as counts, to compare before and after. */
static char *contents(const char *db)
{
    char *ok = tu_sql(db, "PRAGMA integrity_check");
    assert_string_equal(ok, "ok");
    free(ok);
    return tu_sql(db, "SELECT (SELECT count(*) FROM batches) || ' batches, ' || "
                      "(SELECT count(*) FROM schools) || ' schools, ' || "
                      "(SELECT count(*) FROM observations) || ' values, ' || "
                      "(SELECT count(*) FROM runs) || ' runs, ' || "
                      "(SELECT count(*) FROM run_listings) || ' listed, ' || "
                      "(SELECT count(*) FROM sources) || ' sources, ' || "
                      "(SELECT count(*) FROM assignments) || ' assignments'");
}

/* Runs the CLI; asserts exit 7 and that stderr says what and that nothing was
   written. */
static void expect_refused(const char *what, const char *needle, char *const *argv)
{
    char *out = NULL, *err = NULL;
    int st = tu_runv(NULL, &out, &err, argv);
    if (st != 7 || !strstr(err, needle) || !strstr(err, "nothing")) {
        fail_msg("%s: exit %d (expected 7 saying '%s' and 'nothing'):\n%s\n%s", what, st,
                 needle, out, err);
    }
    free(out);
    free(err);
}

static void base_data(fixture *f, char **values)
{
    char *ind = tu_path(f->dir, "indicators.csv"), *sch = tu_path(f->dir, "schools.csv");
    *values = tu_path(f->dir, "values.csv");
    tp_write_indicators(ind, NINDS);
    tp_write_schools(sch, NSCHOOLS);
    tp_write_values(*values, NSCHOOLS, NINDS, "2023", 1);
    tp_must("init", "--db", f->db, "init", NULL);
    tp_must("indicators", "--db", f->db, "import", "indicators", ind, NULL);
    tp_must("schools", "--db", f->db, "import", "schools", sch, NULL);
    free(ind);
    free(sch);
}

/* The disk fills while an import writes: refused whole, then it goes in. */
static void test_dbfail_disk_full_during_import(void **state)
{
    fixture *f = *state;
    small_disk(f, "4m");
    char *values;
    base_data(f, &values);
    char *before = contents(f->db);
    fill(f, 160);
    char *argv[] = {"--db", f->db, "import", "values", values, NULL};
    expect_refused("import on a full disk", "is full", argv);
    char *after = contents(f->db);
    assert_string_equal(after, before);
    unfill(f);
    tp_must("import with room", "--db", f->db, "import", "values", values, NULL);
    assert_int_equal(tp_sql_long(f->db, "SELECT count(*) FROM observations"),
                     (long)NSCHOOLS * NINDS);
    free(before);
    free(after);
    free(values);
}

/* A disk with no room at all: even opening the database (its WAL index)
   fails, and says the disk is full rather than "I/O error". */
static void test_dbfail_disk_full_when_opening(void **state)
{
    fixture *f = *state;
    small_disk(f, "4m");
    char *values;
    base_data(f, &values);
    char *before = contents(f->db);
    /* the last process to close removes the WAL and its index, so the next
       one has to create them */
    tp_must("init", "--db", f->db, "init", NULL);
    char *shm = tu_path(f->mnt, "full.db-shm");
    assert_int_equal(access(shm, F_OK), -1);
    free(shm);
    fill(f, 0);
    char *argv[] = {"--db", f->db, "import", "values", values, NULL};
    expect_refused("import on a disk without room", "is full", argv);
    unfill(f);
    char *after = contents(f->db);
    assert_string_equal(after, before);
    free(before);
    free(after);
    free(values);
}

/*
 * The disk fills while a year-end run stores its packs: each pack is kept
 * whole or refused with a message naming the full disk (a smaller pack may
 * still fit in the room a refused one freed), the exit status is 7, and
 * with room again every pack is kept.
 */
static void test_dbfail_disk_full_during_run(void **state)
{
    fixture *f = *state;
    small_disk(f, "8m");
    char *rules = tu_top_path("rules");
    tp_must("init", "--db", f->db, "init", NULL);
    tp_import_demo(f->db);
    char *before = contents(f->db);
    fill(f, 160);
    char *out = NULL, *err = NULL;
    int st = tu_run(NULL, &out, &err, "--db", f->db, "run", "--packs", rules,
                    "--apply-roadmaps", NULL);
    if (st != 7) {
        fail_msg("run on a full disk: exit %d, expected 7\n%s\n%s", st, out, err);
    }
    int refused = 0;
    for (char *save = NULL, *line = strtok_r(err, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        if (!strstr(line, "is full") || !strstr(line, "nothing was written")) {
            fail_msg("run on a full disk: '%s' does not say the disk is full", line);
        }
        refused++;
    }
    long kept = tp_sql_long(f->db, "SELECT count(*) FROM runs");
    assert_true(refused >= 1);
    assert_int_equal(kept + refused, 5);
    char summary[128];
    snprintf(summary, sizeof summary, "сохранено запусков: %ld, с ошибкой: %d", kept,
             refused);
    assert_non_null(strstr(out, summary));
    /* what was kept is whole: its roadmap rows, and the assignments they made */
    assert_int_equal(tp_sql_long(f->db,
                                 "SELECT count(*) FROM runs r WHERE r.assignments <> "
                                 "(SELECT count(*) FROM run_roadmap x WHERE x.run_id = "
                                 "r.id)"),
                     0);
    assert_int_equal(
        tp_sql_long(f->db, "SELECT count(*) FROM assignments"),
        tp_sql_long(f->db, "SELECT coalesce(sum(assignments), 0) FROM runs"));
    if (kept == 0) {
        char *after = contents(f->db);
        assert_string_equal(after, before);
        free(after);
    }
    free(out);
    free(err);
    unfill(f);
    tp_must("run with room", "--db", f->db, "run", "--packs", rules, "--apply-roadmaps",
            NULL);
    assert_int_equal(tp_sql_long(f->db, "SELECT count(DISTINCT pack_id) FROM runs"), 5);
    assert_int_equal(tp_sql_long(f->db, "SELECT count(*) FROM runs"), kept + 5);
    free(before);
    free(rules);
}

/* The file system is read-only: writing is refused, reading works. */
static void test_dbfail_read_only_file_system(void **state)
{
    fixture *f = *state;
    small_disk(f, "8m");
    tp_must("init", "--db", f->db, "init", NULL);
    tp_import_demo(f->db);
    char *before = contents(f->db);
    assert_int_equal(mount("tmpfs", f->mnt, "tmpfs", MS_REMOUNT | MS_RDONLY, NULL), 0);
    char *values = tu_top_path("scripts/demo/kedrovy/values.csv");
    char *imp[] = {"--db", f->db, "import", "values", values, NULL};
    expect_refused("import into a read-only file system", "read-only", imp);
    char *rules = tu_top_path("rules");
    char *run[] = {"--db", f->db, "run", "--packs", rules, "--apply-roadmaps", NULL};
    expect_refused("run on a read-only file system", "read-only", run);
    /* reading still works and shows what is there */
    char *out = NULL, *err = NULL;
    assert_int_equal(tu_run(NULL, &out, &err, "--db", f->db, "export", "schools",
                            "--format", "csv", NULL),
                     0);
    assert_int_equal(tu_count_lines(out),
                     tp_sql_long(f->db, "SELECT count(*) FROM schools") + 1);
    free(out);
    free(err);
    char *after = contents(f->db);
    assert_string_equal(after, before);
    free(before);
    free(after);
    free(rules);
    free(values);
}

/* A database file without write permission, opened by its user: writing is
   refused with a message naming the permissions, reading works. */
static void test_dbfail_read_only_file(void **state)
{
    fixture *f = *state;
    f->db = tu_path(f->dir, "ro.db");
    char *values;
    base_data(f, &values);
    char *before = contents(f->db);
    uid_t as = (uid_t)-1;
    if (geteuid() == 0) {
        /* root writes whatever the mode says: run the CLI as "nobody", owner
           of the directory and of the read-only file */
        as = NOBODY;
        assert_int_equal(chmod(f->dir, 0755), 0);
        assert_int_equal(chown(f->dir, NOBODY, NOBODY), 0);
        assert_int_equal(chown(f->db, NOBODY, NOBODY), 0);
        assert_int_equal(chmod(values, 0644), 0);
    }
    assert_int_equal(chmod(f->db, 0444), 0);
    char *log = tu_path(f->dir, "ro.log");
    char *imp[] = {"--db", f->db, "import", "values", values, NULL};
    int st = tp_wait(tp_spawnv_as(as, log, imp));
    char *text = tu_read(log, NULL);
    if (st != 7 || !strstr(text, "read-only") || !strstr(text, "nothing")) {
        fail_msg("import into a read-only file: exit %d (expected 7)\n%s", st, text);
    }
    free(text);
    char *exp[] = {"--db", f->db, "export", "schools", NULL};
    assert_int_equal(tp_wait(tp_spawnv_as(as, log, exp)), 0);
    text = tu_read(log, NULL);
    assert_int_equal(tu_count_lines(text), NSCHOOLS + 1);
    free(text);
    char *after = contents(f->db);
    assert_string_equal(after, before);
    chmod(f->db, 0644);
    free(before);
    free(after);
    free(log);
    free(values);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dbfail_disk_full_during_import, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_dbfail_disk_full_when_opening, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_dbfail_disk_full_during_run, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_dbfail_read_only_file_system, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_dbfail_read_only_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
