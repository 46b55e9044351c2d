/*
 * import_plan.c — the roadmap's files: status updates of assignments in bulk
 * (as a spreadsheet comes back from the schools) and earlier listings (the
 * lists of years before shnor, so cohorts and exit rules have a past).
 */
#include <stdlib.h>
#include <string.h>

#include "importInt.h"
#include "period.h"
#include "store.h"
#include "strbuf.h"
#include "strmap.h"

/* ------------------------------------------------------------- statuses */

enum { ST_ID, ST_STATUS, ST_EVIDENCE, ST_DATE, ST_BY, ST_NCOLS };

static const char *const syn_id[] = {"номер", "№", "id поручения", NULL};
static const char *const syn_status[] = {"статус", "состояние", NULL};
/* Not «отчетный документ» nor «исполнитель»/«ответственный»: the columns of
   `roadmap --format csv` so named are the plan's document type and the
   owner, and that file comes back with its Статус filled in. */
static const char *const syn_evidence[] = {"подтверждение", "основание", NULL};
/* status_date: the column `assignments --format csv` writes, so its file comes back. */
static const char *const syn_date[] = {"дата", "дата исполнения", "status_date", NULL};
static const char *const syn_by[] = {"кто", "кем", "кто отметил", NULL};

static const col_spec status_specs[ST_NCOLS] = {
    [ST_ID] = {"id", syn_id, 1},
    [ST_STATUS] = {"status", syn_status, 1},
    [ST_EVIDENCE] = {"evidence", syn_evidence, 0},
    [ST_DATE] = {"date", syn_date, 0},
    [ST_BY] = {"by", syn_by, 0},
};

int plan_status_date(const char *text, char iso[11], char *err, size_t errlen)
{
    shnor_date d;
    if (shnor_date_parse(text, &d, err, errlen) != SHNOR_OK) {
        return PLAN_DATE_BAD;
    }
    shnor_date_format(d, iso, 11);
    if (d > date_today()) {
        snprintf(err, errlen, "%s is after today; a status is dated the day it was reached",
                 iso);
        return PLAN_DATE_LATER;
    }
    return 0;
}

/* planned, in_progress, done, cancelled — or their Russian names. */
const char *plan_status_parse(const char *s, size_t len)
{
    static const struct {
        const char *word, *status;
    } words[] = {{"planned", "planned"},       {"запланировано", "planned"},
                 {"in_progress", "in_progress"}, {"в работе", "in_progress"},
                 {"выполняется", "in_progress"}, {"done", "done"},
                 {"выполнено", "done"},          {"исполнено", "done"},
                 {"cancelled", "cancelled"},     {"отменено", "cancelled"}};
    char buf[64];
    if (len >= sizeof buf) {
        return NULL;
    }
    size_t n = text_fold(s, len, buf);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strlen(words[i].word) == n && memcmp(words[i].word, buf, n) == 0) {
            return words[i].status;
        }
    }
    return NULL;
}

typedef struct {
    int64_t id;
    const char *status;
    char *evidence, *date, *by;
    long line;
    int col;
} status_in;

/* The row before rows[n] giving the same assignment, or NULL. */
static const status_in *same_id(const status_in *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (rows[i].id == rows[n].id) {
            return &rows[i];
        }
    }
    return NULL;
}

