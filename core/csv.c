/*
 * csv.c — splitting delimited text into records, in place (see csv.h).
 *
 * The reader owns the text and rewrites it as it goes: each field is
 * unquoted where it lies (doubled quotes are moved down over the second
 * quote) and NUL-terminated over the separator, line end or closing quote
 * that followed it. Reading therefore allocates only the three field arrays,
 * which grow to the widest record and are reused. Scanning is one table
 * lookup per byte with no calls.
 *
 * Decisions the header leaves open:
 *   - Text after a closing quote and before the separator is an error
 *     ("Школа "Лицей"" would otherwise read as Школа Лицей"", changed
 *     without a word); spaces and tabs there are kept.
 *   - A field is quoted only when the quote is its first byte: ' "a,b"' is
 *     two unquoted fields ' "a' and 'b"'. Spaces are never trimmed.
 *   - Line ends inside quoted fields are kept byte for byte (LF, CRLF or CR)
 *     and count as lines for line numbers, like the record ends.
 *   - A UTF-8 byte-order mark at the very start is skipped, and so is a first
 *     line "sep=;" (Excel's hint of the separator, which people add so that
 *     a double click splits the columns): it names the separator unless one
 *     was given.
 *   - A NUL byte before the end of the text is field text (encoding.c
 *     rejects such files before they get here).
 *   - Detection skips lines of spaces only. A quote opens a quoted section
 *     only at the start of the line or right after ';' ',' or tab, since the
 *     separator is not known yet. A line of separators only (";;;") decides.
 *   - sep '"', CR or LF cannot separate fields; they are taken as 0 (detect).
 *     Any other byte, such as '|', is used as given.
 *   - After an error csv_next keeps returning -1 with the same message (the
 *     text is half rewritten by then).
 *
 * Invariants, between calls:
 *   1. data <= p <= end = data + len, and *end == '\0'.
 *   2. p is at the start of a record, or at end.
 *   3. line is the line (from 1) on which p lies.
 *   4. cls[c] has STOP_U for sep, CR, LF and NUL, STOP_Q for '"', CR, LF and
 *      NUL, and nothing else.
 *   5. fields, lens and lines each have room for cap entries.
 */
#include "csv.h"
#include "textwidth.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { STOP_U = 1, STOP_Q = 2 };

struct csv_reader {
    char *data;      /* owned, malloc'ed; data[len] == '\0' */
    char *p;         /* next byte to read */
    char *end;       /* data + len */
    long line;       /* line of *p */
    long first_line; /* line of the first record (2 after "sep=;") */
    char failed[256]; /* the message of the error that stopped reading, or "" */
    long failed_line;   /* where that error is: the line and the field (from 1) */
    size_t failed_field;
    char sep;
    size_t cap; /* entries in fields, lens and lines */
    char **fields;
    size_t *lens;
    long *lines;
    unsigned char cls[256];
};

/* Counts the ';', ',' and tab separators of the line at p (quoted fields,
   line breaks in them too, are skipped) into n[0..2]; returns where the next
   line starts. */
static const char *count_seps(const char *p, const char *end, size_t n[3])
{
    int inq = 0, at_start = 1;
    n[0] = n[1] = n[2] = 0;
    for (; p < end; p++) {
        char c = *p;
        if (inq) {
            if (c == '"') {
                if (p + 1 < end && p[1] == '"') {
                    p++;
                } else {
                    inq = 0;
                }
            }
            continue;
        }
        if (c == '\n' || c == '\r') {
            return p + 1;
        }
        if (c == '"' && at_start) {
            inq = 1;
            at_start = 0;
            continue;
        }
        at_start = c == ';' || c == ',' || c == '\t';
        n[0] += c == ';';
        n[1] += c == ',';
        n[2] += c == '\t';
    }
    return end;
}

/*
 * The separator: the one that splits the header and the lines after it (up
 * to five) into the same number of cells, the most cells when several do —
 * a ';' file whose header has titles with commas («Доля отметок «2», «3»,
 * 5 класс») is not read as comma-separated for them. When none does (a
 * comma file with unquoted decimal commas is ragged), the header's most
 * frequent one; ties go to ';', then ','.
 */
