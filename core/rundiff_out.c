/*
 * rundiff_out.c — a comparison of two listings for people and scripts: the
 * table with counts per category and territory and a legend of the ids it
 * shows, CSV and JSON (see rundiff.h). rundiff.c makes the comparison.
 */
#include "rundiff.h"
#include "rundiffInt.h"

#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "humanfmt.h"
#include "json.h"
#include "strmap.h"
#include "table.h"

static const rd_school *row_school(const rd_row *r)
{
    return r->b ? r->b : r->a;
}

static const char *change_ru(int change)
{
    return change == RD_ENTERED       ? "вошла"
           : change == RD_LEFT        ? "вышла"
           : change == RD_STAYED      ? "осталась"
           : change == RD_INSUFFICIENT ? "нет данных"
                                      : "изменилась";
}

/* Counts of changes per key (a category or a territory). */
typedef struct {
    strmap *index;
    char **keys;
    long (*n)[RD_KINDS];
    size_t count;
} tally;

static int tally_add(tally *t, const char *key, int change)
{
    int added;
    int64_t *slot = strmap_put(t->index, key, strlen(key), &added);
    if (!slot) {
        return -1;
    }
    if (added) {
        char **nk = realloc(t->keys, (t->count + 1) * sizeof *nk);
        long(*nn)[RD_KINDS] = realloc(t->n, (t->count + 1) * sizeof *nn);
        if (nk) {
            t->keys = nk;
        }
        if (nn) {
            t->n = nn;
        }
        if (!nk || !nn || !(t->keys[t->count] = strdup(key))) {
            return -1;
        }
        memset(t->n[t->count], 0, sizeof t->n[t->count]);
        *slot = (int64_t)t->count++;
    }
    t->n[*slot][change]++;
    return 0;
}

static void tally_free(tally *t)
{
    for (size_t i = 0; i < t->count; i++) {
        free(t->keys[i]);
    }
    free(t->keys);
    free(t->n);
    strmap_free(t->index);
}

/* Keys in byte order, so that the counts do not follow whichever school code
   came first (a handful of categories and territories: insertion sort). The
   index is not used after this. */
static void tally_sort(tally *t)
{
    for (size_t i = 1; i < t->count; i++) {
        for (size_t j = i; j > 0 && strcmp(t->keys[j - 1], t->keys[j]) > 0; j--) {
            char *k = t->keys[j];
            t->keys[j] = t->keys[j - 1];
            t->keys[j - 1] = k;
            long n[RD_KINDS];
            memcpy(n, t->n[j], sizeof n);
            memcpy(t->n[j], t->n[j - 1], sizeof n);
            memcpy(t->n[j - 1], n, sizeof n);
        }
    }
}

/* Per category (a school counts in each category it was listed in on
   either side) and per territory. */
static int tallies(const rundiff *d, tally *cats, tally *terrs)
{
    cats->index = strmap_new();
    terrs->index = strmap_new();
    if (!cats->index || !terrs->index) {
        return -1;
    }
    for (size_t i = 0; i < d->nrows; i++) {
        const rd_row *r = &d->rows[i];
        if (tally_add(terrs, row_school(r)->territory, r->change) != 0) {
            return -1;
        }
        char *all = rd_set_union(r->a ? r->a->categories : "", r->b ? r->b->categories : "");
        if (!all) {
            return -1;
        }
        char *save = NULL;
        for (char *tok = strtok_r(all, ";", &save); tok;
             tok = strtok_r(NULL, ";", &save)) {
            int in_a = 0, in_b = 0;
            strbuf probe = STRBUF_INIT;
            rd_set_minus(tok, r->a ? r->a->categories : "", &probe, "");
            in_a = probe.len == 0;
            sb_reset(&probe);
            rd_set_minus(tok, r->b ? r->b->categories : "", &probe, "");
            in_b = probe.len == 0;
            sb_free(&probe);
            /* the side it is not listed in for tok may have lacked data there */
            const rd_school *other = in_a ? r->b : r->a;
            int ch = in_a && in_b ? RD_STAYED
                     : other && rd_member(other->insufficient, tok, strlen(tok))
                         ? RD_INSUFFICIENT
                     : in_b ? RD_ENTERED
                            : RD_LEFT;
            if (tally_add(cats, tok, ch) != 0) {
                free(all);
                return -1;
            }
        }
        free(all);
    }
    tally_sort(cats);
    tally_sort(terrs);
    return 0;
}

