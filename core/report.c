/*
 * report.c — a kept run read back into memory for the report writers (see
 * report.h), and the names and small helpers the writers share.
 *
 * Everything is read through the store_run_* functions in one read
 * transaction, so a report is one snapshot even while someone sets statuses.
 * Strings are copied into an arena of large blocks: a report is built once,
 * read by a writer, then freed whole.
 */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "humanfmt.h"

struct report_block {
    report_block *next;
    size_t used, cap;
    char data[];
};

enum { BLOCK_SIZE = 64 * 1024 };

/* A copy of s in r's arena; NULL when memory ran out. */
static char *keep(report *r, const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    report_block *b = r->arena;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > BLOCK_SIZE ? n : BLOCK_SIZE;
        report_block *nb = malloc(sizeof *nb + cap);
        if (!nb) {
            return NULL;
        }
        nb->next = r->arena;
        nb->used = 0;
        nb->cap = cap;
        r->arena = b = nb;
    }
    char *p = b->data + b->used;
    memcpy(p, s ? s : "", n);
    b->used += n;
    return p;
}

/* Grows a dynamic array of elements of size `size` to hold one more. */
static void *grow(void *v, size_t size, size_t n, size_t *cap)
{
    if (n < *cap) {
        return v;
    }
    size_t ncap = *cap ? *cap * 2 : 16;
    void *nv = realloc(v, ncap * size);
    if (nv) {
        *cap = ncap;
    }
    return nv;
}

/* What a load callback needs: the report, the run being filled, capacities. */
typedef struct {
    report *r;
    report_run *rr;
    size_t cap;
    int oom;
} loader;

/* Copies the strings of a row in place: each const char * member named. */
#define KEEP(l, field) ((field) = keep((l)->r, (field)), (l)->oom |= !(field))

static int load_run(void *arg, const store_run *run)
{
    loader *l = arg;
    store_run c = *run;
    KEEP(l, c.pack_id);
    KEEP(l, c.version);
    KEEP(l, c.title);
    KEEP(l, c.order);
    KEEP(l, c.path);
    KEEP(l, c.sha256);
    KEEP(l, c.period);
    KEEP(l, c.listing_period);
    KEEP(l, c.data_sha256);
    KEEP(l, c.user);
    KEEP(l, c.started_at);
    KEEP(l, c.finished_at);
    KEEP(l, c.engine);
    l->rr->run = c;
    return l->oom;
}

static int load_listing(void *arg, const store_run_listing_row *row)
{
    loader *l = arg;
    report_run *rr = l->rr;
    store_run_listing_row *v = grow(rr->listing, sizeof *v, rr->nlisting, &l->cap);
    if (!v) {
        return 1;
    }
    rr->listing = v;
    store_run_listing_row c = *row;
    KEEP(l, c.school);
    KEEP(l, c.name);
    KEEP(l, c.territory);
    KEEP(l, c.category);
    KEEP(l, c.category_title);
    KEEP(l, c.status);
    KEEP(l, c.criteria);
    KEEP(l, c.cohort);
    KEEP(l, c.cohort_title);
    KEEP(l, c.mentor);
    KEEP(l, c.override);
    KEEP(l, c.explanation);
    c.json = ""; /* the writers use the columns, not the JSON */
    v[rr->nlisting++] = c;
    return l->oom;
}

static int load_read(void *arg, const store_run_read_row *row)
{
    loader *l = arg;
    report_run *rr = l->rr;
    store_run_read_row *v = grow(rr->reads, sizeof *v, rr->nreads, &l->cap);
    if (!v) {
        return 1;
    }
    rr->reads = v;
    store_run_read_row c = *row;
    KEEP(l, c.criterion);
    KEEP(l, c.kind);
    KEEP(l, c.indicator);
    KEEP(l, c.period);
    v[rr->nreads++] = c;
    return l->oom;
}

static int load_target(void *arg, const store_run_target_row *row)
{
    loader *l = arg;
    report_run *rr = l->rr;
    store_run_target_row *v = grow(rr->targets, sizeof *v, rr->ntargets, &l->cap);
    if (!v) {
        return 1;
    }
    rr->targets = v;
    store_run_target_row c = *row;
    KEEP(l, c.target);
    KEEP(l, c.title);
    KEEP(l, c.kind);
    KEEP(l, c.meaning);
    KEEP(l, c.scope);
    KEEP(l, c.indicator);
    KEEP(l, c.unit);
    KEEP(l, c.baseline_period);
    KEEP(l, c.period);
    KEEP(l, c.comparison);
    KEEP(l, c.status);
    KEEP(l, c.reason);
    KEEP(l, c.method);
    KEEP(l, c.checkpoint);
    KEEP(l, c.listed_in);
    c.json = "";
    v[rr->ntargets++] = c;
    return l->oom;
}

