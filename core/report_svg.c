/*
 * report_svg.c — the chart of one target as inline SVG for the HTML report
 * (see report.h).
 *
 * A horizontal band per target row (a school or a category, at a
 * checkpoint): the baseline as a thin grey bar, the actual value as a thicker
 * bar coloured by the row's status, the threshold as a dark tick across the
 * band, each labelled in the indicator's unit. All bands share one axis from
 * a round lower end (0, or below the lowest negative value) to a round upper
 * end above every value shown, gridded at round steps.
 *
 * The marks carry what they show: class "mark baseline|actual|threshold",
 * data-row (the band), data-value (the number in its shortest exact form);
 * the <svg> carries data-min, data-max, data-x0, data-x1, so a value v is
 * drawn at x0 + (v - min) / (max - min) * (x1 - x0). Coordinates are printed
 * with two decimals, without the locale.
 */
#include <math.h>
#include <string.h>

#include "humanfmt.h"
#include "numfmt.h"
#include "report.h"

/* Geometry, in SVG user units (CSS pixels: 680 is about 180 mm). */
#define LABEL_X     172.0 /* labels end here */
#define PLOT_X0     180.0
#define PLOT_X1     560.0
#define NOTE_X      572.0 /* the threshold's text */
#define TOP         30.0
#define BAND        36.0 /* a band's height with one or two lines of label */
#define LINE        12.0 /* a label line */
#define LABEL_CHARS 23   /* of 10.5px DejaVu Sans in 172 units */
#define AXIS_H      28.0

static void coord(strbuf *sb, double v)
{
    char buf[NUM_BUFSZ];
    num_format_fixed(v, 2, '.', buf);
    sb_puts(sb, buf);
}

static void exact(strbuf *sb, double v)
{
    char buf[NUM_BUFSZ];
    num_format(v, buf);
    sb_puts(sb, buf);
}

/* The round step (1, 2, 2.5 or 5 times a power of ten) nearest above span/5. */
static double nice_step(double span)
{
    double raw = span / 5;
    double mag = pow(10, floor(log10(raw)));
    double norm = raw / mag;
    double step = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10;
    return step * mag;
}

/* A tick's label in the unit: shares and percents as "25%", others plain. */
static void tick_label(strbuf *sb, int unit, double v)
{
    char buf[64];
    if (unit == UNIT_SHARE || unit == UNIT_PERCENT) {
        if (unit == UNIT_SHARE) {
            human_percent_of(v, 2, buf, sizeof buf);
        } else {
            human_number(v, 2, buf, sizeof buf);
        }
        sb_printf(sb, "%s%%", buf);
    } else if (unit == UNIT_FLAG) {
        sb_puts(sb, v == 0 ? "нет" : v == 1 ? "да" : "");
    } else {
        human_number(v, 3, buf, sizeof buf);
        sb_puts(sb, buf);
    }
}

static const char *comparison_sign(const char *c)
{
    return strcmp(c, "<=") == 0 ? "≤" : strcmp(c, ">=") == 0 ? "≥" : *c ? c : "";
}

/*
 * Splits a label into at most two lines of about LABEL_CHARS characters, at
 * spaces; the second ends in "…" when the text is longer. Returns the number
 * of lines; line k is s[start[k] .. start[k] + len[k]).
 */
static int label_lines(const char *s, size_t start[2], size_t len[2], int *cut)
{
    size_t i = 0;
    int k = 0;
    *cut = 0;
    while (s[i] == ' ') {
        i++;
    }
    for (; k < 2 && s[i]; k++) {
        size_t j = i, chars = 0, brk = 0;
        while (s[j] && chars < LABEL_CHARS) {
            if (s[j] == ' ') {
                brk = j;
            }
            j++;
            while (((unsigned char)s[j] & 0xC0) == 0x80) {
                j++;
            }
            chars++;
        }
        if (s[j] && s[j] != ' ' && brk > i && k == 0) {
            j = brk; /* break the first line between words */
        }
        start[k] = i;
        len[k] = j - i;
        i = j;
        while (s[i] == ' ') {
            i++;
        }
    }
    *cut = s[i] != '\0';
    return k ? k : 1;
}

static void label_text(strbuf *sb, const char *s, size_t n, int ellipsis)
{
    strbuf part = STRBUF_INIT;
    sb_append(&part, s, n);
    report_escape(sb, part.data);
    sb_free(&part);
    if (ellipsis) {
        sb_puts(sb, "…");
    }
}

typedef struct {
    double lo, hi;
} axis;

static double xpos(const axis *a, double v)
{
    return PLOT_X0 + (v - a->lo) / (a->hi - a->lo) * (PLOT_X1 - PLOT_X0);
}

