/*
 * run.c — evaluating a pack as a run (listing, targets, roadmap, and the
 * fingerprint of what was read) and keeping it as an append-only record in
 * one transaction (see run.h); run_plan.c counts the stored assignments its
 * process targets read.
 */
#include "run.h"

#include <math.h>
#include <sha2.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "listing.h"
#include "numfmt.h"
#include "store.h"

/* ---- the fingerprint of the data read ---- */

static int column_order(const void *a, const void *b)
{
    const run_column *x = a, *y = b;
    int c = strcmp(x->indicator, y->indicator);
    return c ? c : strcmp(x->period, y->period);
}

/* Whether the pack has a process target, which reads its assignments. */
static int reads_assignments(const pack *p)
{
    for (size_t i = 0; i < p->ntargets; i++) {
        if (p->targets[i].kind == TK_ASSIGNMENTS_DONE) {
            return 1;
        }
    }
    return 0;
}

void run_data_sha256(const run_column *cols, size_t ncols, const char *skip, char out[65])
{
    SHA2_CTX all;
    SHA256Init(&all);
    for (size_t c = 0; c < ncols; c++) {
        if (skip && strcmp(cols[c].indicator, skip) == 0) {
            continue;
        }
        /* "indicator\tperiod\tcount\tsha256\n", fed piece by piece: a code
           of 64 Cyrillic or CJK letters does not fit a line buffer */
        char count[32];
        snprintf(count, sizeof count, "\t%ld\t", cols[c].count);
        SHA256Update(&all, (const uint8_t *)cols[c].indicator, strlen(cols[c].indicator));
        SHA256Update(&all, (const uint8_t *)"\t", 1);
        SHA256Update(&all, (const uint8_t *)cols[c].period, strlen(cols[c].period));
        SHA256Update(&all, (const uint8_t *)count, strlen(count));
        SHA256Update(&all, (const uint8_t *)cols[c].sha256, strlen(cols[c].sha256));
        SHA256Update(&all, (const uint8_t *)"\n", 1);
    }
    SHA256End(&all, out);
}

long run_overrides_fingerprint(const dataset *d, const char *pack_id, char out[65])
{
    SHA2_CTX ctx;
    SHA256Init(&ctx);
    strbuf line = STRBUF_INIT;
    long counted = 0;
    for (size_t i = 0; i < d->noverrides; i++) {
        const ds_override *o = &d->overrides[i];
        if (pack_id && *o->pack_id && strcmp(o->pack_id, pack_id) != 0) {
            continue; /* another pack's decision: this one cannot read it */
        }
        sb_reset(&line);
        sb_printf(&line, "%lld\t%s\t%s\t%s\t%s\t%d\n", (long long)o->id,
                  d->schools[o->school].code, o->period, o->pack_id, o->category, o->include);
        if (sb_failed(&line)) {
            sb_free(&line);
            return -1;
        }
        SHA256Update(&ctx, (const uint8_t *)line.data, line.len);
        counted++;
    }
    sb_free(&line);
    SHA256End(&ctx, out);
    return counted;
}

/*
 * One fingerprint per column loaded during the evaluation: SHA-256 of
 * "school\tvalue\n" for every school with a value, in code order, values in
 * their shortest exact form; pseudo-columns for the listings of earlier
 * periods and the overrides the pack could read, and for the assignments
 * its process targets counted (pc) when it has any. The run's own is
 * run_data_sha256 of them all.
 */