int imp_statuses(import_ctx *c)
{
    int col[ST_NCOLS];
    unsigned char *used = calloc(c->ncols ? c->ncols : 1, 1);
    status_in *rows = NULL;
    size_t n = 0, cap = 0;
    long records = 0, changed = 0;
    int64_t batch = 0;
    int status = SHNOR_OK;
    if (!used) {
        return shnor_seterr(c->db, SHNOR_NOMEM, "out of memory");
    }
    if (imp_map_columns(c, status_specs, ST_NCOLS, col, used) != 0) {
        free(used);
        return SHNOR_OK;
    }
    csv_record rec;
    while (imp_next(c, &rec) > 0) {
        records++;
        if (!imp_row_fits(c, &rec)) {
            continue;
        }
        status_in *r = imp_add_row(c, (void **)&rows, &n, &cap, sizeof *r);
        if (!r) {
            status = SHNOR_NOMEM;
            goto done;
        }
        r->line = rec.field_lines[col[ST_ID]];
        r->col = col[ST_ID] + 1;
        size_t len = rec.lens[col[ST_ID]];
        const char *s = imp_trim(rec.fields[col[ST_ID]], &len);
        char *end = NULL;
        char num[32];
        snprintf(num, sizeof num, "%.*s", (int)(len < 31 ? len : 31), s);
        r->id = len ? strtoll(num, &end, 10) : 0;
        if (!len || !end || *end || r->id <= 0) {
            imp_error(c, rec.field_lines[col[ST_ID]], col[ST_ID] + 1,
                      "column '%s': '%.*s' is not an assignment number (see 'shnor "
                      "assignments')",
                      imp_header(c, col[ST_ID] + 1), (int)len, s);
            r->id = 0;
        } else {
            const status_in *twice = same_id(rows, n - 1);
            if (twice) {
                imp_error(c, r->line, r->col,
                          "assignment %lld is given twice: also on line %ld", (long long)r->id,
                          twice->line);
            }
        }
        len = rec.lens[col[ST_STATUS]];
        s = imp_trim(rec.fields[col[ST_STATUS]], &len);
        if (!(r->status = plan_status_parse(s, len))) {
            imp_error(c, rec.field_lines[col[ST_STATUS]], col[ST_STATUS] + 1,
                      "column '%s': '%.*s' is not a status; expected planned (запланировано), "
                      "in_progress (в работе), done (выполнено) or cancelled (отменено)",
                      imp_header(c, col[ST_STATUS] + 1), (int)len, s);
        }
        r->evidence = imp_cell_dup(&rec, col[ST_EVIDENCE]);
        r->date = imp_cell_dup(&rec, col[ST_DATE]);
        r->by = imp_cell_dup(&rec, col[ST_BY]);
        char err[200], iso[11];
        if (r->date && plan_status_date(r->date, iso, err, sizeof err) != 0) {
            imp_error(c, rec.field_lines[col[ST_DATE]], col[ST_DATE] + 1, "column '%s': %s",
                      imp_header(c, col[ST_DATE] + 1), err);
        } else if (r->date) {
            /* both forms taken are ten characters: rewritten in place */
            memcpy(r->date, iso, sizeof iso);
        }
    }
    /*
     * The updates run in one transaction even when rows were refused, so that
     * an unknown assignment is reported with the other errors; any error rolls
     * the whole file back.
     */
    store_batch_info info = {"statuses", c->name, c->sha256, c->encoding,
                             c->opt && c->opt->user ? c->opt->user : shnor_user()};
    if ((status = store_begin(c->db)) != SHNOR_OK ||
        (status = store_batch_create(c->db, &info, &batch)) != SHNOR_OK) {
        goto done;
    }
    for (size_t i = 0; i < n && status == SHNOR_OK; i++) {
        const status_in *r = &rows[i];
        int did = 0;
        if (!r->id || !r->status) {
            continue;
        }
        /* A row returned as it was sent (planned, untouched) is not a
           decision: only a change makes the status the person's. */
        status = store_assignment_set(c->db, r->id, r->status, r->evidence, r->date,
                                      r->by ? r->by : c->opt ? c->opt->user : NULL, 0, &did);
        if (status == SHNOR_NOTFOUND) {
            imp_error(c, r->line, r->col, "there is no assignment %lld (see 'shnor assignments')",
                      (long long)r->id);
            status = SHNOR_OK;
        }
        changed += did;
    }
    if (status == SHNOR_OK && !c->nerrs) {
        status = store_batch_finish(c->db, batch, records, 0, changed, (long)n - changed);
    }
    if (status != SHNOR_OK || c->nerrs) {
        store_rollback(c->db);
        goto done;
    }
    if ((status = store_commit(c->db)) == SHNOR_OK && c->res) {
        c->res->rows = records;
        c->res->replaced = changed;
        c->res->unchanged = (long)n - changed;
        c->res->batch = batch;
    }
done:
    for (size_t i = 0; i < n; i++) {
        free(rows[i].evidence);
        free(rows[i].date);
        free(rows[i].by);
    }
    free(rows);
    free(used);
    return status;
}

/* ------------------------------------------------------------- listings */

enum { L_SCHOOL, L_PERIOD, L_CATEGORY, L_PACK, L_COHORT, L_NCOLS };

static const char *const syn_school[] = {"код оо", "код школы", "код", NULL};
static const char *const syn_period[] = {"период", "год", "учебный год", NULL};
static const char *const syn_category[] = {"категория", NULL};
static const char *const syn_pack[] = {"пакет", NULL};
static const char *const syn_cohort[] = {"когорта", NULL};

static const col_spec listing_specs[L_NCOLS] = {
    [L_SCHOOL] = {"school", syn_school, 1},   [L_PERIOD] = {"period", syn_period, 1},
    [L_CATEGORY] = {"category", syn_category, 1}, [L_PACK] = {"pack", syn_pack, 0},
    [L_COHORT] = {"cohort", syn_cohort, 0},
};

typedef struct {
    int64_t school;
    char period[SHNOR_PERIOD_MAX];
    char *category, *pack, *cohort;
} listing_in;

