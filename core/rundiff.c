/*
 * rundiff.c — comparing two listings school by school (see rundiff.h);
 * rundiff_out.c writes the comparison.
 */
#include "rundiff.h"
#include "rundiffInt.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "strmap.h"

/* The items of a ';'-joined set plus those of add, unique: sorted, or in
   the order first met (criteria, in the pack's order as `list` gives them). */
static char *set_union(const char *set, const char *add, int sorted)
{
    size_t cap = 8, n = 0;
    char **items = malloc(cap * sizeof *items);
    char *all = NULL;
    strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%s;%s", set ? set : "", add ? add : "");
    if (!items || !sb.data) {
        goto done;
    }
    char *save = NULL;
    for (char *tok = strtok_r(sb.data, ";", &save); tok;
         tok = strtok_r(NULL, ";", &save)) {
        int seen = 0;
        for (size_t i = 0; i < n && !seen; i++) {
            seen = strcmp(items[i], tok) == 0;
        }
        if (seen) {
            continue;
        }
        if (n == cap) {
            char **ni = realloc(items, 2 * cap * sizeof *ni);
            if (!ni) {
                goto done;
            }
            items = ni;
            cap *= 2;
        }
        size_t k = n++;
        while (sorted && k > 0 && strcmp(items[k - 1], tok) > 0) {
            items[k] = items[k - 1];
            k--;
        }
        items[k] = tok;
    }
    strbuf out = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        sb_printf(&out, "%s%s", i ? ";" : "", items[i]);
    }
    all = out.data ? sb_detach(&out) : strdup("");
done:
    free(items);
    sb_free(&sb);
    return all;
}

char *rd_set_union(const char *set, const char *add)
{
    return set_union(set, add, 1);
}

/* Is tok[0..n) a member of the ';'-joined set? */
int rd_member(const char *set, const char *tok, size_t n)
{
    const char *p = set ? set : "";
    while (*p) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, tok, n) == 0) {
            return 1;
        }
        p += len + (end ? 1 : 0);
    }
    return 0;
}

/* Items of x not in y, ';'-joined, each prefixed with prefix. */
void rd_set_minus(const char *x, const char *y, strbuf *out, const char *prefix)
{
    char *copy = strdup(x ? x : "");
    if (!copy) {
        return;
    }
    char *save = NULL;
    for (char *tok = strtok_r(copy, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
        if (!rd_member(y, tok, strlen(tok))) {
            sb_printf(out, "%s%s%s", out->len ? ";" : "", prefix, tok);
        }
    }
    free(copy);
}

/* Do the ';'-joined sets x and y have a member in common? */
static int shares(const char *x, const char *y)
{
    const char *p = y ? y : "";
    while (*p) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len && rd_member(x, p, len)) {
            return 1;
        }
        p += len + (end ? 1 : 0);
    }
    return 0;
}

static void school_free(rd_school *r)
{
    free(r->school);
    free(r->name);
    free(r->territory);
    free(r->categories);
    free(r->cohort);
    free(r->fired);
    free(r->insufficient);
    free(r->manual);
}

static rd_school *find_or_add(rd_side *s, const char *school, const char *name,
                              const char *territory)
{
    if (!s->index && !(s->index = strmap_new())) {
        return NULL;
    }
    int64_t *found = strmap_get(s->index, school, strlen(school));
    if (found) {
        return &s->schools[*found];
    }
    if (s->nschools == s->capschools) {
        size_t ncap = s->capschools ? s->capschools * 2 : 32;
        rd_school *n = realloc(s->schools, ncap * sizeof *n);
        if (!n) {
            return NULL;
        }
        s->schools = n;
        s->capschools = ncap;
    }
    rd_school *r = &s->schools[s->nschools];
    memset(r, 0, sizeof *r);
    r->school = strdup(school);
    r->name = strdup(name ? name : "");
    r->territory = strdup(territory ? territory : "");
    r->categories = strdup("");
    r->cohort = strdup("");
    r->fired = strdup("");
    r->insufficient = strdup("");
    r->manual = strdup("");
    if (!r->school || !r->name || !r->territory || !r->categories || !r->cohort ||
        !r->fired || !r->insufficient || !r->manual) {
        school_free(r);
        return NULL;
    }
    /* Indexed only once the school is there, so the map never points past it. */
    int64_t *slot = strmap_put(s->index, school, strlen(school), NULL);
    if (!slot) {
        school_free(r);
        return NULL;
    }
    *slot = (int64_t)s->nschools++;
    return r;
}

