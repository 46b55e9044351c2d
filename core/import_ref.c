/*
 * import_ref.c — the reference files: the school register (with any extra
 * columns kept as the school's attributes) and the indicator catalogue.
 *
 * Both are small (tens of thousands of rows at most), so rows are checked
 * into memory and then upserted one by one inside one transaction.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importInt.h"
#include "numfmt.h"
#include "store.h"
#include "strmap.h"

/* Records an error when a required cell is empty; returns 1 when it is there. */
static int need(import_ctx *c, const csv_record *rec, int idx, const char *what,
                const char *value)
{
    if (value) {
        return 1;
    }
    imp_error(c, rec->field_lines[idx], idx + 1, "column '%s': %s is empty",
              imp_header(c, idx + 1), what);
    return 0;
}

/* A copy of s folded as names are matched (case, ё, spaces; text_fold);
   NULL when out of memory. */
static char *fold_dup(const char *s)
{
    size_t len = strlen(s);
    char *out = malloc(len + 1);
    if (out) {
        out[text_fold(s, len, out)] = '\0';
    }
    return out;
}

/* ---------------------------------------------------------------- schools */

enum { S_CODE, S_NAME, S_TERRITORY, S_REGION, S_KIND, S_SETTLEMENT, S_NCOLS };

static const char *const syn_code[] = {"код",
                                       "код оо",
                                       "код школы",
                                       "код организации",
                                       "код образовательной организации",
                                       "school",
                                       NULL};
static const char *const syn_name[] = {"наименование",
                                       "наименование оо",
                                       "название",
                                       "школа",
                                       "наименование школы",
                                       "наименование образовательной организации",
                                       "полное наименование",
                                       NULL};
static const char *const syn_territory[] = {"территория", "муниципалитет", "район",
                                            "муниципальное образование", "мо",
                                            "муниципальный район", NULL};
static const char *const syn_region[] = {"регион", "субъект", "субъект рф", NULL};
static const char *const syn_kind[] = {"тип", "вид", "тип оо", NULL};
static const char *const syn_settlement[] = {"населенный пункт", "поселение", "нас. пункт",
                                             NULL};

static const col_spec school_specs[S_NCOLS] = {
    [S_CODE] = {"code", syn_code, 1},
    [S_NAME] = {"name", syn_name, 1},
    [S_TERRITORY] = {"territory", syn_territory, 1},
    [S_REGION] = {"region", syn_region, 0},
    [S_KIND] = {"kind", syn_kind, 0},
    [S_SETTLEMENT] = {"settlement", syn_settlement, 0},
};

typedef struct {
    char *v[S_NCOLS];
    char **attrs; /* one per header column; NULL when not an attribute or empty */
    long line;
} school_in;

static void school_in_free(school_in *s, size_t ncols)
{
    for (int i = 0; i < S_NCOLS; i++) {
        free(s->v[i]);
    }
    if (s->attrs) {
        for (size_t k = 0; k < ncols; k++) {
            free(s->attrs[k]);
        }
        free(s->attrs);
    }
}

/* The territories' names as first written, by their folded form (case, ё
   and spaces, as headers match): «георгиевский  городской округ» typed in a
   register is Георгиевский городской округ, not a second territory that
   takes its schools out of the pack. Loaded once per file. */
typedef struct {
    strmap *by_fold; /* folded name -> index into names */
    char **names;
    size_t n, cap;
} spellings;

static void spellings_free(spellings *sp)
{
    for (size_t i = 0; i < sp->n; i++) {
        free(sp->names[i]);
    }
    free(sp->names);
    strmap_free(sp->by_fold);
}

/* The name name is stored under: a known spelling, or name, which becomes
   one. NULL when memory ran out. */