static int fingerprint(run_result *r, const run_plan_counts *pc)
{
    dataset *ds = r->ds;
    r->cols = calloc(ds->ncols + 3, sizeof *r->cols);
    if (!r->cols) {
        return -1;
    }
    for (size_t c = 0; c < ds->ncols; c++) {
        const ds_column *col = ds->cols[c];
        run_column *rc = &r->cols[r->ncols];
        if (!(rc->indicator = strdup(ds->inds[col->indicator].code))) {
            return -1;
        }
        r->ncols++;
        snprintf(rc->period, sizeof rc->period, "%s", col->period_text);
        SHA2_CTX ctx;
        SHA256Init(&ctx);
        for (size_t i = 0; i < ds->nschools; i++) {
            if (isnan(col->v[i])) {
                continue;
            }
            char num[NUM_BUFSZ];
            size_t n = num_format(col->v[i], num);
            const char *code = ds->schools[i].code;
            SHA256Update(&ctx, (const uint8_t *)code, strlen(code));
            SHA256Update(&ctx, (const uint8_t *)"\t", 1);
            SHA256Update(&ctx, (const uint8_t *)num, n);
            SHA256Update(&ctx, (const uint8_t *)"\n", 1);
            rc->count++;
        }
        SHA256End(&ctx, rc->sha256);
    }
    /* What else the evaluation read: earlier listings and overrides. */
    const dataset *d = ds;
    run_column *rc = &r->cols[r->ncols];
    if (!(rc->indicator = strdup(RUN_LISTINGS))) {
        return -1;
    }
    r->ncols++;
    SHA2_CTX ctx;
    SHA256Init(&ctx);
    strbuf line = STRBUF_INIT;
    for (size_t i = 0; i < d->nlistings; i++) {
        /* Earlier periods only: the run's own listing, kept with it, is not
           something it read. */
        const ds_listing *l = &d->listings[i];
        shnor_period lp;
        if (shnor_period_parse(l->period, &lp, NULL, 0) != SHNOR_OK ||
            shnor_period_compare(lp, r->listing_period) >= 0) {
            continue;
        }
        sb_reset(&line);
        sb_printf(&line, "%s\t%s\t%s\t%s\t%s\t%d\n", d->schools[l->school].code, l->period,
                  l->pack_id, l->category, l->cohort, l->from_run);
        if (sb_failed(&line)) {
            sb_free(&line);
            return -1;
        }
        SHA256Update(&ctx, (const uint8_t *)line.data, line.len);
        rc->count++;
    }
    sb_free(&line);
    SHA256End(&ctx, rc->sha256);
    rc = &r->cols[r->ncols];
    if (!(rc->indicator = strdup(RUN_OVERRIDES)) ||
        (rc->count = run_overrides_fingerprint(d, r->p->id, rc->sha256)) < 0) {
        free(rc->indicator);
        rc->indicator = NULL;
        return -1;
    }
    r->ncols++;
    if (reads_assignments(r->p)) {
        rc = &r->cols[r->ncols];
        if (!(rc->indicator = strdup(RUN_ASSIGNMENTS))) {
            return -1;
        }
        r->ncols++;
        if (run_plan_counts_fingerprint(pc, rc) != 0) {
            return -1;
        }
    }
    qsort(r->cols, r->ncols, sizeof *r->cols, column_order);
    run_data_sha256(r->cols, r->ncols, NULL, r->data_sha256);
    return 0;
}

static void now_iso(char buf[24])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int run_evaluate(shnor *db, pack *p, shnor_period period, int apply, run_result **out,
                 strbuf *err)
{
    run_result *r = calloc(1, sizeof *r);
    run_plan_counts *pc = NULL;
    *out = r;
    if (!r) {
        sb_puts(err, "out of memory");
        return SHNOR_NOMEM;
    }
    now_iso(r->started);
    r->p = p;
    r->period = period;
    r->listing_period = shnor_period_shift(period, p->roadmap_listing);
    shnor_period_format(period, r->period_text, sizeof r->period_text);
    shnor_period_format(r->listing_period, r->listing_text, sizeof r->listing_text);
    int status = store_begin_read(db);
    if (status == SHNOR_OK) {
        status = store_last_batch(db, &r->last_batch);
    }
    if (status == SHNOR_OK) {
        status = ds_load_db_filtered(db, (const char *const *)p->territories,
                                     p->nterritories, &r->ds);
    }
    if (status == SHNOR_OK) {
        status = run_plan_counts_load(db, r->ds, p->id, &pc);
    }
    if (status != SHNOR_OK) {
        sb_puts(err, shnor_errmsg(db));
        goto done;
    }
    if ((status = engine_check_territories(db, p, r->ds, err)) != SHNOR_OK) {
        goto done;
    }
    status = eval_listing(p, r->ds, r->listing_period, &r->ev);
    if (status != SHNOR_OK) {
        sb_puts(err, r->ev ? r->ev->err.data : "out of memory");
        goto done;
    }
    /* The same check as list's: a run must not keep a pairing with a
       mentor the data does not have. */
    if ((status = eval_check_codes(r->ev, err)) != SHNOR_OK) {
        goto done;
    }
    if ((status = roadmap_build(p, r->ev, period, &r->rm, err)) != SHNOR_OK) {
        goto done;
    }
    if ((status = roadmap_lookup(r->rm, db)) != SHNOR_OK) {
        sb_puts(err, shnor_errmsg(db));
        goto done;
    }
    /* A run that applies its roadmap owes those assignments too, from the
       moment it is kept: its process targets count them (as not done yet),
       the ones it restores as well, and not the ones it withdraws. */
    for (size_t i = 0; apply && i < r->rm->n; i++) {
        const rm_item *it = &r->rm->items[i];
        int restored = roadmap_item_restorable(it);
        if ((!it->id || restored) &&
            run_plan_counts_add(pc, roadmap_owner(r->rm, it), it->due, 0, it->id) != 0) {
            sb_puts(err, "out of memory");
            status = SHNOR_NOMEM;
            goto done;
        }
    }
    for (size_t i = 0; apply && i < r->rm->nstale; i++) {
        if (r->rm->stale[i].fate == STALE_WITHDRAW) {
            run_plan_counts_drop(pc, r->rm->stale[i].owner, r->rm->stale[i].id);
        }
    }
    status = targets_eval(p, r->ds, period, 0, r->ev, run_plan_counts_get, pc, &r->tr);
    if (status != SHNOR_OK) {
        sb_puts(err, r->tr ? r->tr->err.data : "out of memory");
        goto done;
    }
    if (fingerprint(r, pc) != 0) {
        sb_puts(err, "out of memory");
        status = SHNOR_NOMEM;
    }
done:
    store_end_read(db);
    run_plan_counts_free(pc);
    now_iso(r->finished);
    return status;
}