static int merge_into(char **slot, const char *add, int sorted)
{
    char *u = set_union(*slot, add, sorted);
    if (!u) {
        return -1;
    }
    free(*slot);
    *slot = u;
    return 0;
}

int rd_add_listed(rd_side *s, const char *school, const char *name, const char *territory,
                  const char *category, const char *cohort, const char *criteria)
{
    rd_school *r = find_or_add(s, school, name, territory);
    if (!r || merge_into(&r->categories, category, 1) || merge_into(&r->cohort, cohort, 1) ||
        merge_into(&r->fired, criteria, 0)) {
        return -1;
    }
    return 0;
}

int rd_add_insufficient(rd_side *s, const char *school, const char *name,
                        const char *territory, const char *category)
{
    rd_school *r = find_or_add(s, school, name, territory);
    return r && merge_into(&r->insufficient, category, 1) == 0 ? 0 : -1;
}

int rd_add_fired(rd_side *s, const char *school, const char *name, const char *territory,
                 const char *criteria)
{
    rd_school *r = find_or_add(s, school, name, territory);
    return r && merge_into(&r->fired, criteria, 0) == 0 ? 0 : -1;
}

int rd_add_manual(rd_side *s, const char *school, const char *name, const char *territory,
                  const char *text)
{
    rd_school *r = find_or_add(s, school, name, territory);
    if (!r) {
        return -1;
    }
    strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%s%s%s", r->manual, *r->manual ? "; " : "", text);
    if (sb_failed(&sb)) {
        sb_free(&sb);
        return -1;
    }
    free(r->manual);
    r->manual = sb_detach(&sb);
    return 0;
}

int rd_add_target(rd_side *s, const char *target, const char *scope, const char *period,
                  const char *status)
{
    if (s->ntargets == s->captargets) {
        size_t ncap = s->captargets ? s->captargets * 2 : 16;
        rd_target *n = realloc(s->targets, ncap * sizeof *n);
        if (!n) {
            return -1;
        }
        s->targets = n;
        s->captargets = ncap;
    }
    rd_target *t = &s->targets[s->ntargets];
    t->target = strdup(target);
    t->scope = strdup(scope);
    t->period = strdup(period ? period : "");
    t->status = strdup(status);
    if (!t->target || !t->scope || !t->period || !t->status) {
        free(t->target);
        free(t->scope);
        free(t->period);
        free(t->status);
        return -1;
    }
    s->ntargets++;
    return 0;
}

int rd_add_title(rd_side *s, const char *id, const char *title)
{
    if (!id || !*id || !title || !*title) {
        return 0;
    }
    for (size_t i = 0; i < s->ntitles; i++) {
        if (strcmp(s->title_of[2 * i], id) == 0) {
            return 0;
        }
    }
    char **n = realloc(s->title_of, 2 * (s->ntitles + 1) * sizeof *n);
    if (!n) {
        return -1;
    }
    s->title_of = n;
    n[2 * s->ntitles] = strdup(id);
    n[2 * s->ntitles + 1] = strdup(title);
    if (!n[2 * s->ntitles] || !n[2 * s->ntitles + 1]) {
        free(n[2 * s->ntitles]);
        free(n[2 * s->ntitles + 1]);
        return -1;
    }
    s->ntitles++;
    return 0;
}

