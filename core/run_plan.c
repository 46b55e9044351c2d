/*
 * run_plan.c — the stored assignments a run's process targets count
 * (assignments_done): owed per owner with their deadline and whether each
 * was done in time, and their fingerprint, the RUN_ASSIGNMENTS column of a
 * run (see run.h).
 */
#include "run.h"

#include <sha2.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

/* ---- stored assignments, counted for process targets ---- */

/* One owed assignment: its deadline and whether it was done by then. */
typedef struct {
    shnor_date due;
    int on_time;
    int64_t id; /* the stored assignment; 0 for one a run is about to store */
} plan_item;

typedef struct {
    plan_item *v;
    size_t n, cap;
} plan_list;

struct run_plan_counts {
    const dataset *ds;
    strmap *index; /* owner code ("" the office) -> index into owners */
    plan_list *owners;
    size_t nowners, capowners;
    int failed;
};

int run_plan_counts_add(run_plan_counts *pc, const char *owner, shnor_date due, int on_time,
                        int64_t id)
{
    int added;
    int64_t *slot = strmap_put(pc->index, owner, strlen(owner), &added);
    if (!slot) {
        return -1;
    }
    if (added) {
        if (pc->nowners == pc->capowners) {
            size_t ncap = pc->capowners ? pc->capowners * 2 : 64;
            plan_list *n = realloc(pc->owners, ncap * sizeof *n);
            if (!n) {
                return -1;
            }
            pc->owners = n;
            pc->capowners = ncap;
        }
        memset(&pc->owners[pc->nowners], 0, sizeof *pc->owners);
        *slot = (int64_t)pc->nowners++;
    }
    plan_list *l = &pc->owners[*slot];
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 8;
        plan_item *n = realloc(l->v, ncap * sizeof *n);
        if (!n) {
            return -1;
        }
        l->v = n;
        l->cap = ncap;
    }
    l->v[l->n++] = (plan_item){due, on_time, id};
    return 0;
}

void run_plan_counts_drop(run_plan_counts *pc, const char *owner, int64_t id)
{
    int64_t *slot = strmap_get(pc->index, owner, strlen(owner));
    plan_list *l = slot ? &pc->owners[*slot] : NULL;
    for (size_t i = 0; l && i < l->n; i++) {
        if (l->v[i].id == id) {
            memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof *l->v);
            l->n--;
            return;
        }
    }
}

/* Done on its due date or before; a done assignment without a date counts
   as done on time (the person did not say when). */
static int done_on_time(const store_assignment *a)
{
    return strcmp(a->status, "done") == 0 &&
           (!*a->status_date || strcmp(a->status_date, a->due) <= 0);
}

static int count_one(void *arg, const store_assignment *a)
{
    run_plan_counts *pc = arg;
    shnor_date due;
    if (strcmp(a->status, "cancelled") == 0 ||
        shnor_date_parse(a->due, &due, NULL, 0) != SHNOR_OK) {
        return 0; /* a cancelled item is not owed */
    }
    if (run_plan_counts_add(pc, a->owner, due, done_on_time(a), a->id) != 0) {
        pc->failed = 1;
        return 1;
    }
    return 0;
}

int run_plan_counts_load(shnor *db, const dataset *ds, const char *pack_id,
                         run_plan_counts **out)
{
    run_plan_counts *pc = calloc(1, sizeof *pc);
    *out = pc;
    if (!pc || !(pc->index = strmap_new())) {
        return shnor_seterr(db, SHNOR_NOMEM, "out of memory");
    }
    pc->ds = ds;
    int status = store_assignments_each(db, NULL, pack_id, count_one, pc);
    if (status == SHNOR_OK && pc->failed) {
        status = shnor_seterr(db, SHNOR_NOMEM, "out of memory counting assignments");
    }
    return status;
}

/* The assignments of the period count: those due within it, whichever
   period's roadmap made them. */
int run_plan_counts_get(void *arg, int school, shnor_period period, long *due, long *done)
{
    run_plan_counts *pc = arg;
    const char *owner = school >= 0 ? pc->ds->schools[school].code : "";
    int64_t *slot = strmap_get(pc->index, owner, strlen(owner));
    shnor_date from = shnor_period_first_day(period), to = shnor_period_last_day(period);
    *due = *done = 0;
    for (size_t i = 0; slot && i < pc->owners[*slot].n; i++) {
        const plan_item *it = &pc->owners[*slot].v[i];
        if (it->due >= from && it->due <= to) {
            (*due)++;
            *done += it->on_time;
        }
    }
    return 0;
}

void run_plan_counts_free(run_plan_counts *pc)
{
    if (!pc) {
        return;
    }
    for (size_t i = 0; i < pc->nowners; i++) {
        free(pc->owners[i].v);
    }
    free(pc->owners);
    strmap_free(pc->index);
    free(pc);
}

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The RUN_ASSIGNMENTS pseudo-column: SHA-256 of "owner\tdue\ton_time\n"
 * for every owed assignment the process targets counted (cancelled ones are
 * not owed), sorted; count is their number. What a status change that
 * matters to a target changes; the run's own not-yet-stored assignments
 * (--apply-roadmaps) count as not done, as they are once stored. 0, or -1
 * on OOM.
 */
int run_plan_counts_fingerprint(const run_plan_counts *pc, run_column *col)
{
    char **v = NULL;
    size_t n = 0, cap = 0;
    int failed = 0;
    for (size_t o = 0; o < pc->nowners && failed == 0; o++) {
        size_t klen;
        const char *owner = strmap_key(pc->index, o, &klen);
        for (size_t i = 0; i < pc->owners[o].n; i++) {
            const plan_item *it = &pc->owners[o].v[i];
            char due[11];
            shnor_date_format(it->due, due, sizeof due);
            if (n == cap) {
                size_t ncap = cap ? cap * 2 : 64;
                char **nv = realloc(v, ncap * sizeof *nv);
                if (!nv) {
                    failed = -1;
                    break;
                }
                v = nv;
                cap = ncap;
            }
            strbuf line = STRBUF_INIT;
            sb_printf(&line, "%s\t%s\t%d\n", owner, due, it->on_time);
            if (sb_failed(&line)) {
                sb_free(&line);
                failed = -1;
                break;
            }
            v[n++] = sb_detach(&line);
        }
    }
    if (failed == 0) {
        if (n) {
            qsort(v, n, sizeof *v, cmp_line);
        }
        SHA2_CTX ctx;
        SHA256Init(&ctx);
        for (size_t i = 0; i < n; i++) {
            SHA256Update(&ctx, (const uint8_t *)v[i], strlen(v[i]));
        }
        SHA256End(&ctx, col->sha256);
        col->count = (long)n;
    }
    for (size_t i = 0; i < n; i++) {
        free(v[i]);
    }
    free(v);
    return failed;
}
