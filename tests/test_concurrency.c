/*
 * test_concurrency.c — two and four shnor processes at once on one database:
 * creating it, importing, year-end runs and reading, all started together.
 * None may fail (in particular not with "database is locked": the store
 * waits for a writer with its busy timeout and writes in BEGIN IMMEDIATE
 * transactions), and nothing may be lost: the counts afterwards are what the
 * same work done one process at a time gives.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shnor.h"
#include "testproc.h"

enum { NSCHOOLS = 1500, NINDS = 8, MAXP = 8 };

typedef struct {
    char *dir;
    char *db;
    char *rules;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = tu_tmpdir();
    f->db = tu_path(f->dir, "shared.db");
    f->rules = tu_top_path("rules");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    tu_rmrf(f->dir);
    free(f->dir);
    free(f->db);
    free(f->rules);
    free(f);
    return 0;
}

/* A background process and its log. */
typedef struct {
    pid_t pid;
    char *log;
    const char *what;
} job;

static void start(fixture *f, job *j, const char *what, int k, char *const *argv)
{
    char name[64];
    snprintf(name, sizeof name, "job-%s-%d.log", what, k);
    j->log = tu_path(f->dir, name);
    j->what = what;
    j->pid = tp_spawnv(j->log, argv);
}

/* Waits for every job; each must exit 0 and never mention a lock. */
static void finish(job *jobs, int n)
{
    for (int i = 0; i < n; i++) {
        int st = tp_wait(jobs[i].pid);
        char *log = tu_read(jobs[i].log, NULL);
        if (st != 0 || strstr(log, "locked")) {
            fail_msg("%s (job %d of %d) exit %d:\n%s", jobs[i].what, i + 1, n, st, log);
        }
        free(log);
        free(jobs[i].log);
        jobs[i].log = NULL;
    }
}

static void base_data(fixture *f)
{
    char *ind = tu_path(f->dir, "indicators.csv"), *sch = tu_path(f->dir, "schools.csv");
    tp_write_indicators(ind, NINDS);
    tp_write_schools(sch, NSCHOOLS);
    tp_must("indicators", "--db", f->db, "import", "indicators", ind, NULL);
    tp_must("schools", "--db", f->db, "import", "schools", sch, NULL);
    free(ind);
    free(sch);
}

/*
 * n processes create the same new database at once, then import the same
 * file at once. Switching a new file to WAL is where two of them collided
 * (SQLite answers SQLITE_BUSY without waiting there), so many rounds.
 */
static void test_concurrency_create_at_once(void **state)
{
    fixture *f = *state;
    char *ind = tu_path(f->dir, "indicators.csv");
    tp_write_indicators(ind, NINDS);
    /* under valgrind the processes hardly overlap in the same way: fewer */
    int rounds = tp_slowdown() > 1 ? 3 : 20;
    for (int round = 0; round < rounds; round++) {
        for (int n = 2; n <= 4; n += 2) {
            char db[64];
            snprintf(db, sizeof db, "fresh-%d-%d.db", round, n);
            char *path = tu_path(f->dir, db);
            job jobs[MAXP];
            for (int k = 0; k < n; k++) {
                char *argv[] = {"--db", path, "init", NULL};
                start(f, &jobs[k], "init", k, argv);
            }
            finish(jobs, n);
            for (int k = 0; k < n; k++) {
                char *argv[] = {"--db", path, "import", "indicators", ind, NULL};
                start(f, &jobs[k], "import indicators", k, argv);
            }
            finish(jobs, n);
            assert_int_equal(tp_sql_long(path, "PRAGMA user_version"),
                             shnor_schema_latest());
            assert_int_equal(tp_sql_long(path, "SELECT count(*) FROM indicators"), NINDS);
            /* One batch changed things; the others found them unchanged. */
            assert_int_equal(
                tp_sql_long(path, "SELECT count(*) FROM batches WHERE inserted > 0"), 1);
            free(path);
        }
    }
    free(ind);
}

