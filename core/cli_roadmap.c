/*
 * cli_roadmap.c — the roadmap commands: roadmap (dry run or --apply),
 * assignment set|show, assignments, and override add|list|revoke.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "cli.h"
#include "csv.h"
#include "engine.h"
#include "humanfmt.h"
#include "importInt.h"
#include "json.h"
#include "pack.h"
#include "period.h"
#include "roadmap.h"
#include "store.h"
#include "table.h"

/* SHNOR_OK when a roadmap of pack_id was stored (roadmap --apply, run
   --apply-roadmaps), else SHNOR_NOTFOUND naming the packs that have one. */
static int pack_has_activities(shnor *db, const char *pack_id)
{
    sqlite3_stmt *st = NULL;
    int status = store_prepare(db, "SELECT DISTINCT pack_id FROM activities ORDER BY pack_id",
                               &st);
    if (status != SHNOR_OK) {
        return status;
    }
    strbuf known = STRBUF_INIT;
    int rc, found = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = store_text(st, 0);
        found |= strcmp(id, pack_id) == 0;
        sb_printf(&known, "%s%s", known.len ? ", " : "", id);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        status = store_fail(db, rc, "reading the activities");
    } else if (!found) {
        status = shnor_seterr(db, SHNOR_NOTFOUND,
                              "no roadmap of pack '%s' is stored (%s%s); store one with "
                              "'shnor roadmap --apply' or 'shnor run --apply-roadmaps'",
                              pack_id, known.len ? "packs with one: " : "there is none yet",
                              known.len ? known.data : "");
    }
    sb_free(&known);
    return status;
}

/* The period option, or the pack's own period when the option is absent. */
int cli_period(cli_env *e, const char *text, const pack *p, shnor_period *out)
{
    char err[300];
    if (!text) {
        if (p && p->period.kind) {
            *out = p->period;
            return 0;
        }
        return cli_usage(e, "--period is needed (the pack gives no 'period' of its own)");
    }
    if (shnor_period_parse(text, out, err, sizeof err) != SHNOR_OK) {
        return cli_usage(e, "--period: %s", err);
    }
    return 0;
}

