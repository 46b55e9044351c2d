/*
 * report_xlsx.c — a report as an XLSX workbook, written with libxlsxwriter:
 * «Список» (the listing with reasons), «Цели» (targets, status coloured), one
 * roadmap sheet per run in the seeds' columns with each assignment's status
 * as it is now, «Значения» (every value the criteria read) and «Запуск» (each
 * run's record, a row per run).
 *
 * Every sheet has a frozen header row and an autofilter, columns as wide as
 * their content (up to a cap, wrapping beyond it) and rows as tall as their
 * wrapped text. Numbers are numbers in their indicator's format (a share is a
 * fraction shown as a percent), dates are dates. The workbook's creation date
 * is the run's end time, so the same run gives the same bytes.
 *
 * Each sheet is a row function and its columns; xlsx_sheet.c writes it.
 */
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "humanfmt.h"
#include "xlsx_sheet.h"

/* ---- the sheets ---- */

static size_t count_listing(const report_run *rr)
{
    return rr->nlisting;
}

static int listing_fill(const char *status)
{
    return strcmp(status, "listed") == 0              ? FILL_BAD
           : strcmp(status, "insufficient_data") == 0 ? FILL_WARN
                                                      : FILL_MUTE;
}

static const xcol listing_cols[] = {{"№", 4},
                                    {"Код", 14},
                                    {"Школа", 40},
                                    {"Территория", 30},
                                    {"Категория", 36},
                                    {"Критерии", 24},
                                    {"Статус", 20},
                                    {"Когорта", 30},
                                    {"Базовая школа", 30},
                                    {"Решение вручную", 40},
                                    {"Обоснование", 90}};

/* The mentor as the explanation names it, code and name («SRG-SOSH2 МКОУ
   «Сергокалинская СОШ №2»»), into sb; its code alone when it is not named. */
static void mentor_named(const store_run_listing_row *l, strbuf *sb)
{
    static const char mark[] = "базовая школа: ";
    const char *at = strstr(l->explanation, mark);
    if (!*l->mentor || !at || strncmp(at + strlen(mark), l->mentor, strlen(l->mentor)) != 0) {
        sb_puts(sb, l->mentor);
        return;
    }
    at += strlen(mark);
    const char *end = strstr(at, " | ");
    sb_append(sb, at, end ? (size_t)(end - at) : strlen(at));
}

static void listing_row(xctx *x, const report_run *rr, size_t i, xcell *out)
{
    const store_run_listing_row *l = &rr->listing[i];
    strbuf *crit = xc_tmp(x, 0), *why = xc_tmp(x, 1);
    for (const char *p = l->criteria; *p; p++) {
        if (*p == ';') {
            sb_puts(crit, ", ");
        } else {
            sb_putc(crit, *p);
        }
    }
    report_reasons(why, l->explanation);
    strbuf *mentor = xc_tmp(x, 2);
    mentor_named(l, mentor);
    xcell row[] = {xc_integer(l->seq),
                   xc_text(l->school),
                   xc_text(l->name),
                   xc_text(l->territory),
                   xc_text(*l->category_title ? l->category_title : l->category),
                   xc_text(crit->data),
                   xc_filled(human_listing_status(l->status, l->override), listing_fill(l->status)),
                   /* in the pack's words, as the page and the table say it */
                   xc_text(*l->cohort_title ? l->cohort_title : l->cohort),
                   xc_text(mentor->data),
                   xc_text(l->override),
                   xc_text(why->data)};
    memcpy(out, row, sizeof row);
}

static size_t count_targets(const report_run *rr)
{
    return rr->ntargets;
}

static const char *unit_ru(int unit)
{
    switch (unit) {
    case UNIT_SHARE:
        return "доля";
    case UNIT_PERCENT:
        return "%";
    case UNIT_SCORE:
        return "балл";
    case UNIT_COUNT:
        return "количество";
    case UNIT_INDEX:
        return "индекс";
    case UNIT_FLAG:
        return "признак";
    default:
        return "";
    }
}

static const xcol target_cols[] = {
    {"Цель", 18},         {"Наименование", 50},   {"Условие", 40},
    {"Охват", 30},        {"Показатель", 24},     {"Наименование показателя", 40},
    {"Ед. изм.", 10},     {"Базовый период", 10}, {"База", 10},
    {"Период", 10},       {"Факт", 10},           {"Сравнение", 6},
    {"Порог", 10},        {"Статус", 20},         {"Причина", 40},
    {"Как считалось", 50}};