/* n importers of different files at once: every file is there whole. */
static void import_at_once(fixture *f, int n, int round)
{
    job jobs[MAXP];
    char *files[MAXP];
    long rows = 0;
    for (int k = 0; k < n; k++) {
        char name[64], period[16];
        snprintf(name, sizeof name, "values-%d-%d.csv", round, k);
        snprintf(period, sizeof period, "%d", 2000 + round * 10 + k);
        files[k] = tu_path(f->dir, name);
        rows = tp_write_values(files[k], NSCHOOLS, NINDS, period, (unsigned)k);
    }
    for (int k = 0; k < n; k++) {
        char *argv[] = {"--db", f->db, "import", "values", files[k], NULL};
        start(f, &jobs[k], "import values", k, argv);
    }
    finish(jobs, n);
    for (int k = 0; k < n; k++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM observations WHERE period = '%d'",
                 2000 + round * 10 + k);
        assert_int_equal(tp_sql_long(f->db, sql), rows);
        free(files[k]);
    }
}

static void test_concurrency_imports(void **state)
{
    fixture *f = *state;
    tp_must("init", "--db", f->db, "init", NULL);
    base_data(f);
    int files = 0;
    for (int round = 0; round < 4; round++) {
        int n = round < 2 ? 2 : 4;
        import_at_once(f, n, round);
        files += n;
    }
    assert_int_equal(
        tp_sql_long(f->db, "SELECT count(*) FROM batches WHERE kind = 'values'"), files);
    assert_int_equal(tp_sql_long(f->db, "SELECT count(*) FROM observations"),
                     (long)files * NSCHOOLS * NINDS);
    /* The same registers and new territories from four processes at once. */
    job jobs[MAXP];
    for (int k = 0; k < 4; k++) {
        char name[32];
        snprintf(name, sizeof name, "reg-%d.csv", k);
        char *path = tu_path(f->dir, name);
        FILE *out = fopen(path, "w");
        assert_non_null(out);
        fputs("code,name,territory,region\n", out);
        for (int s = 0; s < 200; s++) {
            fprintf(out, "N%d-%03d,Новая школа %d,Новый район %d,Новый регион\n", k, s, s,
                    s % 5);
        }
        fclose(out);
        char *argv[] = {"--db", f->db, "import", "schools", path, NULL};
        start(f, &jobs[k], "import schools", k, argv);
        free(path);
    }
    finish(jobs, 4);
    assert_int_equal(
        tp_sql_long(f->db, "SELECT count(*) FROM schools WHERE code LIKE 'N%'"), 800);
    assert_int_equal(
        tp_sql_long(f->db,
                    "SELECT count(*) FROM territories WHERE name LIKE 'Новый район %'"),
        5);
}

static const char *run_signature_sql =
    "SELECT r.pack_id || ' ' || r.period || ' ' || r.listed || ' ' || r.assignments || ' "
    "' || "
    "(SELECT count(*) FROM run_listings x WHERE x.run_id = r.id) || ' ' || "
    "(SELECT count(*) FROM run_targets x WHERE x.run_id = r.id) || ' ' || "
    "(SELECT count(*) FROM run_roadmap x WHERE x.run_id = r.id) "
    "FROM runs r ORDER BY r.pack_id, r.id";

