/*
 * testproc.h — helpers for the suites that run many shnor processes at once
 * or kill them (test_crash.c, test_concurrency.c, test_dbfail.c): starting
 * the CLI in the background, waiting for it or killing it, deterministic
 * random numbers, and the generated data they import.
 *
 * Every returned string is malloc'ed; the caller frees it.
 */
#ifndef SHNOR_TESTPROC_H
#define SHNOR_TESTPROC_H

#include <stdint.h>
#include <sys/types.h>

/*
 * Starts the CLI ($SHNOR_BIN, else build/shnor) with the NULL-terminated
 * arguments in the background, stdin from /dev/null, stdout and stderr into
 * the file log (NULL: discarded). Returns its pid; aborts the test when it
 * cannot start.
 */
pid_t tp_spawn(const char *log, ...);
pid_t tp_spawnv(const char *log, char *const *argv);
/* As tp_spawnv, as user uid (the caller is root); (uid_t)-1: as the caller. */
pid_t tp_spawnv_as(uid_t uid, const char *log, char *const *argv);

/* Waits for pid: its exit status, or 128 + the signal that ended it. */
int tp_wait(pid_t pid);

/* Sends SIGKILL and waits: the status as tp_wait (137 when the kill landed,
   the exit status when the process had already finished). */
int tp_kill(pid_t pid);

/* Monotonic seconds, and sleeping for a fraction of a second. */
double tp_now(void);
void tp_sleep(double seconds);

/* splitmix64: the next number of the sequence whose state is *s, and a
   double uniform in [0, 1). The same seed gives the same sequence. */
uint64_t tp_rand(uint64_t *s);
double tp_uniform(uint64_t *s);

/* How long processes may take compared with a plain build: 1, or 30 when the
   CLI runs under valgrind ($SHNOR_VALGRIND set). */
double tp_slowdown(void);

/*
 * Generated data: ninds share indicators ind0.. ("code,title,unit,better"),
 * nschools schools S00000.. in 7 territories, and a long-form values file
 * with every school and indicator in period, each value determined by
 * (school, indicator, period, salt). Written to path; returns the number of
 * data rows.
 */
long tp_write_indicators(const char *path, int ninds);
long tp_write_schools(const char *path, int nschools);
long tp_write_values(const char *path, int nschools, int ninds, const char *period,
                     unsigned salt);

/* Imports the demo data of the five regions (scripts/demo/) into db, as make
   demo does; asserts every import succeeds. */
void tp_import_demo(const char *db);

/* Runs the CLI to completion (tu_run) and fails the test, with its output,
   unless it exits 0. */
void tp_must(const char *what, ...);

/* The integer a one-value SQL query returns (tu_sql), asserting it is one. */
long tp_sql_long(const char *db, const char *sql);

#endif
