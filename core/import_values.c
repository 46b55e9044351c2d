/*
 * import_values.c — indicator values: school x indicator x period -> value.
 *
 * Two layouts, told apart by the header:
 *  - long: school,indicator,period,value — one value per row;
 *  - wide: school,period,<indicator>... — one column per indicator, named by
 *    its code or its title.
 * An empty cell is "no value" and writes nothing (it never means zero).
 *
 * Every row is checked and kept as a compact record; then the records are
 * sorted into the observations table's key order (import_values_sort.c),
 * which puts duplicates side by side (reported with both lines) and lets
 * SQLite append instead of splitting pages, and written in one transaction — once that transaction
 * has found the indicators the rows use as they were checked
 * (catalogue_holds): the file is read without holding the write lock.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "datelike.h"
#include "importInt.h"
#include "importValuesInt.h"
#include "numfmt.h"
#include "period.h"
#include "store.h"
#include "strmap.h"

/* Columns read in both layouts, and columns a values file may carry for the
   reader's sake (a school's name next to its code), which are ignored. */
enum { V_SCHOOL, V_INDICATOR, V_PERIOD, V_VALUE, V_NAME, V_TERRITORY, V_KIND, V_SETTLEMENT,
       V_REGION, V_NCOLS };

static const char *const syn_school[] = {"код оо",  "код школы", "код организации",
                                         "код",     "school_code", "оо",
                                         "код образовательной организации", NULL};
static const char *const syn_indicator[] = {"показатель", "код показателя", "индикатор",
                                            "indicator_code", NULL};
static const char *const syn_period[] = {"период", "год", "учебный год", "year", NULL};
static const char *const syn_value[] = {"значение", "величина", "value", NULL};
static const char *const syn_name[] = {"наименование", "наименование оо", "название",
                                       "школа", "наименование школы", NULL};
static const char *const syn_territory[] = {"территория", "муниципалитет", "район",
                                            "муниципальное образование", "мо", NULL};
static const char *const syn_kind[] = {"тип", "вид", "тип оо", NULL};
static const char *const syn_settlement[] = {"населенный пункт", "поселение", NULL};
static const char *const syn_region[] = {"регион", "субъект", "субъект рф", NULL};

static const col_spec value_specs[V_NCOLS] = {
    [V_SCHOOL] = {"school", syn_school, 1},
    [V_INDICATOR] = {"indicator", syn_indicator, 0},
    [V_PERIOD] = {"period", syn_period, 1},
    [V_VALUE] = {"value", syn_value, 0},
    [V_NAME] = {"name", syn_name, 0},
    [V_TERRITORY] = {"territory", syn_territory, 0},
    [V_KIND] = {"kind", syn_kind, 0},
    [V_SETTLEMENT] = {"settlement", syn_settlement, 0},
    [V_REGION] = {"region", syn_region, 0},
};

static int add_school(void *arg, const char *code, int64_t id)
{
    int64_t *slot = strmap_put(arg, code, strlen(code), NULL);
    if (!slot) {
        return 1;
    }
    *slot = id;
    return 0;
}

/* Words a flag indicator accepts besides 0 and 1: ИСТИНА and ЛОЖЬ are what
   a Russian Excel writes for a boolean cell. */
static int flag_word(const char *s, size_t len, double *v)
{
    static const struct {
        const char *word;
        double v;
    } words[] = {{"да", 1},   {"нет", 0},    {"истина", 1}, {"ложь", 0},
                 {"yes", 1},  {"no", 0},     {"true", 1},   {"false", 0}};
    char buf[16];
    if (len >= sizeof buf) {
        return 0;
    }
    size_t n = text_fold(s, len, buf);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strlen(words[i].word) == n && memcmp(words[i].word, buf, n) == 0) {
            *v = words[i].v;
            return 1;
        }
    }
    return 0;
}

/*
 * Checks one value cell for indicator ind and converts it to the stored unit.
 * Returns 1 with *out set, 0 for an empty cell, -1 after recording an error.
 */