static int load_item(void *arg, const store_run_item_row *row)
{
    loader *l = arg;
    report_run *rr = l->rr;
    store_run_item_row *v = grow(rr->items, sizeof *v, rr->nitems, &l->cap);
    if (!v) {
        return 1;
    }
    rr->items = v;
    store_run_item_row c = *row;
    KEEP(l, c.activity);
    KEEP(l, c.section);
    KEEP(l, c.title);
    KEEP(l, c.due_text);
    KEEP(l, c.responsible);
    KEEP(l, c.coexecutors);
    KEEP(l, c.result);
    KEEP(l, c.indicator);
    KEEP(l, c.document);
    KEEP(l, c.owner);
    KEEP(l, c.start);
    KEEP(l, c.due);
    KEEP(l, c.status);
    v[rr->nitems++] = c;
    return l->oom;
}

/* Items are stored by seq in order, so a binary search finds a seq's row. */
static long item_index(const report_run *rr, int seq)
{
    size_t lo = 0, hi = rr->nitems;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rr->items[mid].seq < seq) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < rr->nitems && rr->items[lo].seq == seq ? (long)lo : -1;
}

static int load_state(void *arg, const store_run_assignment_row *a)
{
    loader *l = arg;
    long i = item_index(l->rr, a->seq);
    if (i < 0) {
        return 0;
    }
    report_item_state *st = &l->rr->states[i];
    st->status = keep(l->r, a->status);
    st->evidence = keep(l->r, a->evidence);
    st->date = keep(l->r, a->status_date);
    l->oom |= !st->status || !st->evidence || !st->date;
    return l->oom;
}

/* The distinct territories of the listing, in the order first seen. */
static int collect_territories(report *r, report_run *rr)
{
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < rr->nlisting; i++) {
        const char *t = rr->listing[i].territory;
        int seen = !*t;
        for (size_t j = 0; j < i && !seen; j++) {
            seen = strcmp(rr->listing[j].territory, t) == 0;
        }
        if (!seen) {
            sb_printf(&sb, "%s%s", sb.len ? ", " : "", t);
        }
    }
    rr->territory = sb_failed(&sb) ? NULL : keep(r, sb.data);
    sb_free(&sb);
    return rr->territory ? 0 : -1;
}

static int load_one(shnor *db, report *r, report_run *rr, int64_t id)
{
    loader l = {r, rr, 0, 0};
    int status = store_runs_each(db, id, load_run, &l);
    if (status == SHNOR_OK) {
        l.cap = 0;
        status = store_run_listings_each(db, id, load_listing, &l);
    }
    if (status == SHNOR_OK) {
        l.cap = 0;
        status = store_run_reads_each(db, id, load_read, &l);
    }
    if (status == SHNOR_OK) {
        l.cap = 0;
        status = store_run_targets_each(db, id, load_target, &l);
    }
    if (status == SHNOR_OK) {
        l.cap = 0;
        status = store_run_items_each(db, id, load_item, &l);
    }
    if (status == SHNOR_OK && rr->nitems) {
        rr->states = calloc(rr->nitems, sizeof *rr->states);
        if (!rr->states) {
            return shnor_seterr(db, SHNOR_NOMEM, "out of memory reading run %lld",
                                (long long)id);
        }
        for (size_t i = 0; i < rr->nitems; i++) {
            rr->states[i] = (report_item_state){"", "", ""};
        }
        status = store_run_assignments_each(db, id, load_state, &l);
    }
    if (status == SHNOR_OK && (l.oom || collect_territories(r, rr) != 0)) {
        status = shnor_seterr(db, SHNOR_NOMEM, "out of memory reading run %lld",
                              (long long)id);
    }
    return status;
}

int report_load(shnor *db, const int64_t *ids, size_t n, report **out)
{
    *out = NULL;
    report *r = calloc(1, sizeof *r);
    if (!r || !(r->runs = calloc(n ? n : 1, sizeof *r->runs))) {
        free(r);
        return shnor_seterr(db, SHNOR_NOMEM, "out of memory");
    }
    int status = store_begin_read(db);
    if (status == SHNOR_OK) {
        status = store_indicators_load(db, &r->inds, &r->ninds);
        for (size_t i = 0; i < n && status == SHNOR_OK; i++) {
            r->nruns = i + 1;
            status = load_one(db, r, &r->runs[i], ids[i]);
        }
        store_end_read(db);
    }
    if (status != SHNOR_OK) {
        report_free(r);
        return status;
    }
    *out = r;
    return SHNOR_OK;
}

