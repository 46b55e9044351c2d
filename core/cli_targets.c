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
#include "targets.h"

/* Stored assignments of one pack, counted per owner and period. */
typedef struct {
    const dataset *ds;
    strmap *index; /* "owner\tperiod" -> slot */
    long *due, *done;
    size_t n, cap;
    int failed;
} plan_counts;

/* Done on its due date or before; a done assignment without a date counts
   as done on time (the person did not say when). */
static int done_on_time(const store_assignment *a)
{
    return strcmp(a->status, "done") == 0 && (!*a->status_date || strcmp(a->status_date, a->due) <= 0);
}

static int count_one(void *arg, const store_assignment *a)
{
    plan_counts *pc = arg;
    if (strcmp(a->status, "cancelled") == 0) {
        return 0; /* a cancelled item is not owed */
    }
    strbuf key = STRBUF_INIT;
    sb_printf(&key, "%s\t%s", a->owner, a->period);
    int added;
    int64_t *slot = key.data ? strmap_put(pc->index, key.data, key.len, &added) : NULL;
    sb_free(&key);
    if (!slot) {
        pc->failed = 1;
        return 1;
    }
    if (added) {
        if (pc->n == pc->cap) {
            size_t ncap = pc->cap ? pc->cap * 2 : 64;
            long *nd = realloc(pc->due, ncap * sizeof *nd);
            if (nd) {
                pc->due = nd;
            }
            long *nk = realloc(pc->done, ncap * sizeof *nk);
            if (nk) {
                pc->done = nk;
            }
            if (!nd || !nk) {
                pc->failed = 1;
                return 1;
            }
            pc->cap = ncap;
        }
        pc->due[pc->n] = pc->done[pc->n] = 0;
        *slot = (int64_t)pc->n++;
    }
    pc->due[*slot]++;
    pc->done[*slot] += done_on_time(a);
    return 0;
}

static int lookup(void *arg, int school, shnor_period period, long *due, long *done)
{
    plan_counts *pc = arg;
    char per[SHNOR_PERIOD_MAX];
    shnor_period_format(period, per, sizeof per);
    strbuf key = STRBUF_INIT;
    sb_printf(&key, "%s\t%s", school >= 0 ? pc->ds->schools[school].code : "", per);
    int64_t *slot = key.data ? strmap_get(pc->index, key.data, key.len) : NULL;
    sb_free(&key);
    *due = slot ? pc->due[*slot] : 0;
    *done = slot ? pc->done[*slot] : 0;
    return 0;
}

static void counts_free(plan_counts *pc)
{
    strmap_free(pc->index);
    free(pc->due);
    free(pc->done);
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
    char **pos;
    int npos, code;
    if ((code = cli_parse(e, argc, argv, opts, sizeof opts / sizeof opts[0], &pos, &npos))) {
        return code;
    }
    free(pos);
    if (npos || !pack_path) {
        return cli_usage(e, "usage: shnor --db FILE targets --pack PACK.lua --period P "
                            "[--due-by YYYY-MM-DD] [--format table|csv|json]");
    }
    shnor_limits lim;
    shnor_format f;
    shnor_date due_by = 0;
    char err[300];
    if ((code = cli_limits(e, &lo, &lim)) ||
        (code = cli_format(e, format, 1u << SHNOR_FORMAT_TABLE | 1u << SHNOR_FORMAT_CSV |
                                          1u << SHNOR_FORMAT_JSON,
                           &f))) {
        return code;
    }
    if (due_by_text && shnor_date_parse(due_by_text, &due_by, err, sizeof err) != SHNOR_OK) {
        return cli_usage(e, "--due-by: %s", err);
    }
    shnor *db = NULL;
    pack *p = NULL;
    dataset *ds = NULL;
    evaluation *ev = NULL;
    target_results *tr = NULL;
    plan_counts pc = {0};
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
    status = engine_listing(db, p, period, &ds, &ev, &msg);
    if (status == SHNOR_OK) {
        pc.ds = ds;
        pc.index = strmap_new();
        status = pc.index ? store_assignments_each(db, NULL, p->id, count_one, &pc) : SHNOR_NOMEM;
        if (status != SHNOR_OK || pc.failed) {
            sb_puts(&msg, pc.failed ? "out of memory" : shnor_errmsg(db));
            status = status != SHNOR_OK ? status : SHNOR_NOMEM;
        }
    }
    if (status == SHNOR_OK) {
        status = targets_eval(p, ds, period, due_by, lookup, &pc, &tr);
        if (status != SHNOR_OK) {
            sb_puts(&msg, tr ? tr->err.data : "out of memory");
        }
    }
    engine_done(db);
    cli_show_log(e, p);
    if (status != SHNOR_OK) {
        fprintf(e->err, "%s\n", msg.data);
        code = cli_exit_code(status);
        goto done;
    }
    if (targets_write(tr, f, e->out, table_use_color(e->out), table_term_width(e->out)) != 0) {
        fprintf(e->err, "shnor targets: writing the output failed\n");
        code = EXIT_IO;
    }
done:
    counts_free(&pc);
    sb_free(&msg);
    targets_free(tr);
    eval_free(ev);
    ds_free(ds);
    pack_free(p);
    shnor_close(db);
    return code;
}
