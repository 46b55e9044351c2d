/*
 * table.c — aligned text tables for the terminal (see table.h).
 *
 * A table keeps copies of its titles, cells and notes; table_print() lays
 * them out afresh each time: natural column widths, shrinking the widest
 * columns while the table is wider than the printing width, then wrapping the
 * shrunk columns' cells at spaces. Everything is measured with
 * utf8_display_width() (textwidth.c), whose tables are fixed, so the output
 * does not depend on the locale.
 *
 * Invariants:
 *  1. Every stored string is valid UTF-8 with no control character but '\n'
 *     (text_clean() on the way in), so what the layout measures is what a terminal
 *     shows, and no escape sequence can come from the data.
 *  2. rows[0..nrows) each hold ncols non-NULL cells and ncols styles.
 *  3. table_print() does not change the table: output is a function of the
 *     contents, width and color.
 */
#include "table.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "strbuf.h"
#include "textwidth.h"

typedef struct {
    char **v;
    size_t n, cap;
} notelist;

typedef struct {
    char **cells;          /* ncols strings */
    unsigned char *styles; /* ncols TABLE_* styles */
    notelist notes;        /* printed under the row */
} row;

struct table {
    size_t ncols;
    char **head;          /* ncols titles, or NULL: no header and no rule */
    unsigned char *align; /* ncols TABLE_LEFT / TABLE_RIGHT */
    row *rows;
    size_t nrows, cap;
    notelist top; /* notes added before the first row: printed under the rule */
};

/* ---------------------------------------------------------------------------
 * Building a table.
 */

static void free_strings(char **v, size_t n)
{
    if (v) {
        for (size_t i = 0; i < n; i++) {
            free(v[i]);
        }
        free(v);
    }
}

/* Cleaned copies of n strings (src NULL: n empty strings); NULL on OOM. */
static char **copy_strings(const char *const *src, size_t n)
{
    char **v = calloc(n, sizeof *v);
    if (!v) {
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        v[i] = text_clean(src ? src[i] : NULL);
        if (!v[i]) {
            free_strings(v, n);
            return NULL;
        }
    }
    return v;
}

table *table_new(size_t ncols)
{
    if (ncols == 0) {
        return NULL;
    }
    table *t = calloc(1, sizeof *t);
    if (!t) {
        return NULL;
    }
    t->ncols = ncols;
    t->align = calloc(ncols, 1);
    if (!t->align) {
        free(t);
        return NULL;
    }
    return t;
}

void table_free(table *t)
{
    if (!t) {
        return;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        free_strings(t->rows[r].cells, t->ncols);
        free(t->rows[r].styles);
        free_strings(t->rows[r].notes.v, t->rows[r].notes.n);
    }
    free(t->rows);
    free_strings(t->head, t->ncols);
    free_strings(t->top.v, t->top.n);
    free(t->align);
    free(t);
}

int table_header(table *t, const char *const *names)
{
    if (!t) {
        return -1;
    }
    char **head = copy_strings(names, t->ncols);
    if (!head) {
        return -1;
    }
    free_strings(t->head, t->ncols);
    t->head = head;
    return 0;
}

void table_align(table *t, size_t col, int align)
{
    if (t && col < t->ncols) {
        t->align[col] = align == TABLE_RIGHT ? TABLE_RIGHT : TABLE_LEFT;
    }
}

int table_row(table *t, const char *const *cells)
{
    if (!t) {
        return -1;
    }
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        row *rows =
            cap < SIZE_MAX / sizeof *rows ? realloc(t->rows, cap * sizeof *rows) : NULL;
        if (!rows) {
            return -1;
        }
        t->rows = rows;
        t->cap = cap;
    }
    row *r = &t->rows[t->nrows];
    memset(r, 0, sizeof *r);
    r->styles = calloc(t->ncols, 1);
    r->cells = copy_strings(cells, t->ncols);
    if (!r->styles || !r->cells) {
        free(r->styles);
        free_strings(r->cells, t->ncols);
        return -1;
    }
    t->nrows++;
    return 0;
}