void report_free(report *r)
{
    if (!r) {
        return;
    }
    for (size_t i = 0; i < r->nruns; i++) {
        report_run *rr = &r->runs[i];
        free(rr->listing);
        free(rr->reads);
        free(rr->targets);
        free(rr->items);
        free(rr->states);
    }
    free(r->runs);
    indicators_free(r->inds, r->ninds);
    while (r->arena) {
        report_block *next = r->arena->next;
        free(r->arena);
        r->arena = next;
    }
    free(r);
}

/* ---- helpers ---- */

const indicator *report_indicator(const report *r, const char *code)
{
    size_t lo = 0, hi = r->ninds;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(r->inds[mid].code, code);
        if (c == 0) {
            return &r->inds[mid];
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

int report_read_unit(const report *r, const store_run_read_row *rd)
{
    const char *k = rd->kind;
    if (strcmp(k, "count") == 0 || strcmp(k, "rank") == 0) {
        return UNIT_COUNT;
    }
    if (strcmp(k, "bottom") == 0 || strcmp(k, "listed") == 0) {
        return UNIT_FLAG;
    }
    if (strcmp(k, "attr") == 0) {
        return 0;
    }
    const indicator *ind = report_indicator(r, rd->indicator);
    return ind ? ind->unit : 0;
}

int report_target_unit(const store_run_target_row *t)
{
    int unit = unit_parse(t->unit, strlen(t->unit));
    return unit == UNIT_FLAG ? UNIT_SHARE : unit;
}

const store_run_listing_row *report_read_listing(const report_run *rr,
                                                 const store_run_read_row *rd)
{
    size_t lo = 0, hi = rr->nlisting;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rr->listing[mid].seq < rd->listing_seq) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < rr->nlisting && rr->listing[lo].seq == rd->listing_seq ? &rr->listing[lo]
                                                                       : NULL;
}

const char *report_scope_title(const report_run *rr, const char *scope)
{
    if (strcmp(scope, "all") == 0) {
        return "все школы";
    }
    for (size_t i = 0; i < rr->nlisting; i++) {
        if (strcmp(rr->listing[i].category, scope) == 0) {
            return rr->listing[i].category_title;
        }
    }
    return scope;
}

const char *report_item_status_ru(const store_run_item_row *it,
                                  const report_item_state *st)
{
    const char *s = st->status;
    if (!it->assignment_id) {
        return "не сохранено";
    }
    return !*s ? "нет в базе" : human_status(s);
}

const char *report_read_kind_ru(const char *k)
{
    return strcmp(k, "value") == 0        ? "значение"
           : strcmp(k, "mean") == 0       ? "среднее"
           : strcmp(k, "percentile") == 0 ? "процентиль"
           : strcmp(k, "rank") == 0       ? "место"
           : strcmp(k, "count") == 0      ? "школ с данными"
           : strcmp(k, "bottom") == 0     ? "в нижней доле"
           : strcmp(k, "attr") == 0       ? "атрибут"
           : strcmp(k, "listed") == 0     ? "в списке ранее"
                                          : k;
}

void report_reasons(strbuf *sb, const char *p)
{
    /* The kept explanation separates reasons by " | ". */
    int first = 1;
    while (*p) {
        const char *sep = strstr(p, " | ");
        size_t len = sep ? (size_t)(sep - p) : strlen(p);
        if (!first) {
            sb_putc(sb, '\n');
        }
        sb_append(sb, p, len);
        first = 0;
        p += len + (sep ? 3 : 0);
    }
}

int report_date(const char *s, int *y, int *m, int *d)
{
    for (int i = 0; i < 10; i++) {
        int digit = s[i] >= '0' && s[i] <= '9';
        if ((i == 4 || i == 7) ? s[i] != '-' : !digit) {
            return -1;
        }
    }
    *y = atoi(s);
    *m = atoi(s + 5);
    *d = atoi(s + 8);
    return *m >= 1 && *m <= 12 && *d >= 1 && *d <= 31 ? 0 : -1;
}

void report_escape(strbuf *sb, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            sb_puts(sb, "&amp;");
            break;
        case '<':
            sb_puts(sb, "&lt;");
            break;
        case '>':
            sb_puts(sb, "&gt;");
            break;
        case '"':
            sb_puts(sb, "&quot;");
            break;
        case '\'':
            sb_puts(sb, "&#39;");
            break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t') {
                sb_putc(sb, ' '); /* no control characters in XML */
            } else {
                sb_putc(sb, *s);
            }
        }
    }
}
