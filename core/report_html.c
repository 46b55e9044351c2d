/*
 * report_html.c — a report as one self-contained HTML page (see report.h):
 * per run, the region's header and the order the pack encodes, the listing
 * with its reasons, the target table, and a chart per target drawn as inline
 * SVG (report_svg.c).
 *
 * The page needs nothing else to be read: no scripts, no external fonts,
 * style sheets or images. It prints on A4 (@page), keeps table rows, charts
 * and headings with what follows them on one page where it can, repeats
 * table headers on every page, and starts each run on a new page. Colours
 * carry meaning only together with a word (выполнено, не выполнено), so a
 * black-and-white print loses nothing.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "humanfmt.h"
#include "report.h"

static const char style[] =
    "@page { size: A4; margin: 14mm 12mm 16mm 12mm; }\n"
    "* { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: "
    "exact; }\n"
    "body { font-family: \"DejaVu Sans\", \"Liberation Sans\", Arial, sans-serif; "
    "font-size: 9.5pt;"
    " line-height: 1.35; color: #111; margin: 0; }\n"
    "@media screen { body { max-width: 190mm; margin: 0 auto; padding: 8mm 4mm; } }\n"
    "section.run + section.run { break-before: page; page-break-before: always; }\n"
    "header.head { border-bottom: 2px solid #1f3b63; margin-bottom: 4mm; padding-bottom: "
    "2mm; }\n"
    ".territory { font-size: 10.5pt; font-weight: bold; color: #1f3b63; margin: 0; }\n"
    "h1 { font-size: 13pt; margin: 1mm 0 1.5mm 0; }\n"
    ".order { margin: 0 0 2mm 0; font-style: italic; }\n"
    "h2 { font-size: 11.5pt; color: #1f3b63; margin: 5mm 0 2mm 0; break-after: avoid;"
    " page-break-after: avoid; }\n"
    "table { border-collapse: collapse; width: 100%; }\n"
    "table.listing, table.targets { table-layout: fixed; overflow-wrap: break-word; }\n"
    "thead { display: table-header-group; }\n"
    "tr, li, figure { break-inside: avoid; page-break-inside: avoid; }\n"
    "th, td { border: 0.5pt solid #9aa5b1; padding: 1.2mm 1.5mm; vertical-align: top;"
    " text-align: left; }\n"
    "thead th { background: #dbe3ee; }\n"
    "table.facts th, table.facts td { border: none; padding: 0.4mm 2mm 0.4mm 0; }\n"
    "table.facts th { font-weight: normal; color: #555; white-space: nowrap; width: 1%; "
    "}\n"
    "td.num, th.num { text-align: right; }\n"
    "td.code { white-space: nowrap; }\n"
    "ul.why { margin: 0; padding-left: 4mm; }\n"
    "tr.why td { border-top: none; padding-top: 0; font-size: 9pt; }\n"
    "tr.why { break-inside: auto; page-break-inside: auto; }\n"
    "tbody.school > tr:first-child { break-after: avoid; page-break-after: avoid; }\n"
    ".crit { color: #444; font-size: 8.5pt; }\n"
    ".st { font-weight: bold; font-size: 9pt; overflow-wrap: normal; }\n"
    ".st-met { background: #c6efce; color: #00561b; }\n"
    ".st-not_met, .st-listed { background: #ffc7ce; color: #8c0009; }\n"
    ".st-insufficient_data { background: #ffeb9c; color: #7a4500; }\n"
    ".st-excluded { background: #ededed; color: #444; }\n"
    "tr.target-head th { background: #eef2f7; font-weight: normal; }\n"
    "tr.target-head { break-after: avoid; page-break-after: avoid; }\n"
    "table.targets tbody { break-inside: avoid; page-break-inside: avoid; }\n"
    "tr.target-head b { font-weight: bold; }\n"
    ".meaning, .note { color: #444; font-size: 8.5pt; }\n"
    ".per { white-space: nowrap; }\n"
    /* a category's title in the scope column: long words («функционирующие»,
       «образовательных») fit whole in the column */
    "td.scope { font-size: 8.5pt; }\n"
    ".empty { color: #555; font-style: italic; }\n"
    "figure.chart { margin: 0 0 5mm 0; }\n"
    "figcaption { font-size: 9pt; margin-bottom: 1mm; }\n"
    "svg.chart { display: block; max-width: 100%; height: auto; font-size: 10px; }\n"
    "svg .label { text-anchor: end; fill: #111; font-size: 10.5px; }\n"
    "svg .label.period { fill: #555; font-size: 9.5px; }\n"
    "svg .val, svg .note, svg .nodata { fill: #333; font-size: 9.5px; }\n"
    "svg .nodata { font-style: italic; fill: #7a4500; }\n"
    "svg .tick { text-anchor: middle; fill: #555; font-size: 9px; }\n"
    "svg .legend text { fill: #333; font-size: 9.5px; }\n"
    "svg .grid { stroke: #d5dbe2; stroke-width: 1; }\n"
    "svg .baseline { fill: #9aa5b1; }\n"
    "svg .met { fill: #2e7d32; }\n"
    "svg .not_met { fill: #c62828; }\n"
    "svg .insufficient { fill: #bdbdbd; }\n"
    "svg .threshold { stroke: #111; stroke-width: 2.5; }\n";