int cmd_roadmap(cli_env *e, int argc, char **argv)
{
    cli_limit_opts lo = {0};
    const char *pack_path = NULL, *period_text = NULL, *format = "table", *lib = NULL;
    int apply = 0;
    const cli_opt opts[] = {CLI_LIMIT_OPTS(lo),
                            {"pack", OPT_VALUE, &pack_path},
                            {"period", OPT_VALUE, &period_text},
                            {"format", OPT_VALUE, &format},
                            {"apply", OPT_FLAG, &apply},
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
    if ((code = cli_limits(e, &lo, &lim)) ||
        (code = cli_format(e, format, CLI_ALL_FORMATS, &f))) {
        return code;
    }
    shnor *db = NULL;
    pack *p = NULL;
    dataset *ds = NULL;
    evaluation *ev = NULL;
    roadmap *r = NULL;
    strbuf msg = STRBUF_INIT;
    shnor_period period;
    int status = cli_load_pack(e, pack_path, &lim, lib, &p);
    if (status != SHNOR_OK) {
        code = cli_exit_code(status);
        goto done;
    }
    if ((code = cli_period(e, period_text, p, &period)) != 0) {
        goto done;
    }
    if ((code = cli_open(e, 0, &db)) != EXIT_OK) {
        goto done;
    }
    /* A roadmap may serve the listing of an earlier period (roadmap_listing). */
    shnor_period listed_in = shnor_period_shift(period, p->roadmap_listing);
    status = engine_listing(db, p, listed_in, &ds, &ev, &msg);
    if (status == SHNOR_OK) {
        status = roadmap_build(p, ev, period, &r, &msg);
    }
    if (status == SHNOR_OK && !apply) {
        status = roadmap_lookup(r, db);
        if (status != SHNOR_OK) {
            sb_puts(&msg, shnor_errmsg(db));
        }
    }
    engine_done(db);
    cli_show_log(e, p);
    if (ev && status == SHNOR_OK) {
        cli_note_stray_overrides(e, ev);
    }
    if (status == SHNOR_OK && apply && (status = roadmap_apply(r, db)) != SHNOR_OK) {
        sb_puts(&msg, shnor_errmsg(db));
    }
    if (status != SHNOR_OK) {
        fprintf(e->err, "%s\n", msg.data);
        code = cli_exit_code(status);
        goto done;
    }
    if (roadmap_write(r, f, e->out, table_use_color(e->out), table_term_width(e->out)) !=
        0) {
        fprintf(e->err, "shnor roadmap: writing the output failed\n");
        code = EXIT_IO;
        goto done;
    }
    if (apply) {
        fprintf(f == SHNOR_FORMAT_TABLE ? e->out : e->err,
                "Сохранено: %ld %s, %ld уже %s (статусы%s не изменены).\n", r->created,
                ru_plural(r->created, "новое поручение", "новых поручения", "новых поручений"),
                r->existing, ru_plural(r->existing, "было", "были", "были"),
                r->withdrawn || r->restored ? ", заданные людьми," : "");
    }
    FILE *notes = f == SHNOR_FORMAT_TABLE ? e->out : e->err;
    if (roadmap_write_changes(r, apply, notes, table_term_width(notes)) != 0) {
        fprintf(e->err, "shnor roadmap: writing the output failed\n");
        code = EXIT_IO;
    }
done:
    sb_free(&msg);
    roadmap_free(r);
    eval_free(ev);
    ds_free(ds);
    pack_free(p);
    shnor_close(db);
    return code;
}

/* Writes out the CSV or JSON built in sb, ending the JSON's array of rows
   (and the object around it, when in_object). */
static void put_built(cli_env *e, shnor_format format, json_writer *jw, strbuf *sb,
                      int in_object)
{
    if (format == SHNOR_FORMAT_JSON) {
        jw_arr_end(jw);
        if (in_object) {
            jw_obj_end(jw);
        }
        sb_putc(sb, '\n');
    }
    fwrite(sb->data, 1, sb->len, e->out);
}

typedef struct {
    shnor_format format;
    int64_t id;
    table *t;
    strbuf sb;
    json_writer jw;
    long changes;
} show_ctx;

static int show_assignment(void *arg, const store_assignment *a)
{
    show_ctx *x = arg;
    if (x->format == SHNOR_FORMAT_CSV) {
        sb_puts(&x->sb, "id,at,status,status_date,by,period,evidence\n");
    } else if (x->format == SHNOR_FORMAT_JSON) {
        jw_kint(&x->jw, "id", a->id);
        jw_kstr(&x->jw, "school", *a->owner ? a->owner : NULL);
        jw_kstr(&x->jw, "pack", a->pack_id);
        jw_kstr(&x->jw, "activity", a->key);
        jw_kstr(&x->jw, "title", a->title);
        jw_kstr(&x->jw, "section", *a->section ? a->section : NULL);
        jw_kstr(&x->jw, "period", a->period);
        jw_kstr(&x->jw, "start", a->start);
        jw_kstr(&x->jw, "due", a->due);
        jw_kstr(&x->jw, "status", a->status);
        jw_kstr(&x->jw, "evidence", *a->evidence ? a->evidence : NULL);
        jw_kstr(&x->jw, "status_date", *a->status_date ? a->status_date : NULL);
        jw_kstr(&x->jw, "status_by", *a->status_by ? a->status_by : NULL);
        jw_kstr(&x->jw, "created_at", a->created_at);
        jw_kstr(&x->jw, "created_by", a->created_by);
        jw_key(&x->jw, "history");
        jw_arr_begin(&x->jw);
    } else {
        sb_printf(&x->sb, "Поручение %lld: %s %s — %s\n", (long long)a->id, a->pack_id, a->key,
                  a->title);
        if (*a->section) {
            sb_printf(&x->sb, "Раздел: %s\n", a->section);
        }
        sb_printf(&x->sb, "Исполнитель: %s\n", *a->owner ? a->owner : "управление образования");
        sb_printf(&x->sb, "Период %s, с %s по %s; статус: %s", a->period, a->start, a->due,
                  human_status(a->status));
        if (*a->evidence) {
            sb_printf(&x->sb, " — %s", a->evidence);
        }
        if (*a->status_date || *a->status_by) {
            sb_printf(&x->sb, " (%s%s%s)", a->status_date,
                      *a->status_date && *a->status_by ? ", " : "", a->status_by);
        }
        sb_printf(&x->sb, "\nСоздано %s, %s.\n", a->created_at, a->created_by);
        static const char *const head[] = {"Когда", "Статус", "Дата", "Кто", "Период",
                                           "Подтверждение"};
        x->t = table_new(6);
        table_header(x->t, head);
    }
    return 0;
}

static int show_change(void *arg, const store_assignment_change *c)
{
    show_ctx *x = arg;
    x->changes++;
    if (x->format == SHNOR_FORMAT_CSV) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)x->id);
        const char *cells[] = {id, c->at, c->status, c->status_date, c->status_by, c->period,
                               c->evidence};
        csv_put_cells(&x->sb, cells, sizeof cells / sizeof cells[0]);
        sb_putc(&x->sb, '\n');
    } else if (x->format == SHNOR_FORMAT_JSON) {
        jw_obj_begin(&x->jw);
        jw_kstr(&x->jw, "at", c->at);
        jw_kstr(&x->jw, "status", c->status);
        jw_kstr(&x->jw, "status_date", *c->status_date ? c->status_date : NULL);
        jw_kstr(&x->jw, "by", *c->status_by ? c->status_by : NULL);
        jw_kstr(&x->jw, "period", *c->period ? c->period : NULL);
        jw_kstr(&x->jw, "evidence", *c->evidence ? c->evidence : NULL);
        jw_obj_end(&x->jw);
    } else {
        const char *cells[] = {c->at,        human_status(c->status), c->status_date,
                               c->status_by, c->period,               c->evidence};
        table_row(x->t, cells);
    }
    return 0;
}