static const char *spelling_of(spellings *sp, const char *name)
{
    size_t len = strlen(name);
    char *folded = malloc(len + 1);
    if (!folded) {
        return NULL;
    }
    size_t flen = text_fold(name, len, folded);
    int added;
    int64_t *slot = strmap_put(sp->by_fold, folded, flen, &added);
    free(folded);
    if (!slot) {
        return NULL;
    }
    if (!added) {
        return sp->names[*slot];
    }
    if (sp->n == sp->cap) {
        size_t ncap = sp->cap ? sp->cap * 2 : 64;
        char **nv = realloc(sp->names, ncap * sizeof *nv);
        if (!nv) {
            return NULL;
        }
        sp->names = nv;
        sp->cap = ncap;
    }
    if (!(sp->names[sp->n] = strdup(name))) {
        return NULL;
    }
    *slot = (int64_t)sp->n;
    return sp->names[sp->n++];
}

static int spellings_load(shnor *db, spellings *sp)
{
    char **names = NULL;
    size_t n = 0;
    if (!(sp->by_fold = strmap_new())) {
        return shnor_seterr(db, SHNOR_NOMEM, "out of memory");
    }
    int status = store_territory_names(db, &names, &n);
    for (size_t i = 0; i < n; i++) {
        /* the oldest spelling of a name wins */
        if (status == SHNOR_OK && !spelling_of(sp, names[i])) {
            status = shnor_seterr(db, SHNOR_NOMEM, "out of memory");
        }
        free(names[i]);
    }
    free(names);
    return status;
}

static int territory_id(import_ctx *c, strmap *cache, spellings *sp, const char *name,
                        int64_t parent, int64_t *id, int *moved)
{
    *moved = 0;
    int added;
    int64_t *slot = strmap_put(cache, name, strlen(name), &added);
    if (!slot) {
        return shnor_seterr(c->db, SHNOR_NOMEM, "out of memory");
    }
    if (!added) {
        *id = *slot;
        return SHNOR_OK;
    }
    const char *stored = spelling_of(sp, name);
    if (!stored) {
        return shnor_seterr(c->db, SHNOR_NOMEM, "out of memory");
    }
    int status = store_territory_ensure(c->db, stored, parent, id, moved);
    *slot = *id;
    return status;
}

/* The names the attribute columns are stored under. A column whose header is
   an attribute already stored in another spelling (case, ё or spaces, as
   headers are matched: "ИСБ" then "Исб") updates that attribute under the
   stored spelling, so that one attribute never becomes two. names[k] points
   into c->headers or into *stored (sorted), which the caller frees. */
static int attr_spellings(import_ctx *c, const char **names, char ***stored, size_t *nstored)
{
    int status = store_attr_names(c->db, stored, nstored);
    for (size_t k = 0; k < c->ncols; k++) {
        names[k] = c->headers[k];
        for (size_t i = 0; status == SHNOR_OK && i < *nstored; i++) {
            const char *name = (*stored)[i];
            size_t len = strlen(name);
            char *folded = malloc(len + 1);
            if (!folded) {
                status = shnor_seterr(c->db, SHNOR_NOMEM, "out of memory");
                break;
            }
            text_fold(name, len, folded);
            int same = c->folded[k][0] && strcmp(folded, c->folded[k]) == 0;
            free(folded);
            if (strcmp(name, c->headers[k]) == 0) {
                names[k] = c->headers[k]; /* as spelt wins over another spelling */
                break;
            }
            if (same && names[k] == c->headers[k]) {
                names[k] = name;
            }
        }
    }
    return status;
}