void run_free(run_result *r)
{
    if (!r) {
        return;
    }
    roadmap_free(r->rm);
    targets_free(r->tr);
    eval_free(r->ev);
    ds_free(r->ds);
    for (size_t i = 0; i < r->ncols; i++) {
        free(r->cols[i].indicator);
    }
    free(r->cols);
    free(r);
}

/* ---- keeping a run ---- */

/* Whether the pack loaded module name ("name\tsha256\n" lines). */
static int loaded(const pack *p, const char *name)
{
    size_t n = strlen(name);
    const char *q = p->sb->modules.data;
    while (q && *q) {
        if (strncmp(q, name, n) == 0 && q[n] == '\t') {
            return 1;
        }
        if ((q = strchr(q, '\n')) != NULL) {
            q++;
        }
    }
    return 0;
}

typedef struct {
    shnor *db;
    const pack *p;
    store_run_writer *w;
    size_t total; /* bytes of the available modules kept so far */
    int status;
} available_ctx;

/* Keeps one module the pack did not load but could have (sandbox_lib_each). */
static int keep_available(void *arg, const char *name, const char *text, size_t len)
{
    available_ctx *a = arg;
    if (loaded(a->p, name) || a->total + len > RUN_AVAILABLE_MAX) {
        return 0; /* kept as loaded already; or over the cap: passed over */
    }
    a->total += len;
    char sha[SHA256_DIGEST_STRING_LENGTH], key[80];
    SHA256Data((const uint8_t *)text, len, sha);
    snprintf(key, sizeof key, "%s%s", RUN_AVAILABLE, name);
    if ((a->status = store_source_put(a->db, sha, text, len)) == SHNOR_OK) {
        a->status = store_run_module(a->w, key, sha);
    }
    return a->status != SHNOR_OK;
}

/*
 * The pack's modules: those it loaded ("name\tsha256\n" lines, texts name
 * NUL text NUL) under their names, then the others its require could load
 * as RUN_AVAILABLE "name", within the caps of run.h.
 */
static int store_modules(shnor *db, const pack *p, store_run_writer *w)
{
    const char *lines = p->sb->modules.data ? p->sb->modules.data : "";
    const char *texts = p->sb->module_texts.data;
    size_t tlen = p->sb->module_texts.len;
    int status = SHNOR_OK;
    size_t off = 0;
    while (*lines && status == SHNOR_OK) {
        const char *tab = strchr(lines, '\t'), *nl = strchr(lines, '\n');
        if (!tab || !nl || off >= tlen) {
            break;
        }
        char name[128], sha[65];
        snprintf(name, sizeof name, "%.*s", (int)(tab - lines), lines);
        snprintf(sha, sizeof sha, "%.*s", (int)(nl - tab - 1), tab + 1);
        const char *text = texts + off + strlen(texts + off) + 1;
        size_t len = strlen(text);
        off = (size_t)(text - texts) + len + 1;
        /* A require that failed inside pcall and was tried again is listed
           twice: keep each module once. */
        int again = 0;
        for (const char *q = p->sb->modules.data; q < lines && !again; q = strchr(q, '\n') + 1) {
            again = strncmp(q, name, strlen(name)) == 0 && q[strlen(name)] == '\t';
        }
        if (!again && (status = store_source_put(db, sha, text, len)) == SHNOR_OK) {
            status = store_run_module(w, name, sha);
        }
        lines = nl + 1;
    }
    if (status != SHNOR_OK) {
        return status;
    }
    available_ctx a = {db, p, w, 0, SHNOR_OK};
    if (sandbox_lib_each(p->sb, RUN_MODULE_MAX, keep_available, &a) < 0) {
        return shnor_seterr(db, SHNOR_NOMEM, "out of memory reading the rules library");
    }
    return a.status;
}

