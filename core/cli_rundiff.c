/*
 * cli_rundiff.c — comparing listings: diff (two kept runs) and whatif (two
 * versions of a pack evaluated on the same data, nothing kept).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "engine.h"
#include "listing.h"
#include "run.h"
#include "rundiff.h"
#include "store.h"
#include "table.h"

static int side_listing(void *arg, const store_run_listing_row *l)
{
    if (strcmp(l->status, "insufficient_data") == 0) {
        return rd_add_insufficient(arg, l->school, l->name, l->territory, l->category);
    }
    /* a person's decision shows beside the change it made (an exclusion by
       hand is not an exit by the criteria) */
    if ((strcmp(l->status, "listed") == 0 || strcmp(l->status, "excluded") == 0) &&
        *l->override && rd_add_manual(arg, l->school, l->name, l->territory, l->override) != 0) {
        return -1;
    }
    if (strcmp(l->status, "listed") != 0) {
        return 0;
    }
    if (rd_add_title(arg, l->category, l->category_title) != 0 ||
        rd_add_title(arg, l->cohort, l->cohort_title) != 0) {
        return -1;
    }
    return rd_add_listed(arg, l->school, l->name, l->territory, l->category, l->cohort,
                         l->criteria);
}

static int side_target(void *arg, const store_run_target_row *t)
{
    return rd_add_target(arg, t->target, t->scope, t->period, t->status);
}

static int side_label(void *arg, const store_run *r)
{
    rd_side *s = arg;
    strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "запуск #%lld: %s %s, период %s (список %s)", (long long)r->id,
              r->pack_id, r->version, r->period, r->listing_period);
    s->label = sb_detach(&sb);
    return 0;
}

/* A kept run as a side of the comparison. */
static int load_side(shnor *db, int64_t id, rd_side *s)
{
    int status = store_runs_each(db, id, side_label, s);
    if (status == SHNOR_OK) {
        status = store_run_listings_each(db, id, side_listing, s);
    }
    if (status == SHNOR_OK) {
        status = store_run_targets_each(db, id, side_target, s);
    }
    return status;
}

/* The pack id of a kept run, for a word when two runs of different packs are
   compared. */
static int run_pack_id(void *arg, const store_run *r)
{
    snprintf(arg, 128, "%s", r->pack_id);
    return 0;
}


int cmd_diff(cli_env *e, int argc, char **argv)
{
    const char *format = "table";
    const cli_opt opts[] = {{"format", OPT_VALUE, &format}};
    char **pos;
    int npos, code;
    if ((code = cli_parse(e, argc, argv, opts, 1, &pos, &npos))) {
        return code;
    }
    int64_t a = npos == 2 ? cli_id(pos[0]) : 0, b = npos == 2 ? cli_id(pos[1]) : 0;
    if (!a || !b) {
        code = cli_usage_id(e, npos != 2 ? NULL : !a ? pos[0] : pos[1], "a run", "runs");
        free(pos);
        return code;
    }
    free(pos);
    shnor_format f;
    if ((code = cli_format(e, format, CLI_ALL_FORMATS, &f))) {
        return code;
    }
    shnor *db = NULL;
    if ((code = cli_open(e, SHNOR_OPEN_READONLY, &db)) != EXIT_OK) {
        return code;
    }
    rd_side sa = {0}, sb = {0};
    rundiff d = {0};
    int status = load_side(db, a, &sa);
    if (status == SHNOR_OK) {
        status = load_side(db, b, &sb);
    }
    char pa[128] = "", pb[128] = "";
    if (status == SHNOR_OK && (status = store_runs_each(db, a, run_pack_id, pa)) == SHNOR_OK &&
        (status = store_runs_each(db, b, run_pack_id, pb)) == SHNOR_OK && strcmp(pa, pb) != 0) {
        /* Allowed (a region may replace its pack), but not silently: the
           schools are compared whatever lists them. */
        fprintf(e->err,
                "shnor diff: note: run #%lld is of pack '%s' and run #%lld of pack '%s'; "
                "their listings are compared school by school as they are\n",
                (long long)a, pa, (long long)b, pb);
    }
    if (status != SHNOR_OK) {
        code = cli_fail(e, db, status);
    } else if (rundiff_compute(&sa, &sb, 0, &d) != 0) {
        fprintf(e->err, "shnor diff: out of memory\n");
        code = EXIT_FAILURE_OTHER;
    } else if (rundiff_write(&d, f, e->out, table_use_color(e->out),
                             table_term_width(e->out)) != 0) {
        code = EXIT_IO;
    }
    rundiff_free(&d);
    rd_side_free(&sa);
    rd_side_free(&sb);
    shnor_close(db);
    return code;
}