static int write_schools(import_ctx *c, const unsigned char *used, school_in *rows, size_t n,
                         long records)
{
    shnor *db = c->db;
    long inserted = 0, updated = 0, unchanged = 0;
    int64_t batch;
    const char **attr_name = NULL;
    char **stored = NULL;
    size_t nstored = 0;
    strmap *territories = strmap_new(), *regions = strmap_new();
    spellings sp = {0};
    store_batch_info info = {"schools", c->name, c->sha256, c->encoding,
                             c->opt && c->opt->user ? c->opt->user : shnor_user()};
    int status = territories && regions ? store_begin(db)
                                        : shnor_seterr(db, SHNOR_NOMEM, "out of memory");
    if (status != SHNOR_OK) {
        goto done;
    }
    if ((status = store_batch_create(db, &info, &batch)) != SHNOR_OK ||
        (status = spellings_load(db, &sp)) != SHNOR_OK) {
        goto fail;
    }
    if (!(attr_name = malloc((c->ncols + 1) * sizeof *attr_name))) {
        status = shnor_seterr(db, SHNOR_NOMEM, "out of memory");
        goto fail;
    }
    if ((status = attr_spellings(c, attr_name, &stored, &nstored)) != SHNOR_OK) {
        goto fail;
    }
    /* kept by name also when no cell has a value yet (migration 6) */
    for (size_t k = 0; k < c->ncols; k++) {
        if (!used[k] && (status = store_attr_column_add(db, attr_name[k])) != SHNOR_OK) {
            goto fail;
        }
    }
    for (size_t i = 0; i < n; i++) {
        school_in *s = &rows[i];
        int64_t region = 0, terr, id;
        int outcome, moved, unused;
        if (s->v[S_REGION] && (status = territory_id(c, regions, &sp, s->v[S_REGION], 0,
                                                     &region, &unused)) != SHNOR_OK) {
            goto fail;
        }
        if ((status = territory_id(c, territories, &sp, s->v[S_TERRITORY], region, &terr,
                                   &moved)) != SHNOR_OK) {
            goto fail;
        }
        store_school rec = {s->v[S_CODE], s->v[S_NAME], terr, s->v[S_KIND],
                            s->v[S_SETTLEMENT]};
        if ((status = store_school_upsert(db, &rec, &id, &outcome)) != SHNOR_OK) {
            goto fail;
        }
        if (moved && outcome == STORE_UNCHANGED) {
            outcome = STORE_UPDATED; /* its territory moved to another region */
        }
        for (size_t k = 0; k < c->ncols; k++) {
            int changed;
            if (!s->attrs[k]) {
                continue;
            }
            if ((status = store_school_attr_set(db, id, attr_name[k], s->attrs[k],
                                                &changed)) != SHNOR_OK) {
                goto fail;
            }
            if (changed && outcome == STORE_UNCHANGED) {
                outcome = STORE_UPDATED;
            }
        }
        inserted += outcome == STORE_INSERTED;
        updated += outcome == STORE_UPDATED;
        unchanged += outcome == STORE_UNCHANGED;
    }
    char *loop;
    if ((status = store_territory_cycle(db, &loop)) != SHNOR_OK) {
        goto fail;
    }
    if (loop) {
        /* the first row that puts the territory in a region: its region is,
           through its own regions, in the territory */
        const school_in *at = NULL;
        for (size_t i = 0; i < n && !at; i++) {
            if (rows[i].v[S_REGION] && text_same(rows[i].v[S_TERRITORY], loop) == 1) {
                at = &rows[i];
            }
        }
        if (at) {
            status = shnor_seterr(db, SHNOR_INPUT,
                                  "%s:%ld: territory '%s' is in region '%s', which is in '%s' "
                                  "through its own regions: a territory cannot be a region "
                                  "of itself; nothing was imported from this file",
                                  c->name, at->line, loop, at->v[S_REGION], loop);
        } else {
            status = shnor_seterr(db, SHNOR_INPUT,
                                  "%s: the region column makes territory '%s' a region of "
                                  "itself (through its regions); nothing was imported from "
                                  "this file",
                                  c->name, loop);
        }
        free(loop);
        goto fail;
    }
    if ((status = store_batch_finish(db, batch, records, inserted, updated, unchanged)) !=
        SHNOR_OK) {
        goto fail;
    }
    if ((status = store_commit(db)) != SHNOR_OK) {
        goto done;
    }
    if (c->res) {
        c->res->rows = records;
        c->res->inserted = inserted;
        c->res->replaced = updated;
        c->res->unchanged = unchanged;
        c->res->batch = batch;
    }
    goto done;
fail:
    store_rollback(db);
done:
    spellings_free(&sp);
    strmap_free(territories);
    strmap_free(regions);
    for (size_t i = 0; i < nstored; i++) {
        free(stored[i]);
    }
    free(stored);
    free(attr_name);
    return status;
}

/* A territory is in one region: rows[i] must name the one an earlier row
   gave it (region_of: territory -> the first row with a region, + 1). */