static char detect_sep(const char *p, const char *end)
{
    static const char seps[3] = {';', ',', '\t'};
    size_t first[3] = {0}, n[3];
    int same[3] = {1, 1, 1}, lines = 0;
    char only = 0; /* the separator of the first line of only separators */
    while (p < end && lines < 6) {
        const char *q = p;
        for (;;) {
            if (q < end && (*q == ' ' || *q == ';' || *q == ',' || *q == '\t')) {
                only = only || *q == ' ' ? only : *q;
                q++;
            } else if (end - q >= 2 && memcmp(q, "\xC2\xA0", 2) == 0) {
                q += 2; /* U+00A0, a no-break space, as the importer trims it */
            } else if (end - q >= 3 && memcmp(q, "\xE2\x80\xAF", 3) == 0) {
                q += 3; /* U+202F, the narrow one */
            } else {
                break;
            }
        }
        if (q == end || *q == '\n' || *q == '\r') {
            p = q < end ? q + 1 : end; /* blank, or only separators (Excel's ;;;;) */
            continue;
        }
        p = count_seps(p, end, n);
        for (int k = 0; k < 3; k++) {
            if (lines == 0) {
                first[k] = n[k];
            } else if (n[k] != first[k]) {
                same[k] = 0;
            }
        }
        lines++;
    }
    int best = -1;
    for (int k = 0; k < 3; k++) {
        if (same[k] && first[k] > 0 && (best < 0 || first[k] > first[best])) {
            best = k;
        }
    }
    if (best >= 0) {
        return seps[best];
    }
    if (lines == 0 && only) {
        return only; /* nothing but ;;;; lines: those are empty rows */
    }
    for (int k = 0; k < 3; k++) {
        if (first[k] > 0 && (best < 0 || first[k] > first[best])) {
            best = k;
        }
    }
    return best >= 0 ? seps[best] : ',';
}

int csv_open(char *data, size_t len, char sep, csv_reader **out)
{
    if (!out) {
        free(data);
        return -1;
    }
    *out = NULL;
    if (!data) {
        return -1;
    }
    assert(data[len] == '\0');
    csv_reader *r = calloc(1, sizeof *r);
    if (!r) {
        free(data);
        return -1;
    }
    r->data = data;
    r->p = data;
    r->end = data + len;
    r->line = 1;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        r->p += 3;
    }
    if (r->end - r->p >= 5 && memcmp(r->p, "sep=", 4) == 0 && r->p[4] != '"' &&
        (r->p + 5 == r->end || r->p[5] == '\r' || r->p[5] == '\n')) {
        if (sep == 0) {
            sep = r->p[4];
        }
        r->p += 5;
        r->p += r->p < r->end && *r->p == '\r';
        r->p += r->p < r->end && *r->p == '\n';
        r->line = 2;
    }
    r->first_line = r->line;
    if (sep == 0 || sep == '"' || sep == '\r' || sep == '\n') {
        sep = detect_sep(r->p, r->end);
    }
    r->sep = sep;
    r->cls[(unsigned char)sep] |= STOP_U;
    r->cls['\r'] = r->cls['\n'] = r->cls[0] = STOP_U | STOP_Q;
    r->cls['"'] |= STOP_Q;

    r->cap = 16;
    r->fields = malloc(r->cap * sizeof *r->fields);
    r->lens = malloc(r->cap * sizeof *r->lens);
    r->lines = malloc(r->cap * sizeof *r->lines);
    if (!r->fields || !r->lens || !r->lines) {
        csv_close(r);
        return -1;
    }
    *out = r;
    return 0;
}

/* Makes room for one more field than n; -1 when memory ran out. */
static int grow(csv_reader *r, size_t n)
{
    if (n < r->cap) {
        return 0;
    }
    size_t cap = r->cap * 2;
    char **f = realloc(r->fields, cap * sizeof *f);
    if (!f) {
        return -1;
    }
    r->fields = f;
    size_t *l = realloc(r->lens, cap * sizeof *l);
    if (!l) {
        return -1;
    }
    r->lens = l;
    long *ln = realloc(r->lines, cap * sizeof *ln);
    if (!ln) {
        return -1;
    }
    r->lines = ln;
    r->cap = cap;
    return 0;
}

/* 1 when s[0..n) is spaces only (or empty). */
static int spaces_only(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != ' ') {
            return 0;
        }
    }
    return 1;
}

/* The length of the longest prefix of s[0..n), at most max bytes, that
   does not cut a UTF-8 character, ending at a line end if one comes first. */
static int utf8_prefix(const char *s, size_t n, size_t max)
{
    size_t len = 0;
    while (len < n && len < max && s[len] != '\n' && s[len] != '\r') {
        len++;
    }
    /* stopped at max, not at a line end or the end: cut to a whole character */
    return (int)(len == max && len < n ? utf8_cut(s, n, max) : len);
}

/*
 * Reads one record at r->p. Each field is found by scanning to the next stop
 * byte; a quoted field is copied down onto itself (w trails p by the quotes
 * dropped so far) until its closing quote. The byte that ended a field is
 * read before the field's NUL overwrites it.
 */