static void target_row(xctx *x, const report_run *rr, size_t i, xcell *out)
{
    const store_run_target_row *t = &rr->targets[i];
    int unit = report_target_unit(t);
    /* the actual and the threshold with the decimals that tell them apart */
    int extra = human_extra_apart(unit, t->actual, t->threshold);
    const indicator *ind = report_indicator(x->r, t->indicator);
    int fill = strcmp(t->status, "met") == 0       ? FILL_GOOD
               : strcmp(t->status, "not_met") == 0 ? FILL_BAD
                                                   : FILL_WARN;
    strbuf *scope = xc_tmp(x, 0);
    const char *st = report_scope_title(rr, t->scope);
    sb_puts(scope, t->scope);
    if (st != t->scope) {
        sb_printf(scope, " (%s)", st);
    }
    xcell row[] = {xc_text(t->target),
                   xc_text(t->title),
                   xc_text(t->meaning),
                   xc_text(scope->data),
                   xc_text(t->indicator),
                   xc_text(ind ? ind->title : ""),
                   xc_text(unit_ru(unit)),
                   xc_text(t->baseline_period),
                   xc_num_or_none(t->baseline, unit, *t->baseline_period != '\0'),
                   xc_text(t->period),
                   isnan(t->actual) ? xc_num_or_none(t->actual, unit, 1)
                                    : xc_num_prec(t->actual, unit, extra),
                   xc_text(t->comparison),
                   isnan(t->threshold) ? xc_num_or_none(t->threshold, unit, 0)
                                       : xc_num_prec(t->threshold, unit, extra),
                   xc_filled(human_status(t->status), fill),
                   xc_text(t->reason),
                   xc_text(t->method)};
    memcpy(out, row, sizeof row);
}

static size_t count_items(const report_run *rr)
{
    return rr->nitems;
}

static const xcol item_cols[] = {{"№ п/п", 8},
                                 {"Мероприятие", 60},
                                 {"Сроки", 20},
                                 {"Ответственные", 36},
                                 {"Соисполнители", 30},
                                 {"Ожидаемый результат", 40},
                                 {"Показатель реализации", 36},
                                 {"Отчетный документ", 24},
                                 {"Статус", 16},
                                 {"Раздел", 36},
                                 {"Исполнитель", 14},
                                 {"Начало", 11},
                                 {"Срок", 11},
                                 {"Подтверждение", 36},
                                 {"Дата статуса", 11},
                                 {"id", 8}};

static void item_row(xctx *x, const report_run *rr, size_t i, xcell *out)
{
    const store_run_item_row *it = &rr->items[i];
    const report_item_state *st = &rr->states[i];
    int fill = !it->assignment_id                       ? FILL_MUTE
               : strcmp(st->status, "done") == 0        ? FILL_GOOD
               : strcmp(st->status, "cancelled") == 0   ? FILL_MUTE
               : strcmp(st->status, "in_progress") == 0 ? FILL_WARN
                                                        : FILL_NONE;
    xcell row[] = {xc_text(it->activity),
                   xc_text(it->title),
                   xc_text(it->due_text),
                   xc_text(it->responsible),
                   xc_text(it->coexecutors),
                   xc_text(it->result),
                   xc_text(it->indicator),
                   xc_text(it->document),
                   xc_filled(report_item_status_ru(it, st), fill),
                   xc_text(it->section),
                   xc_text(it->owner),
                   xc_date(it->start),
                   xc_date(it->due),
                   xc_text(st->evidence),
                   xc_date(st->date),
                   it->assignment_id ? xc_integer(it->assignment_id) : xc_text(NULL)};
    (void)x;
    memcpy(out, row, sizeof row);
}

static size_t count_reads(const report_run *rr)
{
    return rr->nreads;
}

static const xcol read_cols[] = {{"Код", 14},
                                 {"Школа", 40},
                                 {"Категория", 30},
                                 {"Критерий", 24},
                                 {"Вид", 16},
                                 {"Показатель", 24},
                                 {"Наименование показателя", 50},
                                 {"Период", 10},
                                 {"Значение", 12}};

static void read_row(xctx *x, const report_run *rr, size_t i, xcell *out)
{
    const store_run_read_row *rd = &rr->reads[i];
    const store_run_listing_row *l = report_read_listing(rr, rd);
    const indicator *ind = report_indicator(x->r, rd->indicator);
    xcell row[] = {
        xc_text(l ? l->school : ""),
        xc_text(l ? l->name : ""),
        xc_text(l ? (*l->category_title ? l->category_title : l->category) : ""),
        xc_text(rd->criterion),
        xc_text(report_read_kind_ru(rd->kind)),
        xc_text(rd->indicator),
        xc_text(ind ? ind->title : ""),
        xc_text(rd->period),
        xc_num_or_none(rd->value, report_read_unit(x->r, rd), 1)};
    memcpy(out, row, sizeof row);
}