static void same_region(import_ctx *c, strmap *region_of, const school_in *rows, size_t i,
                        const csv_record *rec, int rcol)
{
    const char *terr = rows[i].v[S_TERRITORY], *region = rows[i].v[S_REGION];
    int added;
    char *key = fold_dup(terr);
    int64_t *slot = key ? strmap_put(region_of, key, strlen(key), &added) : NULL;
    free(key);
    if (!slot) {
        return;
    }
    if (added) {
        *slot = (int64_t)i + 1;
        return;
    }
    const school_in *first = &rows[*slot - 1];
    if (text_same(first->v[S_REGION], region) == 0) {
        imp_error(c, rec->field_lines[rcol], rcol + 1,
                  "column '%s': territory '%s' is in region '%s' on line %ld, not in '%s'; "
                  "a territory is in one region",
                  imp_header(c, rcol + 1), terr, first->v[S_REGION], first->line, region);
    }
}

int imp_schools(import_ctx *c)
{
    int col[S_NCOLS];
    unsigned char *used = calloc(c->ncols ? c->ncols : 1, 1);
    strmap *seen = strmap_new(), *region_of = strmap_new();
    school_in *rows = NULL;
    size_t n = 0, cap = 0;
    long records = 0;
    int status = SHNOR_OK;
    if (!used || !seen || !region_of) {
        status = shnor_seterr(c->db, SHNOR_NOMEM, "out of memory");
        goto done;
    }
    if (imp_map_columns(c, school_specs, S_NCOLS, col, used) != 0) {
        goto done;
    }
    for (size_t k = 0; k < c->ncols; k++) {
        /* Two columns of one name (as headers are matched: case, ё and
           spaces aside): each row would keep only the last cell. */
        for (size_t j = 0; j < k; j++) {
            if (c->folded[k][0] && strcmp(c->folded[j], c->folded[k]) == 0) {
                imp_error(c, c->header_line, (int)k + 1,
                          "column '%s' is column %zu '%s' again; keep one of them",
                          c->headers[k], j + 1, c->headers[j]);
                break;
            }
        }
    }
    if (c->nerrs) {
        goto done;
    }
    csv_record rec;
    int r;
    while ((r = imp_next(c, &rec)) > 0) {
        records++;
        if (!imp_row_fits(c, &rec)) {
            continue;
        }
        school_in *s = imp_add_row(c, (void **)&rows, &n, &cap, sizeof *s);
        if (!s) {
            status = SHNOR_NOMEM;
            goto done;
        }
        s->line = rec.line;
        for (int i = 0; i < S_NCOLS; i++) {
            s->v[i] = imp_cell_dup(&rec, col[i]);
        }
        s->attrs = calloc(c->ncols, sizeof *s->attrs);
        if (!s->attrs) {
            status = shnor_seterr(c->db, SHNOR_NOMEM, "out of memory");
            goto done;
        }
        for (size_t k = 0; k < c->ncols; k++) {
            if (!used[k]) {
                s->attrs[k] = imp_cell_dup(&rec, (int)k);
            }
        }
        int ok = need(c, &rec, col[S_CODE], "the school code", s->v[S_CODE]);
        ok &= need(c, &rec, col[S_NAME], "the school name", s->v[S_NAME]);
        ok &= need(c, &rec, col[S_TERRITORY], "the territory", s->v[S_TERRITORY]);
        if (s->v[S_CODE]) {
            imp_first_time(c, seen, s->v[S_CODE], rec.line, col[S_CODE] + 1, "school code");
        }
        if (s->v[S_TERRITORY] && s->v[S_REGION] &&
            text_same(s->v[S_TERRITORY], s->v[S_REGION]) == 1) {
            imp_error(c, rec.field_lines[col[S_REGION]], col[S_REGION] + 1,
                      "column '%s': this makes territory '%s' a region of itself; name the "
                      "region it is in, or leave the cell empty",
                      imp_header(c, col[S_REGION] + 1), s->v[S_TERRITORY]);
        } else if (s->v[S_TERRITORY] && s->v[S_REGION]) {
            same_region(c, region_of, rows, n - 1, &rec, col[S_REGION]);
        }
        (void)ok;
    }
    if (r == 0 && c->nerrs == 0) {
        status = write_schools(c, used, rows, n, records);
    }
done:
    for (size_t i = 0; i < n; i++) {
        school_in_free(&rows[i], c->ncols);
    }
    free(rows);
    free(used);
    strmap_free(seen);
    strmap_free(region_of);
    return status;
}

