/*
 * testutil.h — helpers shared by the cmocka suites: temporary directories,
 * files, running the built CLI (SHNOR_BIN) and reading a database directly.
 *
 * Every returned string is malloc'ed; the caller frees it.
 */
#ifndef SHNOR_TESTUTIL_H
#define SHNOR_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* A new empty directory under $TMPDIR (or /tmp). Aborts the test on failure. */
char *tu_tmpdir(void);
/* Removes a directory tree. */
void tu_rmrf(const char *path);
/* dir + "/" + name. */
char *tu_path(const char *dir, const char *name);
/* Writes data to path (creating or truncating); asserts success. */
void tu_write(const char *path, const char *data, size_t len);
void tu_write_str(const char *path, const char *text);
/* Writes text to dir/name and returns that path. */
char *tu_file(const char *dir, const char *name, const char *text);
/* The whole file, NUL-terminated; *len may be NULL. NULL when absent. */
char *tu_read(const char *path, size_t *len);
/* The repository's top directory ($SHNOR_TOP, else "."). Borrowed. */
const char *tu_top(void);
/* A path under the repository's top directory. */
char *tu_top_path(const char *rel);

/*
 * Runs the CLI ($SHNOR_BIN, else build/shnor) with the NULL-terminated
 * arguments, feeding stdin_text (NULL: empty) and capturing stdout and stderr
 * into *out and *err (either may be NULL to discard). Returns the exit status,
 * or 128 + the signal number when it was killed.
 */
int tu_run(const char *stdin_text, char **out, char **err, ...);
int tu_runv(const char *stdin_text, char **out, char **err, char *const *argv);

/*
 * Runs sql on the database file and returns every row, columns joined by '|'
 * and rows by '\n' (NULL prints as ""), like the sqlite3 shell's list mode.
 */
char *tu_sql(const char *dbpath, const char *sql);
/* Member `name` of the zip at path, inflated and NUL-terminated; NULL when
   absent (the caller frees it). */
char *tu_zip_member(const char *path, const char *name);

/*
 * A suite's scratch space: a fresh directory with a database path in it
 * (not created). tu_scratch_setup and tu_scratch_teardown are cmocka group
 * or test fixtures: *state is the tu_scratch.
 */
typedef struct {
    char *dir;
    char *db; /* dir/test.db */
} tu_scratch;
int tu_scratch_setup(void **state);
int tu_scratch_teardown(void **state);

/* Number of lines in text (a last line without '\n' counts). */
int tu_count_lines(const char *text);

#endif