/* assignment show ID: the assignment and every change of it, oldest first. */
static int assignment_show(cli_env *e, long long id, const char *format)
{
    show_ctx x;
    memset(&x, 0, sizeof x);
    x.id = id;
    shnor *db;
    int code = cli_format(e, format, CLI_ALL_FORMATS, &x.format);
    if (code || (code = cli_open(e, 0, &db)) != EXIT_OK) {
        return code;
    }
    sb_init(&x.sb);
    if (x.format == SHNOR_FORMAT_JSON) {
        jw_init(&x.jw, &x.sb, 1);
        jw_obj_begin(&x.jw);
    }
    int status = store_assignment_show(db, id, show_assignment, show_change, &x);
    if (status != SHNOR_OK) {
        code = cli_fail(e, db, status);
    } else if (x.format == SHNOR_FORMAT_TABLE) {
        x.sb.data[--x.sb.len] = '\0'; /* the last paragraph's '\n' */
        table_print_text(e->out, x.sb.data, table_term_width(e->out), 2);
        if (x.changes) {
            fputs("\nИзменения:\n", e->out);
            table_print(x.t, e->out, table_term_width(e->out), table_use_color(e->out));
        } else {
            fputs("Статус не менялся.\n", e->out);
        }
    } else {
        put_built(e, x.format, &x.jw, &x.sb, 1);
    }
    table_free(x.t);
    sb_free(&x.sb);
    shnor_close(db);
    return code;
}

