/*
 * export.c — indicators, schools and values out of the database as CSV or
 * JSON, in exactly the form the importer reads back: importing an export into
 * an empty database reproduces the same data. Numbers print in their shortest
 * round-trip form, so no value changes on the way.
 *
 * The table format is for people instead: aligned columns (table.h), values
 * in their indicator's unit (shares as percents, decimal comma), a school's
 * free attributes under its row. It is not meant to be imported.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "humanfmt.h"
#include "json.h"
#include "numfmt.h"
#include "store.h"
#include "table.h"

typedef struct {
    FILE *out;
    shnor_format format;
    strbuf sb;
    json_writer jw;
    long rows;
    int failed;
    /* schools: the attribute columns, in header order */
    char **attr_names;
    size_t nattrs;
    /* the table format: the table, and the indicators (by code) for units */
    table *t;
    indicator *inds;
    size_t ninds;
} export_ctx;

/* Writes what has accumulated in sb once it is large, or at the end. */
static void flush(export_ctx *x, int force)
{
    if (x->sb.len && (force || x->sb.len > (1 << 16))) {
        if (fwrite(x->sb.data, 1, x->sb.len, x->out) != x->sb.len) {
            x->failed = 1;
        }
        sb_reset(&x->sb);
    }
}

static void csv_row(export_ctx *x, const char *const *cells, size_t n)
{
    csv_put_cells(&x->sb, cells, n);
    sb_putc(&x->sb, '\n');
}

static void begin(export_ctx *x, const char *const *header, size_t n)
{
    if (x->format == SHNOR_FORMAT_TABLE) {
        x->t = table_new(n);
        if (!x->t || table_header(x->t, header) != 0) {
            x->failed = 1;
        }
    } else if (x->format == SHNOR_FORMAT_JSON) {
        jw_init(&x->jw, &x->sb, 1);
        jw_arr_begin(&x->jw);
    } else {
        csv_row(x, header, n);
    }
}

static void end(export_ctx *x)
{
    if (x->format == SHNOR_FORMAT_TABLE) {
        if (!x->t || table_print(x->t, x->out, table_term_width(x->out), 0) != 0) {
            x->failed = 1;
        }
        table_free(x->t);
        x->t = NULL;
    } else if (x->format == SHNOR_FORMAT_JSON) {
        jw_arr_end(&x->jw);
        sb_putc(&x->sb, '\n');
    }
    flush(x, 1);
}

/* A row of the table format (cells copied); a failure is kept for the end. */
static void table_cells(export_ctx *x, const char *const *cells)
{
    if (x->t && table_row(x->t, cells) != 0) {
        x->failed = 1;
    }
}

static void fmt_opt(double v, char buf[NUM_BUFSZ])
{
    if (isnan(v)) {
        buf[0] = '\0';
    } else {
        num_format(v, buf);
    }
}

static int export_indicators(shnor *db, export_ctx *x)
{
    static const char *const header[] = {"code", "title", "unit", "better", "min", "max"};
    static const char *const people[] = {"Код",   "Наименование", "Единица",
                                         "Лучше", "Мин.",         "Макс."};
    indicator *inds;
    size_t n;
    int status = store_indicators_load(db, &inds, &n);
    if (status != SHNOR_OK) {
        return status;
    }
    begin(x, x->format == SHNOR_FORMAT_TABLE ? people : header, 6);
    for (size_t i = 0; i < n; i++) {
        char lo[NUM_BUFSZ], hi[NUM_BUFSZ];
        fmt_opt(inds[i].min, lo);
        fmt_opt(inds[i].max, hi);
        if (x->format == SHNOR_FORMAT_TABLE) {
            char hlo[64] = "", hhi[64] = "";
            if (!isnan(inds[i].min)) {
                human_value(inds[i].unit, inds[i].min, hlo, sizeof hlo);
            }
            if (!isnan(inds[i].max)) {
                human_value(inds[i].unit, inds[i].max, hhi, sizeof hhi);
            }
            const char *cells[] = {inds[i].code, inds[i].title, unit_name(inds[i].unit),
                                   better_name(inds[i].better), hlo, hhi};
            table_cells(x, cells);
        } else if (x->format == SHNOR_FORMAT_JSON) {
            jw_obj_begin(&x->jw);
            jw_kstr(&x->jw, "code", inds[i].code);
            jw_kstr(&x->jw, "title", inds[i].title);
            jw_kstr(&x->jw, "unit", unit_name(inds[i].unit));
            jw_kstr(&x->jw, "better", better_name(inds[i].better));
            jw_knum(&x->jw, "min", inds[i].min);
            jw_knum(&x->jw, "max", inds[i].max);
            jw_obj_end(&x->jw);
        } else {
            const char *cells[] = {inds[i].code, inds[i].title, unit_name(inds[i].unit),
                                   better_name(inds[i].better), lo, hi};
            csv_row(x, cells, 6);
        }
        x->rows++;
        flush(x, 0);
    }
    end(x);
    indicators_free(inds, n);
    return SHNOR_OK;
}

