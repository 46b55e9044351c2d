/*
 * cli_pack.c — the rule-pack commands: check, test and list.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dataset.h"
#include "engine.h"
#include "eval.h"
#include "fixture.h"
#include "listing.h"
#include "pack.h"
#include "store.h"
#include "table.h"

int cli_limits(cli_env *e, const cli_limit_opts *o, shnor_limits *out)
{
    char err[200];
    shnor_limits_default(out);
    if (o->mem && shnor_parse_size(o->mem, &out->memory, err, sizeof err) != SHNOR_OK) {
        return cli_usage(e, "--mem-limit: %s", err);
    }
    if (o->instr) {
        char *end;
        double v = strtod(o->instr, &end);
        if (*end || !(v >= 1000) || v > 1e18) {
            return cli_usage(e,
                             "--instr-limit '%s': expected a number of instructions, at "
                             "least 1000 (e.g. 1e9)",
                             o->instr);
        }
        out->instructions = (uint64_t)v;
    }
    if (o->time) {
        char *end;
        double v = strtod(o->time, &end);
        if (*end || !(v > 0) || v > 86400) {
            return cli_usage(e, "--time-limit '%s': expected seconds, more than 0",
                             o->time);
        }
        out->seconds = v;
    }
    return 0;
}

/* Prints what a pack printed with print(), when asked for. */
void cli_show_log(cli_env *e, const pack *p)
{
    if (!e->verbose || !p || !p->sb || (!p->sb->log.len && !p->sb->log_dropped)) {
        return;
    }
    fprintf(e->err, "--- output of %s (print) ---\n%s", p->path, p->sb->log.data);
    if (p->sb->log_dropped) {
        fprintf(e->err, "... %ld more lines not kept\n", p->sb->log_dropped);
    }
}

void cli_note_stray_overrides(cli_env *e, const struct evaluation *ev)
{
    strbuf sb = STRBUF_INIT;
    eval_note_stray_overrides(ev, &sb);
    if (sb.len) {
        fputs(sb.data, e->err);
    }
    sb_reset(&sb);
    if (strcmp(e->command ? e->command : "", "run") != 0 &&
        eval_nothing_decided(ev, (shnor_period){0}, &sb)) {
        fprintf(e->err, "warning: %s\n", sb.data); /* run refuses to keep it, and says so */
    }
    sb_free(&sb);
}

/* Loads a pack and prints its problems; returns the shnor status. */
int cli_load_pack(cli_env *e, const char *path, const shnor_limits *lim, const char *lib,
                  pack **out)
{
    int status = pack_load(path, lim, lib, out);
    if (status != SHNOR_OK) {
        fputs(*out ? (*out)->problems.data : "out of memory\n", e->err);
        cli_show_log(e, *out);
    }
    return status;
}

int cmd_check(cli_env *e, int argc, char **argv)
{
    cli_limit_opts lo = {0};
    const char *lib = NULL;
    const cli_opt opts[] = {CLI_LIMIT_OPTS(lo), {"lib", OPT_VALUE, &lib}};
    char **pos;
    int npos, code;
    if ((code =
             cli_parse(e, argc, argv, opts, sizeof opts / sizeof opts[0], &pos, &npos))) {
        return code;
    }
    shnor_limits lim;
    if (npos == 0) {
        free(pos);
        return cli_usage_cmd(e);
    }
    if ((code = cli_limits(e, &lo, &lim))) {
        free(pos);
        return code;
    }
    int worst = SHNOR_OK;
    for (int i = 0; i < npos; i++) {
        pack *p = NULL;
        int status = cli_load_pack(e, pos[i], &lim, lib, &p);
        if (status == SHNOR_OK) {
            fprintf(e->out, "%s: ok — %s «%s», version %s; %zu %s, %zu %s, %zu %s, %zu %s, %zu %s\n",
                    pos[i], p->id, p->title, p->version, p->ncats,
                    p->ncats == 1 ? "category" : "categories", p->ncrits,
                    p->ncrits == 1 ? "criterion" : "criteria", p->ncohorts,
                    p->ncohorts == 1 ? "cohort" : "cohorts", p->nacts,
                    p->nacts == 1 ? "activity" : "activities", p->ntargets,
                    p->ntargets == 1 ? "target" : "targets");
            cli_show_log(e, p);
        } else if (worst == SHNOR_OK) {
            worst = status;
        }
        pack_free(p);
    }
    free(pos);
    return cli_exit_code(worst);
}