void rd_side_free(rd_side *s)
{
    for (size_t i = 0; i < 2 * s->ntitles; i++) {
        free(s->title_of[i]);
    }
    free(s->title_of);
    for (size_t i = 0; i < s->nschools; i++) {
        school_free(&s->schools[i]);
    }
    free(s->schools);
    for (size_t i = 0; i < s->ntargets; i++) {
        free(s->targets[i].target);
        free(s->targets[i].scope);
        free(s->targets[i].period);
        free(s->targets[i].status);
    }
    free(s->targets);
    free(s->label);
    strmap_free(s->index);
    memset(s, 0, sizeof *s);
}

const char *rundiff_change_name(int change)
{
    return change == RD_ENTERED       ? "entered"
           : change == RD_LEFT        ? "left"
           : change == RD_STAYED      ? "stayed"
           : change == RD_INSUFFICIENT ? "insufficient_data"
                                      : "changed";
}

static int by_code(const void *x, const void *y)
{
    return strcmp((*(const rd_school *const *)x)->school,
                  (*(const rd_school *const *)y)->school);
}

/* The schools of s listed in some category, sorted by code (caller frees). */
static const rd_school **listed_sorted(const rd_side *s, size_t *n)
{
    const rd_school **v = malloc((s->nschools + 1) * sizeof *v);
    *n = 0;
    if (!v) {
        return NULL;
    }
    for (size_t i = 0; i < s->nschools; i++) {
        if (*s->schools[i].categories) {
            v[(*n)++] = &s->schools[i];
        }
    }
    qsort(v, *n, sizeof *v, by_code);
    return v;
}

static const rd_school *find(const rd_side *s, const char *code)
{
    int64_t *slot = s->index ? strmap_get(s->index, code, strlen(code)) : NULL;
    return slot ? &s->schools[*slot] : NULL;
}

/* What explains row r: flipped criteria (whatif), or those listing it. */
static char *row_criteria(const rundiff *d, const rd_row *r, const char *code)
{
    if (!d->flips) {
        /* what listed it: side b, or a for a school that left or lacks data on b */
        const rd_school *s = r->b && *r->b->categories ? r->b : r->a;
        return strdup(s->fired);
    }
    const rd_school *a = r->a ? r->a : find(d->a, code);
    const rd_school *b = r->b ? r->b : find(d->b, code);
    strbuf sb = STRBUF_INIT;
    rd_set_minus(b ? b->fired : "", a ? a->fired : "", &sb, "+");
    rd_set_minus(a ? a->fired : "", b ? b->fired : "", &sb, "-");
    return sb.data ? sb_detach(&sb) : strdup("");
}

/* "target\tscope\tperiod" -> index of the side's targets; NULL on OOM. */
static strmap *target_keys(const rd_side *s)
{
    strmap *m = strmap_new();
    for (size_t i = 0; m && i < s->ntargets; i++) {
        strbuf key = STRBUF_INIT;
        sb_printf(&key, "%s\t%s\t%s", s->targets[i].target, s->targets[i].scope,
                  s->targets[i].period);
        int64_t *slot = key.data ? strmap_put(m, key.data, key.len, NULL) : NULL;
        sb_free(&key);
        if (!slot) {
            strmap_free(m);
            return NULL;
        }
        *slot = (int64_t)i;
    }
    return m;
}

static int target_find(const strmap *keys, const rd_target *t)
{
    strbuf key = STRBUF_INIT;
    sb_printf(&key, "%s\t%s\t%s", t->target, t->scope, t->period);
    int64_t *slot = key.data ? strmap_get(keys, key.data, key.len) : NULL;
    sb_free(&key);
    return slot ? (int)*slot : -1;
}

/*
 * A school listed on both sides: stayed (the same categories), changed, or
 * insufficient_data when every category it has on one side only is one the
 * other side lacked data for (low;risk against low with risk undecided).
 */
