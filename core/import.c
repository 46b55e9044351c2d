/*
 * import.c — the common path of every CSV import: read the file, hash it,
 * decode it to UTF-8, read its rows (import_header.c reads the header and
 * maps its columns), collect errors and report them, then hand over to the
 * kind of import (values, schools, indicators).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sha2.h>

#include "encoding.h"
#include "importInt.h"
#include "store.h"
#include "strmap.h"
#include "textwidth.h"

#define DEFAULT_MAX_ERRORS 50

/* A message is one line: a line break typed in a cell that it quotes
   (Alt+Enter) is shown as ↵, as a person would see where it is; so is the
   invisible byte-order mark a second file pasted after the first brings
   into its middle, as [U+FEFF]. */
static void one_line(strbuf *sb)
{
    if (!memchr(sb->data, '\n', sb->len) && !memchr(sb->data, '\r', sb->len) &&
        !strstr(sb->data, "\xEF\xBB\xBF")) {
        return;
    }
    strbuf out = STRBUF_INIT;
    for (size_t i = 0; i < sb->len; i++) {
        if (sb->len - i >= 3 && memcmp(sb->data + i, "\xEF\xBB\xBF", 3) == 0) {
            sb_puts(&out, "[U+FEFF]");
            i += 2;
        } else if (sb->data[i] == '\r' || sb->data[i] == '\n') {
            i += sb->data[i] == '\r' && i + 1 < sb->len && sb->data[i + 1] == '\n';
            sb_puts(&out, "↵");
        } else {
            sb_putc(&out, sb->data[i]);
        }
    }
    sb_free(sb);
    *sb = out;
}

void imp_error(import_ctx *c, long line, int col, const char *fmt, ...)
{
    if (imp_full(c)) {
        c->dropped++;
        return;
    }
    if (c->nerrs == c->errs_cap) {
        size_t ncap = c->errs_cap ? c->errs_cap * 2 : 16;
        import_error *ne = realloc(c->errs, ncap * sizeof *ne);
        if (!ne) {
            c->dropped++;
            return;
        }
        c->errs = ne;
        c->errs_cap = ncap;
    }
    strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    one_line(&sb);
    c->errs[c->nerrs].line = line;
    c->errs[c->nerrs].col = col;
    c->errs[c->nerrs].msg = sb_detach(&sb);
    c->nerrs++;
}

int imp_full(const import_ctx *c)
{
    return (long)c->nerrs >= c->max_errors;
}

const char *imp_header(const import_ctx *c, int col)
{
    return col >= 1 && (size_t)col <= c->ncols ? c->headers[col - 1] : "";
}

/* Length of the space character at s[0..n), else 0: ' ', tab, CR, LF,
   U+00A0 or U+202F — the surrounding space numbers may have (numfmt.c,
   decision 3). A line break typed inside a cell (Alt+Enter) is as invisible
   as a space, and a code or territory with one would silently be another. */
static size_t space_at(const unsigned char *s, size_t n)
{
    if (n && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')) {
        return 1;
    }
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) {
        return 2;
    }
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0xAF) {
        return 3;
    }
    return 0;
}

/* Length of the space character that ends s[0..n), else 0. */
static size_t space_before(const unsigned char *s, size_t n)
{
    for (size_t k = 1; k <= 3 && k <= n; k++) {
        if (space_at(s + n - k, k) == k) {
            return k;
        }
    }
    return 0;
}

const char *imp_trim(const char *s, size_t *len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = *len, k;
    while ((k = space_at(p, n)) != 0) {
        p += k, n -= k;
    }
    while ((k = space_before(p, n)) != 0) {
        n -= k;
    }
    *len = n;
    return (const char *)p;
}

const char *imp_text(const char *s, size_t *len)
{
    s = imp_trim(s, len);
    /* '=…, '-… : the apostrophe that keeps Excel from reading a formula
       (csv_excel.c writes it; people type it) is not part of the text. */
    if (*len >= 2 && s[0] == '\'' &&
        (s[1] == '=' || s[1] == '+' || s[1] == '-' || s[1] == '@')) {
        s++, (*len)--;
    }
    return s;
}

char *imp_cell_dup(const csv_record *rec, int idx)
{
    if (idx < 0) {
        return NULL;
    }
    size_t len = rec->lens[idx];
    const char *s = imp_text(rec->fields[idx], &len);
    return len ? strndup(s, len) : NULL;
}

static size_t split_pairs(const import_ctx *c, const csv_record *rec, strbuf *which,
                          size_t *at);
static void check_unnamed(import_ctx *c, const csv_record *rec);