int imp_listings(import_ctx *c)
{
    int col[L_NCOLS];
    unsigned char *used = calloc(c->ncols ? c->ncols : 1, 1);
    listing_in *rows = NULL;
    size_t n = 0, cap = 0;
    long records = 0, counts[3] = {0, 0, 0}; /* counts by STORE_* outcome */
    int64_t batch;
    int status = SHNOR_OK;
    strmap *seen = strmap_new();
    if (!used || !seen) {
        free(used);
        strmap_free(seen);
        return shnor_seterr(c->db, SHNOR_NOMEM, "out of memory");
    }
    if (imp_map_columns(c, listing_specs, L_NCOLS, col, used) != 0) {
        free(used);
        strmap_free(seen);
        return SHNOR_OK;
    }
    csv_record rec;
    while (imp_next(c, &rec) > 0) {
        records++;
        if (!imp_row_fits(c, &rec)) {
            continue;
        }
        listing_in *r = imp_add_row(c, (void **)&rows, &n, &cap, sizeof *r);
        if (!r) {
            status = SHNOR_NOMEM;
            goto done;
        }
        char *school = imp_cell_dup(&rec, col[L_SCHOOL]);
        if (!school || store_school_id(c->db, school, &r->school) != SHNOR_OK || !r->school) {
            size_t sl = school ? strlen(school) : 0;
            imp_error(c, rec.field_lines[col[L_SCHOOL]], col[L_SCHOOL] + 1,
                      "column '%s': unknown school '%.*s%s'; import it first with 'shnor "
                      "import schools'",
                      imp_header(c, col[L_SCHOOL] + 1), imp_brief(school ? school : "", sl),
                      school ? school : "", sl > IMP_BRIEF ? "…" : "");
        }
        size_t len = rec.lens[col[L_PERIOD]];
        const char *s = imp_trim(rec.fields[col[L_PERIOD]], &len);
        shnor_period p;
        char err[300];
        if (period_parse_n(s, len, &p, err, sizeof err) != SHNOR_OK) {
            imp_error(c, rec.field_lines[col[L_PERIOD]], col[L_PERIOD] + 1, "column '%s': %s",
                      imp_header(c, col[L_PERIOD] + 1), err);
        } else {
            shnor_period_format(p, r->period, sizeof r->period);
        }
        r->category = imp_cell_dup(&rec, col[L_CATEGORY]);
        if (!r->category) {
            imp_error(c, rec.field_lines[col[L_CATEGORY]], col[L_CATEGORY] + 1,
                      "column '%s': the category is empty", imp_header(c, col[L_CATEGORY] + 1));
        }
        r->pack = imp_cell_dup(&rec, col[L_PACK]);
        r->cohort = imp_cell_dup(&rec, col[L_COHORT]);
        /* one school, period, pack and category once: a second row with
           another cohort would silently win */
        if (school && r->period[0] && r->category) {
            strbuf key = STRBUF_INIT;
            sb_printf(&key, "%s, %s, %s%s%s", school, r->period, r->category,
                      r->pack ? ", pack " : "", r->pack ? r->pack : "");
            if (key.data) {
                imp_first_time(c, seen, key.data, rec.line, 0, "listing");
            }
            sb_free(&key);
        }
        free(school);
    }
    if (c->nerrs) {
        goto done;
    }
    store_batch_info info = {"listings", c->name, c->sha256, c->encoding,
                             c->opt && c->opt->user ? c->opt->user : shnor_user()};
    if ((status = store_begin(c->db)) != SHNOR_OK) {
        goto done;
    }
    status = store_batch_create(c->db, &info, &batch);
    for (size_t i = 0; i < n && status == SHNOR_OK; i++) {
        int outcome = STORE_UNCHANGED;
        status = store_listing_put(c->db, rows[i].school, rows[i].period, rows[i].pack,
                                   rows[i].category, rows[i].cohort, batch, &outcome);
        counts[outcome]++;
    }
    if (status == SHNOR_OK) {
        status = store_batch_finish(c->db, batch, records, counts[STORE_INSERTED],
                                    counts[STORE_UPDATED], counts[STORE_UNCHANGED]);
    }
    if (status != SHNOR_OK) {
        store_rollback(c->db);
        goto done;
    }
    if ((status = store_commit(c->db)) == SHNOR_OK && c->res) {
        c->res->rows = records;
        c->res->inserted = counts[STORE_INSERTED];
        c->res->replaced = counts[STORE_UPDATED];
        c->res->unchanged = counts[STORE_UNCHANGED];
        c->res->batch = batch;
    }
done:
    for (size_t i = 0; i < n; i++) {
        free(rows[i].category);
        free(rows[i].pack);
        free(rows[i].cohort);
    }
    free(rows);
    free(used);
    strmap_free(seen);
    return status;
}