static void esc(strbuf *sb, const char *s)
{
    report_escape(sb, s);
}

/* An ISO time "2023-05-31T10:00:00Z" as "31.05.2023 10:00 UTC". */
static void when(strbuf *sb, const char *iso)
{
    int y, m, d;
    if (report_date(iso, &y, &m, &d) == 0 && strlen(iso) >= 16) {
        sb_printf(sb, "%02d.%02d.%04d %.5s UTC", d, m, y, iso + 11);
    } else {
        esc(sb, iso);
    }
}

static void fact(strbuf *sb, const char *name, const char *value)
{
    sb_puts(sb, "<tr><th>");
    esc(sb, name);
    sb_puts(sb, "</th><td>");
    sb_puts(sb, value); /* already HTML */
    sb_puts(sb, "</td></tr>\n");
}

/* The assignments of the roadmap by their status now, e.g. "106: запланировано 100, …".
 */
static void roadmap_counts(strbuf *v, const report_run *rr)
{
    static const char *const order[] = {"planned", "in_progress", "done", "cancelled"};
    sb_printf(v, "%ld", rr->run.assignments);
    if (!rr->run.roadmap_applied) {
        sb_puts(v, " (не сохранялись)");
        return;
    }
    const char *sep = ": ";
    for (int k = 0; k < 4; k++) {
        long n = 0;
        for (size_t i = 0; i < rr->nitems; i++) {
            n += strcmp(rr->states[i].status, order[k]) == 0;
        }
        if (n) {
            store_run_item_row it = {.assignment_id = 1};
            report_item_state st = {order[k], "", ""};
            sb_printf(v, "%s%s %ld", sep, report_item_status_ru(&it, &st), n);
            sep = ", ";
        }
    }
}

static void head(strbuf *sb, const report_run *rr)
{
    const store_run *r = &rr->run;
    strbuf v = STRBUF_INIT;
    sb_puts(sb, "<header class=\"head\">\n");
    if (*rr->territory) {
        sb_puts(sb, "<p class=\"territory\">");
        esc(sb, rr->territory);
        sb_puts(sb, "</p>\n");
    }
    sb_puts(sb, "<h1>");
    esc(sb, r->title);
    sb_puts(sb, "</h1>\n<p class=\"order\">");
    esc(sb, r->order);
    sb_puts(sb, "</p>\n<table class=\"facts\">\n");
    esc(&v, r->period);
    if (strcmp(r->period, r->listing_period) != 0) {
        sb_puts(&v, " (список по ");
        esc(&v, r->listing_period);
        sb_puts(&v, ")");
    }
    fact(sb, "Период", v.data);
    sb_reset(&v);
    sb_printf(&v, "оценено %ld, в списке %ld, недостаточно данных %ld", r->schools,
              r->listed, r->insufficient);
    fact(sb, "Школы", v.data);
    sb_reset(&v);
    roadmap_counts(&v, rr);
    fact(sb, "Поручения", v.data);
    sb_reset(&v);
    sb_printf(&v, "#%lld, ", (long long)r->id);
    when(&v, r->finished_at);
    sb_puts(&v, ", ");
    esc(&v, r->user);
    fact(sb, "Запуск", v.data);
    sb_reset(&v);
    esc(&v, r->pack_id);
    sb_puts(&v, " ");
    esc(&v, r->version);
    sb_puts(&v, " (");
    esc(&v, r->path);
    sb_printf(&v, "), SHA-256 %.16s…; данные %.16s…", r->sha256, r->data_sha256);
    fact(sb, "Пакет", v.data);
    if (*r->engine) {
        sb_reset(&v);
        esc(&v, r->engine);
        fact(sb, "Программа", v.data);
    }
    sb_puts(sb, "</table>\n</header>\n");
    sb_free(&v);
}