/* A row whose cells hold only what imp_trim takes away (tabs, no-break
   spaces, the spaces csv.c already counts): a blank line as a person sees it. */
static int blank_cells(const csv_record *rec)
{
    for (size_t i = 0; i < rec->nfields; i++) {
        size_t len = rec->lens[i];
        imp_trim(rec->fields[i], &len);
        if (len) {
            return 0;
        }
    }
    return 1;
}

/* Remembers a row whose cells hold line breaks (see import_ctx.spans). */
static void note_span(import_ctx *c, const csv_record *rec)
{
    long end = rec->end_line;
    if (end <= rec->line) {
        return;
    }
    if (c->nspans == c->spans_cap) {
        size_t ncap = c->spans_cap ? c->spans_cap * 2 : 16;
        struct imp_span *ns = realloc(c->spans, ncap * sizeof *ns);
        if (!ns) {
            return; /* only the rows in messages are lost */
        }
        c->spans = ns;
        c->spans_cap = ncap;
    }
    c->spans[c->nspans++] = (struct imp_span){rec->line, end, c->spanned};
    c->spanned += end - rec->line;
}

long imp_row_of(const import_ctx *c, long line)
{
    long row = line;
    for (size_t i = 0; i < c->nspans && c->spans[i].start <= line; i++) {
        const struct imp_span *s = &c->spans[i];
        row = line <= s->end ? s->start - s->before
                             : line - s->before - (s->end - s->start);
    }
    return row > c->hidden ? row - c->hidden : row;
}

int imp_next(import_ctx *c, csv_record *rec)
{
    char err[256];
    for (;;) {
        int r = csv_next(c->csv, rec, err, sizeof err);
        if (r < 0) {
            long line = 0;
            size_t field = 0;
            const char *why = csv_failure(c->csv, &line, &field);
            if (!why) {
                imp_error(c, 0, 0, "%s", err);
            } else if (field >= 1 && field <= c->ncols) {
                imp_error(c, line, (int)field, "column '%s': %s", imp_header(c, (int)field), why);
            } else {
                imp_error(c, line, (int)field, "%s", why);
            }
            return -1;
        }
        if (r == 0) {
            return 0;
        }
        note_span(c, rec);
        if (rec->blank || blank_cells(rec)) {
            continue;
        }
        /* Empty cells past the header's last column: the trailing separator
           Excel writes after a column that was once formatted (on the header
           line too). Past the header's own cells, a row that may hold a
           number split by a decimal comma keeps them: "46,5," under four
           columns is 46,5 and an empty cell as likely as 46 and 5. */
        int split = -1;
        while (c->headers && rec->nfields > c->ncols) {
            size_t len = rec->lens[rec->nfields - 1];
            imp_trim(rec->fields[rec->nfields - 1], &len);
            if (len) {
                break;
            }
            if (rec->nfields > c->header_cells) {
                if (split < 0) {
                    split = split_pairs(c, rec, NULL, NULL) > 0;
                }
                if (split) {
                    break;
                }
            }
            rec->nfields--;
        }
        if (c->unnamed) {
            check_unnamed(c, rec);
        }
        return 1;
    }
}

/* Does s[0..len) end, or start, with a digit? */
/* Digits only, after an optional '-' (lead) or before an optional '%'
   (!lead): the two halves of a number a decimal comma split. */
static int digits_only(const char *s, size_t len, int lead)
{
    size_t i = 0;
    if (lead && len && (s[0] == '-' || s[0] == ' ')) {
        i++;
    }
    if (!lead && len && s[len - 1] == '%') {
        len--;
    }
    if (i >= len) {
        return 0;
    }
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return 1;
}

/* Checks that key (a code) is not repeated in the file; remembers its line. */
int imp_first_time(import_ctx *c, strmap *seen, const char *key, long line, int col,
                   const char *what)
{
    int added;
    int64_t *slot = strmap_put(seen, key, strlen(key), &added);
    if (!slot) {
        return 0;
    }
    if (!added) {
        imp_error(c, line, col, "%s '%s' is given twice: also on line %ld", what, key,
                  (long)*slot);
        return 0;
    }
    *slot = line;
    return 1;
}

int imp_brief(const char *s, size_t len)
{
    return (int)utf8_cut(s, len, IMP_BRIEF);
}

/* Cell i is four digits from 1900 to 2099. */
static int looks_like_year(const csv_record *rec, size_t i)
{
    return rec->lens[i] == 4 && digits_only(rec->fields[i], 4, 1) &&
           (memcmp(rec->fields[i], "19", 2) == 0 || memcmp(rec->fields[i], "20", 2) == 0);
}

