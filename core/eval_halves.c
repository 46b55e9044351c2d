/*
 * eval_halves.c — eval_listing: the schools of an evaluation in the pack's
 * state, or, from PARALLEL_FROM schools, in two halves at once: the first
 * here, the second in the pack's twin (pack_twin) in a thread of its own.
 * The twin's rows are merged behind the first half's (eval_merge), so the
 * output is what one state makes; a half that does not stand is evaluated
 * again here (see half_stands), so every message is one state's too.
 */
#include <pthread.h>
#include <stdlib.h>

#include "eval.h"
#include "evalInt.h"

/*
 * From this many schools, the second half is evaluated by the pack's twin
 * (pack_twin) in a thread of its own while the first half runs here. The
 * split is fixed (not the number of cores), so the output is the same on
 * every machine; SHNOR_PARALLEL_FROM changes it (0: never), for tests.
 */
#define PARALLEL_FROM 2048

static size_t parallel_from(void)
{
    const char *e = getenv("SHNOR_PARALLEL_FROM");
    if (e && *e) {
        char *end;
        unsigned long long n = strtoull(e, &end, 10);
        if (*end == '\0') {
            return n ? (size_t)n : (size_t)-1;
        }
    }
    return PARALLEL_FROM;
}

typedef struct {
    evaluation *ev; /* the twin's */
    school_work w;
    size_t from, to;
    int status;
} half_job;

static void *run_half(void *arg)
{
    half_job *j = arg;
    j->status = eval_schools(j->ev, &j->w, j->from, j->to);
    eval_stop(j->ev);
    return NULL;
}

/*
 * Whether the twin's half stands for what this state would have made: it
 * succeeded, printed nothing, and the two halves together kept within the
 * instruction budget of one evaluation. Otherwise the half is evaluated
 * again here, so every message, limit and log is the one-state evaluation's.
 */
static int half_stands(const pack *p, const half_job *j)
{
    const sandbox *mine = p->sb, *twin = p->twin->sb;
    return j->status == SHNOR_OK && !twin->tripped && twin->log.len == p->twin_log &&
           twin->log_dropped == 0 &&
           mine->instr_used + twin->instr_used <= mine->limits.instructions;
}

int eval_listing(pack *p, dataset *ds, shnor_period period, evaluation **out)
{
    return eval_listing_from(p, ds, period, parallel_from(), out);
}

int eval_listing_from(pack *p, dataset *ds, shnor_period period, size_t halves_from,
                      evaluation **out)
{
    school_work w = {0};
    int status = eval_start(p, ds, period, &w, out);
    evaluation *ev = *out;
    if (status != SHNOR_OK) {
        if (ev) {
            eval_stop(ev);
        }
        eval_work_free(&w);
        return status;
    }
    size_t n = ds->nschools, mid = n;
    half_job job = {0};
    pthread_t thread;
    int started = 0;
    pack *twin = n >= 2 && n >= halves_from ? pack_twin(p) : NULL;
    if (twin) {
        job.from = n / 2;
        job.to = n;
        if (eval_start(twin, ds, period, &job.w, &job.ev) == SHNOR_OK &&
            pthread_create(&thread, NULL, run_half, &job) == 0) {
            started = 1;
            mid = job.from;
        } else if (job.ev) {
            eval_stop(job.ev);
        }
    }
    status = eval_schools(ev, &w, 0, mid);
    if (started) {
        pthread_join(thread, NULL);
        if (status == SHNOR_OK && half_stands(p, &job)) {
            p->sb->instr_used += twin->sb->instr_used;
            if (eval_merge(ev, job.ev, mid, n) != 0) {
                sb_puts(&ev->err, "out of memory");
                status = SHNOR_NOMEM;
            }
        } else if (status == SHNOR_OK) {
            /* The twin's state went where this one may not: not used again. */
            pack_free(p->twin);
            p->twin = NULL;
            p->no_twin = 1;
            status = eval_schools(ev, &w, mid, n);
        }
    }
    eval_free(job.ev);
    eval_work_free(&job.w);
    if (status == SHNOR_OK && p->sb->tripped) {
        /* a limit reached in the host's own pushes after the last call */
        char limit[96];
        sandbox_limit_text(p->sb, limit, sizeof limit);
        sb_printf(&ev->err, "pack '%s' (%s): %s reached evaluating period %s", p->id ? p->id : "?",
                  p->path, limit, ev->period_text);
        status = SHNOR_LIMIT;
    }
    eval_stop(ev);
    eval_work_free(&w);
    return status;
}
