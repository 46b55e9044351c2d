/*
 * testutil.c — shared test helpers (see testutil.h).
 */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "strbuf.h"

char *tu_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base) {
        base = "/tmp";
    }
    size_t n = strlen(base) + 32;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/shnor-test-XXXXXX", base);
    assert_non_null(mkdtemp(p));
    return p;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void tu_rmrf(const char *path)
{
    if (path) {
        nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    }
}

char *tu_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

char *tu_file(const char *dir, const char *name, const char *text)
{
    char *p = tu_path(dir, name);
    tu_write_str(p, text);
    return p;
}

int tu_scratch_setup(void **state)
{
    tu_scratch *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->dir = tu_tmpdir();
    s->db = tu_path(s->dir, "test.db");
    *state = s;
    return 0;
}

int tu_scratch_teardown(void **state)
{
    tu_scratch *s = *state;
    chmod(s->dir, 0700); /* a test may have made it read-only */
    tu_rmrf(s->dir);
    free(s->dir);
    free(s->db);
    free(s);
    return 0;
}

void tu_write(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

void tu_write_str(const char *path, const char *text)
{
    tu_write(path, text, strlen(text));
}

char *tu_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    strbuf sb = STRBUF_INIT;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        sb_append(&sb, buf, n);
    }
    fclose(f);
    if (len) {
        *len = sb.len;
    }
    return sb_detach(&sb);
}

const char *tu_top(void)
{
    const char *t = getenv("SHNOR_TOP");
    return t && *t ? t : ".";
}

char *tu_top_path(const char *rel)
{
    return tu_path(tu_top(), rel);
}

static const char *cli_path(void)
{
    const char *b = getenv("SHNOR_BIN");
    return b && *b ? b : "build/shnor";
}

