/*
 * strbuf.h — a growable, always NUL-terminated byte string.
 *
 * Used wherever text is assembled: error messages, CSV and JSON output, SQL
 * parameter lists. A strbuf that ran out of memory stays valid and keeps its
 * old contents; sb_failed() tells, and every later append is a no-op, so a
 * caller checks once at the end.
 */
#ifndef SHNOR_STRBUF_H
#define SHNOR_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

typedef struct {
    char *data; /* NUL-terminated; "" (static) until the first append */
    size_t len;
    size_t cap; /* 0 while data points at the static "" */
    int oom;    /* an allocation failed */
} strbuf;

#define STRBUF_INIT {(char *)"", 0, 0, 0}

void sb_init(strbuf *sb);
/* Frees the buffer and resets it to empty. Accepts an empty strbuf. */
void sb_free(strbuf *sb);
/* Empties the buffer, keeping its memory. */
void sb_reset(strbuf *sb);
/* Makes room for n more bytes; returns 0, or -1 when memory ran out. */
int sb_reserve(strbuf *sb, size_t n);
void sb_append(strbuf *sb, const char *s, size_t n);
void sb_puts(strbuf *sb, const char *s);
void sb_putc(strbuf *sb, char c);
void sb_printf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(strbuf *sb, const char *fmt, va_list ap);
/* Shortens to n bytes (n <= len). */
void sb_truncate(strbuf *sb, size_t n);
int sb_failed(const strbuf *sb);
/* Hands the malloc'ed string to the caller (caller frees) and empties sb.
   Returns NULL when memory ran out. */
char *sb_detach(strbuf *sb);

/* Appends everything left to read from f. 0, or -1 when reading failed or
   memory ran out. */
int sb_read_stream(strbuf *sb, FILE *f);
/* The whole file at path, NUL-terminated, its length in *len (caller
   frees); NULL when it cannot be opened or read, or memory ran out. */
char *sb_read_file(const char *path, size_t *len);
/* The same, refusing a file of more than max bytes (errno EFBIG); errno is
   EIO or ENOMEM when reading failed or memory ran out. */
char *sb_read_file_max(const char *path, size_t max, size_t *len);

#endif