static int read_value(values_ctx *v, const indicator *ind, const char *cell, size_t len,
                      long line, int col, double *out)
{
    import_ctx *c = v->c;
    char err[160];
    double x;
    int percent = 0;
    /* A share written as a percent is read as hundredths. */
    int r = num_parse_hundredths(cell, len,
                                 ind->unit == UNIT_SHARE ? NUM_HUNDREDTHS_IF_PERCENT
                                                         : NUM_AS_WRITTEN,
                                 &x, &percent, err, sizeof err);
    if (r == NUM_EMPTY) {
        return 0;
    }
    if (r == NUM_BAD) {
        if (ind->unit == UNIT_FLAG && flag_word(cell, len, &x)) {
            *out = x;
            return 1;
        }
        char date[400];
        const char *hint = datelike_number_hint(cell, len, date, sizeof date) ? date : err;
        if (ind->unit == UNIT_FLAG) {
            imp_error(c, line, col,
                      "column '%s': '%.*s%s' is not a flag; expected 1 or 0 (да/нет, "
                      "ИСТИНА/ЛОЖЬ, yes/no, true/false) for indicator '%s'",
                      imp_header(c, col), imp_brief(cell, len), cell,
                      len > IMP_BRIEF ? "…" : "", ind->code);
            return -1;
        }
        imp_error(c, line, col, "column '%s': %s; expected a number for indicator '%s' (%s)",
                  imp_header(c, col), hint, ind->code, unit_name(ind->unit));
        return -1;
    }
    if (percent) {
        if (ind->unit != UNIT_SHARE && ind->unit != UNIT_PERCENT) {
            imp_error(c, line, col,
                      "column '%s': '%.*s%s' has a percent sign, but indicator '%s' is %s "
                      "%s, not a share or a percent",
                      imp_header(c, col), imp_brief(cell, len), cell,
                      len > IMP_BRIEF ? "…" : "", ind->code, unit_article(ind->unit),
                      unit_name(ind->unit));
            return -1;
        }
    }
    /* 245,5 pupils is a mean or a share pasted into the wrong column. */
    const char *unfit = ind->unit == UNIT_FLAG && x != 0 && x != 1
                            ? "is not a flag value; indicator '%s' takes 1 (да) or 0 (нет)"
                        : ind->unit == UNIT_COUNT && x != floor(x)
                            ? "is not a whole number; indicator '%s' is a count (of pupils, "
                              "teachers, services)"
                            : NULL;
    if (unfit) {
        char why[512]; /* codes are short; a long one is cut, not overrun */
        snprintf(why, sizeof why, unfit, ind->code);
        imp_error(c, line, col, "column '%s': %.*s%s %s", imp_header(c, col),
                  imp_brief(cell, len), cell, len > IMP_BRIEF ? "…" : "", why);
        return -1;
    }
    double lo, hi;
    indicator_range(ind, &lo, &hi);
    if ((!isnan(lo) && x < lo) || (!isnan(hi) && x > hi)) {
        /* The cell is quoted briefly: a 5 MB cell makes no 5 MB message. */
        int brief = imp_brief(cell, len);
        const char *more = len > IMP_BRIEF ? "…" : "";
        char range[RANGE_BUFSZ];
        range_text(lo, hi, range);
        const char *hint = "";
        char hintbuf[2 * IMP_BRIEF + NUM_BUFSZ + 100] = "";
        if (ind->unit == UNIT_SHARE && !percent && x > 1 && x <= 100) {
            char as_share[NUM_BUFSZ];
            double fraction;
            num_parse_hundredths(cell, len, NUM_HUNDREDTHS_ALWAYS, &fraction, NULL, NULL, 0);
            num_format(fraction, as_share);
            snprintf(hintbuf, sizeof hintbuf,
                     "; a share is a fraction of 1: if %.*s%s%% was meant, write '%.*s%s%%' "
                     "or %s",
                     brief, cell, more, brief, cell, more, as_share);
            hint = hintbuf;
        }
        imp_error(c, line, col,
                  "column '%s': %.*s%s is outside the range of indicator '%s' (%s, %s)%s",
                  imp_header(c, col), brief, cell, more, ind->code, unit_name(ind->unit),
                  range, hint);
        return -1;
    }
    *out = x;
    return 1;
}

