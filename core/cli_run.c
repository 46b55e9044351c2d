/*
 * cli_run.c — the year-end commands: run (every pack of a directory, each
 * in its own sandbox and its own transaction), runs (the kept records) and
 * replay (a kept run evaluated again from its stored source).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "csv.h"
#include "json.h"
#include "run.h"
#include "run_replay.h"
#include "store.h"
#include "table.h"

static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The packs to run: DIR's *.lua files by name, or one file. Caller frees. */
static char **pack_files(const char *where, size_t *n)
{
    *n = 0;
    size_t len = strlen(where);
    if (len > 4 && strcmp(where + len - 4, ".lua") == 0) {
        char **one = malloc(sizeof *one);
        if (one && (one[0] = strdup(where))) {
            *n = 1;
            return one;
        }
        free(one);
        return NULL;
    }
    DIR *d = opendir(where);
    if (!d) {
        return NULL;
    }
    char **v = NULL;
    size_t cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t nl = strlen(de->d_name);
        if (nl <= 4 || strcmp(de->d_name + nl - 4, ".lua") != 0 || de->d_name[0] == '.') {
            continue;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            char **nv = realloc(v, cap * sizeof *nv);
            if (!nv) {
                break;
            }
            v = nv;
        }
        strbuf sb = STRBUF_INIT;
        sb_printf(&sb, "%s%s%s", where, where[len - 1] == '/' ? "" : "/", de->d_name);
        if (sb.data) {
            v[(*n)++] = sb_detach(&sb);
        }
    }
    closedir(d);
    if (*n) {
        qsort(v, *n, sizeof *v, cmp_path);
    }
    return v ? v : calloc(1, sizeof *v);
}

/* One line of the closing summary. */
typedef struct {
    char *file, *pack, *period, *listing;
    long schools, listed, insufficient, met, not_met, nodata, items, created, withdrawn;
    long restored;
    int64_t replaced; /* the earlier run of this pack and listing period, 0 if none */
    char *changes; /* what --apply-roadmaps did besides creating, as roadmap --apply says it */
    int64_t run;
    int status;
} run_line;