static int store_run_rows(const run_result *r, store_run_writer *w)
{
    const evaluation *ev = r->ev;
    const pack *p = r->p;
    strbuf crit = STRBUF_INIT, ov = STRBUF_INIT, why = STRBUF_INIT, json = STRBUF_INIT;
    int status = SHNOR_OK, nread = 0;
    for (size_t i = 0; i < ev->nrows && status == SHNOR_OK; i++) {
        const ev_row *row = &ev->rows[i];
        const ds_school *s = &ev->ds->schools[row->school];
        sb_reset(&crit);
        sb_reset(&ov);
        sb_reset(&why);
        sb_reset(&json);
        listing_criteria_ids(ev, row, &crit, ";");
        if (row->override) {
            listing_override_text(row->override, &ov);
        }
        listing_explain(ev, row, &why, "", " | ");
        json_writer jw;
        jw_init(&jw, &json, 0);
        listing_json_row(ev, row, &jw);
        if (sb_failed(&crit) || sb_failed(&ov) || sb_failed(&why) || sb_failed(&json)) {
            status = SHNOR_NOMEM;
            break;
        }
        store_run_listing_row l = {(int)i + 1,
                                   s->code,
                                   s->name,
                                   ev->ds->territories[s->territory],
                                   p->cats[row->category].id,
                                   p->cats[row->category].title,
                                   listing_status_name(row->status),
                                   crit.data ? crit.data : "",
                                   row->cohort >= 0 ? p->cohorts[row->cohort].id : "",
                                   row->mentor ? row->mentor : "",
                                   ov.data ? ov.data : "",
                                   why.data ? why.data : "",
                                   json.data ? json.data : "{}",
                                   row->cohort >= 0 ? p->cohorts[row->cohort].title : ""};
        status = store_run_listing(w, &l);
        const ev_read *reads = ev->reads + row->first_read;
        for (uint32_t j = 0; j < row->nreads && status == SHNOR_OK; j++) {
            const ev_read *rd = &reads[j];
            if (listing_read_repeated(reads, rd)) {
                continue;
            }
            const ds_column *c = rd->col >= 0 ? ev->ds->cols[rd->col] : NULL;
            store_run_read_row rr = {++nread,
                                     (int)i + 1,
                                     listing_read_source(ev, rd),
                                     listing_read_kind(rd->kind),
                                     c               ? ev->ds->inds[c->indicator].code
                                     : rd->name >= 0 ? ev->names[rd->name]
                                                     : "",
                                     c ? c->period_text : "",
                                     rd->value};
            status = store_run_read(w, &rr);
        }
    }
    sb_free(&crit);
    sb_free(&ov);
    sb_free(&why);
    sb_free(&json);
    return status;
}

static int store_targets(const run_result *r, store_run_writer *w)
{
    const target_results *tr = r->tr;
    strbuf meaning = STRBUF_INIT, json = STRBUF_INIT;
    int status = SHNOR_OK;
    for (size_t i = 0; i < tr->n && status == SHNOR_OK; i++) {
        const tg_row *row = &tr->rows[i];
        const pack_target *t = &r->p->targets[row->target];
        int ind = t->indicator && t->kind != TK_ASSIGNMENTS_DONE
                      ? ds_indicator_index(r->ds, t->indicator)
                      : -1;
        const indicator *in = ind >= 0 ? &r->ds->inds[ind] : NULL;
        sb_reset(&meaning);
        sb_reset(&json);
        target_kind_text(t, in, &meaning);
        json_writer jw;
        jw_init(&jw, &json, 0);
        targets_json_row(tr, row, &jw);
        if (sb_failed(&meaning) || sb_failed(&json)) {
            status = SHNOR_NOMEM;
            break;
        }
        char bp[SHNOR_PERIOD_MAX], pp[SHNOR_PERIOD_MAX], cp[SHNOR_PERIOD_MAX],
            lp[SHNOR_PERIOD_MAX];
        shnor_period_format(row->baseline_period, bp, sizeof bp); /* "" for none */
        shnor_period_format(row->period, pp, sizeof pp); /* "" for none */
        shnor_period_format(row->checkpoint, cp, sizeof cp); /* "" for none */
        shnor_period_format(row->listed_in, lp, sizeof lp); /* "" for none */
        store_run_target_row s = {
            .seq = (int)i + 1,
            .target = t->id,
            .title = t->title,
            .kind = target_kind_name(t->kind),
            .meaning = meaning.data,
            .scope = row->scope,
            .indicator = in ? in->code : "",
            .unit = unit_name(in ? in->unit : UNIT_SHARE),
            .baseline_period = bp,
            .baseline = row->baseline,
            .period = pp,
            .actual = row->actual,
            .threshold = row->threshold,
            .comparison = target_op_text(row->op),
            .status = target_status_name(row->status),
            .reason = row->reason ? row->reason : "",
            .method = row->method ? row->method : "",
            .checkpoint = cp,
            .listed_in = lp,
            .json = json.data,
        };
        status = store_run_target(w, &s);
    }
    sb_free(&meaning);
    sb_free(&json);
    return status;
}