static int push_row(values_ctx *v, size_t ind, uint32_t period, int64_t school, double value,
                    long line, int col)
{
    if (v->nrows == v->cap) {
        size_t ncap = v->cap ? v->cap * 2 : 4096;
        obs_row *nr = realloc(v->rows, ncap * sizeof *nr);
        if (!nr) {
            return -1;
        }
        v->rows = nr;
        v->cap = ncap;
    }
    v->rows[v->nrows++] = (obs_row){(uint32_t)ind, period, school, value, line, col, 0};
    v->ind_used[ind] = 1;
    return 0;
}

/* Looks up the school cell; returns its id or 0 after recording an error. */
static int64_t read_school(values_ctx *v, const csv_record *rec, int idx)
{
    size_t len = rec->lens[idx];
    const char *s = imp_text(rec->fields[idx], &len);
    if (len == 0) {
        imp_error(v->c, rec->field_lines[idx], idx + 1, "column '%s': the school code is empty",
                  imp_header(v->c, idx + 1));
        return 0;
    }
    if (len == v->last_school_len && memcmp(s, v->last_school, len) == 0) {
        return v->last_school_id;
    }
    int64_t *id = strmap_get(v->schools, s, len);
    if (!id) {
        imp_error(v->c, rec->field_lines[idx], idx + 1,
                  "column '%s': unknown school '%.*s%s'; import it first with "
                  "'shnor import schools'",
                  imp_header(v->c, idx + 1), imp_brief(s, len), s,
                  len > IMP_BRIEF ? "…" : "");
        return 0;
    }
    if (len < sizeof v->last_school) {
        memcpy(v->last_school, s, len);
        v->last_school_len = len;
        v->last_school_id = *id;
    }
    return *id;
}

/* Reads the period cell; returns its index + 1 or 0 after recording an error. */
static uint32_t read_period(values_ctx *v, const csv_record *rec, int idx)
{
    size_t len = rec->lens[idx];
    const char *s = imp_trim(rec->fields[idx], &len);
    if (len && len == v->last_period_len && memcmp(s, v->last_period, len) == 0) {
        return v->last_period_idx;
    }
    char err[300];
    shnor_period p;
    if (period_parse_n(s, len, &p, err, sizeof err) != SHNOR_OK) {
        imp_error(v->c, rec->field_lines[idx], idx + 1, "column '%s': %s",
                  imp_header(v->c, idx + 1), err);
        return 0;
    }
    char canon[SHNOR_PERIOD_MAX];
    size_t n = shnor_period_format(p, canon, sizeof canon);
    int added;
    int64_t *slot = strmap_put(v->periods, canon, n, &added);
    if (!slot) {
        return 0;
    }
    if (added) {
        *slot = (int64_t)strmap_count(v->periods) - 1;
    }
    if (len < sizeof v->last_period) {
        memcpy(v->last_period, s, len);
        v->last_period_len = len;
        v->last_period_idx = (uint32_t)*slot + 1;
    }
    return (uint32_t)*slot + 1;
}

static int find_indicator(values_ctx *v, const char *s, size_t len, size_t *idx)
{
    int64_t *slot = strmap_get(v->ind_by_code, s, len);
    if (slot) {
        *idx = (size_t)*slot;
        return 1;
    }
    return 0;
}

/* An indicator by its title as the catalogue has it, or by its code in
   another case (case, ё and extra spaces aside), as a wide file's headers are
   matched: a long file made from a report names indicators so. Only when the
   code is not found: the common case folds nothing. A title two indicators
   share names neither: -1. */
static int find_by_title(values_ctx *v, const char *s, size_t len, size_t *idx)
{
    char small[256];
    char *folded = len < sizeof small ? small : malloc(len + 1);
    if (!folded) {
        return 0;
    }
    int64_t *t = strmap_get(v->ind_by_title, folded, text_fold(s, len, folded));
    if (folded != small) {
        free(folded);
    }
    if (t && *t > 0) {
        *idx = (size_t)(*t - 1);
        return 1;
    }
    return t ? -1 : 0;
}

/* 1 when text folds to want (folded already); buf is reused between calls. */
static int folds_to(const char *text, const char *want, char **buf)
{
    size_t len = strlen(text);
    char *nb = realloc(*buf, len + 1);
    if (!nb) {
        return 0;
    }
    *buf = nb;
    nb[text_fold(text, len, nb)] = '\0';
    return strcmp(nb, want) == 0;
}