int cmd_assignment(cli_env *e, int argc, char **argv)
{
    const char *status = NULL, *evidence = NULL, *date = NULL, *by = NULL, *format = NULL;
    const cli_opt opts[] = {{"status", OPT_VALUE, &status},
                            {"evidence", OPT_VALUE, &evidence},
                            {"date", OPT_VALUE, &date},
                            {"by", OPT_VALUE, &by},
                            {"format", OPT_VALUE, &format}};
    char **pos;
    int npos, code;
    if ((code = cli_parse(e, argc, argv, opts, 5, &pos, &npos))) {
        return code;
    }
    long long id = npos == 2 ? cli_id(pos[1]) : 0;
    int valid = id > 0;
    int show = valid && strcmp(pos[0], "show") == 0 && !status && !evidence && !date && !by;
    int ok = valid && strcmp(pos[0], "set") == 0 && status && !format;
    if (npos >= 1 && strcmp(pos[0], "set") != 0 && strcmp(pos[0], "show") != 0) {
        cli_usage(e, "'%s' is not something to do with an assignment; expected set or show",
                  pos[0]);
        free(pos);
        return cli_usage_cmd(e);
    }
    if (npos == 2 && !valid) {
        code = cli_usage_id(e, pos[1], "an assignment", "assignments");
        free(pos);
        return code;
    }
    free(pos);
    if (show) {
        return assignment_show(e, id, format ? format : "table");
    }
    if (!ok) {
        return cli_usage_cmd(e);
    }
    const char *canon = plan_status_parse(status, strlen(status));
    if (!canon) {
        return cli_usage(
            e, "--status '%s': expected planned, in_progress, done or cancelled", status);
    }
    char err[200], iso[11];
    int bad = date ? plan_status_date(date, iso, err, sizeof err) : 0;
    if (bad) {
        return cli_usage(e, bad == PLAN_DATE_LATER ? "--date %s" : "--date: %s", err);
    }
    if (date) {
        date = iso; /* stored as YYYY-MM-DD, however written */
    }
    shnor *db;
    if ((code = cli_open(e, 0, &db)) != EXIT_OK) {
        return code;
    }
    int changed = 0;
    int st = store_begin(db);
    /* Said by a person, even the status shnor gave: from now on it is theirs. */
    if (st == SHNOR_OK && (st = store_assignment_set(db, id, canon, evidence, date, by, 1,
                                                     &changed)) == SHNOR_OK) {
        st = store_commit(db);
    } else {
        store_rollback(db);
    }
    if (st != SHNOR_OK) {
        code = cli_fail(e, db, st);
    } else {
        int said = evidence && *evidence; /* --evidence '' clears it: nothing to quote */
        fprintf(e->out, "assignment %lld: %s%s%s%s\n", id, canon, said ? " — " : "",
                said ? evidence : "", changed ? "" : " (unchanged)");
    }
    shnor_close(db);
    return code;
}

typedef struct {
    cli_env *e;
    shnor_format format;
    int only_overdue;
    char as_of[11];
    table *t;
    strbuf sb;
    json_writer jw;
    long n;
} list_ctx;

/* Past due on as_of and not done by then; a cancelled assignment is never
   overdue. Done or cancelled after as_of was not yet, on as_of: looking
   back (--as-of 2023-07-01) sees what was overdue that day. */
static int is_overdue(const store_assignment *a, const char *as_of)
{
    int closed = strcmp(a->status, "done") == 0 || strcmp(a->status, "cancelled") == 0;
    if (closed && a->status_date && *a->status_date && strcmp(a->status_date, as_of) > 0) {
        closed = 0;
    }
    return strcmp(a->due, as_of) < 0 && !closed;
}

static const char *status_ru(const char *s, int overdue)
{
    if (overdue) {
        return "просрочено";
    }
    return human_status(s);
}

static int list_one(void *arg, const store_assignment *a)
{
    list_ctx *x = arg;
    int overdue = is_overdue(a, x->as_of);
    if (x->only_overdue && !overdue) {
        return 0;
    }
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)a->id);
    x->n++;
    if (x->format == SHNOR_FORMAT_CSV) {
        const char *cells[] = {id,          a->owner,       a->key,
                               a->period,   a->due,         a->status,
                               a->evidence, a->pack_id,     a->title,
                               a->start,    a->status_date, overdue ? "yes" : "no"};
        csv_put_cells(&x->sb, cells, sizeof cells / sizeof cells[0]);
        sb_putc(&x->sb, '\n');
    } else if (x->format == SHNOR_FORMAT_JSON) {
        jw_obj_begin(&x->jw);
        jw_kint(&x->jw, "id", a->id);
        jw_kstr(&x->jw, "school", *a->owner ? a->owner : NULL);
        jw_kstr(&x->jw, "pack", a->pack_id);
        jw_kstr(&x->jw, "activity", a->key);
        jw_kstr(&x->jw, "title", a->title);
        jw_kstr(&x->jw, "period", a->period);
        jw_kstr(&x->jw, "start", a->start);
        jw_kstr(&x->jw, "due", a->due);
        jw_kstr(&x->jw, "status", a->status);
        jw_key(&x->jw, "overdue");
        jw_bool(&x->jw, overdue);
        jw_kstr(&x->jw, "evidence", *a->evidence ? a->evidence : NULL);
        jw_kstr(&x->jw, "status_date", *a->status_date ? a->status_date : NULL);
        jw_obj_end(&x->jw);
    } else {
        char act[128];
        snprintf(act, sizeof act, "%s %s", a->pack_id, a->key);
        const char *cells[] = {id,     *a->owner ? a->owner : "управление", act, a->title,
                               a->due, status_ru(a->status, overdue)};
        table_row(x->t, cells);
        if (*a->evidence) {
            /* under the row, not a seventh column that squeezed the text into
               pieces of words at 80 columns */
            strbuf note = STRBUF_INIT;
            sb_printf(&note, "подтверждение: %s", a->evidence);
            table_note(x->t, note.data);
            sb_free(&note);
        }
        table_cell_style(x->t, 5,
                         overdue                          ? TABLE_RED
                         : strcmp(a->status, "done") == 0 ? TABLE_GREEN
                                                          : TABLE_PLAIN);
    }
    return 0;
}