/* The run-record sheet: a row per run. */
enum {
    F_ID,
    F_PACK,
    F_VERSION,
    F_TITLE,
    F_ORDER,
    F_TERRITORY,
    F_PERIOD,
    F_LISTING,
    F_SCHOOLS,
    F_LISTED,
    F_INSUFFICIENT,
    F_ASSIGNMENTS,
    F_APPLIED,
    F_USER,
    F_STARTED,
    F_FINISHED,
    F_PATH,
    F_SHA,
    F_DATA,
    F_BATCH,
    F_ENGINE,
    F_COUNT
};

static const xcol run_cols[F_COUNT] = {{"Запуск", 8},
                                       {"Пакет", 20},
                                       {"Версия", 10},
                                       {"Наименование", 50},
                                       {"Документ", 50},
                                       {"Территория", 30},
                                       {"Период", 10},
                                       {"Список по", 10},
                                       {"Оценено школ", 8},
                                       {"В списке", 8},
                                       {"Недостаточно данных", 8},
                                       {"Поручений", 8},
                                       {"Дорожная карта сохранена", 10},
                                       {"Запустил", 16},
                                       {"Начало (UTC)", 19},
                                       {"Окончание (UTC)", 19},
                                       {"Файл пакета", 30},
                                       {"SHA-256 пакета", 64},
                                       {"SHA-256 данных", 64},
                                       {"Последний импорт", 8},
                                       {"Программа", 24}};

static size_t count_runs(const report_run *rr)
{
    (void)rr;
    return 1;
}

static void run_row(xctx *x, const report_run *rr, size_t i, xcell *out)
{
    const store_run *r = &rr->run;
    const xcell v[F_COUNT] = {
        [F_ID] = xc_integer(r->id),
        [F_PACK] = xc_text(r->pack_id),
        [F_VERSION] = xc_text(r->version),
        [F_TITLE] = xc_text(r->title),
        [F_ORDER] = xc_text(r->order),
        [F_TERRITORY] = xc_text(rr->territory),
        [F_PERIOD] = xc_text(r->period),
        [F_LISTING] = xc_text(r->listing_period),
        [F_SCHOOLS] = xc_integer(r->schools),
        [F_LISTED] = xc_integer(r->listed),
        [F_INSUFFICIENT] = xc_integer(r->insufficient),
        [F_ASSIGNMENTS] = xc_integer(r->assignments),
        [F_APPLIED] = xc_text(r->roadmap_applied ? "да" : "нет"),
        [F_USER] = xc_text(r->user),
        [F_STARTED] = xc_datetime(r->started_at),
        [F_FINISHED] = xc_datetime(r->finished_at),
        [F_PATH] = xc_text(r->path),
        [F_SHA] = xc_text(r->sha256),
        [F_DATA] = xc_text(r->data_sha256),
        [F_BATCH] = xc_integer(r->last_batch),
        [F_ENGINE] = xc_text(r->engine),
    };
    (void)x;
    (void)i;
    memcpy(out, v, sizeof v);
}

/* The run's end time as a time_t (UTC), 0 when it does not parse. */
static time_t run_time(const char *iso)
{
    struct tm tm = {0};
    if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
        return 0;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
}

/* Sheet names: at most 31 characters, none of []:*?/\ (pack ids have none). */
static void roadmap_name(const xctx *x, const report_run *rr, char *buf, size_t len)
{
    if (!x->multi) {
        snprintf(buf, len, "Дорожная карта");
        return;
    }
    /* Excel's 31 characters at most: the id is cut by characters, never
       inside one (a cut UTF-8 sequence makes the workbook unreadable), and
       the characters a sheet name cannot have become '_' — a run kept
       before pack ids were checked may have them. */
    int n = snprintf(buf, len, "ДК #%lld ", (long long)rr->run.id);
    if (n < 0 || (size_t)n >= len) {
        return;
    }
    size_t used = 0, at = (size_t)n;
    for (const char *p = buf; *p; p++) {
        used += ((unsigned char)*p & 0xC0) != 0x80;
    }
    for (const char *id = rr->run.pack_id; *id && used < 31; used++) {
        size_t step = 1;
        while (((unsigned char)id[step] & 0xC0) == 0x80) {
            step++;
        }
        if (at + step >= len) {
            break;
        }
        if (step == 1 && (strchr("[]:*?/\\", *id) || (*id == '\'' && (!id[1] || used == 30)))) {
            buf[at++] = '_';
        } else {
            memcpy(buf + at, id, step);
            at += step;
        }
        id += step;
    }
    buf[at] = '\0';
}

/* Appends s for the workbook's properties, which libxlsxwriter writes into
   core.xml as they are: a control character there (a run kept before pack
   texts were checked for them) is not XML, and Excel calls the file corrupt.
   Each becomes U+FFFD. */