static int school_row(void *arg, const store_school_row *r)
{
    export_ctx *x = arg;
    if (x->format == SHNOR_FORMAT_TABLE) {
        const char *cells[] = {r->code, r->name, r->territory, r->region, r->kind,
                               r->settlement};
        table_cells(x, cells);
        if (r->nattrs && x->t) {
            strbuf sb = STRBUF_INIT;
            for (size_t i = 0; i < r->nattrs; i++) {
                sb_printf(&sb, "%s%s = %s", i ? "; " : "", r->attr_names[i], r->attr_values[i]);
            }
            if (sb_failed(&sb) || table_note(x->t, sb.data) != 0) {
                x->failed = 1;
            }
            sb_free(&sb);
        }
    } else if (x->format == SHNOR_FORMAT_JSON) {
        jw_obj_begin(&x->jw);
        jw_kstr(&x->jw, "code", r->code);
        jw_kstr(&x->jw, "name", r->name);
        jw_kstr(&x->jw, "territory", r->territory);
        jw_kstr(&x->jw, "region", *r->region ? r->region : NULL);
        jw_kstr(&x->jw, "kind", *r->kind ? r->kind : NULL);
        jw_kstr(&x->jw, "settlement", *r->settlement ? r->settlement : NULL);
        jw_key(&x->jw, "attributes");
        jw_obj_begin(&x->jw);
        for (size_t i = 0; i < r->nattrs; i++) {
            jw_kstr(&x->jw, r->attr_names[i], r->attr_values[i]);
        }
        jw_obj_end(&x->jw);
        jw_obj_end(&x->jw);
    } else {
        const char *cells[6] = {r->code, r->name, r->territory, r->region, r->kind,
                                r->settlement};
        csv_put_cells(&x->sb, cells, 6);
        /* Both lists are sorted by name: merge them. */
        size_t j = 0;
        for (size_t k = 0; k < x->nattrs; k++) {
            sb_putc(&x->sb, ',');
            if (j < r->nattrs && strcmp(r->attr_names[j], x->attr_names[k]) == 0) {
                csv_put_field(&x->sb, r->attr_values[j], strlen(r->attr_values[j]), ',');
                j++;
            }
        }
        sb_putc(&x->sb, '\n');
    }
    x->rows++;
    flush(x, 0);
    return x->failed;
}

static int export_schools(shnor *db, export_ctx *x)
{
    int status = store_attr_names(db, &x->attr_names, &x->nattrs);
    if (status != SHNOR_OK) {
        return status;
    }
    const char **header = calloc(6 + x->nattrs, sizeof *header);
    if (!header) {
        return shnor_seterr(db, SHNOR_NOMEM, "out of memory");
    }
    static const char *const fixed[] = {"code", "name", "territory", "region", "kind",
                                        "settlement"};
    static const char *const people[] = {"Код", "Наименование", "Территория",
                                         "Регион", "Тип", "Населённый пункт"};
    for (size_t i = 0; i < 6; i++) {
        header[i] = x->format == SHNOR_FORMAT_TABLE ? people[i] : fixed[i];
    }
    for (size_t i = 0; i < x->nattrs; i++) {
        header[6 + i] = x->attr_names[i];
    }
    /* The table shows the attributes under each school, not as columns. */
    begin(x, header, x->format == SHNOR_FORMAT_TABLE ? 6 : 6 + x->nattrs);
    free(header);
    status = store_school_rows(db, school_row, x);
    end(x);
    return status;
}