static axis make_axis(const report_run *rr, const size_t *rows, size_t n, int unit)
{
    double lo = 0, hi = 0;
    for (size_t i = 0; i < n; i++) {
        const store_run_target_row *t = &rr->targets[rows[i]];
        const double v[] = {t->baseline, t->actual, t->threshold};
        for (int k = 0; k < 3; k++) {
            if (!isnan(v[k])) {
                lo = v[k] < lo ? v[k] : lo;
                hi = v[k] > hi ? v[k] : hi;
            }
        }
    }
    if (hi - lo <= 0) {
        hi = lo + (unit == UNIT_PERCENT ? 100 : 1);
    }
    double step = nice_step(hi - lo);
    axis a = {floor(lo / step + 1e-9) * step, ceil(hi / step - 1e-9) * step};
    if (a.hi - hi < step / 2) {
        /* Room after the largest value for its label. */
        a.hi += step;
    }
    return a;
}

/* A bar from 0 to v in band i at y, height h, labelled with text after its
   end (and after the threshold's tick at x = tick when that is just there). */
static void bar(strbuf *sb, const axis *a, size_t i, const char *cls, double v, double y,
                double h, const char *text, double tick)
{
    double x0 = xpos(a, a->lo > 0 ? a->lo : 0), xv = xpos(a, v);
    double left = xv < x0 ? xv : x0, w = fabs(xv - x0);
    sb_printf(sb, "<rect class=\"mark %s\" data-row=\"%zu\" data-value=\"", cls, i);
    exact(sb, v);
    sb_puts(sb, "\" x=\"");
    coord(sb, left);
    sb_puts(sb, "\" y=\"");
    coord(sb, y);
    sb_puts(sb, "\" width=\"");
    coord(sb, w);
    sb_puts(sb, "\" height=\"");
    coord(sb, h);
    sb_puts(sb, "\"/>\n");
    double lx = xv > x0 ? xv : x0;
    if (!isnan(tick) && tick >= lx - 4 && tick < lx + 34) {
        lx = tick + 1;
    }
    sb_puts(sb, "<text class=\"val\" x=\"");
    coord(sb, lx + 4);
    sb_puts(sb, "\" y=\"");
    coord(sb, y + h - 1.5);
    sb_puts(sb, "\">");
    report_escape(sb, text);
    sb_puts(sb, "</text>\n");
}

/* The height of band i: its label's lines, at least BAND. */
static double band_height(const report_run *rr, const store_run_target_row *t,
                          int periods)
{
    size_t start[2], len[2];
    int cut;
    int lines = label_lines(report_scope_title(rr, t->scope), start, len, &cut) + periods;
    double h = LINE * lines + 12;
    return h > BAND ? h : BAND;
}

static void band(strbuf *sb, const report_run *rr, const axis *a, size_t i,
                 const store_run_target_row *t, int unit, int periods, double y, double h)
{
    const char *status = strcmp(t->status, "met") == 0       ? "met"
                         : strcmp(t->status, "not_met") == 0 ? "not_met"
                                                             : "insufficient";
    sb_printf(sb, "<g class=\"band %s\">\n", status);
    size_t start[2], len[2];
    int cut;
    const char *scope = report_scope_title(rr, t->scope);
    int lines = label_lines(scope, start, len, &cut);
    double ly = y + 4 + LINE;
    for (int k = 0; k < lines; k++, ly += LINE) {
        sb_puts(sb, "<text class=\"label\" x=\"");
        coord(sb, LABEL_X);
        sb_puts(sb, "\" y=\"");
        coord(sb, ly);
        sb_puts(sb, "\">");
        label_text(sb, scope + start[k], len[k], cut && k == lines - 1);
        sb_puts(sb, "</text>\n");
    }
    if (periods) {
        sb_puts(sb, "<text class=\"label period\" x=\"");
        coord(sb, LABEL_X);
        sb_puts(sb, "\" y=\"");
        coord(sb, ly);
        sb_puts(sb, "\">");
        report_escape(sb, t->period);
        sb_puts(sb, "</text>\n");
    }
    double tick = isnan(t->threshold) ? NAN : xpos(a, t->threshold);
    /* the actual and the threshold with the digits that tell them apart, as
       in the tables: 5,80% against 5,76%, not 5,8% against 5,8% */
    char base_text[64], actual_text[64], threshold_text[64];
    human_value(unit, t->baseline, base_text, sizeof base_text);
    human_values_apart(unit, t->actual, t->threshold, actual_text, threshold_text,
                       sizeof actual_text);
    if (!isnan(t->baseline)) {
        bar(sb, a, i, "baseline", t->baseline, y + 4, 9, base_text, tick);
    }
    if (!isnan(t->actual)) {
        char cls[32];
        snprintf(cls, sizeof cls, "actual %s", status);
        bar(sb, a, i, cls, t->actual, y + 16, 14, actual_text, tick);
    } else {
        sb_puts(sb, "<text class=\"nodata\" x=\"");
        coord(sb, PLOT_X0 + 4);
        sb_puts(sb, "\" y=\"");
        coord(sb, y + 27);
        sb_puts(sb, "\">нет данных</text>\n");
    }
    if (!isnan(t->threshold)) {
        sb_printf(sb, "<line class=\"mark threshold\" data-row=\"%zu\" data-value=\"", i);
        exact(sb, t->threshold);
        sb_puts(sb, "\" x1=\"");
        coord(sb, tick);
        sb_puts(sb, "\" y1=\"");
        coord(sb, y + 1);
        sb_puts(sb, "\" x2=\"");
        coord(sb, tick);
        sb_puts(sb, "\" y2=\"");
        coord(sb, y + 33);
        sb_puts(sb, "\"/>\n<text class=\"note\" x=\"");
        coord(sb, NOTE_X);
        sb_puts(sb, "\" y=\"");
        coord(sb, y + 20);
        sb_printf(sb, "\">порог %s ", comparison_sign(t->comparison));
        report_escape(sb, threshold_text);
        sb_puts(sb, "</text>\n");
    }
    (void)h;
    sb_puts(sb, "</g>\n");
}