static void print_tally(FILE *out, const char *title, const tally *t)
{
    fprintf(out, "%s:\n", title);
    for (size_t i = 0; i < t->count; i++) {
        fprintf(out, "  %s: вошли %ld, вышли %ld, остались %ld", t->keys[i],
                t->n[i][RD_ENTERED], t->n[i][RD_LEFT], t->n[i][RD_STAYED]);
        if (t->n[i][RD_CHANGED]) {
            fprintf(out, ", изменились %ld", t->n[i][RD_CHANGED]);
        }
        if (t->n[i][RD_INSUFFICIENT]) {
            fprintf(out, ", без данных %ld", t->n[i][RD_INSUFFICIENT]);
        }
        fputc('\n', out);
    }
}

/* The ids the table shows (categories, cohorts) with their titles, in the
   order first met on side A, then B; an id named alike on both sides once. */
static void print_legend(FILE *out, const rundiff *d, int width)
{
    const rd_side *sides[2] = {d->a, d->b};
    strbuf sb = STRBUF_INIT;
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < sides[k]->ntitles; i++) {
            const char *id = sides[k]->title_of[2 * i], *title = sides[k]->title_of[2 * i + 1];
            int seen = 0;
            for (size_t j = 0; k == 1 && j < d->a->ntitles && !seen; j++) {
                seen = strcmp(d->a->title_of[2 * j], id) == 0 &&
                       strcmp(d->a->title_of[2 * j + 1], title) == 0;
            }
            if (!seen) {
                sb_printf(&sb, "%s%s — %s", sb.len ? "; " : "Обозначения: ", id, title);
            }
        }
    }
    if (sb.len) {
        sb_puts(&sb, ".");
        table_print_text(out, sb.data, width, 2);
    }
    sb_free(&sb);
}