/* The codes of the indicators whose title or code is s, as headers are
   matched (folded), for the message on a name several share. */
static void codes_with_title(const values_ctx *v, const char *s, size_t len, strbuf *sb)
{
    char *want = malloc(len + 1), *have = NULL;
    if (!want) {
        return;
    }
    want[text_fold(s, len, want)] = '\0';
    for (size_t i = 0, n = 0; i < v->ninds; i++) {
        if (folds_to(v->inds[i].title, want, &have) || folds_to(v->inds[i].code, want, &have)) {
            sb_printf(sb, "%s%s", n++ ? ", " : "", v->inds[i].code);
        }
    }
    free(have);
    free(want);
}

static void list_indicators(values_ctx *v, strbuf *sb)
{
    for (size_t i = 0; i < v->ninds && i < 12; i++) {
        sb_printf(sb, "%s%s", i ? ", " : "", v->inds[i].code);
    }
    if (v->ninds > 12) {
        sb_printf(sb, ", ... (%zu in all)", v->ninds);
    }
    if (v->ninds == 0) {
        sb_puts(sb, "none yet; import them with 'shnor import indicators'");
    }
}

static int read_long(values_ctx *v, const int *col)
{
    import_ctx *c = v->c;
    csv_record rec;
    int r;
    while ((r = imp_next(c, &rec)) > 0) {
        v->records++;
        if (!imp_row_fits(c, &rec)) {
            continue;
        }
        int64_t school = read_school(v, &rec, col[V_SCHOOL]);
        uint32_t period = read_period(v, &rec, col[V_PERIOD]);
        int ic = col[V_INDICATOR];
        size_t ilen = rec.lens[ic];
        const char *is = imp_text(rec.fields[ic], &ilen);
        size_t ind;
        if (ilen == 0) {
            imp_error(c, rec.field_lines[ic], ic + 1,
                      "column '%s': the indicator is empty; give its code", imp_header(c, ic + 1));
            continue;
        }
        int found = find_indicator(v, is, ilen, &ind);
        if (!found) {
            found = find_by_title(v, is, ilen, &ind);
        }
        if (found < 0) {
            strbuf codes = STRBUF_INIT;
            codes_with_title(v, is, ilen, &codes);
            imp_error(c, rec.field_lines[ic], ic + 1,
                      "column '%s': '%.*s%s' names several indicators, by their code or "
                      "title as headers are matched (case, ё and spaces aside): %s; give the "
                      "exact code of the one meant",
                      imp_header(c, ic + 1), imp_brief(is, ilen), is,
                      ilen > IMP_BRIEF ? "…" : "", codes.data ? codes.data : "");
            sb_free(&codes);
            continue;
        }
        if (!found) {
            strbuf known = STRBUF_INIT;
            list_indicators(v, &known);
            imp_error(c, rec.field_lines[ic], ic + 1,
                      "column '%s': unknown indicator '%.*s%s'; known: %s",
                      imp_header(c, ic + 1), imp_brief(is, ilen), is,
                      ilen > IMP_BRIEF ? "…" : "", known.data);
            sb_free(&known);
            continue;
        }
        int vc = col[V_VALUE];
        double value;
        /* Rows after an error are kept too: a value given twice is found in
           sorting, and is said with the other errors, not after they are fixed. */
        if (read_value(v, &v->inds[ind], rec.fields[vc], rec.lens[vc], rec.field_lines[vc],
                       vc + 1, &value) <= 0 ||
            !school || !period) {
            continue;
        }
        if (push_row(v, ind, period - 1, school, value, rec.field_lines[vc], vc + 1) < 0) {
            return shnor_seterr(c->db, SHNOR_NOMEM, "out of memory reading %s", c->name);
        }
    }
    return SHNOR_OK;
}

