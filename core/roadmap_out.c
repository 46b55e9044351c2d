/*
 * roadmap_out.c — the roadmap for people (a table by activity, under its
 * section, with who must do it and how many dated assignments that makes),
 * and for spreadsheets: CSV in the seeds' own columns, one row per
 * assignment, and JSON.
 */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "due.h"
#include "humanfmt.h"
#include "json.h"
#include "roadmap.h"
#include "table.h"

/* The first and last item of activity a (items are sorted by activity). */
static void activity_range(const roadmap *r, int a, size_t *from, size_t *to)
{
    size_t i = 0;
    while (i < r->n && r->items[i].activity < a) {
        i++;
    }
    *from = i;
    while (i < r->n && r->items[i].activity == a) {
        i++;
    }
    *to = i;
}

static void date_ru(shnor_date d, char buf[11])
{
    char iso[11];
    shnor_date_format(d, iso, sizeof iso);
    snprintf(buf, 11, "%.2s.%.2s.%.4s", iso + 8, iso + 5, iso);
}

/* "управление образования", or the schools' codes (the first few, then a count). */
static void owners_text(const roadmap *r, size_t from, size_t to, strbuf *sb)
{
    int last = -2, shown = 0, total = 0;
    for (size_t i = from; i < to; i++) {
        int s = r->items[i].school;
        if (s == last) {
            continue;
        }
        last = s;
        total++;
        if (shown < 6) {
            sb_printf(sb, "%s%s", shown ? ", " : "",
                      s < 0 ? "управление образования" : r->ev->ds->schools[s].code);
            shown++;
        }
    }
    if (total > shown) {
        sb_printf(sb, " и ещё %d", total - shown);
    }
}

static int write_table(const roadmap *r, FILE *out, int color, int width)
{
    static const char *const head[] = {"№", "Мероприятие", "Сроки", "Исполнители",
                                       "Поручений"};
    const pack *p = r->p;
    table *t = table_new(5);
    if (!t || table_header(t, head) < 0) {
        table_free(t);
        return -1;
    }
    table_align(t, 4, TABLE_RIGHT);
    strbuf who = STRBUF_INIT, when = STRBUF_INIT;
    const char *section = NULL;
    for (size_t a = 0; a < p->nacts; a++) {
        const pack_activity *act = &p->acts[a];
        size_t from, to;
        activity_range(r, (int)a, &from, &to);
        if (*act->section && (!section || strcmp(section, act->section) != 0)) {
            const char *cells[] = {"", act->section, "", "", ""};
            table_row(t, cells);
            table_cell_style(t, 1, TABLE_BOLD);
            section = act->section;
        }
        sb_reset(&who);
        sb_reset(&when);
        if (from == to) {
            /* Say why: the roadmap is for other periods, no deadline of the
               activity falls in the period, or nobody it applies to is
               listed. */
            due_occurrence *occ = NULL;
            size_t nocc = 0;
            if (!roadmap_covers(p, r->period)) {
                sb_puts(&who, "нет (дорожная карта на ");
                for (size_t i = 0; i < p->nroadmap_periods; i++) {
                    char pt[SHNOR_PERIOD_MAX];
                    shnor_period_format(p->roadmap_periods[i], pt, sizeof pt);
                    sb_printf(&who, "%s%s", i ? ", " : "", pt);
                }
                sb_putc(&who, ')');
            } else if (roadmap_dates(p, act, r->period, &occ, &nocc) == SHNOR_OK && nocc == 0) {
                /* none in the period, or none before the programme's end */
                due_occurrence *all = NULL;
                size_t nall = 0;
                if (p->roadmap_ends && due_expand(act->due, r->period, &all, &nall) == SHNOR_OK &&
                    nall > 0) {
                    char end[11];
                    date_ru(p->roadmap_ends, end);
                    sb_printf(&who, "нет (программа окончена %s)", end);
                } else {
                    sb_puts(&who, "нет (срок вне периода)");
                }
                free(all);
            } else {
                sb_puts(&who, "нет (никто из списка)");
            }
            free(occ);
        } else {
            owners_text(r, from, to, &who);
        }
        sb_puts(&when, *act->due_text ? act->due_text : "срок не указан");
        if (from < to) {
            char a1[11], a2[11];
            date_ru(r->items[from].due, a1);
            date_ru(r->items[to - 1].due, a2);
            if (r->items[from].due == r->items[to - 1].due) {
                sb_printf(&when, " (до %s)", a1);
            } else {
                sb_printf(&when, " (%s–%s)", a1, a2);
            }
        }
        char count[32];
        snprintf(count, sizeof count, "%zu", to - from);
        const char *cells[] = {act->id, act->title, when.data, who.data, count};
        table_row(t, cells);
    }
    int rc = table_print(t, out, width, color);
    table_free(t);
    sb_free(&who);
    sb_reset(&when);
    sb_printf(&when, "\nДорожная карта «%s» на %s: %zu %s, %zu %s.", p->title, r->period_text,
              p->nacts, ru_plural((long)p->nacts, "мероприятие", "мероприятия", "мероприятий"),
              r->n, ru_plural((long)r->n, "поручение", "поручения", "поручений"));
    if (table_print_text(out, when.data, width, 2) != 0) {
        rc = -1;
    }
    sb_free(&when);
    return rc;
}