int cmd_test(cli_env *e, int argc, char **argv)
{
    cli_limit_opts lo = {0};
    const char *lib = NULL;
    const cli_opt opts[] = {CLI_LIMIT_OPTS(lo), {"lib", OPT_VALUE, &lib}};
    char **pos;
    int npos, code;
    if ((code =
             cli_parse(e, argc, argv, opts, sizeof opts / sizeof opts[0], &pos, &npos))) {
        return code;
    }
    shnor_limits lim;
    if (npos == 0) {
        free(pos);
        return cli_usage_cmd(e);
    }
    if ((code = cli_limits(e, &lo, &lim))) {
        free(pos);
        return code;
    }
    fixture_totals tot = {0, 0, 0};
    int worst = SHNOR_OK;
    for (int i = 0; i < npos; i++) {
        pack *p = NULL;
        fprintf(e->out, "# %s\n", pos[i]);
        int status = cli_load_pack(e, pos[i], &lim, lib, &p);
        if (status == SHNOR_OK) {
            status = fixture_run(p, e->out, &tot);
            cli_show_log(e, p);
        } else {
            fprintf(e->out, "FAIL - %s does not load (see above)\n", pos[i]);
            tot.failed++;
        }
        if (status != SHNOR_OK && worst == SHNOR_OK) {
            worst = status;
        }
        pack_free(p);
    }
    free(pos);
    fprintf(e->out, "%d passed, %d failed\n", tot.passed, tot.failed);
    if (worst != SHNOR_OK) {
        return cli_exit_code(worst);
    }
    return tot.failed ? EXIT_CHECK : EXIT_OK;
}

int cmd_list(cli_env *e, int argc, char **argv)
{
    cli_limit_opts lo = {0};
    const char *pack_path = NULL, *period_text = NULL, *format = "table", *lib = NULL;
    int explain = 0;
    const cli_opt opts[] = {CLI_LIMIT_OPTS(lo),
                            {"pack", OPT_VALUE, &pack_path},
                            {"period", OPT_VALUE, &period_text},
                            {"format", OPT_VALUE, &format},
                            {"explain", OPT_FLAG, &explain},
                            {"lib", OPT_VALUE, &lib}};
    int code;
    if ((code = cli_parse_options(e, argc, argv, opts, sizeof opts / sizeof opts[0]))) {
        return code;
    }
    if (!pack_path) {
        return cli_usage_cmd(e);
    }
    shnor_limits lim;
    shnor_format f;
    shnor_period period;
    char err[300];
    if ((code = cli_limits(e, &lo, &lim)) ||
        (code = cli_format(e, format, CLI_ALL_FORMATS, &f))) {
        return code;
    }
    if (period_text &&
        shnor_period_parse(period_text, &period, err, sizeof err) != SHNOR_OK) {
        return cli_usage(e, "--period: %s", err);
    }
    shnor *db = NULL;
    pack *p = NULL;
    dataset *ds = NULL;
    evaluation *ev = NULL;
    strbuf msg = STRBUF_INIT;
    int status = cli_load_pack(e, pack_path, &lim, lib, &p);
    if (status != SHNOR_OK) {
        code = cli_exit_code(status);
        goto done;
    }
    /* Without --period, the pack's own (the period of its order). */
    if ((code = cli_period(e, period_text, p, &period)) != 0 ||
        (code = cli_open(e, 0, &db)) != EXIT_OK) {
        goto done;
    }
    status = engine_listing(db, p, period, &ds, &ev, &msg);
    engine_done(db);
    cli_show_log(e, p);
    if (status != SHNOR_OK) {
        fprintf(e->err, "%s\n", msg.data);
        code = cli_exit_code(status);
        goto done;
    }
    cli_note_stray_overrides(e, ev);
    if (listing_write(ev, f, explain, e->out, table_use_color(e->out),
                      table_term_width(e->out)) != 0) {
        fprintf(e->err, "shnor list: writing the output failed\n");
        code = EXIT_IO;
    }
done:
    sb_free(&msg);
    eval_free(ev);
    ds_free(ds);
    pack_free(p);
    shnor_close(db);
    return code;
}