/* An evaluation as a side: its listed rows, and for every school the
   criteria that fired (what a flip is explained by). */
static int eval_side(const evaluation *ev, rd_side *s)
{
    const pack *p = ev->p;
    strbuf crit = STRBUF_INIT;
    int rc = 0;
    for (size_t k = 0; k < p->ncats && rc == 0; k++) {
        rc = rd_add_title(s, p->cats[k].id, p->cats[k].title);
    }
    for (size_t k = 0; k < p->ncohorts && rc == 0; k++) {
        rc = rd_add_title(s, p->cohorts[k].id, p->cohorts[k].title);
    }
    for (size_t i = 0; i < ev->nrows && rc == 0; i++) {
        const ev_row *row = &ev->rows[i];
        const ds_school *sc = &ev->ds->schools[row->school];
        if (row->override && (row->status == ROW_LISTED || row->status == ROW_EXCLUDED)) {
            /* as diff shows a kept run's: a pack-specific decision differs */
            sb_reset(&crit);
            listing_override_text(row->override, &crit);
            rc = rd_add_manual(s, sc->code, sc->name, ev->ds->territories[sc->territory],
                               crit.data ? crit.data : "");
            if (rc != 0) {
                break;
            }
        }
        if (row->status == ROW_INSUFFICIENT) {
            rc = rd_add_insufficient(s, sc->code, sc->name, ev->ds->territories[sc->territory],
                                     p->cats[row->category].id);
            continue;
        }
        if (row->status != ROW_LISTED) {
            continue;
        }
        rc = rd_add_listed(s, sc->code, sc->name, ev->ds->territories[sc->territory],
                           p->cats[row->category].id,
                           row->cohort >= 0 ? p->cohorts[row->cohort].id : "", "");
    }
    for (size_t i = 0; i < ev->ds->nschools && rc == 0; i++) {
        sb_reset(&crit);
        for (size_t c = 0; c < p->ncrits; c++) {
            if (ev->results[i * p->ncrits + c] == CRIT_FIRED) {
                sb_printf(&crit, "%s%s", crit.len ? ";" : "", p->crits[c].id);
            }
        }
        if (crit.len) {
            const ds_school *sc = &ev->ds->schools[i];
            rc = rd_add_fired(s, sc->code, sc->name, ev->ds->territories[sc->territory],
                              crit.data);
        }
    }
    sb_free(&crit);
    return rc;
}

/* The target rows of an evaluation as a side. */
static int target_side(const target_results *tr, rd_side *s)
{
    for (size_t i = 0; i < tr->n; i++) {
        const tg_row *row = &tr->rows[i];
        char per[SHNOR_PERIOD_MAX];
        if (!shnor_period_format(row->period, per, sizeof per)) {
            per[0] = '\0';
        }
        if (rd_add_target(s, tr->p->targets[row->target].id, row->scope, per,
                          target_status_name(row->status)) != 0) {
            return -1;
        }
    }
    return 0;
}

