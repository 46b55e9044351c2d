/*
 * import_header.c — an import's header line: read its cells, fold them for
 * matching, and find each standard column by --map, by its own name or by a
 * synonym people write for it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "importInt.h"
#include "model.h"
#include "strbuf.h"

int imp_read_header(import_ctx *c)
{
    csv_record rec;
    int r = imp_next(c, &rec);
    if (r < 0) {
        return -1;
    }
    if (r == 0) {
        imp_error(c, 0, 0, "the file is empty; expected a header line naming the columns");
        return -1;
    }
    c->header_line = rec.line;
    c->ncols = c->header_cells = rec.nfields;
    c->headers = calloc(rec.nfields, sizeof *c->headers);
    c->folded = calloc(rec.nfields, sizeof *c->folded);
    if (!c->headers || !c->folded) {
        return -1;
    }
    for (size_t i = 0; i < rec.nfields; i++) {
        size_t len = rec.lens[i];
        const char *s = imp_text(rec.fields[i], &len);
        c->headers[i] = strndup(s, len);
        c->folded[i] = malloc(len + 1);
        if (!c->headers[i] || !c->folded[i]) {
            return -1;
        }
        text_fold(s, len, c->folded[i]);
    }
    /* A trailing separator (Excel's, after a column once formatted) makes
       unnamed columns at the end: not columns at all. Their cells must be
       empty (imp_next). */
    while (c->ncols > 1 && !*c->headers[c->ncols - 1]) {
        c->ncols--;
        free(c->headers[c->ncols]);
        free(c->folded[c->ncols]);
    }
    return 0;
}

/* Matches spec against a folded header cell. */
static int spec_matches(const col_spec *s, const char *folded)
{
    if (strcmp(s->std, folded) == 0) {
        return 1;
    }
    for (const char *const *syn = s->synonyms; syn && *syn; syn++) {
        if (strcmp(*syn, folded) == 0) {
            return 1;
        }
    }
    return 0;
}