void table_cell_style(table *t, size_t col, int style)
{
    if (t && t->nrows > 0 && col < t->ncols) {
        int ok = style >= TABLE_PLAIN && style <= TABLE_DIM;
        t->rows[t->nrows - 1].styles[col] = (unsigned char)(ok ? style : TABLE_PLAIN);
    }
}

int table_note(table *t, const char *text)
{
    if (!t) {
        return -1;
    }
    notelist *nl = t->nrows ? &t->rows[t->nrows - 1].notes : &t->top;
    if (nl->n == nl->cap) {
        size_t cap = nl->cap ? nl->cap * 2 : 4;
        char **v = cap < SIZE_MAX / sizeof *v ? realloc(nl->v, cap * sizeof *v) : NULL;
        if (!v) {
            return -1;
        }
        nl->v = v;
        nl->cap = cap;
    }
    char *s = text_clean(text);
    if (!s) {
        return -1;
    }
    nl->v[nl->n++] = s;
    return 0;
}

/* ---------------------------------------------------------------------------
 * Wrapping.
 */

/* Walks the lines of a text as wrapped to a width (the width may change from
   line to line). */
typedef struct {
    const unsigned char *s;
    size_t n, pos;
    int done;
    int para; /* the next line starts a paragraph (the text or after a '\n') */
} wrapper;

static void wrap_init(wrapper *it, const char *s)
{
    it->s = (const unsigned char *)s;
    it->n = strlen(s);
    it->pos = 0;
    it->done = 0;
    it->para = 1;
}

/*
 * The next line of at most w display columns: s[*start .. *start + *len),
 * *width columns wide, *first set when it starts a paragraph. Returns 0 when
 * the text is used up; an empty text is one empty line.
 *
 * Explicit '\n' always end a line. A paragraph wider than w is broken after
 * the last word that fits, the spaces at the break dropped; a word longer
 * than w is broken after the last ',' or ';' that fits when that fills a
 * third of the line, else after the last '-', '/', '_', '.', ',' or ';' that
 * fits,
 * else at the last character boundary that fits (combining marks stay with
 * their base). A single character wider than w still makes a line,
 * so every call makes progress.
 */
static int wrap_next(wrapper *it, size_t w, size_t *start, size_t *len, size_t *width,
                     int *first)
{
    if (it->done) {
        return 0;
    }
    const unsigned char *s = it->s;
    size_t n = it->n, p = it->pos, q = p, cw = 0;
    size_t brk = 0, brkw = 0, soft = 0, softw = 0, list = 0, listw = 0, next;
    int have_brk = 0;

    *first = it->para;
    while (q < n && s[q] != '\n') {
        long cp;
        size_t k = utf8_decode(s + q, n - q, &cp);
        size_t chw = utf8_cp_width(cp);
        if (s[q] == ' ' && q > p && s[q - 1] != ' ') {
            have_brk = 1;
            brk = q;
            brkw = cw;
        }
        if (cw + chw > w && q > p) {
            break;
        }
        cw += chw;
        q += k;
        if (strchr("-/_.,;", s[q - 1]) && q < n && s[q] != ' ' && s[q] != '\n') {
            soft = q; /* a word too long for the line may break after this */
            softw = cw;
            if (s[q - 1] == ',' || s[q - 1] == ';') {
                list = q; /* between the items of a list: better still */
                listw = cw;
            }
        }
    }
    *start = p;
    if (q == n || s[q] == '\n') {
        /* The rest of the paragraph fits. */
        *len = q - p;
        *width = cw;
        next = q;
    } else if (have_brk) {
        *len = brk - p;
        *width = brkw;
        next = brk;
        while (next < n && s[next] == ' ') {
            next++;
        }
    } else if (list > p && 3 * listw >= w) {
        /* "fed_list;list_500plus" breaks after ';', not inside "list_", as
           long as that fills a third of the line */
        *len = list - p;
        *width = listw;
        next = list;
    } else if (soft > p) {
        *len = soft - p;
        *width = softw;
        next = soft;
    } else {
        *len = q - p;
        *width = cw;
        next = q;
    }
    it->para = 0;
    if (next == n) {
        it->done = 1;
    } else if (s[next] == '\n') {
        it->pos = next + 1;
        it->para = 1;
    } else {
        it->pos = next;
    }
    return 1;
}