static void summary(cli_env *e, const run_line *v, size_t n, shnor_format f, int apply)
{
    if (f == SHNOR_FORMAT_CSV) {
        fprintf(e->out,
                "file,pack,period,listing_period,schools,listed,insufficient,targets_met,"
                "targets_not_met,targets_insufficient,assignments,assignments_created,"
                "run,status,assignments_withdrawn,assignments_restored\n");
        strbuf sb = STRBUF_INIT;
        for (size_t i = 0; i < n; i++) {
            const run_line *l = &v[i];
            const char *texts[] = {l->file, l->pack ? l->pack : "",
                                   l->period ? l->period : "",
                                   l->listing ? l->listing : ""};
            for (int k = 0; k < 4; k++) {
                csv_put_field(&sb, texts[k], strlen(texts[k]), ',');
                sb_putc(&sb, ',');
            }
            if (l->status != SHNOR_OK) {
                /* a pack that failed counted nothing: empty, not 0 */
                sb_printf(&sb, ",,,,,,,,,%s,,\n", shnor_errstr(l->status));
                continue;
            }
            sb_printf(&sb, "%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%lld,%s,%ld,%ld\n", l->schools,
                      l->listed, l->insufficient, l->met, l->not_met, l->nodata, l->items,
                      l->created, (long long)l->run, "ok", l->withdrawn, l->restored);
        }
        fputs(sb.data ? sb.data : "", e->out);
        sb_free(&sb);
        return;
    }
    if (f == SHNOR_FORMAT_JSON) {
        strbuf sb = STRBUF_INIT;
        json_writer w;
        jw_init(&w, &sb, 1);
        jw_arr_begin(&w);
        for (size_t i = 0; i < n; i++) {
            const run_line *l = &v[i];
            jw_obj_begin(&w);
            jw_kstr(&w, "file", l->file);
            jw_kstr(&w, "pack", l->pack);
            jw_kstr(&w, "period", l->period);
            jw_kstr(&w, "listing_period", l->listing);
            const char *const counts[] = {"schools",
                                          "listed",
                                          "insufficient",
                                          "targets_met",
                                          "targets_not_met",
                                          "targets_insufficient",
                                          "assignments",
                                          "assignments_created",
                                          "assignments_withdrawn",
                                          "assignments_restored"};
            const long values[] = {l->schools, l->listed,    l->insufficient,
                                   l->met,     l->not_met,   l->nodata,
                                   l->items,   l->created,   l->withdrawn,
                                   l->restored};
            for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
                if (l->status == SHNOR_OK) {
                    jw_kint(&w, counts[k], values[k]);
                } else {
                    jw_kstr(&w, counts[k], NULL); /* a pack that failed counted nothing */
                }
            }
            if (l->run) {
                jw_kint(&w, "run", l->run);
            } else {
                jw_kstr(&w, "run", NULL);
            }
            jw_kstr(&w, "status", l->status == SHNOR_OK ? "ok" : shnor_errstr(l->status));
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        sb_putc(&sb, '\n');
        fputs(sb.data ? sb.data : "", e->out);
        sb_free(&sb);
        return;
    }
    static const char *const head[] = {"Пакет",    "Период",     "Список",    "Школ",
                                       "В списке", "Цели +/−/?", "Поручений", "Запуск"};
    table *t = table_new(8);
    if (!t || table_header(t, head) != 0) {
        table_free(t);
        return;
    }
    for (size_t c = 3; c <= 6; c++) {
        table_align(t, c, TABLE_RIGHT);
    }
    for (size_t i = 0; i < n; i++) {
        const run_line *l = &v[i];
        char schools[24], listed[48], goals[48], items[48], run[24];
        if (l->status != SHNOR_OK) {
            /* counted nothing: blank, not zeros */
            schools[0] = listed[0] = goals[0] = items[0] = '\0';
        } else {
            snprintf(schools, sizeof schools, "%ld", l->schools);
            /* a no-break space: "?)" never wraps alone */
            snprintf(listed, sizeof listed, l->insufficient ? "%ld (+%ld\u00a0?)" : "%ld",
                     l->listed, l->insufficient);
            snprintf(goals, sizeof goals, "%ld/%ld/%ld", l->met, l->not_met, l->nodata);
            if (apply) {
                snprintf(items, sizeof items, "%ld (+%ld)", l->items, l->created);
            } else {
                snprintf(items, sizeof items, "%ld", l->items);
            }
        }
        /* The kept run's number, else why there is none: one column, so
           that the table fits 80 columns without breaking a pack id. */
        if (l->status == SHNOR_OK && l->run) {
            snprintf(run, sizeof run, "#%lld", (long long)l->run);
        } else {
            snprintf(run, sizeof run, "%s",
                     l->status == SHNOR_OK      ? "—"
                     : l->status == SHNOR_LIMIT ? "ПРЕДЕЛ"
                                                : "ОШИБКА");
        }
        const char *cells[] = {l->pack ? l->pack : l->file,
                               l->period,
                               l->listing,
                               schools,
                               listed,
                               goals,
                               items,
                               run};
        table_row(t, cells);
        table_cell_style(t, 7, l->status == SHNOR_OK ? TABLE_GREEN : TABLE_RED);
    }
    table_print(t, e->out, table_term_width(e->out), table_use_color(e->out));
    table_free(t);
    for (size_t i = 0; i < n; i++) {
        if (v[i].status == SHNOR_OK && v[i].replaced) {
            /* a second run of a period silently became the list in force */
            char note[512];
            snprintf(note, sizeof note,
                     "%s: запуск #%lld заменяет запуск #%lld как список %s, который читают "
                     "следующие периоды (s:listed, когорты, правило выхода) и цели.",
                     v[i].pack, (long long)v[i].run, (long long)v[i].replaced, v[i].listing);
            fputc('\n', e->out);
            table_print_text(e->out, note, table_term_width(e->out), 2);
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (v[i].changes) {
            fprintf(e->out, "\n%s:\n%s", v[i].pack, v[i].changes);
        }
    }
}

/* Evaluates and keeps the pack in file, the i-th of n (seen: the lines of
   the packs before it); given is --period (kind 0: the pack's own). */
static void run_one(cli_env *e, shnor *db, const char *file, const shnor_period *given,
                    const shnor_limits *lim, const char *lib, int apply, run_line *l,
                    const run_line *seen, size_t i, size_t n, int progress)
{
    pack *p = NULL;
    run_result *r = NULL;
    strbuf msg = STRBUF_INIT;
    if (progress) {
        fprintf(e->err, "[%zu/%zu] %s: загрузка…\n", i + 1, n, file);
    }
    l->status = cli_load_pack(e, file, lim, lib, &p);
    if (l->status != SHNOR_OK) {
        goto done;
    }
    for (size_t k = 0; k < i; k++) {
        if (seen[k].pack && strcmp(seen[k].pack, p->id) == 0) {
            fprintf(
                e->err,
                "%s: pack id '%s' was already run from %s in this run: a second pack of "
                "that id would replace its listing as the one later evaluations read\n",
                file, p->id, seen[k].file);
            l->status = SHNOR_PACK;
            goto done;
        }
    }
    l->pack = strdup(p->id);
    shnor_period period = given->kind ? *given : p->period;
    char pt[SHNOR_PERIOD_MAX];
    if (period.kind && shnor_period_format(period, pt, sizeof pt)) {
        l->period = strdup(pt); /* said also when the evaluation fails */
    }
    if (!period.kind) {
        fprintf(e->err, "%s: the pack gives no 'period' of its own; pass --period\n",
                file);
        l->status = SHNOR_MISUSE; /* exit 2, as list says it: the command line lacks it */
        goto done;
    }
    if ((l->status = run_evaluate(db, p, period, apply, &r, &msg)) != SHNOR_OK) {
        fprintf(e->err, "%s\n", msg.data ? msg.data : "");
        goto done;
    }
    cli_note_stray_overrides(e, r->ev);
    sb_reset(&msg);
    if (eval_nothing_decided(r->ev, r->period, &msg)) {
        /* a run that decided nothing (kedrovy's academic years evaluated for
           the year 2023) is not kept: it could not be taken back, and later
           evaluations would read it as that period's list */
        fprintf(e->err, "%s; nothing was kept\n", msg.data);
        l->status = SHNOR_INPUT;
        goto done;
    }
    l->listing = strdup(r->listing_text);
    if (progress) {
        fprintf(e->err, "[%zu/%zu] %s: оценено школ %zu, сохранение…\n", i + 1, n, p->id,
                r->ev->evaluated);
    }
    if ((l->status = run_store(db, r, lim, apply, &l->run)) != SHNOR_OK) {
        l->run = 0;
        fprintf(e->err, "%s: storing the run failed: %s\n", file, shnor_errmsg(db));
        goto done;
    }
    l->schools = (long)r->ev->evaluated;
    for (size_t k = 0; k < p->ncats; k++) {
        l->listed += (long)r->ev->listed[k];
        l->insufficient += (long)r->ev->insufficient[k];
    }
    for (size_t k = 0; k < r->tr->n; k++) {
        int st = r->tr->rows[k].status;
        l->met += st == TG_MET;
        l->not_met += st == TG_NOT_MET;
        l->nodata += st == TG_INSUFFICIENT;
    }
    l->items = (long)r->rm->n;
    l->created = r->rm->created;
    l->withdrawn = r->rm->withdrawn;
    l->restored = r->rm->restored;
    if (store_run_replaced(db, l->run, &l->replaced) != SHNOR_OK) {
        l->replaced = 0; /* the run is kept; only the note is lost */
    }
    if (apply) {
        /* withdrawn, restored, and kept because a person set their status or
           the data is missing: what roadmap --apply says, said at year end */
        char *text = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&text, &len);
        if (m) {
            int rc = roadmap_write_changes(r->rm, 1, m, table_term_width(e->out));
            fclose(m);
            if (rc == 0 && len) {
                l->changes = text;
            } else {
                free(text);
            }
        }
    }
done:
    cli_show_log(e, p);
    sb_free(&msg);
    run_free(r);
    pack_free(p);
}