/*
 * The pairs of adjacent cells of a comma-separated row that can be one
 * number split by a decimal comma: digits, then digits (and '%'), neither a
 * year (a year then a value, "2022,12", or a numeric school code then a
 * year, "501234,2023", is the row's keys). The first four go to which
 * ("'46,5'"), the last one's index to *at; 0 for another separator.
 */
static size_t split_pairs(const import_ctx *c, const csv_record *rec, strbuf *which,
                          size_t *at)
{
    size_t pairs = 0;
    if (csv_separator(c->csv) != ',') {
        return 0;
    }
    for (size_t i = 0; i + 1 < rec->nfields; i++) {
        if (!looks_like_year(rec, i) && !looks_like_year(rec, i + 1) &&
            digits_only(rec->fields[i], rec->lens[i], 1) &&
            digits_only(rec->fields[i + 1], rec->lens[i + 1], 0)) {
            if (which && pairs < 4) {
                sb_printf(which, "%s'%.*s,%.*s'", pairs ? ", " : "",
                          imp_brief(rec->fields[i], rec->lens[i]), rec->fields[i],
                          imp_brief(rec->fields[i + 1], rec->lens[i + 1]), rec->fields[i + 1]);
            }
            pairs++;
            if (at) {
                *at = i;
            }
        }
    }
    return pairs;
}

int imp_row_fits(import_ctx *c, const csv_record *rec)
{
    if (rec->nfields == c->ncols) {
        return 1;
    }
    if (rec->nfields < c->ncols) {
        imp_error(c, rec->line, 0,
                  "%zu field%s, but the header has %zu: nothing for column %zu '%s'%s; every "
                  "row needs a cell for each column (an empty one is fine)",
                  rec->nfields, rec->nfields == 1 ? "" : "s", c->ncols, rec->nfields + 1,
                  imp_header(c, (int)rec->nfields + 1),
                  rec->nfields + 1 < c->ncols ? " and after it" : "");
        return 0;
    }
    /* More: the most common cause is a decimal comma in a comma-separated
       file, "46,5" split into two cells: a pair of digit cells, neither of
       them a year (a year then a value, "2022,12", or a numeric school code
       then a year, "501234,2023", is the row's keys, not one number). */
    if (csv_separator(c->csv) == ',') {
        /* Named only when one pair of cells can be such a number: in
           "S1,2030,46,5,50" it may be 46,5 or 5,50, and quoting the wrong one
           as told would store wrong numbers. */
        size_t at = 0;
        strbuf which = STRBUF_INIT;
        size_t pairs = split_pairs(c, rec, &which, &at);
        if (pairs == 1 && rec->nfields == c->ncols + 1) {
            imp_error(c, rec->field_lines[at], (int)at + 1,
                      "%zu fields, but the header has %zu: is %s a number with a decimal "
                      "comma? In a comma-separated file it must be in quotes (\"%.*s,%.*s\"), "
                      "or save the file with ';'",
                      rec->nfields, c->ncols, which.data, imp_brief(rec->fields[at], rec->lens[at]),
                      rec->fields[at], imp_brief(rec->fields[at + 1], rec->lens[at + 1]),
                      rec->fields[at + 1]);
            sb_free(&which);
            return 0;
        }
        if (pairs > 0) {
            imp_error(c, rec->line, 0,
                      "%zu fields, but the header has %zu: numbers with a decimal comma split "
                      "into two cells in a comma-separated file (%s%s could %s); put "
                      "every such number in quotes (\"46,5\"), or save the file with ';'",
                      rec->nfields, c->ncols, which.data, pairs > 4 ? ", …" : "",
                      pairs == 1 ? "be one" : "each be one");
            sb_free(&which);
            return 0;
        }
        sb_free(&which);
    }
    size_t k = c->ncols;
    while (k < rec->nfields && !rec->lens[k]) {
        k++;
    }
    if (k == rec->nfields) {
        k = c->ncols;
    }
    imp_error(c, rec->field_lines[k], (int)k + 1,
              "%zu fields, but the header has %zu: column %zu has no header but holds "
              "'%.*s%s'",
              rec->nfields, c->ncols, k + 1, imp_brief(rec->fields[k], rec->lens[k]),
              rec->fields[k], rec->lens[k] > IMP_BRIEF ? "…" : "");
    return 0;
}