static void put(strbuf *sb, const char *s, int last)
{
    csv_put_field(sb, s, strlen(s), ',');
    sb_putc(sb, last ? '\n' : ',');
}

static int write_csv(const roadmap *r, FILE *out)
{
    strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "№ п/п,Мероприятие,Сроки,Ответственные,Соисполнители,Ожидаемый результат,"
                 "Показатель реализации,Отчетный документ,Статус,Раздел,Исполнитель,Начало,"
                 "Срок,id\n");
    for (size_t i = 0; i < r->n; i++) {
        const rm_item *it = &r->items[i];
        const pack_activity *a = &r->p->acts[it->activity];
        char start[11], due[11], id[24];
        shnor_date_format(it->start, start, sizeof start);
        shnor_date_format(it->due, due, sizeof due);
        snprintf(id, sizeof id, "%lld", (long long)it->id);
        put(&sb, a->id, 0);
        put(&sb, a->title, 0);
        put(&sb, a->due_text, 0);
        put(&sb, a->responsible, 0);
        put(&sb, a->coexecutors, 0);
        put(&sb, a->result, 0);
        put(&sb, a->indicator, 0);
        put(&sb, a->document, 0);
        put(&sb, it->status[0] ? it->status : "new", 0);
        put(&sb, a->section, 0);
        put(&sb, roadmap_owner(r, it), 0);
        put(&sb, start, 0);
        put(&sb, due, 0);
        put(&sb, it->id ? id : "", 1);
    }
    int rc = fwrite(sb.data, 1, sb.len, out) == sb.len && !sb_failed(&sb) ? 0 : -1;
    sb_free(&sb);
    return rc;
}

