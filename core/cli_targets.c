/*
 * cli_targets.c — `shnor targets`: a pack's target indicators evaluated on
 * demand for a period, or with --due-by the control points that have come
 * and are not met.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "engine.h"
#include "store.h"
#include "table.h"
#include "run.h"
#include "run_replay.h"
#include "json.h"
#include "targets.h"

/* A pack's targets at period: its listing, its stored assignments' counts,
   and the targets (the control points due by due_by when it is set). The
   caller frees what it gets (also on failure); SHNOR_OK or a status with the
   message in msg. */
static int evaluate_targets(cli_env *e, shnor *db, pack *p, shnor_period period,
                            shnor_date due_by, dataset **ds, evaluation **ev,
                            run_plan_counts **pc, target_results **tr, strbuf *msg)
{
    int status = engine_listing(db, p, period, ds, ev, msg);
    if (status == SHNOR_OK &&
        (status = run_plan_counts_load(db, *ds, p->id, pc)) != SHNOR_OK) {
        sb_puts(msg, shnor_errmsg(db));
    }
    if (status == SHNOR_OK) {
        status = targets_eval(p, *ds, period, due_by, *ev, run_plan_counts_get, *pc, tr);
        if (status != SHNOR_OK) {
            sb_puts(msg, *tr ? (*tr)->err.data : "out of memory");
        }
    }
    engine_done(db);
    cli_show_log(e, p);
    if (status == SHNOR_OK) {
        cli_note_stray_overrides(e, *ev);
    }
    return status;
}

/* The latest kept run of each pack, in pack id order. */
typedef struct {
    char *pack_id, *period;
    int64_t run;
} latest_run;

typedef struct {
    latest_run *v;
    size_t n, cap;
    int oom;
} latest_runs;

static int note_run(void *arg, const store_run *r)
{
    latest_runs *l = arg;
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->v[i].pack_id, r->pack_id) == 0) {
            char *period = r->id > l->v[i].run ? strdup(r->period) : NULL;
            if (period) { /* runs come by id; keep the latest */
                free(l->v[i].period);
                l->v[i].period = period;
                l->v[i].run = r->id;
            }
            l->oom = r->id > l->v[i].run && !period;
            return l->oom;
        }
    }
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 8;
        latest_run *nv = realloc(l->v, ncap * sizeof *nv);
        if (!nv) {
            return l->oom = 1;
        }
        l->v = nv;
        l->cap = ncap;
    }
    latest_run x = {strdup(r->pack_id), strdup(r->period), r->id};
    if (!x.pack_id || !x.period) {
        free(x.pack_id);
        free(x.period);
        return l->oom = 1;
    }
    l->v[l->n++] = x;
    return 0;
}

static int cmp_latest(const void *a, const void *b)
{
    return strcmp(((const latest_run *)a)->pack_id, ((const latest_run *)b)->pack_id);
}

/*
 * `targets --due-by DATE` without --pack: the control points that have come
 * and are not met, for every pack with a kept run, each evaluated with the
 * pack source its latest run kept (the version in force, even if the file
 * was edited since) on the current data, at --period or the pack's own.
 */