void *imp_add_row(import_ctx *c, void **rows, size_t *n, size_t *cap, size_t sz)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        void *nr = realloc(*rows, ncap * sz);
        if (!nr) {
            shnor_seterr(c->db, SHNOR_NOMEM, "out of memory");
            return NULL;
        }
        *rows = nr;
        *cap = ncap;
    }
    char *row = (char *)*rows + (*n)++ * sz;
    memset(row, 0, sz);
    return row;
}

static int cmp_errors(const void *a, const void *b)
{
    const import_error *x = a, *y = b;
    if (x->line != y->line) {
        return x->line < y->line ? -1 : 1;
    }
    return (x->col > y->col) - (x->col < y->col);
}

/* Puts every collected error on the handle, one per line, ordered by position. */
static int report_errors(import_ctx *c)
{
    strbuf sb = STRBUF_INIT;
    qsort(c->errs, c->nerrs, sizeof *c->errs, cmp_errors);
    for (size_t i = 0; i < c->nerrs; i++) {
        const import_error *e = &c->errs[i];
        long row = e->line > 0 ? imp_row_of(c, e->line) : 0;
        char in_sheet[48] = "";
        if (row != e->line) {
            /* cells with line breaks above: the line is not the row Excel shows */
            snprintf(in_sheet, sizeof in_sheet, " (spreadsheet row %ld)", row);
        }
        if (e->line > 0 && e->col > 0) {
            sb_printf(&sb, "%s:%ld:%d%s: %s\n", c->name, e->line, e->col, in_sheet, e->msg);
        } else if (e->line > 0) {
            sb_printf(&sb, "%s:%ld%s: %s\n", c->name, e->line, in_sheet, e->msg);
        } else {
            sb_printf(&sb, "%s: %s\n", c->name, e->msg);
        }
    }
    long total = (long)c->nerrs + c->dropped;
    if (c->dropped) {
        sb_printf(&sb, "%s: %ld more errors not shown (the first %ld are above)\n", c->name,
                  c->dropped, c->max_errors);
    }
    sb_printf(&sb, "%s: %ld error%s; nothing was imported from this file", c->name, total,
              total == 1 ? "" : "s");
    if (c->res) {
        c->res->errors = total;
    }
    shnor_seterr(c->db, SHNOR_INPUT, "%s", sb.data);
    sb_free(&sb);
    return SHNOR_INPUT;
}

/* A cell with text in a column without a header: reported once a column. */
static void check_unnamed(import_ctx *c, const csv_record *rec)
{
    for (size_t k = 0; k < rec->nfields && k < c->ncols; k++) {
        if (c->unnamed[k] != 1) {
            continue;
        }
        size_t len = rec->lens[k];
        const char *s = imp_trim(rec->fields[k], &len);
        if (len) {
            imp_error(c, rec->field_lines[k], (int)k + 1,
                      "column %zu has no header, but holds '%.*s%s'; give the column a "
                      "header or delete it",
                      k + 1, imp_brief(s, len), s, len > IMP_BRIEF ? "…" : "");
            c->unnamed[k] = 2;
        }
    }
}

static void ctx_free(import_ctx *c)
{
    for (size_t i = 0; i < c->ncols; i++) {
        if (c->headers) {
            free(c->headers[i]);
        }
        if (c->folded) {
            free(c->folded[i]);
        }
    }
    free(c->headers);
    free(c->folded);
    free(c->unnamed);
    for (size_t i = 0; i < c->nerrs; i++) {
        free(c->errs[i].msg);
    }
    free(c->errs);
    free(c->spans);
    csv_close(c->csv);
}

/*
 * Imports the file's bytes, taking ownership of data (malloc'ed, len bytes and
 * room for a NUL after them): text that is UTF-8 already is parsed where it
 * lies, without a copy — a national values file is hundreds of megabytes.
 */