static int write_json(const roadmap *r, FILE *out)
{
    const pack *p = r->p;
    strbuf sb = STRBUF_INIT;
    json_writer w;
    jw_init(&w, &sb, 1);
    jw_arr_begin(&w);
    for (size_t a = 0; a < p->nacts; a++) {
        const pack_activity *act = &p->acts[a];
        size_t from, to;
        activity_range(r, (int)a, &from, &to);
        jw_obj_begin(&w);
        jw_kstr(&w, "id", act->id);
        jw_kstr(&w, "section", act->section);
        jw_kstr(&w, "title", act->title);
        jw_kstr(&w, "due", act->due_text);
        jw_kstr(&w, "due_described", act->due ? due_describe(act->due) : "");
        jw_kstr(&w, "responsible", act->responsible);
        jw_kstr(&w, "coexecutors", act->coexecutors);
        jw_kstr(&w, "result", act->result);
        jw_kstr(&w, "indicator", act->indicator);
        jw_kstr(&w, "document", act->document);
        jw_key(&w, "assignments");
        jw_arr_begin(&w);
        for (size_t i = from; i < to; i++) {
            const rm_item *it = &r->items[i];
            char start[11], due[11];
            shnor_date_format(it->start, start, sizeof start);
            shnor_date_format(it->due, due, sizeof due);
            jw_obj_begin(&w);
            jw_kstr(&w, "school", it->school >= 0 ? roadmap_owner(r, it) : NULL);
            jw_kstr(&w, "start", start);
            jw_kstr(&w, "due", due);
            if (it->id) {
                jw_kint(&w, "id", it->id);
                jw_kstr(&w, "status", it->status);
            }
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    sb_putc(&sb, '\n');
    int rc = fwrite(sb.data, 1, sb.len, out) == sb.len && !sb_failed(&sb) ? 0 : -1;
    sb_free(&sb);
    return rc;
}

/* The stale assignments of one fate, a line per owner and cause:
   «SRG-BUR — школа исключена из списка 2022 вручную (решение №1): №36 (3.3, до
   31.12.2023), №98 (5.1, до 31.12.2023)». */
static void stale_part(const roadmap *r, int fate, strbuf *sb)
{
    const rm_stale *prev = NULL;
    for (size_t i = 0; i < r->nstale; i++) {
        const rm_stale *s = &r->stale[i];
        if (s->fate != fate) {
            continue;
        }
        if (prev && strcmp(prev->owner, s->owner) == 0 &&
            strcmp(prev->reason, s->reason) == 0) {
            sb_puts(sb, ", ");
        } else {
            sb_printf(sb, "\n  %s — %s: ", *s->owner ? s->owner : "управление образования",
                      s->reason + s->cause);
        }
        sb_printf(sb, "№%lld (%s, до %.2s.%.2s.%.4s", (long long)s->id, s->key, s->due + 8,
                  s->due + 5, s->due);
        if (fate != STALE_WITHDRAW) {
            sb_printf(sb, ", %s", human_status(s->status));
        }
        sb_putc(sb, ')');
        prev = s;
    }
    sb_putc(sb, '\n');
}

int roadmap_write_changes(const roadmap *r, int applied, FILE *out, int width)
{
    strbuf sb = STRBUF_INIT;
    long n[4] = {0}, restore = 0;
    for (size_t i = 0; i < r->nstale; i++) {
        n[r->stale[i].fate]++;
    }
    for (size_t i = 0; !applied && i < r->n; i++) {
        restore += roadmap_item_restorable(&r->items[i]);
    }
    if (applied) {
        n[STALE_WITHDRAW] = r->withdrawn;
        restore = r->restored;
    }
    if (n[STALE_WITHDRAW]) {
        sb_printf(&sb,
                  applied ? "Снято поручений, которых нет в дорожной карте %s: %ld (статус "
                            "«отменено», причина — в подтверждении):"
                          : "Поручений, которых нет в дорожной карте %s, но сохранённых ранее: "
                            "%ld; с --apply они будут сняты (статус «отменено»):",
                  r->period_text, n[STALE_WITHDRAW]);
        stale_part(r, STALE_WITHDRAW, &sb);
    }
    if (n[STALE_SET_BY_PERSON]) {
        sb_printf(&sb,
                  "Поручений, которых нет в дорожной карте %s, со статусом, заданным человеком: "
                  "%ld; они %s как есть (ненужное отменяет assignment set ID --status "
                  "cancelled):",
                  r->period_text, n[STALE_SET_BY_PERSON], applied ? "оставлены" : "останутся");
        stale_part(r, STALE_SET_BY_PERSON, &sb);
    }
    if (n[STALE_NO_DATA]) {
        sb_printf(&sb,
                  "Поручений, которых нет в дорожной карте %s, потому что для списка не "
                  "хватает данных школы: %ld; они %s как есть, пока данных нет:",
                  r->period_text, n[STALE_NO_DATA], applied ? "оставлены" : "останутся");
        stale_part(r, STALE_NO_DATA, &sb);
    }
    if (restore) {
        sb_printf(&sb,
                  applied ? "Восстановлено поручений, снятых ранее: %ld (дорожная карта снова "
                            "их содержит).\n"
                          : "Поручений, снятых ранее, которые дорожная карта снова содержит: "
                            "%ld; с --apply они будут восстановлены.\n",
                  restore);
    }
    int rc = 0;
    if (sb.len) {
        sb_truncate(&sb, sb.len - 1);
        rc = table_print_text(out, sb.data, width, 2);
    }
    if (sb_failed(&sb)) {
        rc = -1;
    }
    sb_free(&sb);
    return rc;
}

int roadmap_write(const roadmap *r, shnor_format format, FILE *out, int color, int width)
{
    switch (format) {
    case SHNOR_FORMAT_CSV:
        return write_csv(r, out);
    case SHNOR_FORMAT_JSON:
        return write_json(r, out);
    default:
        return write_table(r, out, color, width);
    }
}