static int write_table(const rundiff *d, FILE *out, int color, int width)
{
    static const char *const head[] = {"Код",  "Школа", "Изменение",
                                       "Было", "Стало", "Критерии"};
    table *t = table_new(6);
    if (!t || table_header(t, head) != 0) {
        table_free(t);
        return -1;
    }
    long count[RD_KINDS] = {0};
    for (size_t i = 0; i < d->nrows; i++) {
        const rd_row *r = &d->rows[i];
        strbuf was = STRBUF_INIT, now = STRBUF_INIT;
        if (r->a) {
            sb_printf(&was, "%s%s%s", r->a->categories, *r->a->cohort ? " / " : "",
                      r->a->cohort);
        }
        if (r->b) {
            sb_printf(&now, "%s%s%s", r->b->categories, *r->b->cohort ? " / " : "",
                      r->b->cohort);
        }
        if (r->change == RD_INSUFFICIENT) {
            /* each side's categories it could not decide, for want of data */
            if (*r->a->insufficient) {
                sb_printf(&was, "%s? %s", was.len ? " " : "", r->a->insufficient);
            }
            if (*r->b->insufficient) {
                sb_printf(&now, "%s? %s", now.len ? " " : "", r->b->insufficient);
            }
        }
        const rd_school *s = row_school(r);
        strbuf why = STRBUF_INIT;
        sb_puts(&why, r->criteria);
        if (*r->manual_a) {
            sb_printf(&why, "%sА: %s", why.len ? "; " : "", r->manual_a);
        }
        if (*r->manual_b) {
            sb_printf(&why, "%sБ: %s", why.len ? "; " : "", r->manual_b);
        }
        const char *cells[] = {s->school, s->name,  change_ru(r->change),
                               was.data,  now.data, why.data ? why.data : ""};
        table_row(t, cells);
        table_cell_style(t, 2,
                         r->change == RD_ENTERED ? TABLE_RED
                         : r->change == RD_LEFT  ? TABLE_GREEN
                                                 : TABLE_PLAIN);
        count[r->change]++;
        sb_free(&was);
        sb_free(&now);
        sb_free(&why);
    }
    int rc = table_print(t, out, width, color);
    table_free(t);
    /* the lines under the table wrap to the width as the table does */
    strbuf line = STRBUF_INIT;
    fputc('\n', out);
    sb_printf(&line, "А: %s", d->a->label ? d->a->label : "");
    table_print_text(out, line.data, width, 3);
    sb_reset(&line);
    sb_printf(&line, "Б: %s", d->b->label ? d->b->label : "");
    table_print_text(out, line.data, width, 3);
    sb_reset(&line);
    sb_printf(&line, "Вошли %ld, вышли %ld, остались %ld, сменили категорию %ld",
              count[RD_ENTERED], count[RD_LEFT], count[RD_STAYED], count[RD_CHANGED]);
    if (count[RD_INSUFFICIENT]) {
        sb_printf(&line, "; не решено за недостатком данных %ld (? категория)",
                  count[RD_INSUFFICIENT]);
    }
    sb_puts(&line, ".");
    table_print_text(out, line.data, width, 2);
    sb_free(&line);
    if (d->flips && d->nrows) {
        table_print_text(out, "Критерии: +id срабатывает только в Б, -id только в А.", width,
                         2);
    }
    print_legend(out, d, width);
    tally cats = {0}, terrs = {0};
    if (tallies(d, &cats, &terrs) == 0 && d->nrows) {
        print_tally(out, "По категориям", &cats);
        print_tally(out, "По территориям", &terrs);
    }
    tally_free(&cats);
    tally_free(&terrs);
    if (d->ntargets) {
        fprintf(out, "Цели с изменившимся статусом:\n");
        for (size_t i = 0; i < d->ntargets; i++) {
            const rd_target_change *c = &d->targets[i];
            const rd_target *x = c->a ? c->a : c->b;
            /* A target has a row per checkpoint: the period tells them apart. */
            fprintf(out, "  %s, %s, %s: %s → %s\n", x->target, x->scope, x->period,
                    c->a ? human_status(c->a->status) : "—",
                    c->b ? human_status(c->b->status) : "—");
        }
    }
    return rc == 0 && !ferror(out) ? 0 : -1;
}

static void csv_text(strbuf *sb, const char *s)
{
    csv_put_field(sb, s ? s : "", s ? strlen(s) : 0, ',');
}

static int write_csv(const rundiff *d, FILE *out)
{
    strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "school,change,category_a,category_b,criteria,cohort_a,cohort_b,name,"
                 "territory,insufficient_a,insufficient_b,override_a,override_b\n");
    for (size_t i = 0; i < d->nrows; i++) {
        const rd_row *r = &d->rows[i];
        const rd_school *s = row_school(r);
        csv_text(&sb, s->school);
        sb_printf(&sb, ",%s,", rundiff_change_name(r->change));
        csv_text(&sb, r->a ? r->a->categories : "");
        sb_putc(&sb, ',');
        csv_text(&sb, r->b ? r->b->categories : "");
        sb_putc(&sb, ',');
        csv_text(&sb, r->criteria);
        sb_putc(&sb, ',');
        csv_text(&sb, r->a ? r->a->cohort : "");
        sb_putc(&sb, ',');
        csv_text(&sb, r->b ? r->b->cohort : "");
        sb_putc(&sb, ',');
        csv_text(&sb, s->name);
        sb_putc(&sb, ',');
        csv_text(&sb, s->territory);
        sb_putc(&sb, ',');
        /* the categories each side lacked data for (an insufficient_data row's why) */
        csv_text(&sb, r->a ? r->a->insufficient : "");
        sb_putc(&sb, ',');
        csv_text(&sb, r->b ? r->b->insufficient : "");
        sb_putc(&sb, ',');
        /* a person's decisions, as each run kept them */
        csv_text(&sb, r->manual_a);
        sb_putc(&sb, ',');
        csv_text(&sb, r->manual_b);
        sb_putc(&sb, '\n');
    }
    int rc = !sb_failed(&sb) && fwrite(sb.data, 1, sb.len, out) == sb.len ? 0 : -1;
    sb_free(&sb);
    return rc;
}

