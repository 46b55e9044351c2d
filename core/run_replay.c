/*
 * run_replay.c — re-evaluating a kept run with the pack source and modules
 * it stored, on the current data, and saying whether the result is the
 * same; when the data changed since, naming the observations that differ.
 * A closed year can so always be reproduced, even after the pack file was
 * edited or deleted.
 */
#include "run_replay.h"

#include <errno.h>
#include <math.h>
#include <sha2.h>
#include <stdlib.h>
#include <string.h>

#include "humanfmt.h"
#include "listing.h"
#include "numfmt.h"
#include "store.h"

/* Owned copies of the stored run's fields replay needs. */
typedef struct {
    char *pack_id, *version, *path, *sha256, *period, *data_sha256, *engine;
    int64_t last_batch;
    int applied;
    shnor_limits limits;
} kept_run;

static int copy_run(void *arg, const store_run *r)
{
    kept_run *k = arg;
    k->pack_id = strdup(r->pack_id);
    k->version = strdup(r->version);
    k->path = strdup(r->path);
    k->sha256 = strdup(r->sha256);
    k->period = strdup(r->period);
    k->data_sha256 = strdup(r->data_sha256);
    k->engine = strdup(r->engine);
    k->last_batch = r->last_batch;
    k->applied = r->roadmap_applied;
    k->limits.memory = (size_t)r->mem_limit;
    k->limits.instructions = (uint64_t)r->instr_limit;
    k->limits.seconds = r->time_limit;
    return 0;
}

static void kept_free(kept_run *k)
{
    free(k->pack_id);
    free(k->version);
    free(k->path);
    free(k->sha256);
    free(k->period);
    free(k->data_sha256);
    free(k->engine);
}

/* A kept module, loaded or only available, as require will look it up. */
static int add_module(void *arg, const char *name, const char *sha256, const char *text,
                      size_t len)
{
    strbuf *sb = arg;
    size_t pre = strlen(RUN_AVAILABLE);
    (void)sha256;
    sb_puts(sb, strncmp(name, RUN_AVAILABLE, pre) == 0 ? name + pre : name);
    sb_putc(sb, '\0');
    sb_append(sb, text, len);
    sb_putc(sb, '\0');
    return sb_failed(sb);
}

int run_load_kept_pack(shnor *db, int64_t id, const shnor_limits *limits, pack **out,
                       strbuf *modules, strbuf *err)
{
    kept_run k = {0};
    char *text = NULL;
    size_t len = 0;
    *out = NULL;
    int status = store_runs_each(db, id, copy_run, &k);
    if (status == SHNOR_OK && (!k.path || !k.sha256)) {
        status = shnor_seterr(db, SHNOR_NOMEM, "out of memory");
    }
    if (status == SHNOR_OK) {
        status = store_source_get(db, k.sha256, &text, &len);
    }
    if (status == SHNOR_OK) {
        sb_putc(modules, '\0'); /* never empty: require reads only what was kept */
        status = store_run_modules_each(db, id, add_module, modules);
    }
    if (status != SHNOR_OK) {
        sb_puts(err, shnor_errmsg(db));
    } else if ((status = pack_load_source(k.path, text, len, limits ? limits : &k.limits, NULL,
                                          modules->data + 1, modules->len - 1, out)) !=
               SHNOR_OK) {
        sb_printf(err, "the stored source of run %lld does not load:\n%s", (long long)id,
                  *out ? (*out)->problems.data : "out of memory");
    }
    free(text);
    kept_free(&k);
    return status;
}

/* A sorted list of lines to compare one side with the other. */
typedef struct {
    char **v;
    size_t n, cap;
} lines;

static int lines_add(lines *l, strbuf *line)
{
    if (sb_failed(line)) {
        return -1;
    }
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        char **nv = realloc(l->v, ncap * sizeof *nv);
        if (!nv) {
            return -1;
        }
        l->v = nv;
        l->cap = ncap;
    }
    l->v[l->n++] = sb_detach(line);
    return 0;
}