int cmd_run(cli_env *e, int argc, char **argv)
{
    cli_limit_opts lo = {0};
    const char *packs = NULL, *period_text = NULL, *format = "table", *lib = NULL;
    int apply = 0;
    const cli_opt opts[] = {CLI_LIMIT_OPTS(lo),
                            {"packs", OPT_VALUE, &packs},
                            {"period", OPT_VALUE, &period_text},
                            {"apply-roadmaps", OPT_FLAG, &apply},
                            {"format", OPT_VALUE, &format},
                            {"lib", OPT_VALUE, &lib}};
    int code;
    if ((code = cli_parse_options(e, argc, argv, opts, sizeof opts / sizeof opts[0]))) {
        return code;
    }
    if (!packs) {
        return cli_usage_cmd(e);
    }
    shnor_limits lim;
    shnor_format f;
    shnor_period given = {0};
    char err[300];
    if ((code = cli_limits(e, &lo, &lim)) ||
        (code = cli_format(e, format, CLI_ALL_FORMATS, &f))) {
        return code;
    }
    if (period_text &&
        shnor_period_parse(period_text, &given, err, sizeof err) != SHNOR_OK) {
        return cli_usage(e, "--period: %s", err);
    }
    size_t n = 0;
    char **files = pack_files(packs, &n);
    if (!files) {
        fprintf(e->err, "shnor run: cannot read the packs at '%s'\n", packs);
        return EXIT_IO;
    }
    if (n == 0) {
        free(files);
        fprintf(e->err, "shnor run: no *.lua pack in '%s'\n", packs);
        return EXIT_NOTFOUND;
    }
    shnor *db = NULL;
    if ((code = cli_open(e, 0, &db)) != EXIT_OK) {
        for (size_t i = 0; i < n; i++) {
            free(files[i]);
        }
        free(files);
        return code;
    }
    run_line *lines = calloc(n, sizeof *lines);
    int worst = SHNOR_OK, progress = isatty(fileno(e->err));
    for (size_t i = 0; lines && i < n; i++) {
        lines[i].file = files[i];
        run_one(e, db, files[i], &given, &lim, lib, apply, &lines[i], lines, i, n,
                progress);
        if (lines[i].status != SHNOR_OK && worst == SHNOR_OK) {
            worst = lines[i].status;
        }
    }
    if (lines) {
        summary(e, lines, n, f, apply);
    } else {
        worst = SHNOR_NOMEM;
    }
    size_t failed = 0;
    for (size_t i = 0; lines && i < n; i++) {
        failed += lines[i].status != SHNOR_OK;
        free(lines[i].pack);
        free(lines[i].period);
        free(lines[i].listing);
        free(lines[i].changes);
    }
    if (f == SHNOR_FORMAT_TABLE) {
        fprintf(e->out, "\nПакетов: %zu, сохранено запусков: %zu, с ошибкой: %zu.\n", n,
                n - failed, failed);
    }
    for (size_t i = 0; i < n; i++) {
        free(files[i]);
    }
    free(files);
    free(lines);
    shnor_close(db);
    return cli_exit_code(worst);
}