int imp_map_columns(import_ctx *c, const col_spec *specs, size_t nspecs, int *index,
                    unsigned char *used)
{
    size_t before = c->nerrs;
    uint64_t by_map = 0; /* the standard columns --map chose, by their index */
    for (size_t i = 0; i < nspecs; i++) {
        index[i] = -1;
    }
    /* --map std='Header' entries win over synonyms. */
    for (size_t m = 0; c->opt && m < c->opt->nmap; m++) {
        const char *entry = c->opt->map[m];
        const char *eq = strchr(entry, '=');
        if (!eq) {
            imp_error(c, 0, 0, "--map '%s' is not of the form column='Header in the file'",
                      entry);
            continue;
        }
        size_t k = 0;
        while (k < nspecs && (strlen(specs[k].std) != (size_t)(eq - entry) ||
                              strncmp(specs[k].std, entry, (size_t)(eq - entry)) != 0)) {
            k++;
        }
        if (k == nspecs) {
            strbuf names = STRBUF_INIT;
            for (size_t i = 0; i < nspecs; i++) {
                sb_printf(&names, "%s%s", i ? ", " : "", specs[i].std);
            }
            imp_error(c, 0, 0, "--map '%s': '%.*s' is not a column of this import; expected one of %s",
                      entry, (int)(eq - entry), entry, names.data);
            sb_free(&names);
            continue;
        }
        char *want = malloc(strlen(eq + 1) + 1);
        if (!want) {
            continue;
        }
        text_fold(eq + 1, strlen(eq + 1), want);
        size_t col = 0;
        while (col < c->ncols && strcmp(c->folded[col], want) != 0) {
            col++;
        }
        free(want);
        if (col == c->ncols) {
            imp_error(c, c->header_line, 0, "--map '%s': the header has no column '%s'", entry,
                      eq + 1);
            continue;
        }
        if (index[k] >= 0 || used[col]) {
            /* the second mapping would silently replace the first, or one
               column would be read as two */
            imp_error(c, c->header_line, (int)col + 1,
                      index[k] >= 0 ? "--map '%s': column '%s' is mapped twice"
                                    : "--map '%s': the header's column '%s' is mapped already "
                                      "to another column",
                      entry, index[k] >= 0 ? specs[k].std : c->headers[col]);
            continue;
        }
        index[k] = (int)col;
        used[col] = 1;
        by_map |= k < 64 ? (uint64_t)1 << k : 0;
    }
    /* Then a column named exactly as the standard column: it wins over a
       synonym, so a school register's attribute «Вид» beside `kind` (as
       shnor's own export writes them) is an attribute, not a second kind. */
    for (size_t i = 0; i < nspecs; i++) {
        for (size_t col = 0; index[i] < 0 && col < c->ncols; col++) {
            if (!used[col] && strcmp(c->folded[col], specs[i].std) == 0) {
                index[i] = (int)col;
                used[col] = 1;
            }
        }
    }
    for (size_t i = 0; i < nspecs; i++) {
        if (index[i] >= 0) {
            continue;
        }
        for (size_t col = 0; col < c->ncols; col++) {
            if (!spec_matches(&specs[i], c->folded[col])) {
                continue;
            }
            if (used[col]) {
                imp_error(c, c->header_line, (int)col + 1,
                          "column '%s' could be '%s' or another column; say which with "
                          "--map",
                          c->headers[col], specs[i].std);
                continue;
            }
            if (index[i] >= 0) {
                imp_error(c, c->header_line, (int)col + 1,
                          "columns %d '%s' and %d '%s' both look like '%s'; say which with "
                          "--map %s='...'",
                          index[i] + 1, c->headers[index[i]], (int)col + 1, c->headers[col],
                          specs[i].std, specs[i].std);
                continue;
            }
            index[i] = (int)col;
            used[col] = 1;
        }
    }
    for (size_t i = 0; i < nspecs; i++) {
        if (index[i] < 0 && specs[i].required) {
            strbuf got = STRBUF_INIT;
            for (size_t col = 0; col < c->ncols; col++) {
                sb_printf(&got, "%s'%s'", col ? ", " : "", c->headers[col]);
            }
            imp_error(c, c->header_line, 0,
                      "no '%s' column; the header has %s (a Russian header can be mapped "
                      "with --map %s='...')",
                      specs[i].std, got.data, specs[i].std);
            sb_free(&got);
        }
    }
    /* A second column for a standard one would be passed over (a statuses or
       listings file ignores columns it does not read, so that an export
       goes back in) and its cells silently lost. A register's synonym
       beside the standard name is one of its attributes instead («Вид»
       beside `kind`), and one that --map did not choose is not a guess. */
    for (size_t col = 0; col < c->ncols; col++) {
        for (size_t i = 0; !used[col] && c->folded[col][0] && i < nspecs; i++) {
            int at = index[i];
            int chosen = i < 64 && (by_map >> i & 1);
            if (at < 0 || (!chosen && strcmp(c->folded[at], specs[i].std) != 0)) {
                continue; /* found by a synonym: the pass above said it */
            }
            if (strcmp(c->folded[col], c->folded[at]) == 0) {
                imp_error(c, c->header_line, (int)col + 1,
                          "column '%s' is column %d '%s' again; keep one of them",
                          c->headers[col], at + 1, c->headers[at]);
                break;
            }
            if (c->kind != SHNOR_IMPORT_SCHOOLS && !chosen &&
                spec_matches(&specs[i], c->folded[col])) {
                size_t lo = (size_t)at < col ? (size_t)at : col;
                size_t hi = (size_t)at < col ? col : (size_t)at;
                imp_error(c, c->header_line, (int)col + 1,
                          "columns %zu '%s' and %zu '%s' both look like '%s'; keep one of them, "
                          "or say which with --map %s='...'",
                          lo + 1, c->headers[lo], hi + 1, c->headers[hi], specs[i].std,
                          specs[i].std);
                break;
            }
        }
    }
    if (c->nerrs > before) {
        return -1;
    }
    /* An empty column in the middle of a sheet (a spacer, or one emptied
       and not deleted) holds nothing to import: it is passed over, and
       imp_next refuses a cell with text under it. */
    for (size_t col = 0; col < c->ncols; col++) {
        if (!used[col] && c->headers[col][0] == '\0') {
            if (!c->unnamed && !(c->unnamed = calloc(c->ncols, 1))) {
                imp_error(c, 0, 0, "out of memory");
                return -1;
            }
            c->unnamed[col] = 1;
            used[col] = 1;
        }
    }
    return 0;
}