static void listing(strbuf *sb, const report_run *rr)
{
    sb_puts(sb, "<h2>Список школ</h2>\n");
    if (!rr->nlisting) {
        sb_puts(sb, "<p class=\"empty\">Школ в списке нет.</p>\n");
        return;
    }
    /* A row per school, its reasons in a full-width row under it (they can
       be long: a criterion reading three years of four indicators). */
    sb_puts(sb,
            "<table class=\"listing\">\n<colgroup><col style=\"width:5%\">"
            "<col style=\"width:11%\"><col style=\"width:27%\"><col style=\"width:25%\">"
            "<col style=\"width:12%\"><col style=\"width:20%\"></colgroup>\n"
            "<thead><tr><th class=\"num\">№</th><th>Код</th><th>Школа</th>"
            "<th>Категория</th><th>Статус</th><th>Критерии</th></tr></thead>\n");
    strbuf why = STRBUF_INIT;
    for (size_t i = 0; i < rr->nlisting; i++) {
        const store_run_listing_row *l = &rr->listing[i];
        sb_printf(sb,
                  "<tbody class=\"school\">\n<tr><td class=\"num\">%d</td>"
                  "<td class=\"code\">",
                  l->seq);
        esc(sb, l->school);
        sb_puts(sb, "</td><td>");
        esc(sb, l->name);
        sb_puts(sb, "</td><td>");
        esc(sb, *l->category_title ? l->category_title : l->category);
        sb_printf(sb, "</td><td class=\"st st-%s\">",
                  strcmp(l->status, "listed") == 0              ? "listed"
                  : strcmp(l->status, "insufficient_data") == 0 ? "insufficient_data"
                                                                : "excluded");
        esc(sb, human_listing_status(l->status, l->override));
        sb_puts(sb, "</td><td class=\"crit\">");
        for (const char *p = l->criteria; *p; p++) {
            if (*p == ';') {
                sb_puts(sb, ", ");
            } else {
                char c[2] = {*p, '\0'};
                esc(sb, c);
            }
        }
        sb_puts(sb, "</td></tr>\n");
        sb_reset(&why);
        report_reasons(&why, l->explanation);
        if (why.len || *l->override) {
            sb_puts(sb,
                    "<tr class=\"why\"><td></td><td colspan=\"5\"><ul class=\"why\">");
            for (const char *p = why.data ? why.data : ""; *p;) {
                size_t n = strcspn(p, "\n");
                strbuf one = STRBUF_INIT;
                sb_append(&one, p, n);
                sb_puts(sb, "<li>");
                esc(sb, one.data);
                sb_puts(sb, "</li>");
                sb_free(&one);
                p += n + (p[n] == '\n');
            }
            sb_puts(sb, "</ul>");
            /* the explanation says a person's decision first; a run kept
               without it in its explanation still shows it */
            if (*l->override && !strstr(why.data ? why.data : "", l->override)) {
                sb_puts(sb, "<div class=\"note\">");
                esc(sb, l->override);
                sb_puts(sb, "</div>");
            }
            sb_puts(sb, "</td></tr>\n");
        }
        sb_puts(sb, "</tbody>\n");
    }
    sb_free(&why);
    sb_puts(sb, "</table>\n");
}

