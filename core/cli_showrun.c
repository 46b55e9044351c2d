/*
 * cli_showrun.c — `shnor show-run ID`: a kept run as it was recorded, its
 * listing with explanations, its targets and its roadmap, for people (a
 * table), spreadsheets (CSV, one part at a time) and programs (JSON).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csv.h"
#include "humanfmt.h"
#include "json.h"
#include "numfmt.h"
#include "store.h"
#include "table.h"
#include "targets.h"

typedef struct {
    shnor_format f;
    table *t;
    strbuf sb;
    json_writer jw;
    long n;
    strbuf legend; /* the targets' wording, once each, printed under their table */
    char last_target[80];
    indicator *inds; /* the catalogue, by code: the legend names each indicator */
    size_t ninds;
} show_ctx;

/* The title of the indicator with code, as the catalogue has it now; NULL
   when it is not there (an indicator since renamed is said by its code). */
static const char *indicator_title(const show_ctx *x, const char *code)
{
    size_t lo = 0, hi = x->ninds;
    while (code && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(x->inds[mid].code, code);
        if (c == 0) {
            return x->inds[mid].title;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

static void csv_cells(strbuf *sb, const char *const *cells, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i) {
            sb_putc(sb, ',');
        }
        csv_put_field(sb, cells[i] ? cells[i] : "", cells[i] ? strlen(cells[i]) : 0, ',');
    }
    sb_putc(sb, '\n');
}

static int show_listing(void *arg, const store_run_listing_row *l)
{
    show_ctx *x = arg;
    x->n++;
    if (x->f == SHNOR_FORMAT_CSV) {
        const char *cells[] = {l->school,    l->name,       l->category, l->criteria,
                               l->status,    l->cohort,     l->mentor,   l->override,
                               l->territory, l->explanation};
        csv_cells(&x->sb, cells, 10);
        return sb_failed(&x->sb);
    }
    if (x->f == SHNOR_FORMAT_JSON) {
        jw_raw(&x->jw, l->json);
        return 0;
    }
    strbuf crit = STRBUF_INIT, why = STRBUF_INIT;
    for (const char *p = l->criteria; *p; p++) {
        sb_puts(&crit, *p == ';' ? ", " : (char[]){*p, '\0'});
    }
    /* The kept explanation separates reasons by " | ": one bullet each. */
    const char *p = l->explanation;
    while (*p) {
        const char *sep = strstr(p, " | ");
        size_t len = sep ? (size_t)(sep - p) : strlen(p);
        sb_printf(&why, "%s• %.*s", why.len ? "\n" : "", (int)len, p);
        p += len + (sep ? 3 : 0);
    }
    const char *cells[] = {l->school, l->name, l->category_title, crit.data,
                           human_listing_status(l->status, l->override)};
    table_row(x->t, cells);
    table_cell_style(x->t, 4,
                     strcmp(l->status, "listed") == 0 ? TABLE_RED : TABLE_YELLOW);
    if (why.len) {
        table_note(x->t, why.data);
    }
    sb_free(&crit);
    sb_free(&why);
    return 0;
}

static int show_target(void *arg, const store_run_target_row *t)
{
    show_ctx *x = arg;
    x->n++;
    if (x->f == SHNOR_FORMAT_CSV) {
        char b[NUM_BUFSZ], a[NUM_BUFSZ], th[NUM_BUFSZ];
        num_format_opt(t->baseline, b);
        num_format_opt(t->actual, a);
        num_format_opt(t->threshold, th);
        const char *cells[] = {
            t->target, t->kind,   t->scope, t->indicator, t->baseline_period,
            b,         t->period, a,        th,           t->status,
            t->reason, t->method, t->checkpoint, t->title};
        csv_cells(&x->sb, cells, 14);
        return sb_failed(&x->sb);
    }
    if (x->f == SHNOR_FORMAT_JSON) {
        jw_raw(&x->jw, t->json);
        return 0;
    }
    int unit = unit_parse(t->unit, strlen(t->unit));
    char b[96], a[96], th[96], num[64], anum[64];
    human_value(unit, t->baseline, num, sizeof num);
    snprintf(b, sizeof b, *t->baseline_period ? "%s (%s)" : "—", num, t->baseline_period);
    human_values_apart(unit, t->actual, t->threshold, anum, num, sizeof num);
    snprintf(a, sizeof a, "%s (%s)", anum, t->period);
    /* As `targets` prints them: ≤ 18,0%, «low» в целом, все школы. */
    const char *sign = strcmp(t->comparison, "<=") == 0   ? "≤ "
                       : strcmp(t->comparison, ">=") == 0 ? "≥ "
                       : strcmp(t->comparison, ">") == 0  ? "> "
                       : strcmp(t->comparison, "<") == 0  ? "< "
                                                          : "";
    if (isnan(t->threshold)) {
        snprintf(th, sizeof th, "—");
    } else {
        snprintf(th, sizeof th, "%s%s", sign, num);
    }
    strbuf scope = STRBUF_INIT; /* a school code has no length limit */
    if (strcmp(t->scope, "all") == 0) {
        sb_puts(&scope, "все школы");
    } else if (strstr(t->json, "\"school\": null") || strstr(t->json, "\"school\":null")) {
        sb_printf(&scope, "«%s» в целом", t->scope);
    } else {
        sb_puts(&scope, t->scope);
    }
    const char *cells[] = {t->target, scope.data ? scope.data : "", b, a, th,
                           human_status(t->status)};
    table_row(x->t, cells);
    sb_free(&scope);
    if (strcmp(x->last_target, t->target) != 0) {
        snprintf(x->last_target, sizeof x->last_target, "%s", t->target);
        /* as `targets` words it: id — title [indicator]: what it requires */
        const char *it = indicator_title(x, t->indicator);
        sb_printf(&x->legend, "%s — %s%s%s%s: %s\n", t->target, t->title, it ? " [" : "",
                  it ? it : "", it ? "]" : "", t->meaning);
    }
    table_cell_style(x->t, 5,
                     strcmp(t->status, "met") == 0       ? TABLE_GREEN
                     : strcmp(t->status, "not_met") == 0 ? TABLE_RED
                                                         : TABLE_YELLOW);
    if (*t->checkpoint) {
        strbuf sb = STRBUF_INIT;
        sb_printf(&sb, "контрольная точка %s", t->checkpoint);
        table_note(x->t, sb.data);
        sb_free(&sb);
    }
    if (*t->reason) {
        strbuf sb = STRBUF_INIT;
        sb_printf(&sb, "недостаточно данных: %s", t->reason);
        table_note(x->t, sb.data);
        sb_free(&sb);
    }
    if (*t->method) {
        table_note(x->t, t->method);
    }
    return 0;
}

static int show_item(void *arg, const store_run_item_row *r)
{
    show_ctx *x = arg;
    x->n++;
    if (x->f == SHNOR_FORMAT_CSV) {
        char id[24] = "";
        if (r->assignment_id) {
            snprintf(id, sizeof id, "%lld", (long long)r->assignment_id);
        }
        const char *cells[] = {
            r->activity, r->title,   r->due_text, r->responsible, r->coexecutors,
            r->result,   r->indicator, r->document, r->status,    r->section,
            r->owner,    r->start,   r->due,      id};
        csv_cells(&x->sb, cells, 14);
        return sb_failed(&x->sb);
    }
    if (x->f == SHNOR_FORMAT_TABLE) {
        char id[24] = "";
        if (r->assignment_id) {
            snprintf(id, sizeof id, "%lld", (long long)r->assignment_id);
        }
        const char *cells[] = {r->activity, r->title,
                               *r->owner ? r->owner : "управление образования", r->due, id,
                               r->assignment_id ? human_status(r->status) : "не сохранено"};
        table_row(x->t, cells);
        return 0;
    }
    if (x->f == SHNOR_FORMAT_JSON) {
        jw_obj_begin(&x->jw);
        jw_kstr(&x->jw, "activity", r->activity);
        jw_kstr(&x->jw, "section", r->section);
        jw_kstr(&x->jw, "title", r->title);
        jw_kstr(&x->jw, "due_text", r->due_text);
        jw_kstr(&x->jw, "responsible", r->responsible);
        jw_kstr(&x->jw, "coexecutors", r->coexecutors);
        jw_kstr(&x->jw, "result", r->result);
        jw_kstr(&x->jw, "indicator", r->indicator);
        jw_kstr(&x->jw, "document", r->document);
        jw_kstr(&x->jw, "owner", *r->owner ? r->owner : NULL);
        jw_kstr(&x->jw, "start", r->start);
        jw_kstr(&x->jw, "due", r->due);
        if (r->assignment_id) {
            jw_kint(&x->jw, "assignment", r->assignment_id);
        }
        jw_kstr(&x->jw, "status", r->status);
        jw_obj_end(&x->jw);
    }
    return 0;
}

typedef struct {
    show_ctx *x;
    int found;
} head_ctx;

static int show_head(void *arg, const store_run *r)
{
    head_ctx *h = arg;
    show_ctx *x = h->x;
    h->found = 1;
    if (x->f == SHNOR_FORMAT_JSON) {
        jw_key(&x->jw, "run");
        jw_obj_begin(&x->jw);
        jw_kint(&x->jw, "id", r->id);
        jw_kstr(&x->jw, "pack", r->pack_id);
        jw_kstr(&x->jw, "version", r->version);
        jw_kstr(&x->jw, "title", r->title);
        jw_kstr(&x->jw, "source", r->order);
        jw_kstr(&x->jw, "path", r->path);
        jw_kstr(&x->jw, "period", r->period);
        jw_kstr(&x->jw, "listing_period", r->listing_period);
        jw_kstr(&x->jw, "user", r->user);
        jw_kstr(&x->jw, "started_at", r->started_at);
        jw_kstr(&x->jw, "finished_at", r->finished_at);
        jw_kint(&x->jw, "schools", r->schools);
        jw_kint(&x->jw, "listed", r->listed);
        jw_kint(&x->jw, "insufficient", r->insufficient);
        jw_kint(&x->jw, "assignments", r->assignments);
        jw_key(&x->jw, "roadmap_applied");
        jw_bool(&x->jw, r->roadmap_applied);
        jw_kstr(&x->jw, "pack_sha256", r->sha256);
        jw_kstr(&x->jw, "data_sha256", r->data_sha256);
        jw_kstr(&x->jw, "engine", r->engine);
        jw_key(&x->jw, "limits");
        jw_obj_begin(&x->jw);
        jw_kint(&x->jw, "memory", r->mem_limit);
        jw_kint(&x->jw, "instructions", r->instr_limit);
        jw_knum(&x->jw, "seconds", r->time_limit);
        jw_obj_end(&x->jw);
        jw_obj_end(&x->jw);
    } else if (x->f == SHNOR_FORMAT_TABLE) {
        sb_printf(&x->sb,
                  "Запуск #%lld: «%s» (%s, версия %s)\n%s\nПериод %s, список по %s; "
                  "оценено школ "
                  "%ld, в списке %ld, недостаточно данных %ld; поручений %ld%s.\n"
                  "Запустил %s, %s — %s. Пакет %s (SHA-256 %.16s…), данные %.16s…. "
                  "Программа: %s.",
                  (long long)r->id, r->title, r->pack_id, r->version, r->order, r->period,
                  r->listing_period, r->schools, r->listed, r->insufficient,
                  r->assignments,
                  r->roadmap_applied ? ", сохранены" : " (не сохранялись)", r->user,
                  r->started_at, r->finished_at, r->path, r->sha256, r->data_sha256,
                  *r->engine ? r->engine : "не записана (запуск сохранён более ранней версией shnor)");
    }
    return 0;
}

/* Prints one part as a table under a title. */
static int print_part(cli_env *e, show_ctx *x, const char *title, const char *const *head,
                      size_t ncols, int (*each)(shnor *, int64_t, show_ctx *), shnor *db,
                      int64_t id)
{
    x->t = table_new(ncols);
    x->n = 0;
    if (!x->t || table_header(x->t, head) != 0) {
        return SHNOR_NOMEM;
    }
    int status = each(db, id, x);
    if (status == SHNOR_OK) {
        fprintf(e->out, "\n%s\n", title);
        if (x->n) {
            table_print(x->t, e->out, table_term_width(e->out), table_use_color(e->out));
        } else {
            fprintf(e->out, "(нет)\n");
        }
    }
    table_free(x->t);
    x->t = NULL;
    return status;
}

static int each_listing(shnor *db, int64_t id, show_ctx *x)
{
    return store_run_listings_each(db, id, show_listing, x);
}

static int each_target(shnor *db, int64_t id, show_ctx *x)
{
    return store_run_targets_each(db, id, show_target, x);
}

static int each_item(shnor *db, int64_t id, show_ctx *x)
{
    return store_run_items_each(db, id, show_item, x);
}

int cmd_show_run(cli_env *e, int argc, char **argv)
{
    const char *format = "table", *part = NULL;
    const cli_opt opts[] = {{"format", OPT_VALUE, &format}, {"part", OPT_VALUE, &part}};
    char **pos;
    int npos, code;
    if ((code = cli_parse(e, argc, argv, opts, 2, &pos, &npos))) {
        return code;
    }
    long long id = npos == 1 ? cli_id(pos[0]) : 0;
    if (id <= 0) {
        code = cli_usage_id(e, npos == 1 ? pos[0] : NULL, "a run", "runs");
        free(pos);
        return code;
    }
    free(pos);
    show_ctx x = {0};
    if ((code = cli_format(e, format, CLI_ALL_FORMATS, &x.f))) {
        return code;
    }
    if (part && strcmp(part, "listing") != 0 && strcmp(part, "targets") != 0 &&
        strcmp(part, "roadmap") != 0) {
        return cli_usage(e, "--part '%s': expected listing, targets or roadmap", part);
    }
    shnor *db = NULL;
    if ((code = cli_open(e, SHNOR_OPEN_READONLY, &db)) != EXIT_OK) {
        return code;
    }
    sb_init(&x.sb);
    sb_init(&x.legend);
    jw_init(&x.jw, &x.sb, 1);
    head_ctx h = {&x, 0};
    int status = SHNOR_OK;
    if (x.f == SHNOR_FORMAT_CSV) {
        /* One table per CSV: the part asked for, the listing by default. */
        status = store_runs_each(db, id, show_head, &h);
        if (status == SHNOR_OK && (!part || strcmp(part, "listing") == 0)) {
            sb_puts(&x.sb, "school,name,category,criteria,status,cohort,mentor,override,"
                           "territory,explanation\n");
            status = each_listing(db, id, &x);
        } else if (status == SHNOR_OK && strcmp(part, "targets") == 0) {
            sb_puts(&x.sb, TARGETS_CSV_HEADER "\n"); /* as `targets` writes it */
            status = each_target(db, id, &x);
        } else if (status == SHNOR_OK) {
            sb_puts(&x.sb,
                    "№ п/п,Мероприятие,Сроки,Ответственные,Соисполнители,Ожидаемый "
                    "результат,Показатель реализации,Отчетный документ,Статус,Раздел,"
                    "Исполнитель,Начало,Срок,id\n");
            status = each_item(db, id, &x);
        }
        if (status == SHNOR_OK) {
            fputs(x.sb.data ? x.sb.data : "", e->out);
        }
    } else if (x.f == SHNOR_FORMAT_JSON) {
        jw_obj_begin(&x.jw);
        status = store_runs_each(db, id, show_head, &h);
        const char *keys[] = {"listing", "targets", "roadmap"};
        int (*each[])(shnor *, int64_t, show_ctx *) = {each_listing, each_target,
                                                       each_item};
        for (int k = 0; k < 3 && status == SHNOR_OK; k++) {
            if (part && strcmp(part, keys[k]) != 0) {
                continue;
            }
            jw_key(&x.jw, keys[k]);
            jw_arr_begin(&x.jw);
            status = each[k](db, id, &x);
            jw_arr_end(&x.jw);
        }
        jw_obj_end(&x.jw);
        sb_putc(&x.sb, '\n');
        if (status == SHNOR_OK) {
            fputs(x.sb.data ? x.sb.data : "", e->out);
        }
    } else {
        status = store_runs_each(db, id, show_head, &h);
        if (status == SHNOR_OK) {
            /* The header is prose: wrapped to the terminal like the tables. */
            table_print_text(e->out, x.sb.data, table_term_width(e->out), 2);
        }
        static const char *const lh[] = {"Код", "Школа", "Категория", "Критерии",
                                         "Статус"};
        static const char *const th[] = {"Цель", "Охват",     "База",
                                         "Факт", "Требуется", "Статус"};
        if (status == SHNOR_OK && (!part || strcmp(part, "listing") == 0)) {
            status = print_part(e, &x, "Список:", lh, 5, each_listing, db, id);
        }
        if (status == SHNOR_OK && (!part || strcmp(part, "targets") == 0) &&
            (status = store_indicators_load(db, &x.inds, &x.ninds)) == SHNOR_OK) {
            status = print_part(e, &x, "Целевые показатели:", th, 6, each_target, db, id);
            if (status == SHNOR_OK && x.legend.len) {
                sb_truncate(&x.legend, x.legend.len - 1); /* no empty line after it */
                fputc('\n', e->out);
                table_print_text(e->out, x.legend.data, table_term_width(e->out), 2);
            }
        }
        /* What fits 80 columns with the text readable; the document's own
           deadline wording, the start and the rest are in CSV and JSON. */
        static const char *const rh[] = {"№ п/п", "Мероприятие", "Исполнитель",
                                         "Срок",  "Поручение",   "Статус"};
        if (status == SHNOR_OK && part && strcmp(part, "roadmap") == 0) {
            /* The seeds' full columns are in --format csv and the XLSX report. */
            status = print_part(e, &x, "Дорожная карта:", rh, 6, each_item, db, id);
        }
    }
    if (status != SHNOR_OK) {
        code = cli_fail(e, db, status);
    }
    sb_free(&x.sb);
    sb_free(&x.legend);
    indicators_free(x.inds, x.ninds);
    shnor_close(db);
    return code;
}