int cmd_whatif(cli_env *e, int argc, char **argv)
{
    cli_limit_opts lo = {0};
    const char *pa = NULL, *pb = NULL, *period_text = NULL, *format = "table",
               *lib = NULL;
    const cli_opt opts[] = {CLI_LIMIT_OPTS(lo),
                            {"pack", OPT_VALUE, &pa},
                            {"vs", OPT_VALUE, &pb},
                            {"period", OPT_VALUE, &period_text},
                            {"format", OPT_VALUE, &format},
                            {"lib", OPT_VALUE, &lib}};
    int code;
    if ((code = cli_parse_options(e, argc, argv, opts, sizeof opts / sizeof opts[0]))) {
        return code;
    }
    if (!pa || !pb) {
        return cli_usage_cmd(e);
    }
    shnor_limits lim;
    shnor_format f;
    if ((code = cli_limits(e, &lo, &lim)) ||
        (code = cli_format(e, format, CLI_ALL_FORMATS, &f))) {
        return code;
    }
    shnor *db = NULL;
    pack *packs[2] = {NULL, NULL};
    dataset *ds[2] = {NULL, NULL};
    evaluation *ev[2] = {NULL, NULL};
    target_results *tr[2] = {NULL, NULL};
    rd_side side[2] = {{0}, {0}};
    rundiff d = {0};
    strbuf msg = STRBUF_INIT;
    const char *paths[2] = {pa, pb};
    shnor_period period;
    int status = SHNOR_OK;
    for (int k = 0; k < 2 && status == SHNOR_OK; k++) {
        /* A new version saved elsewhere (a copy to try out) requires the
           modules of the pack it is compared with, unless it has a lib/ of
           its own beside it. */
        char *own = k == 1 && !lib ? pack_default_lib_dir(paths[k]) : NULL;
        struct stat st;
        const char *use = own && stat(own, &st) != 0 ? packs[0]->sb->lib_dir : lib;
        status = cli_load_pack(e, paths[k], &lim, use, &packs[k]);
        free(own);
    }
    if (status != SHNOR_OK) {
        code = cli_exit_code(status);
        goto done;
    }
    if ((code = cli_period(e, period_text, packs[0], &period)) != 0 ||
        (code = cli_open(e, SHNOR_OPEN_READONLY, &db)) != EXIT_OK) {
        goto done;
    }
    /* Both versions read the same snapshot of the data: their listings and
       their targets. */
    status = store_begin_read(db);
    for (int k = 0; k < 2 && status == SHNOR_OK; k++) {
        run_plan_counts *pc = NULL;
        status = ds_load_db_filtered(db, (const char *const *)packs[k]->territories,
                                     packs[k]->nterritories, &ds[k]);
        if (status == SHNOR_OK) {
            status = run_plan_counts_load(db, ds[k], packs[k]->id, &pc);
        }
        if (status != SHNOR_OK) {
            sb_puts(&msg, shnor_errmsg(db));
        } else if ((status = engine_check_territories(db, packs[k], ds[k], &msg)) != SHNOR_OK) {
        } else if ((status = eval_listing(packs[k], ds[k], period, &ev[k])) != SHNOR_OK) {
            sb_puts(&msg, ev[k] ? ev[k]->err.data : "out of memory");
        } else if ((status = eval_check_codes(ev[k], &msg)) != SHNOR_OK) {
        } else if ((status = targets_eval(packs[k], ds[k], period, 0, ev[k],
                                          run_plan_counts_get, pc, &tr[k])) != SHNOR_OK) {
            sb_puts(&msg, tr[k] ? tr[k]->err.data : "out of memory");
        }
        run_plan_counts_free(pc);
    }
    store_end_read(db);
    for (int k = 0; k < 2; k++) {
        cli_show_log(e, packs[k]);
        if (status == SHNOR_OK) {
            cli_note_stray_overrides(e, ev[k]);
        }
    }
    if (status != SHNOR_OK) {
        fprintf(e->err, "%s\n", msg.data ? msg.data : "");
        code = cli_exit_code(status);
        goto done;
    }
    if (strcmp(packs[0]->id, packs[1]->id) != 0) {
        /* two versions of one pack are what whatif is for; two packs are
           compared too, as diff compares runs of two, but not silently */
        fprintf(e->err,
                "shnor whatif: note: %s is pack '%s' and %s pack '%s'; their listings are "
                "compared school by school as they are\n",
                paths[0], packs[0]->id, paths[1], packs[1]->id);
    }
    for (int k = 0; k < 2; k++) {
        strbuf label = STRBUF_INIT;
        sb_printf(&label, "%s (%s %s), период %s", paths[k], packs[k]->id,
                  packs[k]->version, ev[k]->period_text);
        side[k].label = sb_detach(&label);
        if (eval_side(ev[k], &side[k]) != 0 || target_side(tr[k], &side[k]) != 0) {
            status = SHNOR_NOMEM;
        }
    }
    if (status != SHNOR_OK || rundiff_compute(&side[0], &side[1], 1, &d) != 0) {
        fprintf(e->err, "shnor whatif: out of memory\n");
        code = EXIT_FAILURE_OTHER;
    } else if (rundiff_write(&d, f, e->out, table_use_color(e->out),
                             table_term_width(e->out)) != 0) {
        code = EXIT_IO;
    }
done:
    rundiff_free(&d);
    for (int k = 0; k < 2; k++) {
        rd_side_free(&side[k]);
        targets_free(tr[k]);
        eval_free(ev[k]);
        ds_free(ds[k]);
        pack_free(packs[k]);
    }
    sb_free(&msg);
    shnor_close(db);
    return code;
}