static int due_of_kept_runs(cli_env *e, const shnor_limits *lim, const char *period_text,
                            shnor_date due_by, shnor_format f)
{
    shnor *db = NULL;
    latest_runs runs = {0};
    strbuf out = STRBUF_INIT, msg = STRBUF_INIT;
    json_writer jw;
    int code = cli_open(e, SHNOR_OPEN_READONLY, &db);
    if (code != EXIT_OK) {
        return code;
    }
    int status = store_runs_each(db, 0, note_run, &runs);
    if (status == SHNOR_OK && runs.oom) {
        status = shnor_seterr(db, SHNOR_NOMEM, "out of memory");
    }
    if (status != SHNOR_OK) {
        code = cli_fail(e, db, status);
        goto done;
    }
    if (runs.n == 0) {
        fprintf(e->err, "shnor targets: no kept runs in %s to take the packs from; give "
                        "--pack PACK.lua, or keep a run first (shnor run)\n",
                e->db_path);
        code = EXIT_NOTFOUND;
        goto done;
    }
    qsort(runs.v, runs.n, sizeof *runs.v, cmp_latest);
    char date[11];
    shnor_date_format(due_by, date, sizeof date);
    jw_init(&jw, &out, 1);
    if (f == SHNOR_FORMAT_CSV) {
        sb_puts(&out, TARGETS_CSV_HEADER ",pack,run\n");
    } else if (f == SHNOR_FORMAT_JSON) {
        jw_arr_begin(&jw);
    }
    for (size_t k = 0; k < runs.n && code == EXIT_OK; k++) {
        pack *p = NULL;
        strbuf modules = STRBUF_INIT;
        dataset *ds = NULL;
        evaluation *ev = NULL;
        run_plan_counts *pc = NULL;
        target_results *tr = NULL;
        shnor_period period = {0};
        sb_reset(&msg);
        status = run_load_kept_pack(db, runs.v[k].run, lim, &p, &modules, &msg);
        if (status == SHNOR_OK) {
            const char *text = period_text ? period_text
                               : p->period.kind ? NULL
                                                : runs.v[k].period;
            if ((code = cli_period(e, text, p, &period)) == 0) {
                status = evaluate_targets(e, db, p, period, due_by, &ds, &ev, &pc, &tr, &msg);
            }
        }
        if (code == 0 && status != SHNOR_OK) {
            fprintf(e->err, "pack '%s' (run %lld): %s\n", runs.v[k].pack_id,
                    (long long)runs.v[k].run, msg.data ? msg.data : "");
            code = cli_exit_code(status);
        }
        char run[24];
        snprintf(run, sizeof run, "%lld", (long long)runs.v[k].run);
        for (size_t i = 0; code == EXIT_OK && f == SHNOR_FORMAT_CSV && i < tr->n; i++) {
            targets_csv_row(tr, &tr->rows[i], &out);
            sb_printf(&out, ",%s,%s\n", p->id, run);
        }
        if (code == EXIT_OK && f == SHNOR_FORMAT_JSON) {
            jw_obj_begin(&jw);
            jw_kstr(&jw, "pack", p->id);
            jw_kstr(&jw, "title", p->title);
            jw_kint(&jw, "run", runs.v[k].run);
            jw_kstr(&jw, "due_by", date);
            jw_key(&jw, "targets");
            jw_arr_begin(&jw);
            for (size_t i = 0; i < tr->n; i++) {
                targets_json_row(tr, &tr->rows[i], &jw);
            }
            jw_arr_end(&jw);
            jw_obj_end(&jw);
        }
        if (code == EXIT_OK && f == SHNOR_FORMAT_TABLE) {
            fprintf(e->out, "%s%s (запуск #%lld): ", k ? "\n" : "", p->id,
                    (long long)runs.v[k].run);
            if (p->ntargets) {
                /* the date as the summary under the table writes it */
                fprintf(e->out, "контрольные точки по %.2s.%.2s.%.4s, ", date + 8, date + 5, date);
            }
            if (p->ntargets == 0) {
                fputs("у пакета нет целевых показателей\n", e->out);
            } else if (tr->n == 0) {
                fputs("невыполненных нет\n", e->out);
            } else {
                fputs("не выполнены:\n", e->out);
                if (targets_write(tr, f, e->out, table_use_color(e->out),
                                  table_term_width(e->out)) != 0) {
                    code = EXIT_IO;
                }
            }
        }
        run_plan_counts_free(pc);
        targets_free(tr);
        eval_free(ev);
        ds_free(ds);
        pack_free(p);
        sb_free(&modules);
    }
    if (code == EXIT_OK && f == SHNOR_FORMAT_JSON) {
        jw_arr_end(&jw);
        sb_putc(&out, '\n');
    }
    if (code == EXIT_OK && f != SHNOR_FORMAT_TABLE &&
        (sb_failed(&out) || fwrite(out.data, 1, out.len, e->out) != out.len)) {
        fprintf(e->err, "shnor targets: writing the output failed\n");
        code = EXIT_IO;
    }
done:
    for (size_t i = 0; i < runs.n; i++) {
        free(runs.v[i].pack_id);
        free(runs.v[i].period);
    }
    free(runs.v);
    sb_free(&out);
    sb_free(&msg);
    shnor_close(db);
    return code;
}

int cmd_targets(cli_env *e, int argc, char **argv)
{
    cli_limit_opts lo = {0};
    const char *pack_path = NULL, *period_text = NULL, *format = "table", *lib = NULL,
               *due_by_text = NULL;
    const cli_opt opts[] = {CLI_LIMIT_OPTS(lo),
                            {"pack", OPT_VALUE, &pack_path},
                            {"period", OPT_VALUE, &period_text},
                            {"format", OPT_VALUE, &format},
                            {"due-by", OPT_VALUE, &due_by_text},
                            {"lib", OPT_VALUE, &lib}};
    int code;
    if ((code = cli_parse_options(e, argc, argv, opts, sizeof opts / sizeof opts[0]))) {
        return code;
    }
    if ((!pack_path && !due_by_text)) {
        return cli_usage_cmd(e);
    }
    shnor_limits lim;
    shnor_format f;
    shnor_date due_by = 0;
    char err[300];
    if ((code = cli_limits(e, &lo, &lim)) ||
        (code = cli_format(e, format, CLI_ALL_FORMATS, &f))) {
        return code;
    }
    if (due_by_text &&
        shnor_date_parse(due_by_text, &due_by, err, sizeof err) != SHNOR_OK) {
        return cli_usage(e, "--due-by: %s", err);
    }
    if (!pack_path) {
        return due_of_kept_runs(e, &lim, period_text, due_by, f);
    }
    shnor *db = NULL;
    pack *p = NULL;
    dataset *ds = NULL;
    evaluation *ev = NULL;
    target_results *tr = NULL;
    run_plan_counts *pc = NULL;
    strbuf msg = STRBUF_INIT;
    shnor_period period;
    int status = cli_load_pack(e, pack_path, &lim, lib, &p);
    if (status != SHNOR_OK) {
        code = cli_exit_code(status);
        goto done;
    }
    if ((code = cli_period(e, period_text, p, &period)) != 0 ||
        (code = cli_open(e, 0, &db)) != EXIT_OK) {
        goto done;
    }
    status = evaluate_targets(e, db, p, period, due_by, &ds, &ev, &pc, &tr, &msg);
    if (status != SHNOR_OK) {
        fprintf(e->err, "%s\n", msg.data);
        code = cli_exit_code(status);
        goto done;
    }
    if (f == SHNOR_FORMAT_TABLE && p->ntargets == 0) {
        /* said, not an empty table and "met 0, not met 0" */
        fprintf(e->out, "У пакета %s нет целевых показателей.\n", p->id);
    } else if (targets_write(tr, f, e->out, table_use_color(e->out),
                             table_term_width(e->out)) != 0) {
        fprintf(e->err, "shnor targets: writing the output failed\n");
        code = EXIT_IO;
    }
done:
    run_plan_counts_free(pc);
    sb_free(&msg);
    targets_free(tr);
    eval_free(ev);
    ds_free(ds);
    pack_free(p);
    shnor_close(db);
    return code;
}