static int read_wide(values_ctx *v, const int *col, const unsigned char *used)
{
    import_ctx *c = v->c;
    size_t *ind_of = calloc(c->ncols, sizeof *ind_of);
    if (!ind_of) {
        return shnor_seterr(c->db, SHNOR_NOMEM, "out of memory");
    }
    size_t nind = 0;
    for (size_t k = 0; k < c->ncols; k++) {
        if (used[k]) {
            continue;
        }
        size_t len = strlen(c->headers[k]);
        size_t ind;
        int64_t *t;
        if (find_indicator(v, c->headers[k], len, &ind)) {
            ind_of[k] = ind + 1;
        } else if ((t = strmap_get(v->ind_by_title, c->folded[k], strlen(c->folded[k]))) &&
                   *t > 0) {
            ind_of[k] = (size_t)*t;
        } else {
            strbuf known = STRBUF_INIT;
            list_indicators(v, &known);
            imp_error(c, c->header_line, (int)k + 1,
                      "column '%s' is neither a standard column (school, period, name, "
                      "territory) nor the code or title of a known indicator (%s)%s",
                      c->headers[k], known.data,
                      t ? "; several indicators have this title, use the code" : "");
            sb_free(&known);
        }
        nind += ind_of[k] != 0;
        /* Two columns for one indicator ("ege_rus" and its title): every
           row would give it twice. */
        for (size_t j = 0; ind_of[k] && j < k; j++) {
            if (ind_of[j] == ind_of[k]) {
                imp_error(c, c->header_line, (int)k + 1,
                          "column '%s' is indicator '%s' again, as column %zu '%s' is; keep "
                          "one of them",
                          c->headers[k], v->inds[ind_of[k] - 1].code, j + 1, c->headers[j]);
                break;
            }
        }
    }
    if (nind == 0 && c->nerrs == 0) {
        imp_error(c, c->header_line, 0,
                  "no indicator columns: a long file needs 'indicator' and 'value' columns, a "
                  "wide one a column per indicator");
    }
    if (c->nerrs) {
        /* Rows cannot be read against a header that is wrong. */
        free(ind_of);
        return SHNOR_OK;
    }
    csv_record rec;
    int r;
    while ((r = imp_next(c, &rec)) > 0) {
        v->records++;
        if (!imp_row_fits(c, &rec)) {
            continue;
        }
        int64_t school = read_school(v, &rec, col[V_SCHOOL]);
        uint32_t period = read_period(v, &rec, col[V_PERIOD]);
        for (size_t k = 0; k < c->ncols; k++) {
            if (!ind_of[k]) {
                continue;
            }
            double value;
            if (read_value(v, &v->inds[ind_of[k] - 1], rec.fields[k], rec.lens[k],
                           rec.field_lines[k], (int)k + 1, &value) <= 0 ||
                !school || !period) {
                continue;
            }
            if (push_row(v, ind_of[k] - 1, period - 1, school, value, rec.field_lines[k],
                         (int)k + 1) < 0) {
                free(ind_of);
                return shnor_seterr(c->db, SHNOR_NOMEM, "out of memory reading %s", c->name);
            }
        }
    }
    free(ind_of);
    return SHNOR_OK;
}

/* The sorted rows, one by one, for store_obs_put_many. */
typedef struct {
    const values_ctx *v;
    const char **periods;
    const size_t *plen;
    size_t next;
} feed;

static int next_row(void *arg, store_obs_row *out)
{
    feed *f = arg;
    if (f->next == f->v->nrows) {
        return 0;
    }
    const obs_row *r = &f->v->rows[f->v->order[f->next++]];
    out->indicator_id = f->v->inds[r->indicator].id;
    out->school_id = r->school;
    out->period = f->periods[r->period];
    out->period_len = f->plen[r->period];
    out->value = r->value;
    return 1;
}