/* The targets' ids in the order first stored, each with its rows. */
typedef struct {
    size_t *rows;  /* ntargets indices, grouped by target */
    size_t *start; /* group g is rows[start[g] .. start[g + 1]) */
    size_t ngroups;
} groups;

static int group_targets(const report_run *rr, groups *g)
{
    g->rows = malloc((rr->ntargets + 1) * sizeof *g->rows);
    g->start = malloc((rr->ntargets + 1) * sizeof *g->start);
    g->ngroups = 0;
    if (!g->rows || !g->start) {
        return -1;
    }
    unsigned char *done = calloc(rr->ntargets + 1, 1);
    if (!done) {
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < rr->ntargets; i++) {
        if (done[i]) {
            continue;
        }
        g->start[g->ngroups++] = k;
        for (size_t j = i; j < rr->ntargets; j++) {
            if (!done[j] && strcmp(rr->targets[j].target, rr->targets[i].target) == 0) {
                g->rows[k++] = j;
                done[j] = 1;
            }
        }
    }
    g->start[g->ngroups] = k;
    free(done);
    return 0;
}

/* A value as text (human_value's), with its period; "—" when there is none
   and none was owed. */
static void value_cell(strbuf *sb, double v, const char *text, const char *period, int owed)
{
    sb_puts(sb, "<td class=\"num\">");
    if (!isnan(v) || owed) {
        esc(sb, text);
        if (period && *period) {
            sb_puts(sb, " <span class=\"meaning per\">("); /* «(2022-H2)» on one line */
            esc(sb, period);
            sb_puts(sb, ")</span>");
        }
    } else {
        sb_puts(sb, "—");
    }
    sb_puts(sb, "</td>");
}

static void target_head(strbuf *sb, const report *rep, const store_run_target_row *t,
                        int colspan)
{
    const indicator *ind = report_indicator(rep, t->indicator);
    sb_printf(sb, "<tr class=\"target-head\"><th colspan=\"%d\"><b>", colspan);
    esc(sb, t->target);
    sb_puts(sb, "</b> — ");
    esc(sb, t->title);
    sb_puts(sb, "<br><span class=\"meaning\">");
    esc(sb, t->meaning);
    if (*t->indicator) {
        sb_puts(sb, "; показатель: ");
        esc(sb, ind ? ind->title : t->indicator);
        sb_puts(sb, " (");
        esc(sb, t->indicator);
        sb_puts(sb, ")");
    }
    sb_puts(sb, "</span></th></tr>\n");
}

