/*
 * strbuf.c — growable strings (see strbuf.h).
 *
 * Invariants: data[len] == '\0'; cap == 0 exactly when data is the static
 * empty string; once oom is set nothing is appended any more.
 */
#include "strbuf.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char empty[1];

void sb_init(strbuf *sb)
{
    sb->data = empty;
    sb->len = 0;
    sb->cap = 0;
    sb->oom = 0;
}

void sb_free(strbuf *sb)
{
    if (sb->cap) {
        free(sb->data);
    }
    sb_init(sb);
}

void sb_reset(strbuf *sb)
{
    /* A strbuf that never grew points at a (possibly read-only) "": leave it. */
    sb->len = 0;
    if (sb->cap) {
        sb->data[0] = '\0';
    } else {
        sb->data = empty;
    }
    sb->oom = 0;
}

int sb_reserve(strbuf *sb, size_t n)
{
    if (sb->oom) {
        return -1;
    }
    if (sb->len + n + 1 <= sb->cap) {
        return 0;
    }
    size_t want = sb->cap ? sb->cap : 64;
    while (want < sb->len + n + 1) {
        if (want > ((size_t)-1) / 2) {
            sb->oom = 1;
            return -1;
        }
        want *= 2;
    }
    char *p = sb->cap ? realloc(sb->data, want) : malloc(want);
    if (!p) {
        sb->oom = 1;
        return -1;
    }
    if (!sb->cap) {
        p[0] = '\0';
    }
    sb->data = p;
    sb->cap = want;
    return 0;
}

void sb_append(strbuf *sb, const char *s, size_t n)
{
    if (n == 0 || sb_reserve(sb, n) < 0) {
        return;
    }
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void sb_puts(strbuf *sb, const char *s)
{
    sb_append(sb, s, strlen(s));
}

void sb_putc(strbuf *sb, char c)
{
    sb_append(sb, &c, 1);
}

void sb_vprintf(strbuf *sb, const char *fmt, va_list ap)
{
    if (sb->oom) {
        return;
    }
    va_list copy;
    va_copy(copy, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, copy);
    va_end(copy);
    if (n < 0) {
        return;
    }
    if ((size_t)n < sizeof small) {
        sb_append(sb, small, (size_t)n);
        return;
    }
    if (sb_reserve(sb, (size_t)n) < 0) {
        return;
    }
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void sb_printf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(sb, fmt, ap);
    va_end(ap);
}

void sb_truncate(strbuf *sb, size_t n)
{
    if (n < sb->len) {
        sb->len = n;
        sb->data[n] = '\0';
    }
}

int sb_failed(const strbuf *sb)
{
    return sb->oom;
}

char *sb_detach(strbuf *sb)
{
    char *p;
    if (sb->oom) {
        sb_free(sb);
        return NULL;
    }
    if (sb->cap) {
        p = sb->data;
    } else {
        p = malloc(1);
        if (p) {
            p[0] = '\0';
        }
    }
    sb_init(sb);
    return p;
}

int sb_read_stream(strbuf *sb, FILE *f)
{
    char buf[16384];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        sb_append(sb, buf, n);
    }
    return ferror(f) || sb_failed(sb) ? -1 : 0;
}

char *sb_read_file(const char *path, size_t *len)
{
    return sb_read_file_max(path, SIZE_MAX, len);
}

char *sb_read_file_max(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    strbuf sb = STRBUF_INIT;
    char buf[16384];
    size_t n;
    int bad = 0;
    errno = 0;
    /* read in pieces, not by the size the file says: /dev/zero says 0 */
    while (!bad && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (n > max || sb.len > max - n) {
            bad = EFBIG;
        } else {
            sb_append(&sb, buf, n);
        }
    }
    if (!bad && (ferror(f) || sb_failed(&sb))) {
        /* the reason reading failed ("Is a directory"), else a generic one */
        bad = ferror(f) ? (errno ? errno : EIO) : ENOMEM;
    }
    fclose(f);
    if (bad) {
        sb_free(&sb);
        errno = bad;
        return NULL;
    }
    *len = sb.len;
    return sb_detach(&sb);
}