/* Widest line of s once wrapped to w columns (SIZE_MAX: only at '\n'). */
static size_t wrapped_width(const char *s, size_t w)
{
    wrapper it;
    size_t start, len, lw, max = 0;
    int first;
    wrap_init(&it, s);
    while (wrap_next(&it, w, &start, &len, &lw, &first)) {
        if (lw > max) {
            max = lw;
        }
    }
    return max;
}

/* Widest word of s (words are separated by spaces and newlines). */
static size_t longest_word(const char *s)
{
    size_t max = 0;
    while (*s) {
        size_t k = strcspn(s, " \n");
        size_t w = utf8_display_width(s, k);
        if (w > max) {
            max = w;
        }
        s += k;
        s += strspn(s, " \n");
    }
    return max;
}

/* ---------------------------------------------------------------------------
 * Printing.
 */

static const char *sgr(int style)
{
    switch (style) {
    case TABLE_GREEN:
        return "\x1b[32m";
    case TABLE_RED:
        return "\x1b[31m";
    case TABLE_YELLOW:
        return "\x1b[33m";
    case TABLE_BOLD:
        return "\x1b[1m";
    case TABLE_DIM:
        return "\x1b[2m";
    default:
        return NULL;
    }
}

static void put_spaces(strbuf *sb, size_t n)
{
    static const char spaces[] = "                                ";
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        sb_append(sb, spaces, k);
        n -= k;
    }
}

typedef struct {
    const table *t;
    strbuf *sb;
    size_t *wrap; /* width each column's cells are wrapped to */
    size_t *colw; /* width each column is padded to (<= wrap) */
    wrapper *its; /* one per column, for the row being printed */
    int color;
} printer;

/*
 * Prints one row (or the header: styles NULL, bold) over as many lines as
 * its tallest cell needs. Padding is held back until something follows it,
 * so no line ends in spaces.
 */
static void print_cells(printer *pr, char *const *cells, const unsigned char *styles)
{
    const table *t = pr->t;
    strbuf *sb = pr->sb;
    int more;

    for (size_t c = 0; c < t->ncols; c++) {
        wrap_init(&pr->its[c], cells[c]);
    }
    do {
        size_t pending = 0;
        more = 0;
        for (size_t c = 0; c < t->ncols; c++) {
            size_t start = 0, len = 0, w = 0;
            int first;
            if (c > 0) {
                pending += 2;
            }
            wrap_next(&pr->its[c], pr->wrap[c], &start, &len, &w, &first);
            if (!pr->its[c].done) {
                more = 1;
            }
            const char *seg = (const char *)pr->its[c].s + start;
            size_t pad = pr->colw[c] > w ? pr->colw[c] - w : 0;
            size_t body = len;
            while (body > 0 && seg[body - 1] == ' ') {
                body--;
            }
            if (t->align[c] == TABLE_RIGHT) {
                pending += pad;
            }
            if (body == 0) {
                pending += w;
            } else {
                const char *on = NULL;
                if (pr->color) {
                    on = styles ? sgr(styles[c]) : sgr(TABLE_BOLD);
                }
                put_spaces(sb, pending);
                pending = len - body;
                if (on) {
                    sb_puts(sb, on);
                }
                sb_append(sb, seg, body);
                if (on) {
                    sb_puts(sb, "\x1b[0m");
                }
            }
            if (t->align[c] != TABLE_RIGHT) {
                pending += pad;
            }
        }
        sb_putc(sb, '\n');
    } while (more);
}

/*
 * Prints notes: each paragraph's first line indented by two spaces, the lines
 * it wraps onto by four, wrapped to the printing width (at least 10 columns
 * of text).
 */