/* ---- runs ---- */

typedef struct {
    shnor_format f;
    table *t;
    strbuf sb;
    json_writer jw;
} runs_ctx;

static int list_run(void *arg, const store_run *r)
{
    runs_ctx *x = arg;
    char id[24], schools[24], listed[24], items[24];
    snprintf(id, sizeof id, "%lld", (long long)r->id);
    snprintf(schools, sizeof schools, "%ld", r->schools);
    snprintf(listed, sizeof listed, "%ld", r->listed);
    snprintf(items, sizeof items, "%ld", r->assignments);
    if (x->f == SHNOR_FORMAT_CSV) {
        const char *cells[] = {
            id,      r->pack_id,    r->version,     r->period, r->listing_period,
            r->user, r->started_at, r->finished_at, schools,   listed,
            items,   r->sha256,     r->data_sha256};
        csv_put_cells(&x->sb, cells, sizeof cells / sizeof cells[0]);
        sb_printf(&x->sb, ",%ld,%d,", r->insufficient, r->roadmap_applied);
        csv_put_cells(&x->sb, &r->engine, 1);
        sb_putc(&x->sb, '\n');
    } else if (x->f == SHNOR_FORMAT_JSON) {
        jw_obj_begin(&x->jw);
        jw_kint(&x->jw, "id", r->id);
        jw_kstr(&x->jw, "pack", r->pack_id);
        jw_kstr(&x->jw, "version", r->version);
        jw_kstr(&x->jw, "title", r->title);
        jw_kstr(&x->jw, "source", r->order);
        jw_kstr(&x->jw, "path", r->path);
        jw_kstr(&x->jw, "period", r->period);
        jw_kstr(&x->jw, "listing_period", r->listing_period);
        jw_kstr(&x->jw, "user", r->user);
        jw_kstr(&x->jw, "started_at", r->started_at);
        jw_kstr(&x->jw, "finished_at", r->finished_at);
        jw_kint(&x->jw, "schools", r->schools);
        jw_kint(&x->jw, "listed", r->listed);
        jw_kint(&x->jw, "insufficient", r->insufficient);
        jw_kint(&x->jw, "assignments", r->assignments);
        jw_key(&x->jw, "roadmap_applied");
        jw_bool(&x->jw, r->roadmap_applied);
        jw_kstr(&x->jw, "pack_sha256", r->sha256);
        jw_kstr(&x->jw, "data_sha256", r->data_sha256);
        jw_kstr(&x->jw, "engine", r->engine);
        jw_obj_end(&x->jw);
    } else {
        char when[24], of[48];
        snprintf(when, sizeof when, "%.10s", r->started_at);
        snprintf(of, sizeof of, "%ld из %ld", r->listed, r->schools);
        const char *cells[] = {id, r->pack_id, r->version, r->period, r->listing_period,
                               of, items,      when};
        table_row(x->t, cells);
    }
    return 0;
}