static void targets(strbuf *sb, const report *rep, const report_run *rr, const groups *g)
{
    sb_puts(sb, "<h2>Целевые показатели</h2>\n");
    if (!rr->ntargets) {
        sb_puts(sb, "<p class=\"empty\">Целевые показатели в пакете не заданы.</p>\n");
        return;
    }
    sb_puts(sb,
            "<table class=\"targets\">\n<colgroup><col style=\"width:21%\">"
            "<col style=\"width:10%\"><col style=\"width:13%\"><col style=\"width:9%\">"
            "<col style=\"width:11%\"><col style=\"width:16%\"><col style=\"width:20%\">"
            "</colgroup>\n<thead><tr><th>Охват</th><th>Период</th>"
            "<th class=\"num\">База</th><th class=\"num\">Факт</th>"
            "<th class=\"num\">Порог</th><th>Статус</th><th>Примечание</th></tr>"
            "</thead>\n");
    for (size_t k = 0; k < g->ngroups; k++) {
        sb_puts(sb, "<tbody>\n");
        target_head(sb, rep, &rr->targets[g->rows[g->start[k]]], 7);
        for (size_t j = g->start[k]; j < g->start[k + 1]; j++) {
            const store_run_target_row *t = &rr->targets[g->rows[j]];
            int unit = report_target_unit(t);
            const char *scope = report_scope_title(rr, t->scope);
            sb_puts(sb, "<tr><td class=\"scope\">");
            esc(sb, scope);
            sb_puts(sb, "</td><td class=\"code\">");
            esc(sb, t->period);
            sb_puts(sb, "</td>");
            /* the actual and the threshold with the digits that tell them
               apart, as in show-run's table */
            char base_text[64], actual_text[64], threshold_text[64];
            human_value(unit, t->baseline, base_text, sizeof base_text);
            human_values_apart(unit, t->actual, t->threshold, actual_text, threshold_text,
                               sizeof actual_text);
            value_cell(sb, t->baseline, base_text, t->baseline_period,
                       *t->baseline_period != '\0');
            value_cell(sb, t->actual, actual_text, NULL, 1);
            sb_puts(sb, "<td class=\"num\">");
            if (!isnan(t->threshold)) {
                esc(sb, strcmp(t->comparison, "<=") == 0   ? "≤ "
                        : strcmp(t->comparison, ">=") == 0 ? "≥ "
                        : strcmp(t->comparison, ">") == 0  ? "> "
                        : strcmp(t->comparison, "<") == 0  ? "< "
                                                           : "");
                esc(sb, threshold_text);
            } else {
                sb_puts(sb, "—");
            }
            sb_printf(sb, "</td><td class=\"st st-%s\">",
                      strcmp(t->status, "met") == 0       ? "met"
                      : strcmp(t->status, "not_met") == 0 ? "not_met"
                                                          : "insufficient_data");
            esc(sb, human_status(t->status));
            sb_puts(sb, "</td><td class=\"note\">");
            if (*t->reason) {
                sb_puts(sb, "недостаточно данных: ");
                esc(sb, t->reason);
                if (*t->method) {
                    sb_puts(sb, "<br>");
                }
            }
            esc(sb, t->method);
            sb_puts(sb, "</td></tr>\n");
        }
        sb_puts(sb, "</tbody>\n");
    }
    sb_puts(sb, "</table>\n");
}

static void charts(strbuf *sb, const report_run *rr, const groups *g)
{
    if (!g->ngroups) {
        return;
    }
    sb_puts(sb, "<h2>Графики целевых показателей</h2>\n");
    for (size_t k = 0; k < g->ngroups; k++) {
        const store_run_target_row *t = &rr->targets[g->rows[g->start[k]]];
        sb_puts(sb, "<figure class=\"chart\">\n<figcaption><b>");
        esc(sb, t->target);
        sb_puts(sb, "</b> — ");
        esc(sb, t->title);
        sb_puts(sb, "<br><span class=\"meaning\">");
        esc(sb, t->meaning);
        sb_puts(sb, "</span></figcaption>\n");
        report_svg_chart(sb, rr, g->rows + g->start[k], g->start[k + 1] - g->start[k]);
        sb_puts(sb, "</figure>\n");
    }
}

int report_write_html(const report *r, strbuf *out)
{
    sb_puts(out,
            "<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>");
    if (r->nruns == 1) {
        esc(out, r->runs[0].run.title);
        sb_printf(out, " — запуск #%lld", (long long)r->runs[0].run.id);
    } else {
        sb_puts(out, "Отчёт по запускам shnor");
    }
    sb_puts(out, "</title>\n<style>\n");
    sb_puts(out, style);
    sb_puts(out, "</style>\n</head>\n<body>\n");
    int rc = 0;
    for (size_t k = 0; k < r->nruns && rc == 0; k++) {
        const report_run *rr = &r->runs[k];
        groups g = {0};
        if (group_targets(rr, &g) != 0) {
            rc = -1;
        } else {
            sb_printf(out, "<section class=\"run\" id=\"run-%lld\">\n",
                      (long long)rr->run.id);
            head(out, rr);
            listing(out, rr);
            targets(out, r, rr, &g);
            charts(out, rr, &g);
            sb_puts(out, "</section>\n");
        }
        free(g.rows);
        free(g.start);
    }
    sb_puts(out, "</body>\n</html>\n");
    return rc == 0 && !sb_failed(out) ? 0 : -1;
}