void report_svg_chart(strbuf *sb, const report_run *rr, const size_t *rows, size_t n)
{
    if (n == 0) {
        return;
    }
    const store_run_target_row *t0 = &rr->targets[rows[0]];
    int unit = report_target_unit(t0);
    axis a = make_axis(rr, rows, n, unit);
    /* Show the period under the scope when the bands are of several. */
    int periods = 0;
    for (size_t i = 1; i < n && !periods; i++) {
        periods = strcmp(rr->targets[rows[i]].period, t0->period) != 0;
    }
    double bottom = TOP;
    for (size_t i = 0; i < n; i++) {
        bottom += band_height(rr, &rr->targets[rows[i]], periods);
    }
    double height = bottom + AXIS_H;

    sb_puts(sb, "<svg class=\"chart\" role=\"img\" width=\"680\" height=\"");
    coord(sb, height);
    sb_puts(sb, "\" viewBox=\"0 0 680 ");
    coord(sb, height);
    sb_puts(sb, "\" data-target=\"");
    report_escape(sb, t0->target);
    sb_puts(sb, "\" data-min=\"");
    exact(sb, a.lo);
    sb_puts(sb, "\" data-max=\"");
    exact(sb, a.hi);
    sb_puts(sb, "\" data-x0=\"");
    coord(sb, PLOT_X0);
    sb_puts(sb, "\" data-x1=\"");
    coord(sb, PLOT_X1);
    sb_puts(sb, "\">\n<title>");
    report_escape(sb, t0->title);
    sb_puts(sb, "</title>\n");

    /* Legend. */
    sb_puts(
        sb,
        "<g class=\"legend\">"
        "<rect class=\"key baseline\" x=\"180\" y=\"6\" width=\"14\" height=\"8\"/>"
        "<text x=\"198\" y=\"14\">база</text>"
        "<rect class=\"key met\" x=\"242\" y=\"4\" width=\"14\" height=\"12\"/>"
        "<text x=\"260\" y=\"14\">факт: выполнено</text>"
        "<rect class=\"key not_met\" x=\"370\" y=\"4\" width=\"14\" height=\"12\"/>"
        "<text x=\"388\" y=\"14\">не выполнено</text>"
        "<line class=\"key threshold\" x1=\"486\" y1=\"2\" x2=\"486\" y2=\"18\"/>"
        "<text x=\"492\" y=\"14\">порог</text>"
        "<rect class=\"key insufficient\" x=\"540\" y=\"4\" width=\"14\" height=\"12\"/>"
        "<text x=\"558\" y=\"14\">нельзя оценить</text></g>\n");

    /* Grid and axis. */
    double step = nice_step(a.hi - a.lo);
    sb_puts(sb, "<g class=\"axis\">\n");
    for (int k = 0;; k++) {
        double v = a.lo + step * k;
        if (v > a.hi + step / 1e6) {
            break;
        }
        double x = xpos(&a, v);
        sb_puts(sb, "<line class=\"grid\" x1=\"");
        coord(sb, x);
        sb_puts(sb, "\" y1=\"");
        coord(sb, TOP - 4);
        sb_puts(sb, "\" x2=\"");
        coord(sb, x);
        sb_puts(sb, "\" y2=\"");
        coord(sb, bottom);
        sb_puts(sb, "\"/><text class=\"tick\" x=\"");
        coord(sb, x);
        sb_puts(sb, "\" y=\"");
        coord(sb, bottom + 14);
        sb_puts(sb, "\">");
        tick_label(sb, unit, fabs(v) < step / 1e6 ? 0 : v);
        sb_puts(sb, "</text>\n");
    }
    sb_puts(sb, "</g>\n");

    double y = TOP;
    for (size_t i = 0; i < n; i++) {
        const store_run_target_row *t = &rr->targets[rows[i]];
        double h = band_height(rr, t, periods);
        band(sb, rr, &a, i, t, unit, periods, y, h);
        y += h;
    }
    sb_puts(sb, "</svg>\n");
}