static int same_bound(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

/*
 * Says what differs for the checks of a value between indicator then (what
 * the rows were checked against) and now: its unit or its range. Appends it
 * to why and returns 1, or returns 0 when the checks would come out the same.
 */
static int checks_differ(const indicator *then, const indicator *now, strbuf *why)
{
    if (then->unit != now->unit) {
        sb_printf(why, "unit %s, now %s", unit_name(then->unit), unit_name(now->unit));
        return 1;
    }
    double lo0, hi0, lo1, hi1;
    indicator_range(then, &lo0, &hi0);
    indicator_range(now, &lo1, &hi1);
    if (same_bound(lo0, lo1) && same_bound(hi0, hi1)) {
        return 0;
    }
    char r0[RANGE_BUFSZ], r1[RANGE_BUFSZ];
    range_text(lo0, hi0, r0);
    range_text(lo1, hi1, r1);
    sb_printf(why, "range %s, now %s", r0, r1);
    return 1;
}

/*
 * The rows were checked against the catalogue read before the file was
 * parsed, outside any transaction: holding the write lock through parsing
 * would stall every other import for as long as a national file takes to
 * read. Called once the write transaction is open (nothing read now can
 * change before the commit), this reads the catalogue again, and refuses
 * the import when an indicator the rows give values for has another unit or
 * range now — an indicators import committed in between. The catalogue is
 * tens of rows, so this costs nothing next to the rows.
 *
 * Schools need no such check: they are never deleted and their ids never
 * change, so a school the file named is still there with the same id, and
 * one added meanwhile was refused as unknown (and nothing was written).
 */
static int catalogue_holds(values_ctx *v)
{
    shnor *db = v->c->db;
    indicator *now = NULL;
    size_t nnow = 0, found = 0, used = 0;
    strbuf why = STRBUF_INIT;
    int status = store_indicators_load(db, &now, &nnow);
    if (status != SHNOR_OK) {
        return status;
    }
    for (size_t i = 0; i < v->ninds; i++) {
        used += v->ind_used[i];
    }
    /* Codes never change and are never removed: a code is the same indicator. */
    for (size_t k = 0; k < nnow && !why.len; k++) {
        int64_t *slot = strmap_get(v->ind_by_code, now[k].code, strlen(now[k].code));
        if (!slot || !v->ind_used[*slot]) {
            continue;
        }
        found++;
        sb_printf(&why, "indicator '%s': ", now[k].code);
        if (!checks_differ(&v->inds[*slot], &now[k], &why)) {
            sb_reset(&why);
        }
    }
    if (!why.len && found != used) {
        sb_puts(&why, "an indicator the file gives values for is gone");
    }
    if (why.len) {
        status = shnor_seterr(db, SHNOR_DB,
                              "%s: the indicator catalogue changed while the file was read "
                              "(%s); nothing was imported; run the import again",
                              v->c->name, why.data);
    }
    sb_free(&why);
    indicators_free(now, nnow);
    return status;
}

static int write_rows(values_ctx *v, const char **periods)
{
    import_ctx *c = v->c;
    shnor *db = c->db;
    int64_t batch;
    long changed = 0, replaced = 0;
    store_batch_info info = {"values", c->name, c->sha256, c->encoding,
                             c->opt && c->opt->user ? c->opt->user : shnor_user()};
    int status = store_begin(db);
    if (status != SHNOR_OK) {
        return status;
    }
    if ((status = catalogue_holds(v)) != SHNOR_OK ||
        (status = store_batch_create(db, &info, &batch)) != SHNOR_OK) {
        goto fail;
    }
    size_t *plen = calloc(strmap_count(v->periods) + 1, sizeof *plen);
    if (!plen) {
        status = shnor_seterr(db, SHNOR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < strmap_count(v->periods); i++) {
        plen[i] = strlen(periods[i]);
    }
    feed f = {v, periods, plen, 0};
    status = store_obs_put_many(db, batch, next_row, &f, &changed);
    free(plen);
    if (status != SHNOR_OK || (status = store_obs_replaced(db, batch, &replaced)) != SHNOR_OK) {
        goto fail;
    }
    long inserted = changed - replaced, unchanged = (long)v->nrows - changed;
    if ((status = store_batch_finish(db, batch, v->records, inserted, replaced, unchanged)) !=
        SHNOR_OK) {
        goto fail;
    }
    if ((status = store_commit(db)) != SHNOR_OK) {
        return status;
    }
    if (c->res) {
        c->res->rows = v->records;
        c->res->inserted = inserted;
        c->res->replaced = replaced;
        c->res->unchanged = unchanged;
        c->res->batch = batch;
    }
    return SHNOR_OK;
fail:
    store_rollback(db);
    return status;
}

/* Names indicator i by text, folded, in m: i + 1, or -1 when another
   indicator folds alike (a name that names neither). -1 on OOM. */
static int put_folded(strmap *m, const char *text, size_t i)
{
    size_t len = strlen(text);
    char *folded = malloc(len + 1);
    int added = 0;
    int64_t *t = folded ? strmap_put(m, folded, text_fold(text, len, folded), &added) : NULL;
    free(folded);
    if (!t) {
        return -1;
    }
    *t = added || *t == (int64_t)i + 1 ? (int64_t)i + 1 : -1;
    return 0;
}

static int load_reference(values_ctx *v)
{
    shnor *db = v->c->db;
    int status = store_indicators_load(db, &v->inds, &v->ninds);
    if (status != SHNOR_OK) {
        return status;
    }
    v->ind_by_code = strmap_new();
    v->ind_by_title = strmap_new();
    v->schools = strmap_new();
    v->periods = strmap_new();
    v->ind_used = calloc(v->ninds ? v->ninds : 1, 1);
    if (!v->ind_by_code || !v->ind_by_title || !v->schools || !v->periods || !v->ind_used) {
        return shnor_seterr(db, SHNOR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < v->ninds; i++) {
        int64_t *slot = strmap_put(v->ind_by_code, v->inds[i].code, strlen(v->inds[i].code), NULL);
        if (!slot || put_folded(v->ind_by_title, v->inds[i].title, i) != 0) {
            return shnor_seterr(db, SHNOR_NOMEM, "out of memory");
        }
        *slot = (int64_t)i;
    }
    /* The codes folded too, as every header is matched: FAIL_SHARE or
       Fail_Share is fail_share (only when no indicator has that exact code,
       and no other one folds alike). */
    for (size_t i = 0; i < v->ninds; i++) {
        if (put_folded(v->ind_by_title, v->inds[i].code, i) != 0) {
            return shnor_seterr(db, SHNOR_NOMEM, "out of memory");
        }
    }
    status = store_school_each(db, add_school, v->schools);
    return status;
}

int imp_values(import_ctx *c)
{
    values_ctx v;
    int col[V_NCOLS];
    const char **periods = NULL;
    memset(&v, 0, sizeof v);
    v.c = c;
    int status = load_reference(&v);
    unsigned char *used = calloc(c->ncols ? c->ncols : 1, 1);
    if (status != SHNOR_OK || !used) {
        status = status != SHNOR_OK ? status : shnor_seterr(c->db, SHNOR_NOMEM, "out of memory");
        goto done;
    }
    if (imp_map_columns(c, value_specs, V_NCOLS, col, used) != 0) {
        goto done;
    }
    int has_ind = col[V_INDICATOR] >= 0, has_val = col[V_VALUE] >= 0;
    if (has_ind != has_val) {
        strbuf got = STRBUF_INIT;
        for (size_t k = 0; k < c->ncols; k++) {
            sb_printf(&got, "%s'%s'", k ? ", " : "", c->headers[k]);
        }
        const char *missing = has_ind ? "value" : "indicator";
        imp_error(c, c->header_line, 0,
                  "%s column but no '%s' column; the header has %s: name the %s column with "
                  "--map %s='...' (a long file has both: school, indicator, period, value; a "
                  "wide file neither: school, period, then one column per indicator)",
                  has_ind ? "an 'indicator'" : "a 'value'", missing, got.data, missing,
                  missing);
        sb_free(&got);
        goto done;
    }
    if (has_ind) {
        for (size_t k = 0; k < c->ncols; k++) {
            if (!used[k]) {
                imp_error(c, c->header_line, (int)k + 1,
                          "unexpected column '%s' in a long values file (school, indicator, "
                          "period, value); remove it or map it with --map",
                          c->headers[k]);
            }
        }
        if (c->nerrs == 0) {
            status = read_long(&v, col);
        }
    } else {
        status = read_wide(&v, col, used);
    }
    if (status != SHNOR_OK || (c->nerrs && !v.nrows)) {
        goto done;
    }
    /* The rows hold no pointer into the text: let it go before sorting. */
    csv_close(c->csv);
    c->csv = NULL;
    if (values_sort_rows(&v, &periods) != 0) {
        status = shnor_seterr(c->db, SHNOR_NOMEM, "out of memory");
        goto done;
    }
    if (c->nerrs == 0) {
        status = write_rows(&v, periods);
    }
done:
    free(periods);
    free(used);
    free(v.rows);
    free(v.order);
    indicators_free(v.inds, v.ninds);
    strmap_free(v.ind_by_code);
    strmap_free(v.ind_by_title);
    strmap_free(v.schools);
    strmap_free(v.periods);
    free(v.ind_used);
    return status;
}