static int value_row(void *arg, const char *school, const char *ind, const char *period,
                     double value)
{
    export_ctx *x = arg;
    char num[NUM_BUFSZ];
    if (x->format == SHNOR_FORMAT_TABLE) {
        /* The indicators are ordered by code: find this one's unit. */
        size_t lo = 0, hi = x->ninds;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(x->inds[mid].code, ind) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int unit = lo < x->ninds && strcmp(x->inds[lo].code, ind) == 0 ? x->inds[lo].unit : 0;
        char shown[64];
        human_value(unit, value, shown, sizeof shown);
        const char *cells[] = {school, ind, period, shown};
        table_cells(x, cells);
    } else if (x->format == SHNOR_FORMAT_JSON) {
        jw_obj_begin(&x->jw);
        jw_kstr(&x->jw, "school", school);
        jw_kstr(&x->jw, "indicator", ind);
        jw_kstr(&x->jw, "period", period);
        jw_knum(&x->jw, "value", value);
        jw_obj_end(&x->jw);
    } else {
        num_format(value, num);
        const char *cells[] = {school, ind, period, num};
        csv_row(x, cells, 4);
    }
    x->rows++;
    flush(x, 0);
    return x->failed;
}

static int export_values(shnor *db, export_ctx *x)
{
    static const char *const header[] = {"school", "indicator", "period", "value"};
    static const char *const people[] = {"Школа", "Показатель", "Период", "Значение"};
    if (x->format == SHNOR_FORMAT_TABLE) {
        int status = store_indicators_load(db, &x->inds, &x->ninds);
        if (status != SHNOR_OK) {
            return status;
        }
    }
    begin(x, x->format == SHNOR_FORMAT_TABLE ? people : header, 4);
    if (x->t) {
        table_align(x->t, 3, TABLE_RIGHT);
    }
    int status = store_obs_each(db, value_row, x);
    end(x);
    return status;
}

int shnor_export(shnor *db, shnor_export_kind kind, shnor_format format, FILE *out)
{
    export_ctx x;
    if (!db || !db->sql || !out) {
        return db ? shnor_seterr(db, SHNOR_MISUSE, "export: no database or no output")
                  : SHNOR_MISUSE;
    }
    memset(&x, 0, sizeof x);
    x.out = out;
    x.format = format == SHNOR_FORMAT_JSON || format == SHNOR_FORMAT_TABLE ? format
                                                                           : SHNOR_FORMAT_CSV;
    sb_init(&x.sb);
    int status;
    switch (kind) {
    case SHNOR_EXPORT_INDICATORS:
        status = export_indicators(db, &x);
        break;
    case SHNOR_EXPORT_SCHOOLS:
        status = export_schools(db, &x);
        break;
    case SHNOR_EXPORT_VALUES:
        status = export_values(db, &x);
        break;
    default:
        status = shnor_seterr(db, SHNOR_MISUSE, "export: unknown kind %d", (int)kind);
        break;
    }
    if (status == SHNOR_OK && (x.failed || sb_failed(&x.sb) || fflush(out) != 0)) {
        status = shnor_seterr(db, SHNOR_IO, "export: writing the output failed");
    }
    for (size_t i = 0; i < x.nattrs; i++) {
        free(x.attr_names[i]);
    }
    free(x.attr_names);
    table_free(x.t);
    indicators_free(x.inds, x.ninds);
    sb_free(&x.sb);
    if (status == SHNOR_OK) {
        shnor_clearerr(db);
    }
    return status;
}