/* ------------------------------------------------------------- indicators */

enum { I_CODE, I_TITLE, I_UNIT, I_BETTER, I_MIN, I_MAX, I_NCOLS };

static const char *const syn_icode[] = {"код", "код показателя", NULL};
static const char *const syn_title[] = {"наименование", "название", "показатель",
                                        "наименование показателя", NULL};
static const char *const syn_unit[] = {"единица", "ед. изм.", "единица измерения", "ед.изм.",
                                       NULL};
static const char *const syn_better[] = {"лучше", "направление", NULL};
static const char *const syn_min[] = {"минимум", "мин", "min", NULL};
static const char *const syn_max[] = {"максимум", "макс", "max", NULL};

static const col_spec indicator_specs[I_NCOLS] = {
    [I_CODE] = {"code", syn_icode, 1},     [I_TITLE] = {"title", syn_title, 1},
    [I_UNIT] = {"unit", syn_unit, 1},      [I_BETTER] = {"better", syn_better, 1},
    [I_MIN] = {"min", syn_min, 0},         [I_MAX] = {"max", syn_max, 0},
};

/* An indicator code as packs and wide-file headers name it, kept plain: 1..64 characters (not
   bytes: Cyrillic codes are as long as Latin ones), none of them a space, a
   control character or what ends or quotes a cell (, ; " ' =). Returns NULL
   when usable, else why not. */
#define CODE_MAX_CHARS 64
static const char *code_unusable(const char *s, char *why, size_t whylen)
{
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        chars += (*p & 0xC0) != 0x80;
        if (*p <= ' ' || *p == ',' || *p == ';' || *p == '"' || *p == '\'' || *p == '=') {
            if (*p == ' ') {
                snprintf(why, whylen, "it has a space");
            } else if (*p < ' ') {
                snprintf(why, whylen, "it has a control character (0x%02X)", *p);
            } else {
                snprintf(why, whylen, "it has '%c'", *p);
            }
            return why;
        }
    }
    if (chars > CODE_MAX_CHARS) {
        snprintf(why, whylen, "it is %zu characters long", chars);
        return why;
    }
    return NULL;
}

static int read_bound(import_ctx *c, const csv_record *rec, int idx, double *out)
{
    *out = NAN;
    if (idx < 0) {
        return 1;
    }
    char err[160];
    int percent;
    int r = num_parse(rec->fields[idx], rec->lens[idx], out, &percent, err, sizeof err);
    if (r == NUM_EMPTY) {
        *out = NAN;
        return 1;
    }
    if (r == NUM_BAD || percent) {
        imp_error(c, rec->field_lines[idx], idx + 1, "column '%s': %s", imp_header(c, idx + 1),
                  r == NUM_BAD ? err : "a bound is a plain number, without '%'");
        *out = NAN;
        return 0;
    }
    return 1;
}

/*
 * An indicator's bounds narrow its unit's range, never widen it: a share
 * with "max 100" would take 12.5 (1250 %), a count with "min -10" would take
 * -3. Records an error for bound b (column idx) outside the range of unit,
 * returns 0; 1 when it fits or is not given.
 */
static int bound_fits_unit(import_ctx *c, const csv_record *rec, int idx, double b, int unit)
{
    double lo, hi;
    unit_range(unit, &lo, &hi);
    if (isnan(b) || ((isnan(lo) || b >= lo) && (isnan(hi) || b <= hi))) {
        return 1;
    }
    size_t len = rec->lens[idx];
    const char *s = imp_trim(rec->fields[idx], &len);
    char range[RANGE_BUFSZ], hint[IMP_BRIEF + NUM_BUFSZ + 80] = "";
    range_text(lo, hi, range);
    if (unit == UNIT_SHARE && b > 1 && b <= 100) {
        char as_share[NUM_BUFSZ];
        double fraction;
        num_parse_hundredths(s, len, NUM_HUNDREDTHS_ALWAYS, &fraction, NULL, NULL, 0);
        num_format(fraction, as_share);
        snprintf(hint, sizeof hint, "; a share is a fraction of 1: for %.*s%% write %s",
                 imp_brief(s, len), s, as_share);
    }
    imp_error(c, rec->field_lines[idx], idx + 1,
              "column '%s': %.*s%s is outside the range of unit %s (%s); the bounds of an "
              "indicator narrow its unit's range%s",
              imp_header(c, idx + 1), imp_brief(s, len), s, len > IMP_BRIEF ? "…" : "",
              unit_name(unit), range, hint);
    return 0;
}