int cmd_assignments(cli_env *e, int argc, char **argv)
{
    const char *school = NULL, *pack_id = NULL, *as_of = NULL, *format = "table";
    int overdue = 0;
    const cli_opt opts[] = {{"school", OPT_VALUE, &school},
                            {"pack", OPT_VALUE, &pack_id},
                            {"overdue", OPT_FLAG, &overdue},
                            {"as-of", OPT_VALUE, &as_of},
                            {"format", OPT_VALUE, &format}};
    int code;
    if ((code = cli_parse_options(e, argc, argv, opts, 5))) {
        return code;
    }
    list_ctx x;
    memset(&x, 0, sizeof x);
    x.e = e;
    x.only_overdue = overdue;
    if ((code = cli_format(e, format, CLI_ALL_FORMATS, &x.format))) {
        return code;
    }
    if (as_of) {
        shnor_date d;
        char err[200];
        if (shnor_date_parse(as_of, &d, err, sizeof err) != SHNOR_OK) {
            return cli_usage(e, "--as-of: %s", err);
        }
        /* compared as text with the stored YYYY-MM-DD: 01.03.2023 as written
           would come before every deadline */
        shnor_date_format(d, x.as_of, sizeof x.as_of);
    } else {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(x.as_of, sizeof x.as_of, "%Y-%m-%d", &tm);
    }
    shnor *db;
    if ((code = cli_open(e, 0, &db)) != EXIT_OK) {
        return code;
    }
    sb_init(&x.sb);
    static const char *const head[] = {"№",           "Исполнитель", "Мероприятие",
                                       "Содержание",  "Срок",        "Статус"};
    if (x.format == SHNOR_FORMAT_CSV) {
        sb_puts(&x.sb, "id,school,activity,period,due,status,evidence,pack,title,start,"
                       "status_date,overdue\n");
    } else if (x.format == SHNOR_FORMAT_JSON) {
        jw_init(&x.jw, &x.sb, 1);
        jw_arr_begin(&x.jw);
    } else {
        x.t = table_new(6);
        table_header(x.t, head);
    }
    /* A misspelt code is an error, not an empty list ("" is the office's). */
    int64_t school_id = 1;
    int status = school && *school ? store_school_id(db, school, &school_id) : SHNOR_OK;
    if (status == SHNOR_OK && !school_id) {
        status = shnor_seterr(db, SHNOR_NOTFOUND, "there is no school '%s'", school);
    }
    if (status == SHNOR_OK && pack_id) {
        /* as a misspelt school: a pack id no roadmap was stored for */
        status = pack_has_activities(db, pack_id);
    }
    if (status == SHNOR_OK) {
        status = store_assignments_each(db, school, pack_id, list_one, &x);
    }
    if (status != SHNOR_OK) {
        code = cli_fail(e, db, status);
    } else if (x.format == SHNOR_FORMAT_TABLE) {
        table_print(x.t, e->out, table_term_width(e->out), table_use_color(e->out));
        fprintf(e->out, "\n%ld %s%s на %s.\n", x.n,
                ru_plural(x.n, "поручение", "поручения", "поручений"),
                overdue ? " просрочено" : "", x.as_of);
    } else {
        put_built(e, x.format, &x.jw, &x.sb, 0);
    }
    table_free(x.t);
    sb_free(&x.sb);
    shnor_close(db);
    return code;
}