/* The signature lines of one uninterrupted run, each repeated n times. */
static char *repeated(const char *one, int n)
{
    size_t len = strlen(one);
    char *out = calloc(1, (len + 1) * (size_t)n * 6 + 1);
    char *copy = strdup(one);
    for (char *save = NULL, *line = strtok_r(copy, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        for (int i = 0; i < n; i++) {
            if (*out) {
                strcat(out, "\n");
            }
            strcat(out, line);
        }
    }
    free(copy);
    return out;
}

/* n year-end runs of the five packs at once, with readers alongside. */
static void runs_at_once(fixture *f, int n)
{
    char *db = f->db;
    job jobs[2 * MAXP];
    int nj = 0;
    for (int k = 0; k < n; k++) {
        char *argv[] = {"--db", db, "run", "--packs", f->rules, "--apply-roadmaps", NULL};
        start(f, &jobs[nj++], "run", k, argv);
    }
    char *pack = tu_path(f->rules, "georgievsk.lua");
    char *readers[4][12] = {
        {"--db", db, "runs", NULL},
        {"--db", db, "list", "--pack", pack, "--period", "2023", "--explain", NULL},
        {"--db", db, "export", "values", "--format", "csv", NULL},
        {"--db", db, "assignments", "--overdue", "--as-of", "2023-06-01", NULL},
    };
    for (int k = 0; k < n; k++) {
        start(f, &jobs[nj++], "read", k, readers[k % 4]);
    }
    finish(jobs, nj);
    free(pack);
}

static void test_concurrency_runs_and_reads(void **state)
{
    fixture *f = *state;
    tp_must("init", "--db", f->db, "init", NULL);
    tp_import_demo(f->db);
    char *ref = tu_path(f->dir, "ref.db");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", f->db, ref);
    assert_int_equal(system(cmd), 0);
    tp_must("reference run", "--db", ref, "run", "--packs", f->rules, "--apply-roadmaps",
            NULL);
    char *one = tu_sql(ref, run_signature_sql);
    long assignments = tp_sql_long(ref, "SELECT count(*) FROM assignments");

    runs_at_once(f, 2);
    runs_at_once(f, 4);
    char *want = repeated(one, 6), *got = tu_sql(f->db, run_signature_sql);
    assert_string_equal(got, want);
    /* Six runs applied the same roadmaps: each assignment exists once. */
    assert_int_equal(tp_sql_long(f->db, "SELECT count(*) FROM assignments"), assignments);
    char *r = tu_sql(f->db, "PRAGMA integrity_check");
    assert_string_equal(r, "ok");
    free(r);
    free(got);
    free(want);
    free(one);
    free(ref);
}

/* Importers, a year-end run and readers, four processes at once. */
static void test_concurrency_mixed(void **state)
{
    fixture *f = *state;
    tp_must("init", "--db", f->db, "init", NULL);
    tp_import_demo(f->db);
    base_data(f);
    long before = tp_sql_long(f->db, "SELECT count(*) FROM observations");
    for (int round = 0; round < 3; round++) {
        char *v1 = tu_path(f->dir, "m1.csv"), *v2 = tu_path(f->dir, "m2.csv");
        char p1[16], p2[16];
        snprintf(p1, sizeof p1, "%d", 1950 + 2 * round);
        snprintf(p2, sizeof p2, "%d", 1951 + 2 * round);
        long rows = tp_write_values(v1, NSCHOOLS, NINDS, p1, 1);
        tp_write_values(v2, NSCHOOLS, NINDS, p2, 2);
        job jobs[4];
        char *a1[] = {"--db", f->db, "import", "values", v1, NULL};
        char *a2[] = {"--db", f->db, "run", "--packs", f->rules, NULL};
        char *a3[] = {"--db", f->db, "import", "values", v2, NULL};
        char *a4[] = {"--db", f->db, "export", "values", NULL};
        start(f, &jobs[0], "import", 0, a1);
        start(f, &jobs[1], "run", 1, a2);
        start(f, &jobs[2], "import", 2, a3);
        start(f, &jobs[3], "export", 3, a4);
        finish(jobs, 4);
        before += 2 * rows;
        assert_int_equal(tp_sql_long(f->db, "SELECT count(*) FROM observations"), before);
        free(v1);
        free(v2);
    }
    assert_int_equal(tp_sql_long(f->db, "SELECT count(*) FROM runs"), 15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_concurrency_create_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrency_imports, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrency_runs_and_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrency_mixed, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
