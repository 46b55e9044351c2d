/*
 * fuzz_pack.c — libFuzzer harness for rule packs: the input is the text of a
 * pack, loaded into its sandbox and checked against the contract
 * (pack_load_source), its own test cases run (fixture_run), then evaluated
 * on a small dataset built here — listing, targets and roadmap, as `shnor
 * run` does without the database.
 *
 * The dataset: twelve schools in two territories of one region, every
 * indicator of scripts/demo/indicators.csv (read once at start; a few built
 * in when the file is not found), values for any period drawn from a hash
 * of school, indicator and period (some missing), and earlier listings for
 * 2021 and 2022. Limits are small so that a runaway pack ends quickly:
 * 32 MiB, 5 million instructions, 2 seconds.
 *
 * Modules are required from rules/lib under $SHNOR_TOP (else the current
 * directory).
 *
 * Properties checked beyond "no crash, no leak, no undefined behaviour":
 *  - a refused pack says why (problems, or the evaluation's message);
 *  - every listed row names a school and a category of the pack.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "dataset.h"
#include "eval.h"
#include "fixture.h"
#include "pack.h"
#include "roadmap.h"
#include "targets.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static indicator *inds;
static size_t ninds;
static char lib_dir[4096];
static FILE *devnull;

static void add_ind(const char *code, int unit, int better)
{
    indicator *n = realloc(inds, (ninds + 1) * sizeof *n);
    if (!n) {
        abort();
    }
    inds = n;
    inds[ninds] = (indicator){0, strdup(code), strdup(code), unit, better, NAN, NAN};
    ninds++;
}

/* The demo's indicators: code,title,unit,better,... */
static void read_indicators(const char *top)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/scripts/demo/indicators.csv", top);
    FILE *f = fopen(path, "rb");
    if (f) {
        strbuf sb = STRBUF_INIT;
        char buf[8192];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
            sb_append(&sb, buf, n);
        }
        fclose(f);
        size_t len = sb.len;
        csv_reader *r = NULL;
        if (csv_open(sb_detach(&sb), len, ',', &r) == 0) {
            csv_record rec;
            char err[256];
            int first = 1;
            while (csv_next(r, &rec, err, sizeof err) == 1) {
                if (!first && rec.nfields >= 4) {
                    int unit = unit_parse(rec.fields[2], rec.lens[2]);
                    int better = better_parse(rec.fields[3], rec.lens[3]);
                    add_ind(rec.fields[0], unit ? unit : UNIT_INDEX,
                            better ? better : BETTER_HIGHER);
                }
                first = 0;
            }
        }
        csv_close(r);
    }
    if (ninds == 0) {
        add_ind("fail_share", UNIT_SHARE, BETTER_LOWER);
        add_ind("ege_rus_mean", UNIT_SCORE, BETTER_HIGHER);
        add_ind("flag_500plus", UNIT_FLAG, BETTER_LOWER);
        add_ind("students", UNIT_COUNT, BETTER_HIGHER);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *top = getenv("SHNOR_TOP");
    if (!top || !*top) {
        top = ".";
    }
    snprintf(lib_dir, sizeof lib_dir, "%s/rules/lib", top);
    read_indicators(top);
    devnull = fopen("/dev/null", "w");
    return 0;
}

static uint32_t hash(const char *a, const char *b, const char *c)
{
    uint32_t h = 2166136261u;
    for (const char *s = a; *s; s++) {
        h = (h ^ (uint8_t)*s) * 16777619u;
    }
    h = (h ^ 0xff) * 16777619u;
    for (const char *s = b; *s; s++) {
        h = (h ^ (uint8_t)*s) * 16777619u;
    }
    h = (h ^ 0xff) * 16777619u;
    for (const char *s = c; *s; s++) {
        h = (h ^ (uint8_t)*s) * 16777619u;
    }
    return h;
}