typedef struct {
    shnor_format format;
    int all; /* --all: the revoked ones too, with when */
    table *t;
    strbuf sb;
    json_writer jw;
} override_ctx;

static int override_one(void *arg, const store_override *o)
{
    override_ctx *x = arg;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)o->id);
    if (x->format == SHNOR_FORMAT_CSV) {
        const char *cells[] = {id,        o->school, o->period, o->pack_id, o->category,
                               o->action, o->reason, o->by,     o->at,      o->revoked_at};
        csv_put_cells(&x->sb, cells, 10);
        sb_putc(&x->sb, '\n');
    } else if (x->format == SHNOR_FORMAT_JSON) {
        jw_obj_begin(&x->jw);
        jw_kint(&x->jw, "id", o->id);
        jw_kstr(&x->jw, "school", o->school);
        jw_kstr(&x->jw, "period", o->period);
        jw_kstr(&x->jw, "pack", *o->pack_id ? o->pack_id : NULL);
        jw_kstr(&x->jw, "category", o->category);
        jw_kstr(&x->jw, "action", o->action);
        jw_kstr(&x->jw, "reason", o->reason);
        jw_kstr(&x->jw, "by", o->by);
        jw_kstr(&x->jw, "at", o->at);
        jw_kstr(&x->jw, "revoked_at", *o->revoked_at ? o->revoked_at : NULL);
        jw_obj_end(&x->jw);
    } else {
        const char *cells[] = {id,
                               o->school,
                               o->period,
                               *o->pack_id ? o->pack_id : "все",
                               o->category,
                               strcmp(o->action, "include") == 0 ? "включить"
                                                                 : "исключить",
                               o->reason,
                               o->by,
                               *o->revoked_at ? o->revoked_at : "—"};
        table_row(x->t, cells); /* a table of 8 columns without --all: «Отменено» unread */
    }
    return 0;
}

/* 1 when text has nothing but spaces. */
static int blank(const char *text)
{
    while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r') {
        text++;
    }
    return *text == '\0';
}