static void xml_text(strbuf *sb, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7F) {
            sb_puts(sb, "\xEF\xBF\xBD");
        } else {
            sb_putc(sb, (char)*p);
        }
    }
    if (!sb->data) {
        sb_puts(sb, "");
    }
}

int report_write_xlsx(shnor *db, const report *r, const char *path)
{
    xctx x = {.db = db, .r = r, .multi = r->nruns > 1};
    strbuf tmp_path = STRBUF_INIT, title = STRBUF_INIT, comments = STRBUF_INIT;
    int status = SHNOR_OK;
    for (int k = 0; k < NTMP; k++) {
        sb_init(&x.tmp[k]);
    }
    sb_printf(&tmp_path, "%s.tmp", path);
    /* libxlsxwriter opens the file only when it closes the workbook, and then
       prints its own "[ERROR] …" and "Usually a permissions error": try the
       place first and say what the system says. */
    FILE *probe = sb_failed(&tmp_path) ? NULL : fopen(tmp_path.data, "wb");
    if (!probe) {
        status = shnor_seterr(db, SHNOR_IO, "cannot write '%s': %s", path,
                              sb_failed(&tmp_path) ? "out of memory" : strerror(errno));
        goto done;
    }
    fclose(probe);
    remove(tmp_path.data);
    x.wb = workbook_new(tmp_path.data);
    if (!x.wb || sb_failed(&tmp_path)) {
        status = shnor_seterr(db, SHNOR_NOMEM, "out of memory writing '%s'", path);
        goto done;
    }
    /* The document's properties, its creation date the latest run's end. */
    time_t created = 0;
    for (size_t k = 0; k < r->nruns; k++) {
        time_t t = run_time(r->runs[k].run.finished_at);
        created = t > created ? t : created;
        sb_printf(&comments, "%sзапуск #%lld: %s %s, период %s",
                  k ? "; " : "shnor report: ", (long long)r->runs[k].run.id,
                  r->runs[k].run.pack_id, r->runs[k].run.version, r->runs[k].run.period);
    }
    strbuf subject = STRBUF_INIT, author = STRBUF_INIT, notes = STRBUF_INIT;
    xml_text(&title, r->nruns == 1 ? r->runs[0].run.title : "Отчёт по запускам shnor");
    xml_text(&subject, r->nruns == 1 ? r->runs[0].run.order : "");
    xml_text(&author, r->nruns == 1 ? r->runs[0].run.user : "");
    xml_text(&notes, comments.data ? comments.data : "");
    lxw_doc_properties props = {
        .title = title.data ? title.data : (char *)"",
        .subject = subject.data ? subject.data : (char *)"",
        .author = author.data ? author.data : (char *)"",
        .comments = notes.data ? notes.data : (char *)"",
        .created = created ? created : 1,
    };
    workbook_set_properties(x.wb, &props);
    sb_free(&subject);
    sb_free(&author);
    sb_free(&notes);

    xlsx_write_sheet(&x, "Список", listing_cols, 11, 1, 0, r->nruns, count_listing,
                     listing_row);
    xlsx_write_sheet(&x, "Цели", target_cols, 16, 1, 0, r->nruns, count_targets,
                     target_row);
    for (size_t k = 0; k < r->nruns; k++) {
        char name[31 * 4 + 1];
        roadmap_name(&x, &r->runs[k], name, sizeof name);
        xlsx_write_sheet(&x, name, item_cols, 16, 0, k, k + 1, count_items, item_row);
    }
    xlsx_write_sheet(&x, "Значения", read_cols, 9, 1, 0, r->nruns, count_reads, read_row);
    xlsx_write_sheet(&x, "Запуск", run_cols, F_COUNT, 0, 0, r->nruns, count_runs,
                     run_row);

    lxw_error e = workbook_close(x.wb);
    x.wb = NULL;
    if (x.err != LXW_NO_ERROR) {
        status = shnor_seterr(db, SHNOR_IO, "cannot write '%s': %s (%s)", path,
                              lxw_strerror(x.err), x.where);
    } else if (e != LXW_NO_ERROR) {
        status =
            shnor_seterr(db, SHNOR_IO, "cannot write '%s': %s", path, lxw_strerror(e));
    } else if (rename(tmp_path.data, path) != 0) {
        status =
            shnor_seterr(db, SHNOR_IO, "cannot write '%s': %s", path, strerror(errno));
    }
    if (status != SHNOR_OK) {
        remove(tmp_path.data);
    }
done:
    for (int k = 0; k < NTMP; k++) {
        sb_free(&x.tmp[k]);
    }
    sb_free(&tmp_path);
    sb_free(&title);
    sb_free(&comments);
    return status;
}