static int load_column(void *arg, const ds_column *col, const indicator *ind, double *v,
                       char *err, size_t errlen)
{
    dataset *ds = arg;
    (void)err;
    (void)errlen;
    for (size_t i = 0; i < ds->nschools; i++) {
        uint32_t h = hash(ds->schools[i].code, ind->code, col->period_text);
        if (h % 7 == 0) {
            continue; /* missing */
        }
        double u = (double)(h >> 8) / (double)(1u << 24);
        switch (ind->unit) {
        case UNIT_SHARE:
            v[i] = floor(u * 1000) / 1000;
            break;
        case UNIT_FLAG:
            v[i] = (h >> 4) % 4 == 0;
            break;
        case UNIT_PERCENT:
        case UNIT_SCORE:
            v[i] = floor(u * 1000) / 10;
            break;
        case UNIT_COUNT:
            v[i] = floor(u * 900) + 10;
            break;
        default:
            v[i] = floor(u * 100) / 100;
            break;
        }
    }
    return SHNOR_OK;
}

static dataset *make_dataset(void)
{
    /* The load callback gets the dataset itself, set once it exists. */
    dataset *ds = ds_new((ds_source){load_column, NULL, NULL});
    if (!ds) {
        abort();
    }
    ds->source.arg = ds;
    for (size_t i = 0; i < ninds; i++) {
        if (ds_add_indicator(ds, &inds[i]) < 0) {
            abort();
        }
    }
    static const char *const terr[2] = {"Первый район", "Второй район"};
    static const char *const kinds[3] = {"СОШ", "ООШ", "НОШ"};
    for (int i = 0; i < 12; i++) {
        char code[16], name[64], isb[16];
        snprintf(code, sizeof code, "S%02d", i + 1);
        snprintf(name, sizeof name, "МКОУ «СОШ №%d»", i + 1);
        int idx = ds_add_school(ds, code, name, terr[i % 2], "Республика", kinds[i % 3],
                                i % 4 ? "с. Село" : "");
        snprintf(isb, sizeof isb, "0,%d", 30 + i * 5);
        if (idx < 0 || ds_add_attr(ds, idx, "ИСБ", isb) < 0) {
            abort();
        }
    }
    if (ds_finish(ds) != 0) {
        abort();
    }
    static const char *const periods[4] = {"2021", "2022", "2021/22", "2022/23"};
    for (int i = 0; i < 12; i += 3) {
        if (ds_add_listing(ds, i, periods[i % 4], "", "low", i % 2 ? "new" : "") < 0) {
            abort();
        }
    }
    if (ds_index_listings(ds) != 0) {
        abort();
    }
    return ds;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    shnor_limits limits;
    shnor_limits_default(&limits);
    limits.memory = 32u << 20;
    limits.instructions = 5000000;
    limits.seconds = 2;
    pack *p = NULL;
    int rc = pack_load_source("fuzz.lua", (const char *)data, size, &limits, lib_dir,
                              NULL, 0, &p);
    if (rc != SHNOR_OK) {
        if (p && p->problems.len == 0 && rc != SHNOR_NOMEM) {
            fprintf(stderr, "status %d without a problem\n", rc);
            abort();
        }
        pack_free(p);
        return 0;
    }
    fixture_totals tot = {0};
    fixture_run(p, devnull, &tot);

    dataset *ds = make_dataset();
    shnor_period period = p->period;
    if (!period.kind) {
        shnor_period_parse("2023", &period, NULL, 0);
    }
    shnor_period lp = shnor_period_shift(period, p->roadmap_listing);
    evaluation *ev = NULL;
    target_results *tr = NULL;
    roadmap *rm = NULL;
    strbuf err = STRBUF_INIT;
    rc = eval_listing(p, ds, lp, &ev);
    if (rc == SHNOR_OK) {
        for (size_t i = 0; i < ev->nrows; i++) {
            const ev_row *r = &ev->rows[i];
            if (r->school < 0 || (size_t)r->school >= ds->nschools || r->category < 0 ||
                (size_t)r->category >= p->ncats) {
                abort();
            }
        }
        if (targets_eval(p, ds, period, 0, ev, NULL, NULL, &tr) == SHNOR_OK) {
            roadmap_build(p, ev, period, &rm, &err);
        }
    } else if (ev && ev->err.len == 0 && rc != SHNOR_NOMEM) {
        fprintf(stderr, "evaluation failed (%d) without a message\n", rc);
        abort();
    }
    sb_free(&err);
    roadmap_free(rm);
    targets_free(tr);
    eval_free(ev);
    ds_free(ds);
    pack_free(p);
    return 0;
}