static void json_tally(json_writer *w, const char *key, const tally *t)
{
    jw_key(w, key);
    jw_obj_begin(w);
    for (size_t i = 0; i < t->count; i++) {
        jw_key(w, t->keys[i]);
        jw_obj_begin(w);
        jw_kint(w, "entered", t->n[i][RD_ENTERED]);
        jw_kint(w, "left", t->n[i][RD_LEFT]);
        jw_kint(w, "stayed", t->n[i][RD_STAYED]);
        jw_kint(w, "changed", t->n[i][RD_CHANGED]);
        jw_kint(w, "insufficient_data", t->n[i][RD_INSUFFICIENT]);
        jw_obj_end(w);
    }
    jw_obj_end(w);
}

static int write_json(const rundiff *d, FILE *out)
{
    strbuf sb = STRBUF_INIT;
    json_writer w;
    jw_init(&w, &sb, 1);
    jw_obj_begin(&w);
    jw_kstr(&w, "a", d->a->label);
    jw_kstr(&w, "b", d->b->label);
    jw_key(&w, "schools");
    jw_arr_begin(&w);
    for (size_t i = 0; i < d->nrows; i++) {
        const rd_row *r = &d->rows[i];
        const rd_school *s = row_school(r);
        jw_obj_begin(&w);
        jw_kstr(&w, "school", s->school);
        jw_kstr(&w, "name", s->name);
        jw_kstr(&w, "territory", s->territory);
        jw_kstr(&w, "change", rundiff_change_name(r->change));
        jw_kstr(&w, "category_a", r->a ? r->a->categories : NULL);
        jw_kstr(&w, "category_b", r->b ? r->b->categories : NULL);
        jw_kstr(&w, "cohort_a", r->a && *r->a->cohort ? r->a->cohort : NULL);
        jw_kstr(&w, "cohort_b", r->b && *r->b->cohort ? r->b->cohort : NULL);
        jw_kids(&w, "criteria", r->criteria); /* a list, as in `list` and `show-run` */
        jw_kstr(&w, "insufficient_a", r->a && *r->a->insufficient ? r->a->insufficient : NULL);
        jw_kstr(&w, "insufficient_b", r->b && *r->b->insufficient ? r->b->insufficient : NULL);
        jw_kstr(&w, "override_a", *r->manual_a ? r->manual_a : NULL);
        jw_kstr(&w, "override_b", *r->manual_b ? r->manual_b : NULL);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    tally cats = {0}, terrs = {0};
    int ok = tallies(d, &cats, &terrs) == 0;
    if (ok) {
        json_tally(&w, "categories", &cats);
        json_tally(&w, "territories", &terrs);
    }
    tally_free(&cats);
    tally_free(&terrs);
    jw_key(&w, "targets");
    jw_arr_begin(&w);
    for (size_t i = 0; i < d->ntargets; i++) {
        const rd_target_change *c = &d->targets[i];
        const rd_target *x = c->a ? c->a : c->b;
        jw_obj_begin(&w);
        jw_kstr(&w, "target", x->target);
        jw_kstr(&w, "scope", x->scope);
        jw_kstr(&w, "period", x->period);
        jw_kstr(&w, "status_a", c->a ? c->a->status : NULL);
        jw_kstr(&w, "status_b", c->b ? c->b->status : NULL);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    sb_putc(&sb, '\n');
    int rc = ok && !sb_failed(&sb) && fwrite(sb.data, 1, sb.len, out) == sb.len ? 0 : -1;
    sb_free(&sb);
    return rc;
}

int rundiff_write(const rundiff *d, shnor_format format, FILE *out, int color, int width)
{
    switch (format) {
    case SHNOR_FORMAT_CSV:
        return write_csv(d, out);
    case SHNOR_FORMAT_JSON:
        return write_json(d, out);
    default:
        return write_table(d, out, color, width);
    }
}