static void print_notes(strbuf *sb, const notelist *nl, size_t width)
{
    size_t w2 = width > 12 ? width - 2 : 10;
    size_t w4 = width > 14 ? width - 4 : 10;
    for (size_t i = 0; i < nl->n; i++) {
        wrapper it;
        size_t start, len, lw;
        int first = 1;
        wrap_init(&it, nl->v[i]);
        while (wrap_next(&it, it.para ? w2 : w4, &start, &len, &lw, &first)) {
            const char *seg = (const char *)it.s + start;
            while (len > 0 && seg[len - 1] == ' ') {
                len--;
            }
            if (len > 0) {
                sb_append(sb, first ? "  " : "    ", first ? 2 : 4);
                sb_append(sb, seg, len);
            }
            sb_putc(sb, '\n');
        }
    }
}

/* Column c's width when its text wraps at w: its widest wrapped line. */
static size_t column_width(const table *t, size_t c, size_t w)
{
    size_t width = t->head ? wrapped_width(t->head[c], w) : 0;
    for (size_t r = 0; r < t->nrows; r++) {
        size_t cw = wrapped_width(t->rows[r].cells[c], w);
        width = cw > width ? cw : width;
    }
    return width;
}

/* Below this a column is too narrow to read: the table prints wider instead. */
enum { MIN_CAP = 4 };

/*
 * Column widths: natural (widest line of title and cells), then, while the
 * table is wider than `width`, the widest column not yet at its floor is
 * shrunk towards its floor — max(10, its longest word up to `cap`), never
 * more than its natural width. cap is 30 first; when every column reaches
 * its floor and the table is still too wide, the narrow columns wrap at
 * their spaces too (the floor of 10 dropped: «Цели +/−/?» over two lines
 * before any word is broken), and then cap comes down a column at a time
 * (to MIN_CAP), so the longest words are broken first and only as much as
 * it takes to fit. Columns end up as wide as their widest wrapped line.
 * nat and word are scratch arrays of ncols.
 */
static void fit_columns(const table *t, size_t width, size_t *wrap, size_t *colw, size_t *nat,
                        size_t *word)
{
    size_t n = t->ncols;
    size_t *floor = colw; /* colw doubles as the floors until the end */

    assert(n > 0);
    for (size_t c = 0; c < n; c++) {
        nat[c] = t->head ? wrapped_width(t->head[c], SIZE_MAX) : 0;
        word[c] = t->head ? longest_word(t->head[c]) : 0;
        for (size_t r = 0; r < t->nrows; r++) {
            size_t w = wrapped_width(t->rows[r].cells[c], SIZE_MAX);
            size_t lw = longest_word(t->rows[r].cells[c]);
            nat[c] = w > nat[c] ? w : nat[c];
            word[c] = lw > word[c] ? lw : word[c];
        }
    }
    /* pass 0: cap 30 with the floor of 10; then each cap without it */
    for (size_t cap = 30, pass = 0;; pass++, cap -= pass > 1) {
        size_t total = 2 * (n - 1);
        for (size_t c = 0; c < n; c++) {
            size_t fl = word[c] > cap ? cap : word[c];
            size_t least = pass == 0 ? 10 : 1;
            fl = fl < least ? least : fl;
            floor[c] = fl < nat[c] ? fl : nat[c];
            wrap[c] = nat[c];
            total += nat[c];
        }
        while (total > width) {
            size_t best = n;
            for (size_t c = 0; c < n; c++) {
                if (wrap[c] > floor[c] && (best == n || wrap[c] > wrap[best])) {
                    best = c;
                }
            }
            if (best == n) {
                break; /* every column at its floor */
            }
            size_t cut = wrap[best] - floor[best];
            if (cut > total - width) {
                cut = total - width;
            }
            wrap[best] -= cut;
            total -= cut;
        }
        if (total <= width || cap == MIN_CAP) {
            break; /* fits, or prints wider than width at the narrowest floors */
        }
    }
    size_t used = 2 * (n - 1);
    for (size_t c = 0; c < n; c++) {
        colw[c] = column_width(t, c, wrap[c]);
        used += colw[c];
    }
    /* Wrapped lines come out narrower than the width they were wrapped to:
       give what is left back, whole, to the wrapped columns that need least
       to be unwrapped (a pack id broken two letters short of fitting). */
    for (;;) {
        size_t best = n;
        for (size_t c = 0; c < n; c++) {
            if (wrap[c] < nat[c] && used + nat[c] - colw[c] <= width &&
                (best == n || nat[c] - colw[c] < nat[best] - colw[best])) {
                best = c;
            }
        }
        if (best == n) {
            break;
        }
        used += nat[best] - colw[best];
        wrap[best] = colw[best] = nat[best];
    }
}