int tu_runv(const char *stdin_text, char **out, char **err, char *const *argv)
{
    int pin[2], pout[2], perr[2];
    assert_int_equal(pipe(pin), 0);
    assert_int_equal(pipe(pout), 0);
    assert_int_equal(pipe(perr), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(pin[0], 0);
        dup2(pout[1], 1);
        dup2(perr[1], 2);
        close(pin[0]);
        close(pin[1]);
        close(pout[0]);
        close(pout[1]);
        close(perr[0]);
        close(perr[1]);
        size_t argc = 0;
        while (argv[argc]) {
            argc++;
        }
        char **args = calloc(argc + 2, sizeof *args);
        args[0] = (char *)cli_path();
        for (size_t i = 0; i < argc; i++) {
            args[i + 1] = argv[i];
        }
        execv(args[0], args);
        fprintf(stderr, "exec %s: %s\n", args[0], strerror(errno));
        _exit(127);
    }
    close(pin[0]);
    close(pout[1]);
    close(perr[1]);
    const char *in = stdin_text ? stdin_text : "";
    size_t inlen = strlen(in), inoff = 0;
    if (inlen == 0) {
        close(pin[1]);
        pin[1] = -1;
    } else {
        fcntl(pin[1], F_SETFL, O_NONBLOCK);
    }
    strbuf so = STRBUF_INIT, se = STRBUF_INIT;
    int open_out = 1, open_err = 1;
    signal(SIGPIPE, SIG_IGN);
    while (open_out || open_err) {
        struct pollfd fds[3];
        int nf = 0;
        fds[nf++] = (struct pollfd){.fd = open_out ? pout[0] : -1, .events = POLLIN};
        fds[nf++] = (struct pollfd){.fd = open_err ? perr[0] : -1, .events = POLLIN};
        fds[nf++] = (struct pollfd){.fd = pin[1], .events = POLLOUT};
        if (poll(fds, (nfds_t)nf, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        char buf[65536];
        if (fds[0].revents) {
            ssize_t r = read(pout[0], buf, sizeof buf);
            if (r > 0) {
                sb_append(&so, buf, (size_t)r);
            } else {
                open_out = 0;
            }
        }
        if (fds[1].revents) {
            ssize_t r = read(perr[0], buf, sizeof buf);
            if (r > 0) {
                sb_append(&se, buf, (size_t)r);
            } else {
                open_err = 0;
            }
        }
        if (pin[1] >= 0 && fds[2].revents) {
            ssize_t w = write(pin[1], in + inoff, inlen - inoff);
            if (w > 0) {
                inoff += (size_t)w;
            }
            if (w < 0 || inoff == inlen) {
                close(pin[1]);
                pin[1] = -1;
            }
        }
    }
    if (pin[1] >= 0) {
        close(pin[1]);
    }
    close(pout[0]);
    close(perr[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (out) {
        *out = sb_detach(&so);
    } else {
        sb_free(&so);
    }
    if (err) {
        *err = sb_detach(&se);
    } else {
        sb_free(&se);
    }
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return WEXITSTATUS(status);
}

int tu_run(const char *stdin_text, char **out, char **err, ...)
{
    char *argv[128];
    size_t n = 0;
    va_list ap;
    va_start(ap, err);
    const char *a;
    while ((a = va_arg(ap, const char *)) != NULL && n < 127) {
        argv[n++] = (char *)a;
    }
    va_end(ap);
    argv[n] = NULL;
    return tu_runv(stdin_text, out, err, argv);
}

char *tu_sql(const char *dbpath, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    strbuf sb = STRBUF_INIT;
    const char *tail = sql;
    while (tail && *tail) {
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(db, tail, -1, &st, &tail);
        if (rc != SQLITE_OK) {
            fail_msg("tu_sql: %s: %s", sql, sqlite3_errmsg(db));
        }
        if (!st) {
            break;
        }
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (sb.len) {
                sb_putc(&sb, '\n');
            }
            int nc = sqlite3_column_count(st);
            for (int i = 0; i < nc; i++) {
                if (i) {
                    sb_putc(&sb, '|');
                }
                const unsigned char *t = sqlite3_column_text(st, i);
                if (t) {
                    sb_puts(&sb, (const char *)t);
                }
            }
        }
        if (rc != SQLITE_DONE) {
            fail_msg("tu_sql: %s: %s", sql, sqlite3_errmsg(db));
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return sb_detach(&sb);
}

int tu_count_lines(const char *text)
{
    int n = 0;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        n++;
        if (!nl) {
            break;
        }
        p = nl + 1;
    }
    return n;
}

/* ---- zip members (a workbook's XML) ---- */

static unsigned rd16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static unsigned long rd32(const unsigned char *p)
{
    return (unsigned long)rd16(p) | (unsigned long)rd16(p + 2) << 16;
}

char *tu_zip_member(const char *path, const char *name)
{
    size_t len = 0;
    unsigned char *z = (unsigned char *)tu_read(path, &len);
    assert_non_null(z);
    assert_true(len > 22);
    size_t eocd = len - 22;
    while (eocd > 0 && rd32(z + eocd) != 0x06054b50UL) {
        eocd--;
    }
    assert_int_equal(rd32(z + eocd), 0x06054b50UL);
    unsigned entries = rd16(z + eocd + 10);
    size_t p = rd32(z + eocd + 16);
    char *out = NULL;
    for (unsigned i = 0; i < entries && !out; i++) {
        assert_int_equal(rd32(z + p), 0x02014b50UL);
        unsigned method = rd16(z + p + 10);
        unsigned long csize = rd32(z + p + 20), usize = rd32(z + p + 24);
        unsigned nlen = rd16(z + p + 28), elen = rd16(z + p + 30),
                 clen = rd16(z + p + 32);
        unsigned long local = rd32(z + p + 42);
        if (nlen == strlen(name) && memcmp(z + p + 46, name, nlen) == 0) {
            const unsigned char *data =
                z + local + 30 + rd16(z + local + 26) + rd16(z + local + 28);
            out = malloc(usize + 1);
            assert_non_null(out);
            if (method == 0) {
                memcpy(out, data, usize);
            } else {
                assert_int_equal(method, 8);
                z_stream zs;
                memset(&zs, 0, sizeof zs);
                assert_int_equal(inflateInit2(&zs, -MAX_WBITS), Z_OK);
                zs.next_in = (unsigned char *)data;
                zs.avail_in = (uInt)csize;
                zs.next_out = (unsigned char *)out;
                zs.avail_out = (uInt)usize;
                assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
                assert_int_equal(zs.total_out, usize);
                inflateEnd(&zs);
            }
            out[usize] = '\0';
        }
        p += 46 + nlen + elen + clen;
    }
    free(z);
    return out;
}