static int both_sides_change(const rd_school *a, const rd_school *b)
{
    if (strcmp(a->categories, b->categories) == 0) {
        return RD_STAYED;
    }
    strbuf only_a = STRBUF_INIT, only_b = STRBUF_INIT, rest = STRBUF_INIT;
    rd_set_minus(a->categories, b->categories, &only_a, "");
    rd_set_minus(b->categories, a->categories, &only_b, "");
    rd_set_minus(only_a.data, b->insufficient, &rest, "");
    int change = rest.len ? RD_CHANGED : RD_INSUFFICIENT;
    sb_reset(&rest);
    rd_set_minus(only_b.data, a->insufficient, &rest, "");
    if (rest.len) {
        change = RD_CHANGED;
    }
    sb_free(&only_a);
    sb_free(&only_b);
    sb_free(&rest);
    return change;
}

int rundiff_compute(const rd_side *a, const rd_side *b, int flips, rundiff *out)
{
    memset(out, 0, sizeof *out);
    out->a = a;
    out->b = b;
    out->flips = flips;
    size_t na, nb;
    const rd_school **la = listed_sorted(a, &na), **lb = listed_sorted(b, &nb);
    strmap *ka = NULL, *kb = NULL;
    out->rows = calloc(na + nb + 1, sizeof *out->rows);
    out->targets = calloc(a->ntargets + b->ntargets + 1, sizeof *out->targets);
    int rc = -1;
    if (!la || !lb || !out->rows || !out->targets) {
        goto done;
    }
    size_t i = 0, j = 0;
    while (i < na || j < nb) {
        int c = i == na ? 1 : j == nb ? -1 : strcmp(la[i]->school, lb[j]->school);
        rd_row *r = &out->rows[out->nrows++];
        if (c < 0) {
            r->a = la[i++];
            r->change = RD_LEFT;
            const rd_school *other = find(b, r->a->school);
            if (other && shares(other->insufficient, r->a->categories)) {
                r->b = other;
                r->change = RD_INSUFFICIENT;
            }
        } else if (c > 0) {
            r->b = lb[j++];
            r->change = RD_ENTERED;
            const rd_school *other = find(a, r->b->school);
            if (other && shares(other->insufficient, r->b->categories)) {
                r->a = other;
                r->change = RD_INSUFFICIENT;
            }
        } else {
            r->a = la[i++];
            r->b = lb[j++];
            /* A new cohort alone (new -> persistent, ШНОР-2 -> ШНОР-1) is the
               normal course of a school that stays: it shows in the cohort
               columns, and only another category makes a change. */
            r->change = both_sides_change(r->a, r->b);
        }
        const char *code = (r->a ? r->a : r->b)->school;
        if (!(r->criteria = row_criteria(out, r, code))) {
            goto done;
        }
        /* a school excluded by hand is on its side, though not listed there */
        const rd_school *ma = r->a ? r->a : find(a, code), *mb = r->b ? r->b : find(b, code);
        r->manual_a = ma ? ma->manual : "";
        r->manual_b = mb ? mb->manual : "";
    }
    /* Targets whose status differs, or that exist on one side only. */
    if (!(ka = target_keys(a)) || !(kb = target_keys(b))) {
        goto done;
    }
    for (size_t k = 0; k < a->ntargets; k++) {
        const rd_target *ta = &a->targets[k];
        int m = target_find(kb, ta);
        const rd_target *tb = m >= 0 ? &b->targets[m] : NULL;
        if (!tb || strcmp(ta->status, tb->status) != 0) {
            out->targets[out->ntargets++] = (rd_target_change){ta, tb};
        }
    }
    for (size_t m = 0; m < b->ntargets; m++) {
        if (target_find(ka, &b->targets[m]) < 0) {
            out->targets[out->ntargets++] = (rd_target_change){NULL, &b->targets[m]};
        }
    }
    rc = 0;
done:
    strmap_free(ka);
    strmap_free(kb);
    free(la);
    free(lb);
    return rc;
}

void rundiff_free(rundiff *d)
{
    for (size_t i = 0; i < d->nrows; i++) {
        free(d->rows[i].criteria);
    }
    free(d->rows);
    free(d->targets);
    memset(d, 0, sizeof *d);
}