static int import_owned(shnor *db, shnor_import_kind kind, const char *name, char *data,
                        size_t len, const shnor_import_options *opt, shnor_import_result *res)
{
    import_ctx c;
    char err[512];
    char *text = NULL;
    size_t textlen = 0;
    int status;

    memset(&c, 0, sizeof c);
    c.db = db;
    c.kind = kind;
    c.name = name ? name : "input";
    c.opt = opt;
    c.res = res;
    c.max_errors = opt && opt->max_errors > 0 ? opt->max_errors : DEFAULT_MAX_ERRORS;
    if (res) {
        memset(res, 0, sizeof *res);
    }
    SHA256Data((const uint8_t *)data, len, c.sha256);
    if (enc_to_utf8_owned(data, len, opt ? opt->encoding : NULL, &text, &textlen, &c.encoding,
                          err, sizeof err) != 0) {
        /* "line N, column M: why" from the decoder, said as every other
           message of the import is: file:N:M: why */
        long line, col;
        int skip = 0;
        if (sscanf(err, "line %ld, column %ld: %n", &line, &col, &skip) == 2 && skip > 0) {
            return shnor_seterr(db, SHNOR_INPUT,
                                "%s:%ld:%ld: %s; nothing was imported from this file", c.name,
                                line, col, err + skip);
        }
        return shnor_seterr(db, SHNOR_INPUT, "%s: %s; nothing was imported from this file",
                            c.name, err);
    }
    if (opt && opt->encoding && *opt->encoding && strcmp(opt->encoding, "auto") != 0) {
        c.encoding = opt->encoding;
    }
    if (csv_open(text, textlen, opt ? opt->separator : 0, &c.csv) != 0) {
        return shnor_seterr(db, SHNOR_NOMEM, "%s: out of memory", c.name);
    }
    c.hidden = csv_first_line(c.csv) - 1;
    if (imp_read_header(&c) != 0) {
        status = c.nerrs ? report_errors(&c) : shnor_seterr(db, SHNOR_NOMEM, "out of memory");
        goto done;
    }
    switch (kind) {
    case SHNOR_IMPORT_VALUES:
        status = imp_values(&c);
        break;
    case SHNOR_IMPORT_SCHOOLS:
        status = imp_schools(&c);
        break;
    case SHNOR_IMPORT_INDICATORS:
        status = imp_indicators(&c);
        break;
    case SHNOR_IMPORT_STATUSES:
        status = imp_statuses(&c);
        break;
    case SHNOR_IMPORT_LISTINGS:
        status = imp_listings(&c);
        break;
    default:
        status = shnor_seterr(db, SHNOR_MISUSE, "import: unknown kind %d", (int)kind);
        break;
    }
    if (c.nerrs) {
        store_rollback(db);
        status = report_errors(&c);
    } else if (status == SHNOR_OK) {
        shnor_clearerr(db);
    }
done:
    ctx_free(&c);
    return status;
}

/* Checks the handle for an import; SHNOR_OK or the status with the message. */
static int import_check(shnor *db)
{
    if (!db || !db->sql) {
        return db ? shnor_seterr(db, SHNOR_MISUSE, "import: no database or no data")
                  : SHNOR_MISUSE;
    }
    if (db->readonly) {
        return shnor_seterr(db, SHNOR_DB, "database '%s' is open read-only; nothing imported",
                            db->path);
    }
    return SHNOR_OK;
}

int shnor_import_buffer(shnor *db, shnor_import_kind kind, const char *name, const char *data,
                        size_t len, const shnor_import_options *opt, shnor_import_result *res)
{
    if (db && !data && len) {
        return shnor_seterr(db, SHNOR_MISUSE, "import: no database or no data");
    }
    int status = import_check(db);
    if (status != SHNOR_OK) {
        return status;
    }
    char *copy = malloc(len + 1);
    if (!copy) {
        return shnor_seterr(db, SHNOR_NOMEM, "%s: out of memory", name ? name : "input");
    }
    if (len) {
        memcpy(copy, data, len);
    }
    return import_owned(db, kind, name, copy, len, opt, res);
}

int shnor_import_file(shnor *db, shnor_import_kind kind, const char *path,
                      const shnor_import_options *opt, shnor_import_result *res)
{
    if (!db || !path) {
        return db ? shnor_seterr(db, SHNOR_MISUSE, "import: no file named") : SHNOR_MISUSE;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        return shnor_seterr(db, SHNOR_IO, "cannot open '%s': %s", path, strerror(errno));
    }
    /* One buffer of the file's size (read in one go when it is a regular
       file), grown only for pipes and files that grow while read. */
    struct stat st;
    size_t cap = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0
                     ? (size_t)st.st_size + 1
                     : 1 << 16;
    size_t len = 0;
    char *buf = malloc(cap);
    int failed = 0, why = 0;
    while (buf) {
        if (len + 1 == cap) {
            char *nb = cap < SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - 1 - len, f);
        len += n;
        if (n == 0) {
            failed = ferror(f);
            why = errno; /* a directory: EISDIR */
            break;
        }
    }
    fclose(f);
    if (failed || !buf) {
        free(buf);
        return shnor_seterr(db, failed ? SHNOR_IO : SHNOR_NOMEM, "cannot read '%s': %s", path,
                            failed ? strerror(why) : "out of memory");
    }
    int status = import_check(db);
    if (status != SHNOR_OK) {
        free(buf);
        return status;
    }
    return import_owned(db, kind, path, buf, len, opt, res);
}
