/*
 * roadmap.h — the assignments a pack's activities make for a period: which
 * listed school (or the territory's office) must carry out which activity by
 * which date. Building is a dry run; storing is idempotent (store_plan.c).
 */
#ifndef SHNOR_ROADMAP_H
#define SHNOR_ROADMAP_H

#include "due.h"
#include "eval.h"

typedef struct {
    int activity;     /* index into the pack's activities */
    int school;       /* dataset index; -1: the territory's education office */
    shnor_date start; /* window of the occurrence */
    shnor_date due;
    int64_t id;       /* stored assignment, 0 when not stored */
    char status[16];  /* stored status, "" when not stored */
    int status_auto;  /* stored and its status still shnor's (no person set one) */
} rm_item;

/* A stored assignment of the period's roadmap that the roadmap no longer
   makes (roadmap_stale.c). */
typedef struct {
    int64_t id;
    char *owner, *key;
    const char *title; /* the pack's activity, NULL when the pack dropped it */
    char due[11];
    char status[16];
    char *reason;      /* «нет в дорожной карте 2023: …», the evidence it gets */
    size_t cause;      /* where the cause begins in reason («школы нет в списке 2023») */
    int fate;          /* STALE_* */
} rm_stale;

enum {
    STALE_WITHDRAW = 1,  /* its status is shnor's: withdrawn on --apply */
    STALE_SET_BY_PERSON, /* a person set its status: kept, named */
    STALE_NO_DATA        /* the school's listing lacks data: kept, named */
};

typedef struct {
    pack *p;
    evaluation *ev; /* the listing the roadmap serves (borrowed) */
    shnor_period period;
    char period_text[SHNOR_PERIOD_MAX];
    rm_item *items;
    size_t n, cap;
    long created, existing; /* set by storing */
    rm_stale *stale;        /* set by roadmap_lookup and by storing */
    size_t nstale, capstale;
    long withdrawn, restored; /* set by storing */
} roadmap;

/*
 * Builds the roadmap of period for the listing ev (of the same pack; its
 * period is period + the pack's roadmap_listing). Returns SHNOR_OK with
 * *out, or SHNOR_PACK / SHNOR_LIMIT / SHNOR_NOMEM with the message in err.
 */
int roadmap_build(pack *p, evaluation *ev, shnor_period period, roadmap **out, strbuf *err);
/* 1 when the pack's roadmap is for period (its roadmap_periods, or any);
   else its roadmap of that period has no items. */
int roadmap_covers(const pack *p, shnor_period period);
/* The activity's occurrences in period (due_expand), those after the pack's
   roadmap_ends left out and those running past it due on it. SHNOR_OK with
   *occ (the caller frees it) and *n. */
int roadmap_dates(const pack *p, const pack_activity *a, shnor_period period,
                  due_occurrence **occ, size_t *n);
void roadmap_free(roadmap *r);

/*
 * Stores the roadmap in one transaction: the activity catalogue updated,
 * each assignment created unless it exists (nothing is created twice; a
 * status a person set is never touched), what it no longer makes withdrawn
 * (roadmap_stale_settle). Fills created/existing/withdrawn/restored, the
 * stale list, and each item's id and status.
 */
struct shnor;
int roadmap_apply(roadmap *r, struct shnor *db);
/* As roadmap_apply, inside the caller's transaction (a run's). */
int roadmap_store(roadmap *r, struct shnor *db);
/* Clears what storing filled in (ids, statuses, counts) after a rollback. */
void roadmap_forget(roadmap *r);
/* Dry run: fills each item's id and status when it is already stored, and
   the stale list. */
int roadmap_lookup(roadmap *r, struct shnor *db);

/* The stale list from the stored assignments of the period's roadmap that
   no item is (items' ids filled in). */
int roadmap_stale_find(roadmap *r, struct shnor *db);
/* Storing: restores the items withdrawn earlier, then withdraws the stale
   ones whose status is shnor's; counts both. */
int roadmap_stale_settle(roadmap *r, struct shnor *db);
void roadmap_stale_clear(roadmap *r);

/* 1 when the item's stored assignment was withdrawn by shnor earlier (cancelled,
   its status still shnor's): storing the roadmap restores it. */
int roadmap_item_restorable(const rm_item *it);

/* 1 when activity a (applies = a list of ids) is owed for row's category or
   cohort; for a row not listed, any cohort of its category counts. */
int roadmap_row_applies(const pack *p, const pack_activity *a, const ev_row *row);

/* The owner's code for an item: the school's code, or "" for the office. */
const char *roadmap_owner(const roadmap *r, const rm_item *it);

/*
 * Writes the roadmap: table (by activity), CSV with the seeds' columns (one
 * row per assignment: № п/п, Мероприятие, Сроки, Ответственные, Соисполнители,
 * Ожидаемый результат, Показатель реализации, Отчетный документ, Статус, then
 * Раздел, Исполнитель, Начало, Срок, id) or JSON. 0 or -1.
 */
int roadmap_write(const roadmap *r, shnor_format format, FILE *out, int color, int width);
/* Says what storing withdrew, kept and restored (applied), or what it would
   (a dry run), as wrapped text; nothing when there is none. 0 or -1. */
int roadmap_write_changes(const roadmap *r, int applied, FILE *out, int width);

#endif