static void lines_free(lines *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i]);
    }
    free(l->v);
}

static void put_num(strbuf *sb, double v)
{
    char buf[NUM_BUFSZ];
    sb_append(sb, buf, num_format_opt(v, buf));
}

static int stored_listing(void *arg, const store_run_listing_row *l)
{
    strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s", l->school, l->category, l->status,
              l->criteria, l->cohort, l->mentor, l->override, l->explanation);
    return lines_add(arg, &sb);
}

static int stored_target(void *arg, const store_run_target_row *t)
{
    strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%s\t%s\t%s\t%s\t", t->target, t->scope, t->period, t->status);
    put_num(&sb, t->baseline);
    sb_putc(&sb, '\t');
    put_num(&sb, t->actual);
    sb_putc(&sb, '\t');
    put_num(&sb, t->threshold);
    return lines_add(arg, &sb);
}

/* The same lines from a fresh evaluation. */
static int fresh_lines(const run_result *r, lines *listing, lines *targets)
{
    const evaluation *ev = r->ev;
    strbuf crit = STRBUF_INIT, ov = STRBUF_INIT, why = STRBUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < ev->nrows && rc == 0; i++) {
        const ev_row *row = &ev->rows[i];
        sb_reset(&crit);
        sb_reset(&ov);
        sb_reset(&why);
        listing_criteria_ids(ev, row, &crit, ";");
        if (row->override) {
            listing_override_text(row->override, &ov);
        }
        listing_explain(ev, row, &why, "", " | ");
        strbuf sb = STRBUF_INIT;
        sb_printf(&sb, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s",
                  ev->ds->schools[row->school].code, r->p->cats[row->category].id,
                  listing_status_name(row->status), crit.data ? crit.data : "",
                  row->cohort >= 0 ? r->p->cohorts[row->cohort].id : "",
                  row->mentor ? row->mentor : "", ov.data ? ov.data : "",
                  why.data ? why.data : "");
        rc = lines_add(listing, &sb);
    }
    for (size_t i = 0; i < r->tr->n && rc == 0; i++) {
        const tg_row *row = &r->tr->rows[i];
        char per[SHNOR_PERIOD_MAX];
        if (!shnor_period_format(row->period, per, sizeof per)) {
            per[0] = '\0';
        }
        strbuf sb = STRBUF_INIT;
        sb_printf(&sb, "%s\t%s\t%s\t%s\t", r->p->targets[row->target].id, row->scope, per,
                  target_status_name(row->status));
        put_num(&sb, row->baseline);
        sb_putc(&sb, '\t');
        put_num(&sb, row->actual);
        sb_putc(&sb, '\t');
        put_num(&sb, row->threshold);
        rc = lines_add(targets, &sb);
    }
    sb_free(&crit);
    sb_free(&ov);
    sb_free(&why);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The length of the first nkey tab-separated fields of line (the row's key). */
static size_t key_len(const char *line, int nkey)
{
    const char *p = line;
    for (int k = 0; k < nkey && (p = strchr(p, '\t')) != NULL; k++, p++) {
        if (k == nkey - 1) {
            return (size_t)(p - line);
        }
    }
    return strlen(line);
}

/* Does line have the key key[0..kl) as its first nkey fields? */
static int has_key(const char *line, int nkey, const char *key, size_t kl)
{
    return key_len(line, nkey) == kl && strncmp(line, key, kl) == 0;
}

static void report_line(strbuf *report, const char *what, const char *side, const char *line)
{
    sb_printf(report, "  %s, %s: ", what, side);
    for (const char *p = line; *p; p++) {
        sb_puts(report, *p == '\t' ? " | " : (char[]){*p, '\0'});
    }
    sb_putc(report, '\n');
}

/* Reports lines only in `was` ("было") or only in `now` ("стало"); returns
   the rows that differ, a row being its first nkey fields (a school in a
   category; a target, scope and period): its было and стало lines are one,
   было first. Sorted, the lines of one key are next to each other (the tab
   that ends a key sorts before any character of a longer one). */
static long compare_lines(lines *was, lines *now, const char *what, int nkey, strbuf *report)
{
    if (was->n) {
        qsort(was->v, was->n, sizeof *was->v, cmp_str);
    }
    if (now->n) {
        qsort(now->v, now->n, sizeof *now->v, cmp_str);
    }
    long diffs = 0;
    size_t i = 0, j = 0;
    while (i < was->n || j < now->n) {
        const char *first = i == was->n                       ? now->v[j]
                            : j == now->n                     ? was->v[i]
                            : strcmp(was->v[i], now->v[j]) <= 0 ? was->v[i]
                                                              : now->v[j];
        size_t kl = key_len(first, nkey);
        size_t i2 = i, j2 = j;
        while (i2 < was->n && has_key(was->v[i2], nkey, first, kl)) {
            i2++;
        }
        while (j2 < now->n && has_key(now->v[j2], nkey, first, kl)) {
            j2++;
        }
        /* the key's lines on each side, both sorted: those on one side only */
        int differs = 0;
        for (int pass = 0; pass < 2; pass++) {
            lines *mine = pass == 0 ? was : now, *other = pass == 0 ? now : was;
            size_t a = pass == 0 ? i : j, a2 = pass == 0 ? i2 : j2;
            size_t b = pass == 0 ? j : i, b2 = pass == 0 ? j2 : i2;
            for (; a < a2; a++) {
                while (b < b2 && strcmp(other->v[b], mine->v[a]) < 0) {
                    b++;
                }
                if (b < b2 && strcmp(other->v[b], mine->v[a]) == 0) {
                    continue;
                }
                report_line(report, what, pass == 0 ? "было" : "стало", mine->v[a]);
                differs = 1;
            }
        }
        diffs += differs;
        i = i2;
        j = j2;
    }
    return diffs;
}

/* The stored fingerprints of the columns the run read. */
typedef struct {
    char *indicator;
    char period[SHNOR_PERIOD_MAX];
    long count;
    char sha256[65];
} kept_column;

typedef struct {
    kept_column *v;
    size_t n, cap;
} kept_columns;

static int add_column(void *arg, const char *code, const char *period, long count,
                      const char *sha256)
{
    kept_columns *k = arg;
    if (k->n == k->cap) {
        size_t ncap = k->cap ? k->cap * 2 : 16;
        kept_column *nv = realloc(k->v, ncap * sizeof *nv);
        if (!nv) {
            return 1;
        }
        k->v = nv;
        k->cap = ncap;
    }
    kept_column *c = &k->v[k->n];
    if (!(c->indicator = strdup(code))) {
        return 1;
    }
    snprintf(c->period, sizeof c->period, "%s", period);
    snprintf(c->sha256, sizeof c->sha256, "%s", sha256);
    c->count = count;
    k->n++;
    return 0;
}

typedef struct {
    const dataset *ds;
    const indicator *ind;
    const char *period;
    strbuf *report;
    long n;
} change_ctx;

static int report_change(void *arg, const char *school, double now, double then)
{
    change_ctx *c = arg;
    if (ds_school_index(c->ds, school) < 0 || (!isnan(then) && then == now)) {
        return 0; /* a school the pack does not evaluate, or changed and back */
    }
    int unit = c->ind ? c->ind->unit : 0;
    char was[64], is[64];
    human_value(unit, then, was, sizeof was);
    human_value(unit, now, is, sizeof is);
    sb_printf(c->report, "  данные: %s, %s, %s: было %s, стало %s\n", school,
              c->ind ? c->ind->code : "?", c->period, isnan(then) ? "нет значения" : was,
              is);
    c->n++;
    return 0;
}

/* What a pseudo-column of the fingerprint stands for, for people. */
static const char *pseudo_title(const char *column)
{
    if (strcmp(column, RUN_OVERRIDES) == 0) {
        return "ручные решения (override)";
    }
    if (strcmp(column, RUN_ASSIGNMENTS) == 0) {
        return "поручения или их статусы (цели по выполнению поручений)";
    }
    return "списки прошлых периодов (запуски и импорт)";
}

static int kept_has(const kept_columns *kc, const char *column)
{
    for (size_t i = 0; i < kc->n; i++) {
        if (strcmp(kc->v[i].indicator, column) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Runs kept before 2026-12-04 fingerprinted every override, another pack's
   too: when the kept fingerprint is that of all the overrides now, nothing
   this pack reads changed, and the run's column is taken as kept. */
static void keep_legacy_overrides(const kept_columns *kc, run_result *r)
{
    for (size_t i = 0; i < kc->n; i++) {
        if (strcmp(kc->v[i].indicator, RUN_OVERRIDES) != 0) {
            continue;
        }
        for (size_t j = 0; j < r->ncols; j++) {
            run_column *now = &r->cols[j];
            char all[65];
            if (strcmp(now->indicator, RUN_OVERRIDES) == 0 &&
                strcmp(now->sha256, kc->v[i].sha256) != 0 &&
                run_overrides_fingerprint(r->ds, NULL, all) >= 0 &&
                strcmp(all, kc->v[i].sha256) == 0) {
                memcpy(now->sha256, all, sizeof all);
                now->count = kc->v[i].count;
            }
        }
    }
}

/* Names the observations that differ between the run and now. */
static int compare_data(shnor *db, const kept_run *k, const kept_columns *kc,
                        const run_result *r, strbuf *report, long *diffs)
{
    /* Columns whose set of schools changed with no value newer than the run
       (the register changed): said once, with the first of them. */
    size_t regrouped = 0;
    strbuf first = STRBUF_INIT;
    for (size_t i = 0; i < kc->n; i++) {
        const kept_column *c = &kc->v[i];
        const run_column *now = NULL;
        for (size_t j = 0; j < r->ncols && !now; j++) {
            if (strcmp(r->cols[j].indicator, c->indicator) == 0 &&
                strcmp(r->cols[j].period, c->period) == 0) {
                now = &r->cols[j];
            }
        }
        if (now && strcmp(now->sha256, c->sha256) == 0) {
            continue;
        }
        if (c->indicator[0] == '#') {
            /* Not values: the people's decisions, the earlier lists read and
               the assignments the process targets counted. */
            sb_printf(
                report,
                "  данные: %s изменились с момента запуска (было %ld, стало %ld%s)\n",
                pseudo_title(c->indicator), c->count, now ? now->count : 0,
                strcmp(c->indicator, RUN_ASSIGNMENTS) == 0 ? " поручений" : "");
            (*diffs)++;
            continue;
        }
        int ind = ds_indicator_index(r->ds, c->indicator);
        change_ctx cc = {r->ds, ind >= 0 ? &r->ds->inds[ind] : NULL, c->period, report,
                         0};
        int status = store_obs_changed_since(db, c->indicator, c->period, k->last_batch,
                                             report_change, &cc);
        if (status != SHNOR_OK) {
            return status;
        }
        if (cc.n == 0) {
            /* Nothing newer than the run: the set of schools changed (the
               register), not the values. */
            if (regrouped++ == 0) {
                sb_printf(&first, "%s, %s: было значений %ld, стало %ld", c->indicator,
                          c->period, c->count, now ? now->count : 0);
            }
            continue;
        }
        *diffs += cc.n;
    }
    if (regrouped) {
        sb_printf(report,
                  "  данные: изменился состав школ (реестр): %zu %s с другим числом "
                  "значений, без новых значений (%s%s)\n",
                  regrouped, ru_plural((long)regrouped, "столбец", "столбца", "столбцов"),
                  first.data ? first.data : "", regrouped > 1 ? ", …" : "");
        (*diffs)++;
    }
    sb_free(&first);
    for (size_t j = 0; j < r->ncols; j++) {
        int kept = 0;
        for (size_t i = 0; i < kc->n && !kept; i++) {
            kept = strcmp(r->cols[j].indicator, kc->v[i].indicator) == 0 &&
                   strcmp(r->cols[j].period, kc->v[i].period) == 0;
        }
        if (!kept && strcmp(r->cols[j].indicator, RUN_ASSIGNMENTS) == 0) {
            kept = 1; /* a run kept before assignments were fingerprinted */
        }
        if (!kept) {
            sb_printf(
                report,
                "  данные: теперь читается %s, %s (%ld %s), при запуске — нет\n",
                r->cols[j].indicator, r->cols[j].period, r->cols[j].count,
                ru_plural(r->cols[j].count, "значение", "значения", "значений"));
            (*diffs)++;
        }
    }
    return SHNOR_OK;
}

/* SHA-256 of the file at path into digest; -1 when it cannot be read. */
static int file_sha256(const char *path, char digest[65])
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return -1;
    }
    SHA2_CTX ctx;
    SHA256Init(&ctx);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        SHA256Update(&ctx, (const uint8_t *)buf, n);
    }
    int failed = ferror(f);
    fclose(f);
    SHA256End(&ctx, digest);
    return failed ? -1 : 0;
}

/* Whether the pack file still holds the stored source. */
static void note_pack_file(const kept_run *k, strbuf *report)
{
    char digest[65];
    if (file_sha256(k->path, digest) != 0) {
        sb_printf(report,
                  "Файл пакета %s не найден по этому пути; использован сохранённый текст.\n",
                  k->path);
    } else if (strcmp(digest, k->sha256) != 0) {
        sb_printf(report,
                  "Файл %s изменён после запуска; использован сохранённый текст "
                  "(SHA-256 %.12s…).\n",
                  k->path, k->sha256);
    }
}

typedef struct {
    char *lib_dir; /* the pack's default lib directory */
    strbuf *report;
} module_note;

/* Whether a module the run loaded is still what its file in the pack's lib
   directory holds (the run may have had another --lib: the note says so). */
static int note_module_file(void *arg, const char *name, const char *sha256, const char *text,
                            size_t len)
{
    module_note *m = arg;
    (void)text, (void)len;
    if (strncmp(name, RUN_AVAILABLE, strlen(RUN_AVAILABLE)) == 0) {
        return 0; /* only available to require, never loaded */
    }
    strbuf path = STRBUF_INIT;
    sb_printf(&path, "%s/%s.lua", m->lib_dir, name);
    char digest[65];
    int unread = sb_failed(&path) ? 0 : file_sha256(path.data, digest);
    int why = errno;
    if (sb_failed(&path)) {
        /* no note without memory; the replay itself reports the failure */
    } else if (unread && why == ENOENT) {
        sb_printf(m->report,
                  "Модуль %s: файла %s нет (удалён после запуска или запуск брал его из "
                  "другого --lib); использован сохранённый текст.\n",
                  name, path.data);
    } else if (unread) {
        sb_printf(m->report, "Модуль %s: файл %s не читается (%s); использован сохранённый "
                             "текст.\n",
                  name, path.data, strerror(why));
    } else if (strcmp(digest, sha256) != 0) {
        sb_printf(m->report,
                  "Модуль %s: файл %s отличается от текста, сохранённого с запуском "
                  "(изменён после запуска или запуск брал его из другого --lib); "
                  "использован сохранённый текст.\n",
                  name, path.data);
    }
    sb_free(&path);
    return 0;
}

static int note_module_files(shnor *db, int64_t id, const kept_run *k, strbuf *report)
{
    module_note m = {pack_default_lib_dir(k->path), report};
    if (!m.lib_dir) {
        return shnor_seterr(db, SHNOR_NOMEM, "out of memory");
    }
    int status = store_run_modules_each(db, id, note_module_file, &m);
    free(m.lib_dir);
    return status;
}

int run_replay(shnor *db, int64_t id, const shnor_limits *limits, replay_result *out,
               strbuf *err)
{
    kept_run k = {0};
    kept_columns kc = {0};
    lines was_l = {0}, was_t = {0}, now_l = {0}, now_t = {0};
    strbuf modules = STRBUF_INIT;
    pack *p = NULL;
    run_result *r = NULL;
    memset(out, 0, sizeof *out);
    sb_init(&out->report);
    int status = store_runs_each(db, id, copy_run, &k);
    if (status == SHNOR_OK && (!k.pack_id || !k.version || !k.path || !k.sha256 || !k.period ||
                               !k.data_sha256 || !k.engine)) {
        status = shnor_seterr(db, SHNOR_NOMEM, "out of memory");
    }
    if (status == SHNOR_OK) {
        status = store_run_columns_each(db, id, add_column, &kc);
    }
    if (status == SHNOR_OK) {
        status = store_run_listings_each(db, id, stored_listing, &was_l);
    }
    if (status == SHNOR_OK) {
        status = store_run_targets_each(db, id, stored_target, &was_t);
    }
    if (status != SHNOR_OK) {
        sb_puts(err, shnor_errmsg(db));
        goto done;
    }
    if ((status = run_load_kept_pack(db, id, limits, &p, &modules, err)) != SHNOR_OK) {
        goto done;
    }
    shnor_period period;
    if (shnor_period_parse(k.period, &period, NULL, 0) != SHNOR_OK) {
        sb_printf(err, "run %lld has a malformed period '%s'", (long long)id, k.period);
        status = SHNOR_DB;
        goto done;
    }
    if ((status = run_evaluate(db, p, period, k.applied, &r, err)) != SHNOR_OK) {
        goto done;
    }
    if (fresh_lines(r, &now_l, &now_t) != 0) {
        sb_puts(err, "out of memory");
        status = SHNOR_NOMEM;
        goto done;
    }
    note_pack_file(&k, &out->report);
    if ((status = note_module_files(db, id, &k, &out->report)) != SHNOR_OK) {
        sb_puts(err, shnor_errmsg(db));
        goto done;
    }
    out->listing_diffs = compare_lines(&was_l, &now_l, "список", 2, &out->report);
    out->target_diffs = compare_lines(&was_t, &now_t, "цели", 3, &out->report);
    keep_legacy_overrides(&kc, r);
    /* A run kept before its assignments were fingerprinted has no such
       column: compare the rest, as it was computed then. */
    char now_sha[65];
    run_data_sha256(r->cols, r->ncols,
                    kept_has(&kc, RUN_ASSIGNMENTS) ? NULL : RUN_ASSIGNMENTS, now_sha);
    if (strcmp(now_sha, k.data_sha256) != 0) {
        out->data_changed = 1;
        status = compare_data(db, &k, &kc, r, &out->report, &out->data_diffs);
        if (status != SHNOR_OK) {
            sb_puts(err, shnor_errmsg(db));
            goto done;
        }
    }
    out->identical = out->listing_diffs == 0 && out->target_diffs == 0;
    if (!out->identical && strcmp(k.engine, RUN_ENGINE) != 0) {
        /* The same pack on the same data can differ where the engine's
           rules changed between the two builds. */
        sb_printf(&out->report,
                  "Запуск сохранён программой %s, воспроизведён программой %s: отличия "
                  "могут идти и от правил, изменившихся между ними.\n",
                  *k.engine ? k.engine : "более ранней версии shnor (её номер не записан)",
                  RUN_ENGINE);
    }
done:
    run_free(r);
    pack_free(p);
    sb_free(&modules);
    for (size_t i = 0; i < kc.n; i++) {
        free(kc.v[i].indicator);
    }
    free(kc.v);
    lines_free(&was_l);
    lines_free(&was_t);
    lines_free(&now_l);
    lines_free(&now_t);
    kept_free(&k);
    return status;
}