int cmd_override(cli_env *e, int argc, char **argv)
{
    const char *period = NULL, *category = NULL, *reason = NULL, *by = NULL,
               *pack_id = NULL, *format = "table";
    int include = 0, exclude = 0, all = 0;
    const cli_opt opts[] = {
        {"period", OPT_VALUE, &period},  {"category", OPT_VALUE, &category},
        {"reason", OPT_VALUE, &reason},  {"by", OPT_VALUE, &by},
        {"pack", OPT_VALUE, &pack_id},   {"include", OPT_FLAG, &include},
        {"exclude", OPT_FLAG, &exclude}, {"format", OPT_VALUE, &format},
        {"all", OPT_FLAG, &all}};
    char **pos;
    int npos, code;
    if ((code = cli_parse(e, argc, argv, opts, 9, &pos, &npos))) {
        return code;
    }
    const char *verb = npos ? pos[0] : "";
    const char *arg = npos > 1 ? pos[1] : NULL;
    int nargs = npos;
    shnor *db = NULL;
    int status = SHNOR_OK;
    if (strcmp(verb, "add") == 0) {
        shnor_period p;
        char err[300];
        if (nargs == 2 && include && exclude) {
            code = cli_usage(e, "--include and --exclude are both given; an override is one "
                                "of them");
        } else if (nargs == 2 && !include && !exclude) {
            code = cli_usage(e, "override add needs --include or --exclude");
        } else if (nargs == 2 && (!period || !category || !reason || !by)) {
            code = cli_usage(e, "override add needs %s",
                             !period ? "--period" : !category ? "--category"
                                                  : !reason   ? "--reason (why)"
                                                              : "--by (who decided)");
        } else if (nargs != 2) {
            code = cli_usage_cmd(e);
        } else if (blank(reason) || blank(by)) {
            /* a decision by hand is kept with who and why, or not at all */
            code = cli_usage(e, "%s is empty: an override needs a reason and who decided",
                             blank(reason) ? "--reason" : "--by");
        } else if (shnor_period_parse(period, &p, err, sizeof err) != SHNOR_OK) {
            code = cli_usage(e, "--period: %s", err);
        } else if ((code = cli_open(e, 0, &db)) == EXIT_OK) {
            char canon[SHNOR_PERIOD_MAX];
            int64_t id;
            shnor_period_format(p, canon, sizeof canon);
            if ((status = store_begin(db)) == SHNOR_OK &&
                (status = store_override_add(db, arg, canon, pack_id, category, include,
                                             reason, by, &id)) == SHNOR_OK) {
                status = store_commit(db);
            } else {
                store_rollback(db);
            }
            if (status == SHNOR_OK) {
                fprintf(e->out, "override %lld: %s %s in '%s' for %s — %s (%s)\n",
                        (long long)id, include ? "include" : "exclude", arg, category,
                        canon, reason, by);
                int seen = 1;
                if (pack_id && *pack_id && store_pack_seen(db, pack_id, &seen) == SHNOR_OK &&
                    !seen) {
                    /* kept: a pack may be new here; a typo would never apply */
                    fprintf(e->err,
                            "shnor override: note: no kept run, stored roadmap or imported "
                            "listing names a pack '%s'; the override counts only for a pack "
                            "whose id is '%s'\n",
                            pack_id, pack_id);
                }
            }
        }
    } else if (strcmp(verb, "revoke") == 0 && nargs == 2) {
        long long id = cli_id(arg);
        if (id <= 0) {
            code = cli_usage(e, "override revoke ID: '%s' is not a number", arg);
        } else if ((code = cli_open(e, 0, &db)) == EXIT_OK) {
            if ((status = store_begin(db)) == SHNOR_OK &&
                (status = store_override_revoke(db, id)) == SHNOR_OK) {
                status = store_commit(db);
            } else {
                store_rollback(db);
            }
            if (status == SHNOR_OK) {
                fprintf(e->out, "override %lld revoked\n", id);
            }
        }
    } else if (strcmp(verb, "list") == 0 && nargs == 1) {
        override_ctx x;
        memset(&x, 0, sizeof x);
        if (!(code = cli_format(e, format, CLI_ALL_FORMATS, &x.format)) &&
            (code = cli_open(e, 0, &db)) == EXIT_OK) {
            static const char *const head[] = {"№",       "Школа",   "Период",
                                               "Пакет",   "Категория", "Решение",
                                               "Причина", "Кто",     "Отменено"};
            sb_init(&x.sb);
            x.all = all;
            if (x.format == SHNOR_FORMAT_CSV) {
                sb_puts(&x.sb, "id,school,period,pack,category,action,reason,by,at,revoked_at\n");
            } else if (x.format == SHNOR_FORMAT_JSON) {
                jw_init(&x.jw, &x.sb, 1);
                jw_arr_begin(&x.jw);
            } else {
                x.t = table_new(all ? 9 : 8);
                table_header(x.t, head);
            }
            status = store_overrides_each(db, all, override_one, &x);
            if (status == SHNOR_OK && x.format == SHNOR_FORMAT_TABLE) {
                table_print(x.t, e->out, table_term_width(e->out),
                            table_use_color(e->out));
            } else if (status == SHNOR_OK) {
                if (x.format == SHNOR_FORMAT_JSON) {
                    jw_arr_end(&x.jw);
                    sb_putc(&x.sb, '\n');
                }
                fwrite(x.sb.data, 1, x.sb.len, e->out);
            }
            table_free(x.t);
            sb_free(&x.sb);
        }
    } else {
        if (*verb && strcmp(verb, "add") != 0 && strcmp(verb, "list") != 0 &&
            strcmp(verb, "revoke") != 0) {
            cli_usage(e, "'%s' is not something to do with overrides; expected add, list or "
                         "revoke",
                      verb);
        }
        code = cli_usage_cmd(e);
    }
    free(pos);
    if (status != SHNOR_OK) {
        code = cli_fail(e, db, status);
    }
    shnor_close(db);
    return code;
}