static int store_roadmap(const run_result *r, store_run_writer *w)
{
    const roadmap *rm = r->rm;
    int status = SHNOR_OK;
    for (size_t i = 0; i < rm->n && status == SHNOR_OK; i++) {
        const rm_item *it = &rm->items[i];
        const pack_activity *a = &r->p->acts[it->activity];
        char start[11], due[11];
        shnor_date_format(it->start, start, sizeof start);
        shnor_date_format(it->due, due, sizeof due);
        store_run_item_row s = {(int)i + 1,
                                a->id,
                                a->section,
                                a->title,
                                a->due_text,
                                a->responsible,
                                a->coexecutors,
                                a->result,
                                a->indicator,
                                a->document,
                                roadmap_owner(rm, it),
                                start,
                                due,
                                it->id,
                                NULL /* status: not stored with the run */};
        status = store_run_item(w, &s);
    }
    return status;
}

int run_store(shnor *db, run_result *r, const shnor_limits *limits, int apply,
              int64_t *id)
{
    const pack *p = r->p;
    store_run_writer *w = NULL;
    char *full = NULL;
    int status = store_begin(db);
    if (status != SHNOR_OK) {
        return status;
    }
    if ((status = store_source_put(db, p->sha256, p->text, p->len)) != SHNOR_OK) {
        goto fail;
    }
    if (apply && (status = roadmap_store(r->rm, db)) != SHNOR_OK) {
        goto fail;
    }
    long listed = 0, insufficient = 0;
    for (size_t k = 0; k < p->ncats; k++) {
        listed += (long)r->ev->listed[k];
        insufficient += (long)r->ev->insufficient[k];
    }
    /* The file's full path: replay, run from another directory, still finds
       it to say whether it was edited since. */
    full = p->path ? realpath(p->path, NULL) : NULL;
    store_run run = {
        .pack_id = p->id,
        .version = p->version,
        .title = p->title,
        .order = p->source,
        .path = full ? full : p->path,
        .sha256 = p->sha256,
        .period = r->period_text,
        .listing_period = r->listing_text,
        .data_sha256 = r->data_sha256,
        .user = shnor_user(),
        .started_at = r->started,
        .finished_at = r->finished,
        .last_batch = r->last_batch,
        .mem_limit = (int64_t)limits->memory,
        .instr_limit = (int64_t)limits->instructions,
        .time_limit = limits->seconds,
        .schools = (long)r->ev->evaluated,
        .listed = listed,
        .insufficient = insufficient,
        .assignments = (long)r->rm->n,
        .roadmap_applied = apply,
        .engine = RUN_ENGINE,
    };
    if ((status = store_run_insert(db, &run, id)) != SHNOR_OK ||
        (status = store_run_writer_open(db, *id, &w)) != SHNOR_OK ||
        (status = store_modules(db, p, w)) != SHNOR_OK) {
        goto fail;
    }
    for (size_t c = 0; c < r->ncols && status == SHNOR_OK; c++) {
        status = store_run_column(w, r->cols[c].indicator, r->cols[c].period,
                                  r->cols[c].count, r->cols[c].sha256);
    }
    if (status != SHNOR_OK || (status = store_run_rows(r, w)) != SHNOR_OK ||
        (status = store_targets(r, w)) != SHNOR_OK ||
        (status = store_roadmap(r, w)) != SHNOR_OK) {
        if (status == SHNOR_NOMEM) {
            shnor_seterr(db, status, "out of memory storing the run");
        }
        goto fail;
    }
    store_run_writer_close(w);
    w = NULL; /* closed: a failing commit must not close it again below */
    if ((status = store_run_seal(db, *id)) == SHNOR_OK && (status = store_commit(db)) == SHNOR_OK) {
        free(full);
        return SHNOR_OK;
    }
fail:
    free(full);
    store_run_writer_close(w);
    store_rollback(db);
    if (apply) {
        roadmap_forget(r->rm);
    }
    return status;
}
