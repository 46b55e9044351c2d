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
#include "targets.h"

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
    if ((code =
             cli_parse(e, argc, argv, opts, sizeof opts / sizeof opts[0], &pos, &npos))) {
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
        (code = cli_format(e, format, CLI_ALL_FORMATS, &f))) {
        return code;
    }
    if (due_by_text &&
        shnor_date_parse(due_by_text, &due_by, err, sizeof err) != SHNOR_OK) {
        return cli_usage(e, "--due-by: %s", err);
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
    status = engine_listing(db, p, period, &ds, &ev, &msg);
    if (status == SHNOR_OK &&
        (status = run_plan_counts_load(db, ds, p->id, &pc)) != SHNOR_OK) {
        sb_puts(&msg, shnor_errmsg(db));
    }
    if (status == SHNOR_OK) {
        status = targets_eval(p, ds, period, due_by, ev, run_plan_counts_get, pc, &tr);
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
    cli_note_stray_overrides(e, ev);
    if (targets_write(tr, f, e->out, table_use_color(e->out), table_term_width(e->out)) !=
        0) {
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