int table_print(const table *t, FILE *out, int width, int color)
{
    strbuf sb = STRBUF_INIT;
    size_t *wrap = NULL, *colw = NULL, *nat = NULL, *word = NULL;
    wrapper *its = NULL;
    printer pr;
    int rc = -1;

    if (!t || !out) {
        return -1;
    }
    size_t w = width > 0 ? (size_t)width : 80;
    wrap = calloc(t->ncols, sizeof *wrap);
    colw = calloc(t->ncols, sizeof *colw);
    nat = calloc(t->ncols, sizeof *nat);
    word = calloc(t->ncols, sizeof *word);
    its = calloc(t->ncols, sizeof *its);
    if (!wrap || !colw || !nat || !word || !its) {
        goto done;
    }
    fit_columns(t, w, wrap, colw, nat, word);

    pr = (printer){t, &sb, wrap, colw, its, color};
    if (t->head) {
        size_t total = 2 * (t->ncols - 1);
        for (size_t c = 0; c < t->ncols; c++) {
            total += colw[c];
        }
        print_cells(&pr, t->head, NULL);
        for (size_t i = 0; i < total; i++) {
            sb_putc(&sb, '-');
        }
        sb_putc(&sb, '\n');
    }
    print_notes(&sb, &t->top, w);
    for (size_t r = 0; r < t->nrows; r++) {
        print_cells(&pr, t->rows[r].cells, t->rows[r].styles);
        print_notes(&sb, &t->rows[r].notes, w);
    }
    if (sb_failed(&sb)) {
        goto done;
    }
    if (fwrite(sb.data, 1, sb.len, out) != sb.len || ferror(out)) {
        goto done;
    }
    rc = 0;
done:
    sb_free(&sb);
    free(wrap);
    free(colw);
    free(nat);
    free(word);
    free(its);
    return rc;
}

int table_print_text(FILE *out, const char *text, int width, int indent)
{
    char *clean_text = text_clean(text ? text : "");
    if (!clean_text || !out) {
        free(clean_text);
        return -1;
    }
    size_t w = width > 0 ? (size_t)width : 80;
    size_t in = indent > 0 && (size_t)indent + 10 < w ? (size_t)indent : 0;
    strbuf sb = STRBUF_INIT;
    wrapper it;
    size_t start, len, lw;
    int first = 1;
    wrap_init(&it, clean_text);
    while (wrap_next(&it, it.para ? w : w - in, &start, &len, &lw, &first)) {
        const char *seg = (const char *)it.s + start;
        while (len > 0 && seg[len - 1] == ' ') {
            len--;
        }
        if (len > 0 && !first) {
            put_spaces(&sb, in);
        }
        sb_append(&sb, seg, len);
        sb_putc(&sb, '\n');
    }
    int rc = !sb_failed(&sb) && fwrite(sb.data, 1, sb.len, out) == sb.len && !ferror(out)
                 ? 0
                 : -1;
    sb_free(&sb);
    free(clean_text);
    return rc;
}

/* ---------------------------------------------------------------------------
 * The terminal.
 */

int table_use_color(FILE *f)
{
    const char *no = getenv("NO_COLOR");
    if (no && *no) {
        return 0;
    }
    int fd = f ? fileno(f) : -1;
    return fd >= 0 && isatty(fd);
}

int table_term_width(FILE *f)
{
    const char *env = getenv("COLUMNS");
    if (env && *env >= '0' && *env <= '9') {
        char *end;
        errno = 0;
        long v = strtol(env, &end, 10);
        if (*end == '\0' && errno == 0 && v > 0 && v <= INT_MAX) {
            return (int)v;
        }
    }
    int fd = f ? fileno(f) : -1;
    if (fd >= 0 && isatty(fd)) {
        struct winsize ws;
        if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
            return ws.ws_col;
        }
    }
    return 80;
}