int csv_next(csv_reader *r, csv_record *rec, char *err, size_t errlen)
{
    if (!r || !rec) {
        if (err && errlen) {
            snprintf(err, errlen, "csv_next: no reader or record");
        }
        return -1;
    }
    if (r->failed[0]) {
        goto failed;
    }
    assert(r->p <= r->end && *r->end == '\0');
    if (r->p >= r->end) {
        return 0;
    }

    const unsigned char *cls = r->cls;
    char *p = r->p;
    char *const end = r->end;
    long line = r->line;
    size_t n = 0;
    int blank = 1;
    rec->line = line;

    for (;;) {
        if (n >= r->cap && grow(r, n) < 0) {
            /* The record is half rewritten: it cannot be read again. */
            snprintf(r->failed, sizeof r->failed, "out of memory");
            r->failed_line = rec->line;
            r->failed_field = n + 1;
            goto failed;
        }
        char *s; /* the field's first byte */
        char *w; /* one past its last byte */
        r->lines[n] = line;

        if (*p == '"' && p < end) {
            long open_line = line;
            s = w = ++p;
            for (;;) {
                while (!(cls[(unsigned char)*p] & STOP_Q)) {
                    *w++ = *p++;
                }
                char c = *p;
                if (c == '"') {
                    if (p[1] == '"') { /* p < end, so p[1] is at most *end */
                        *w++ = '"';
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                if (c == '\n') {
                    line++;
                } else if (c == '\r') {
                    if (p[1] == '\n') {
                        *w++ = *p++;
                    }
                    line++;
                } else if (p == end) {
                    snprintf(r->failed, sizeof r->failed,
                             "a quoted field opened here is never closed");
                    r->failed_line = open_line;
                    r->failed_field = n + 1;
                    goto failed;
                }
                *w++ = *p++;
            }
            /* Only spaces may come between the closing quote and the
               separator: anything else is a quote that was not doubled. */
            while ((*p == ' ' || *p == '\t') && *p != r->sep) {
                *w++ = *p++;
            }
            if (!(cls[(unsigned char)*p] & STOP_U) || (*p == '\0' && p < end)) {
                int have = utf8_prefix(s, (size_t)(w - s), 40);
                int after = utf8_prefix(p, (size_t)(end - p), 20);
                snprintf(r->failed, sizeof r->failed,
                         "a quoted field goes on after its closing quote "
                         "(\"%.*s\"%.*s…); a quote inside quotes is written twice: "
                         "\"Школа \"\"Лицей\"\"\"",
                         have, s, after, p);
                r->failed_line = line;
                r->failed_field = n + 1;
                goto failed;
            }
        } else {
            s = p;
            for (;;) {
                while (!(cls[(unsigned char)*p] & STOP_U)) {
                    p++;
                }
                if (*p == '\0' && p < end) {
                    p++;
                    continue;
                }
                break;
            }
            w = p;
        }

        char c = *p; /* sep, CR, LF or the end; w <= p */
        *w = '\0';
        size_t flen = (size_t)(w - s);
        r->fields[n] = s;
        r->lens[n] = flen;
        n++;
        if (blank && !spaces_only(s, flen)) {
            blank = 0;
        }
        if (p == end) {
            rec->end_line = line;
            break;
        }
        p++;
        if (c == '\n') {
            rec->end_line = line++;
            break;
        }
        if (c == '\r') {
            if (*p == '\n' && p < end) {
                p++;
            }
            rec->end_line = line++;
            break;
        }
    }

    r->p = p;
    r->line = line;
    rec->nfields = n;
    rec->fields = r->fields;
    rec->lens = r->lens;
    rec->field_lines = r->lines;
    rec->blank = blank;
    return 1;

failed:
    if (err && errlen) {
        snprintf(err, errlen, "line %ld, field %zu: %s", r->failed_line, r->failed_field,
                 r->failed);
    }
    return -1;
}

const char *csv_failure(const csv_reader *r, long *line, size_t *field)
{
    if (!r || !r->failed[0]) {
        return NULL;
    }
    if (line) {
        *line = r->failed_line;
    }
    if (field) {
        *field = r->failed_field;
    }
    return r->failed;
}

char csv_separator(const csv_reader *r)
{
    return r ? r->sep : ',';
}

long csv_first_line(const csv_reader *r)
{
    return r ? r->first_line : 1;
}

void csv_close(csv_reader *r)
{
    if (!r) {
        return;
    }
    free(r->data);
    free(r->fields);
    free(r->lens);
    free(r->lines);
    free(r);
}

void csv_put_field(strbuf *sb, const char *s, size_t len, char sep)
{
    /* A leading U+FEFF would be taken for the file's byte-order mark when the
       field opens the file: quoted, it stays the field's. Every separator the
       reader may detect is quoted, not only sep: the header decides the
       separator by counting them outside quotes, and an attribute named
       "a;b;c" would make an export read back split on ';'. */
    (void)sep;
    int quote = len > 0 && (s[0] == ' ' || s[len - 1] == ' ' ||
                            (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0));
    for (size_t i = 0; i < len && !quote; i++) {
        char c = s[i];
        quote = c == ',' || c == ';' || c == '\t' || c == '"' || c == '\r' || c == '\n';
    }
    if (!quote) {
        sb_append(sb, s, len);
        return;
    }
    sb_putc(sb, '"');
    const char *run = s;
    for (const char *q; (q = memchr(run, '"', len - (size_t)(run - s))) != NULL;) {
        sb_append(sb, run, (size_t)(q - run) + 1);
        sb_putc(sb, '"');
        run = q + 1;
    }
    sb_append(sb, run, len - (size_t)(run - s));
    sb_putc(sb, '"');
}

void csv_put_cells(strbuf *sb, const char *const *cells, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i) {
            sb_putc(sb, ',');
        }
        csv_put_field(sb, cells[i], strlen(cells[i]), ',');
    }
}