typedef struct {
    indicator ind;
    long line;
    int refused; /* a cell of the row was refused */
} indicator_in;

int imp_indicators(import_ctx *c)
{
    int col[I_NCOLS];
    unsigned char *used = calloc(c->ncols ? c->ncols : 1, 1);
    strmap *seen = strmap_new();
    indicator_in *rows = NULL;
    size_t n = 0, cap = 0;
    long records = 0, inserted = 0, updated = 0, unchanged = 0;
    int64_t batch;
    int status = SHNOR_OK;
    if (!used || !seen) {
        status = shnor_seterr(c->db, SHNOR_NOMEM, "out of memory");
        goto done;
    }
    if (imp_map_columns(c, indicator_specs, I_NCOLS, col, used) != 0) {
        goto done;
    }
    for (size_t k = 0; k < c->ncols; k++) {
        if (!used[k]) {
            imp_error(c, c->header_line, (int)k + 1,
                      "unexpected column '%s'; an indicator file has code, title, unit, "
                      "better, min, max",
                      c->headers[k]);
        }
    }
    if (c->nerrs) {
        goto done;
    }
    csv_record rec;
    int r;
    while ((r = imp_next(c, &rec)) > 0) {
        records++;
        if (!imp_row_fits(c, &rec)) {
            continue;
        }
        indicator_in *in = imp_add_row(c, (void **)&rows, &n, &cap, sizeof *in);
        if (!in) {
            status = SHNOR_NOMEM;
            goto done;
        }
        size_t errs_before = c->nerrs;
        in->line = rec.line;
        in->ind.code = imp_cell_dup(&rec, col[I_CODE]);
        in->ind.title = imp_cell_dup(&rec, col[I_TITLE]);
        if (need(c, &rec, col[I_CODE], "the indicator code", in->ind.code)) {
            char why[64];
            if (code_unusable(in->ind.code, why, sizeof why)) {
                imp_error(c, rec.field_lines[col[I_CODE]], col[I_CODE] + 1,
                          "column '%s': '%.*s%s' is not usable as a code: %s; a code is up to "
                          "%d characters without spaces, commas, semicolons, quotes or '=' "
                          "(ege_rus, ВПР-5.мат)",
                          imp_header(c, col[I_CODE] + 1),
                          imp_brief(in->ind.code, strlen(in->ind.code)), in->ind.code,
                          strlen(in->ind.code) > IMP_BRIEF ? "…" : "", why, CODE_MAX_CHARS);
            } else {
                imp_first_time(c, seen, in->ind.code, rec.line, col[I_CODE] + 1,
                           "indicator code");
            }
        }
        need(c, &rec, col[I_TITLE], "the title", in->ind.title);
        size_t len = rec.lens[col[I_UNIT]];
        const char *s = imp_trim(rec.fields[col[I_UNIT]], &len);
        if (!(in->ind.unit = unit_parse(s, len))) {
            imp_error(c, rec.field_lines[col[I_UNIT]], col[I_UNIT] + 1,
                      "column '%s': '%.*s%s' is not a unit; expected share (доля, 0..1), "
                      "percent, score, count, index or flag",
                      imp_header(c, col[I_UNIT] + 1), imp_brief(s, len), s,
                      len > IMP_BRIEF ? "…" : "");
        }
        len = rec.lens[col[I_BETTER]];
        s = imp_trim(rec.fields[col[I_BETTER]], &len);
        if (!(in->ind.better = better_parse(s, len))) {
            imp_error(c, rec.field_lines[col[I_BETTER]], col[I_BETTER] + 1,
                      "column '%s': '%.*s%s' is not a direction; expected higher (выше) or "
                      "lower (ниже)",
                      imp_header(c, col[I_BETTER] + 1), imp_brief(s, len), s,
                      len > IMP_BRIEF ? "…" : "");
        }
        int ok = read_bound(c, &rec, col[I_MIN], &in->ind.min);
        ok &= read_bound(c, &rec, col[I_MAX], &in->ind.max);
        if (in->ind.unit) {
            ok &= bound_fits_unit(c, &rec, col[I_MIN], in->ind.min, in->ind.unit);
            ok &= bound_fits_unit(c, &rec, col[I_MAX], in->ind.max, in->ind.unit);
        }
        if (ok && !isnan(in->ind.min) && !isnan(in->ind.max) && in->ind.min > in->ind.max) {
            char lo[NUM_BUFSZ], hi[NUM_BUFSZ];
            num_format(in->ind.min, lo);
            num_format(in->ind.max, hi);
            imp_error(c, rec.field_lines[col[I_MAX]], col[I_MAX] + 1,
                      "column '%s': the maximum %s is below the minimum %s of column '%s'",
                      imp_header(c, col[I_MAX] + 1), hi, lo, imp_header(c, col[I_MIN] + 1));
        }
        in->refused = c->nerrs > errs_before;
    }
    if (r != 0 || imp_full(c)) {
        goto done;
    }
    /* A change the stored values forbid (a unit, a bound) is found by the
       store in the transaction: looked for in the other rows even when cells
       were refused, so that the file's errors are all said at once, and then
       rolled back. */
    int cells_refused = c->nerrs > 0;
    store_batch_info info = {"indicators", c->name, c->sha256, c->encoding,
                             c->opt && c->opt->user ? c->opt->user : shnor_user()};
    /* With cells refused the upserts are a trial: not worth waiting for
       another writer, whose lock leaves the cells' errors as the ones said. */
    if ((status = cells_refused ? store_begin_now(c->db) : store_begin(c->db)) != SHNOR_OK) {
        if (cells_refused) {
            status = SHNOR_OK;
        }
        goto done;
    }
    if ((status = store_batch_create(c->db, &info, &batch)) != SHNOR_OK) {
        status = cells_refused ? SHNOR_OK : status; /* (a read-only file, say) */
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        int outcome;
        if (rows[i].refused) {
            continue;
        }
        /* A bound column the file does not have keeps what is stored. */
        unsigned keep = (col[I_MIN] < 0 ? STORE_KEEP_MIN : 0) |
                        (col[I_MAX] < 0 ? STORE_KEEP_MAX : 0);
        status = store_indicator_upsert(c->db, &rows[i].ind, keep, &outcome);
        if (status == SHNOR_INPUT) {
            /* A refused change: report it at its line like any other error. */
            int at = outcome == STORE_REFUSED_UNIT ? col[I_UNIT]
                     : col[I_MAX] >= 0             ? col[I_MAX]
                                                   : col[I_MIN];
            imp_error(c, rows[i].line, at + 1, "%s", shnor_errmsg(c->db));
            continue; /* the next rows may be refused too: report them all */
        }
        if (status != SHNOR_OK) {
            status = cells_refused ? SHNOR_OK : status;
            goto fail;
        }
        inserted += outcome == STORE_INSERTED;
        updated += outcome == STORE_UPDATED;
        unchanged += outcome == STORE_UNCHANGED;
    }
    if (c->nerrs) {
        goto fail; /* nothing is written; import_owned reports the errors */
    }
    if ((status = store_batch_finish(c->db, batch, records, inserted, updated, unchanged)) !=
            SHNOR_OK ||
        (status = store_commit(c->db)) != SHNOR_OK) {
        goto fail;
    }
    if (c->res) {
        c->res->rows = records;
        c->res->inserted = inserted;
        c->res->replaced = updated;
        c->res->unchanged = unchanged;
        c->res->batch = batch;
    }
    goto done;
fail:
    store_rollback(c->db);
done:
    for (size_t i = 0; i < n; i++) {
        free(rows[i].ind.code);
        free(rows[i].ind.title);
    }
    free(rows);
    free(used);
    strmap_free(seen);
    return status;
}