int cmd_runs(cli_env *e, int argc, char **argv)
{
    const char *format = "table";
    const cli_opt opts[] = {{"format", OPT_VALUE, &format}};
    int code;
    if ((code = cli_parse_options(e, argc, argv, opts, 1))) {
        return code;
    }
    runs_ctx x = {0};
    if ((code = cli_format(e, format, CLI_ALL_FORMATS, &x.f))) {
        return code;
    }
    shnor *db = NULL;
    if ((code = cli_open(e, SHNOR_OPEN_READONLY, &db)) != EXIT_OK) {
        return code;
    }
    /* Who ran it, the times and the hashes are in CSV, JSON and show-run:
       the table keeps to what fits 80 columns. */
    static const char *const head[] = {"№",      "Пакет",    "Версия",    "Период",
                                       "Список", "В списке", "Поручений", "Дата"};
    sb_init(&x.sb);
    jw_init(&x.jw, &x.sb, 1);
    if (x.f == SHNOR_FORMAT_TABLE) {
        x.t = table_new(8);
        if (!x.t || table_header(x.t, head) != 0) {
            code = EXIT_FAILURE_OTHER;
            goto done;
        }
    } else if (x.f == SHNOR_FORMAT_CSV) {
        sb_puts(&x.sb,
                "id,pack,version,period,listing_period,user,started_at,finished_at,"
                "schools,listed,assignments,pack_sha256,data_sha256,insufficient,"
                "roadmap_applied,engine\n");
    } else {
        jw_arr_begin(&x.jw);
    }
    int status = store_runs_each(db, 0, list_run, &x);
    if (status != SHNOR_OK) {
        code = cli_fail(e, db, status);
        goto done;
    }
    if (x.f == SHNOR_FORMAT_TABLE) {
        table_print(x.t, e->out, table_term_width(e->out), table_use_color(e->out));
    } else {
        if (x.f == SHNOR_FORMAT_JSON) {
            jw_arr_end(&x.jw);
            sb_putc(&x.sb, '\n');
        }
        fputs(x.sb.data ? x.sb.data : "", e->out);
    }
done:
    table_free(x.t);
    sb_free(&x.sb);
    shnor_close(db);
    return code;
}

/* ---- replay ---- */

int cmd_replay(cli_env *e, int argc, char **argv)
{
    cli_limit_opts lo = {0};
    const cli_opt opts[] = {CLI_LIMIT_OPTS(lo)};
    char **pos;
    int npos, code;
    if ((code =
             cli_parse(e, argc, argv, opts, sizeof opts / sizeof opts[0], &pos, &npos))) {
        return code;
    }
    long long id = npos == 1 ? cli_id(pos[0]) : 0;
    if (id <= 0) {
        code = cli_usage_id(e, npos == 1 ? pos[0] : NULL, "a run", "runs");
        free(pos);
        return code;
    }
    free(pos);
    shnor_limits lim;
    int given = lo.mem || lo.instr || lo.time;
    if ((code = cli_limits(e, &lo, &lim))) {
        return code;
    }
    shnor *db = NULL;
    if ((code = cli_open(e, SHNOR_OPEN_READONLY, &db)) != EXIT_OK) {
        return code;
    }
    replay_result rr;
    strbuf err = STRBUF_INIT;
    int status = run_replay(db, id, given ? &lim : NULL, &rr, &err);
    if (status != SHNOR_OK) {
        fprintf(e->err, "shnor replay: %s\n", err.data ? err.data : shnor_errmsg(db));
        code = cli_exit_code(status);
    } else {
        /* A difference is a whole row with its explanation: on a terminal
           wrapped to its width, not one line of thousands of characters;
           into a file or a pipe a line each, for grep. */
        if (rr.report.len && isatty(fileno(e->out))) {
            if (rr.report.data[rr.report.len - 1] == '\n') {
                sb_truncate(&rr.report, rr.report.len - 1);
            }
            table_print_text(e->out, rr.report.data, table_term_width(e->out), 6);
        } else {
            fputs(rr.report.data ? rr.report.data : "", e->out);
        }
        if (rr.identical) {
            fprintf(e->out, "Запуск #%lld воспроизведён: список и цели совпадают%s.\n",
                    id, rr.data_changed ? " (хотя данные с тех пор изменились)" : "");
        } else {
            fprintf(
                e->out,
                "Запуск #%lld воспроизведён с отличиями: в списке %ld, в целях %ld%s.\n",
                id, rr.listing_diffs, rr.target_diffs,
                rr.data_changed ? "; данные с тех пор изменились" : "");
            code = EXIT_CHECK;
        }
        if (rr.data_changed) {
            fprintf(e->out, "Изменений в данных: %ld.\n", rr.data_diffs);
        }
    }
    sb_free(&rr.report);
    sb_free(&err);
    shnor_close(db);
    return code;
}
