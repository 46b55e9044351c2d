/*
 * testproc.c — background CLI processes, kills, seeds and generated data for
 * the reliability suites (see testproc.h).
 */
#include "testproc.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

static const char *cli_path(void)
{
    const char *b = getenv("SHNOR_BIN");
    return b && *b ? b : "build/shnor";
}

pid_t tp_spawnv(const char *log, char *const *argv)
{
    return tp_spawnv_as((uid_t)-1, log, argv);
}

pid_t tp_spawnv_as(uid_t uid, const char *log, char *const *argv)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (uid != (uid_t)-1 &&
            (setgroups(0, NULL) != 0 || setgid(uid) != 0 || setuid(uid) != 0)) {
            _exit(125);
        }
        int in = open("/dev/null", O_RDONLY);
        int out = log ? open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644)
                      : open("/dev/null", O_WRONLY);
        if (in < 0 || out < 0) {
            _exit(126);
        }
        dup2(in, 0);
        dup2(out, 1);
        dup2(out, 2);
        close(in);
        close(out);
        size_t argc = 0;
        while (argv[argc]) {
            argc++;
        }
        char **args = calloc(argc + 2, sizeof *args);
        if (!args) {
            _exit(126);
        }
        args[0] = (char *)cli_path();
        for (size_t i = 0; i < argc; i++) {
            args[i + 1] = argv[i];
        }
        execv(args[0], args);
        fprintf(stderr, "exec %s: %s\n", args[0], strerror(errno));
        _exit(127);
    }
    return pid;
}

pid_t tp_spawn(const char *log, ...)
{
    char *argv[64];
    size_t n = 0;
    va_list ap;
    va_start(ap, log);
    const char *a;
    while ((a = va_arg(ap, const char *)) != NULL && n < 63) {
        argv[n++] = (char *)a;
    }
    va_end(ap);
    argv[n] = NULL;
    return tp_spawnv(log, argv);
}

int tp_wait(pid_t pid)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fail_msg("waitpid %d: %s", (int)pid, strerror(errno));
        }
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

int tp_kill(pid_t pid)
{
    kill(pid, SIGKILL);
    return tp_wait(pid);
}

double tp_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void tp_sleep(double seconds)
{
    if (seconds <= 0) {
        return;
    }
    struct timespec t = {(time_t)seconds,
                         (long)((seconds - (double)(time_t)seconds) * 1e9)};
    while (nanosleep(&t, &t) < 0 && errno == EINTR) {
    }
}

uint64_t tp_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

double tp_uniform(uint64_t *s)
{
    return (double)(tp_rand(s) >> 11) / 9007199254740992.0;
}

double tp_slowdown(void)
{
    const char *v = getenv("SHNOR_VALGRIND");
    return v && *v ? 30.0 : 1.0;
}

static FILE *open_out(const char *path)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    return f;
}

long tp_write_indicators(const char *path, int ninds)
{
    FILE *f = open_out(path);
    fputs("code,title,unit,better\n", f);
    for (int i = 0; i < ninds; i++) {
        fprintf(f, "ind%d,Показатель %d,share,lower\n", i, i);
    }
    assert_int_equal(fclose(f), 0);
    return ninds;
}

long tp_write_schools(const char *path, int nschools)
{
    FILE *f = open_out(path);
    fputs("code,name,territory\n", f);
    for (int s = 0; s < nschools; s++) {
        fprintf(f, "S%05d,МКОУ «СОШ №%d»,Район %d\n", s, s + 1, s % 7 + 1);
    }
    assert_int_equal(fclose(f), 0);
    return nschools;
}

long tp_write_values(const char *path, int nschools, int ninds, const char *period,
                     unsigned salt)
{
    FILE *f = open_out(path);
    uint64_t seed = salt;
    for (const char *c = period; *c; c++) {
        seed = seed * 131 + (unsigned char)*c;
    }
    fputs("school,indicator,period,value\n", f);
    long n = 0;
    for (int s = 0; s < nschools; s++) {
        for (int i = 0; i < ninds; i++) {
            fprintf(f, "S%05d,ind%d,%s,0.%03d\n", s, i, period,
                    (int)(tp_rand(&seed) % 1000));
            n++;
        }
    }
    assert_int_equal(fclose(f), 0);
    return n;
}

long tp_sql_long(const char *db, const char *sql)
{
    char *out = tu_sql(db, sql);
    char *end = NULL;
    long v = strtol(out, &end, 10);
    if (!out[0] || *end) {
        fail_msg("%s: expected one integer, got '%s'", sql, out);
    }
    free(out);
    return v;
}

void tp_must(const char *what, ...)
{
    char *argv[64];
    size_t n = 0;
    va_list ap;
    va_start(ap, what);
    const char *a;
    while ((a = va_arg(ap, const char *)) != NULL && n < 63) {
        argv[n++] = (char *)a;
    }
    va_end(ap);
    argv[n] = NULL;
    char *out = NULL, *err = NULL;
    int st = tu_runv(NULL, &out, &err, argv);
    if (st != 0) {
        fail_msg("%s: exit %d\n%s\n%s", what, st, out, err);
    }
    free(out);
    free(err);
}

void tp_import_demo(const char *db)
{
    static const char *const regions[] = {"sergokala", "kedrovy", "turochak",
                                          "georgievsk", "malokarachaevsky"};
    static const char *const kinds[] = {"schools", "values", "listings"};
    char *path = tu_top_path("scripts/demo/indicators.csv");
    tp_must("init", "--db", db, "init", NULL);
    tp_must("import indicators", "--db", db, "import", "indicators", path, NULL);
    free(path);
    for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++) {
        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
            char rel[128];
            snprintf(rel, sizeof rel, "scripts/demo/%s/%s.csv", regions[i], kinds[k]);
            path = tu_top_path(rel);
            if (access(path, R_OK) == 0) {
                tp_must(rel, "--db", db, "import", kinds[k], path, NULL);
            }
            free(path);
        }
    }
}
