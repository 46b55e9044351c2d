/*
 * due.c — reads the deadline column of a roadmap («Сроки», «Срок
 * реализации») into a due_spec: the grammar, the table of phrases it skips,
 * and the checks. due_lex.c splits the text into tokens, due_span.c reads
 * the dated parts, due_describe.c writes the short description and
 * due_expand.c dates the result in a period (due.h says what every form
 * means).
 *
 * The grammar, as the seed documents write it (words compared lower-cased):
 *
 *   text     := part { [","|";"|"."|":"|"и"] part }
 *   part     := span-run | weeks | holidays | cycle | phrase | "(" text ")"
 *   span     := point [dash point]
 *   point    := ["в"] MONTH [year] | DAY MONTH-genitive [year]
 *             | DD.MM.[YYYY] [year-word] | YYYY-MM[-DD] | YYYY [year-word]
 *   year     := YYYY [г | г. | гг. | г.г. | год | года | году]
 *   span-run := span {[","|"и"] span} [year {"," year}] | span "отчетного|текущего года"
 *   weeks    := MONTH ordinal {"," ordinal} "неделя|недели" [dash label] {"," ...}
 *   holidays := adjective {"," adjective} "каникулы"
 *   cycle    := "еженедельно" | "ежемесячно" | "ежеквартально" | "ежегодно" [months]
 *             | ["не реже"] [N[-M]] "раз|раза" "в" unit [months]
 *             | "каждую|каждый|каждое" unit | "по полугодиям|четвертям|кварталам"
 *             | "по итогам" unit-gen {"и" unit-gen} | "конец" [N {"," N}] unit-gen
 *   phrase   := an entry of the phrase table below [complement]
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dueInt.h"
#include "period.h"
#include "strbuf.h"
#include "textwidth.h"

/* The accepted forms, listed briefly in every parse error. */
static const char FORMS[] =
    "accepted: months and ranges (январь, февраль-апрель 2023, май 2023, 2024 г.г.), "
    "dates (15.05.2023, 2023-05-15, 15 мая 2023), years (2023 г.), "
    "recurrences (еженедельно, ежемесячно, раз в четверть, по полугодиям, ежегодно, "
    "2 раза в год (январь, июнь)), open forms (в течение года, постоянно, "
    "по отдельному графику)";

/* Longest stretch of the text quoted back in a message, in bytes. */
#define QUOTE_MAX 160

/* Longest deadline read, in bytes: a table cell, not a document. */
#define TEXT_MAX 2000

/* Parentheses nested deeper than this are refused (duep_seq recurses). */
#define MAX_DEPTH 4

/*
 * Phrases that carry no date. PH_OPEN makes the item open (due at the end
 * of the period) unless a recurrence is also written; PH_COMMENT is skipped.
 * With complement set, the words after the phrase that do not start
 * anything else name whose plan or request it is ("по плану работы отдела
 * образования") and are skipped with it. The seeds' wording is here, and
 * «по мере необходимости», an open form other roadmaps use often: a phrase
 * not in this table is an error, not a comment.
 */
enum { PH_OPEN = 1, PH_COMMENT = 2 };

static const struct {
    const char *words; /* tokens separated by spaces; "-" is any dash */
    int what;
    int complement;
} PHRASES[] = {
    {"в течение года", PH_OPEN, 0},                       /* 000, 003, 004 */
    {"в течение учебного года", PH_OPEN, 0},              /* 001, 003 */
    {"в течение срока реализации программы", PH_OPEN, 0}, /* 002 */
    {"в течение срока реализации проекта", PH_OPEN, 0},   /* 002 */
    {"до конца реализации программы", PH_OPEN, 0},        /* 002 */
    {"до конца реализации проекта", PH_OPEN, 0},          /* 002's other word */
    {"постоянно", PH_OPEN, 0},                            /* 001, 004 */
    {"систематически", PH_OPEN, 0},                       /* 001 */
    {"по отдельному графику", PH_OPEN, 0},                /* 003 */
    {"по мере необходимости", PH_OPEN, 0},                /* roadmaps elsewhere: as needed */
    {"по отдельном у графику", PH_OPEN, 0},               /* 000: broken by PDF */
    {"по плану", PH_OPEN, 1},                             /* 000, 004 */
    {"в соответствии с план - графиком", PH_OPEN, 1},     /* 003 */
    {"либо по согласованию", PH_COMMENT, 0},              /* 002 */
    {"по согласованию", PH_COMMENT, 0},                   /* 002 */
    {"по результатам", PH_COMMENT, 1},                    /* 000 */
    {"по заявке", PH_COMMENT, 1},                         /* 004 */
    {"с проведением мониторинга", PH_COMMENT, 0},         /* 003 */
};

/*
 * Words that start a construct; a complement stops there. So do words
 * beginning with "еже" (frequencies, known or not: "ежечасно").
 */
/* clang-format off */
static const char *const STARTERS[] = {
    "в", "до", "по", "с", "и", "либо", "не", "раз", "раза", "каждую", "каждый",
    "каждое", "конец", "постоянно", "систематически", "отчетного", "текущего",
    "каникулы"};
/* clang-format on */

static int is_starter(const char *w)
{
    for (size_t k = 0; k < sizeof STARTERS / sizeof STARTERS[0]; k++) {
        if (strcmp(w, STARTERS[k]) == 0) {
            return 1;
        }
    }
    return strncmp(w, "еже", strlen("еже")) == 0 || duep_month(w, NULL) ||
           duep_ordinal(w) || duep_holiday(w);
}

/* Number of tokens from k matching the phrase words, or 0. */
static size_t match(const due_parser *P, size_t k, const char *words)
{
    size_t start = k;
    const char *p = words;
    while (*p) {
        size_t len = strcspn(p, " ");
        if (len == 1 && *p == '-') {
            if (duep_tt(P, k) != DT_DASH) {
                return 0;
            }
        } else {
            const char *w = duep_word(P, k);
            if (!w || strlen(w) != len || memcmp(w, p, len) != 0) {
                return 0;
            }
        }
        k++;
        p += len;
        p += *p == ' ';
    }
    return k - start;
}

/* ---------------------------------------------------------------------------
 * Errors.
 */

/*
 * Copies at most max bytes of s[0..len) into sb in double quotes, not
 * splitting a character; bytes that are not UTF-8 become '?'.
 */
static void quote(strbuf *sb, const char *s, size_t len, size_t max)
{
    size_t k = 0;
    sb_putc(sb, '"');
    while (k < len) {
        size_t n = duelex_utf8_len(s + k, len - k);
        if (k + (n ? n : 1) > max) {
            sb_puts(sb, "...");
            break;
        }
        if (n) {
            sb_append(sb, s + k, n);
        } else {
            sb_putc(sb, '?');
        }
        k += n ? n : 1;
    }
    sb_putc(sb, '"');
}

/* End offset of the clause starting at token k: up to a comma, parenthesis or end. */
static size_t clause_end(const due_parser *P, size_t k)
{
    size_t e = k;
    while (e < P->nt) {
        int y = P->t[e].type;
        if (e > k &&
            (y == DT_COMMA || y == DT_SEMI || y == DT_LPAREN || y == DT_RPAREN)) {
            break;
        }
        e++;
    }
    return e > k ? P->t[e - 1].off + P->t[e - 1].len : strlen(P->text);
}

/*
 * Sets the error: the whole text, the part from byte off to end, what is
 * wrong with it, and the accepted forms. Returns -1 for the caller to pass on.
 */
int duep_fail_at(due_parser *P, size_t off, size_t end, const char *fmt, ...)
{
    strbuf sb = STRBUF_INIT;
    va_list ap;
    sb_puts(&sb, "deadline ");
    quote(&sb, P->text, strlen(P->text), QUOTE_MAX);
    sb_puts(&sb, ": ");
    if (end > off) {
        quote(&sb, P->text + off, end - off, QUOTE_MAX);
        sb_putc(&sb, ' ');
    }
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    sb_puts(&sb, "; ");
    sb_puts(&sb, FORMS);
    if (sb_failed(&sb)) {
        P->rc = SHNOR_NOMEM;
    } else {
        P->rc = SHNOR_INPUT;
        if (P->err && P->errlen) {
            /* a cut message does not end inside a UTF-8 sequence */
            size_t n = utf8_cut(sb.data, sb.len, P->errlen - 1);
            memcpy(P->err, sb.data, n);
            P->err[n] = '\0';
        }
    }
    sb_free(&sb);
    return -1;
}

/* An error about tokens from..to (exclusive); to <= from quotes from's clause. */
int duep_fail(due_parser *P, size_t from, size_t to, const char *why)
{
    if (from >= P->nt) {
        size_t n = strlen(P->text);
        return duep_fail_at(P, n, n, "%s", why);
    }
    size_t end = to > from ? P->t[to - 1].off + P->t[to - 1].len : clause_end(P, from);
    return duep_fail_at(P, P->t[from].off, end, "%s", why);
}

/* ---------------------------------------------------------------------------
 * Building the item list.
 */
due_item *duep_push(due_parser *P, const due_item *it)
{
    due_spec *s = P->spec;
    if (s->n == s->cap) {
        size_t ncap = s->cap ? 2 * s->cap : 8;
        due_item *ni = realloc(s->items, ncap * sizeof *ni);
        if (!ni) {
            P->rc = SHNOR_NOMEM;
            return NULL;
        }
        s->items = ni;
        s->cap = ncap;
    }
    s->items[s->n] = *it;
    return &s->items[s->n++];
}

/* ---------------------------------------------------------------------------
 * Phrases and the sequence of parts.
 */
/* A phrase of the table at P->i, with its complement. Returns 1, 0 or -1. */
static int parse_phrase(due_parser *P)
{
    size_t from = P->i, best = 0, bestlen = 0;
    for (size_t k = 0; k < sizeof PHRASES / sizeof PHRASES[0]; k++) {
        size_t len = match(P, P->i, PHRASES[k].words);
        if (len > bestlen) {
            best = k;
            bestlen = len;
        }
    }
    if (!bestlen) {
        return 0;
    }
    P->i += bestlen;
    if (PHRASES[best].complement) {
        /* words, words joined by dashes ("план-графиком"), "и" between words */
        for (;;) {
            const char *w = duep_word(P, P->i);
            if (w && !is_starter(w)) {
                P->i++;
            } else if (duep_tt(P, P->i) == DT_DASH && duep_tight(P, P->i) &&
                       duep_word(P, P->i + 1) && duep_tight(P, P->i + 1) &&
                       P->i > from + bestlen) {
                P->i += 2;
            } else if (w && strcmp(w, "и") == 0 && duep_word(P, P->i + 1) &&
                       !is_starter(duep_word(P, P->i + 1)) && P->i > from + bestlen) {
                P->i += 2;
            } else {
                break;
            }
        }
    }
    if (PHRASES[best].what == PH_OPEN) {
        due_item it;
        memset(&it, 0, sizeof it);
        it.type = ITEM_OPEN;
        it.off = P->t[from].off;
        it.len = P->t[P->i - 1].off + P->t[P->i - 1].len - it.off;
        if (!duep_push(P, &it)) {
            return -1;
        }
    }
    P->group = P->spec->n;
    return 1;
}

/* text := part { separator part }, up to ")" when depth > 0. */
int duep_seq(due_parser *P, int depth)
{
    while (P->i < P->nt) {
        size_t at = P->i;
        int r;
        switch (duep_tt(P, at)) {
        case DT_RPAREN:
            if (depth > 0) {
                return 0;
            }
            return duep_fail(P, at, at + 1, "closes a parenthesis that was not opened");
        case DT_COMMA:
        case DT_COLON:
            P->i++;
            continue;
        case DT_SEMI:
        case DT_DOT:
            P->i++;
            P->group = P->spec->n;
            continue;
        case DT_LPAREN:
            if (depth >= MAX_DEPTH) {
                return duep_fail(P, at, at, "nests parentheses too deep");
            }
            P->i++;
            P->group = P->spec->n;
            if (duep_seq(P, depth + 1) < 0) {
                return -1;
            }
            if (duep_tt(P, P->i) != DT_RPAREN) {
                return duep_fail(P, at, P->i, "opens a parenthesis it does not close");
            }
            P->i++;
            P->group = P->spec->n;
            continue;
        case DT_DASH:
            return duep_fail(P, at, at, "has a dash with nothing before it");
        default:
            break;
        }
        if (duep_is(P, at, "и") && P->i + 1 < P->nt) {
            P->i++;
            continue;
        }
        if ((r = duep_cycle(P)) != 0 || (r = parse_phrase(P)) != 0 ||
            (r = duep_holidays(P)) != 0 || (r = duep_span_part(P)) != 0) {
            if (r < 0) {
                return -1;
            }
            continue;
        }
        if (duep_ordinal(duep_word(P, at))) {
            return duep_fail(P, at, at,
                             "names a week without its month (март, первая неделя)");
        }
        if (duep_is(P, at, "отчетного") || duep_is(P, at, "текущего")) {
            return duep_fail(P, at, at,
                             "says \"of the period\" without a month before it");
        }
        if (duep_tt(P, at) == DT_NUM) {
            return duep_fail(
                P, at, at,
                "is not understood (a number is a day before a month, a date, a "
                "year, or a count before \"раз\")");
        }
        return duep_fail(P, at, at, "is not understood");
    }
    return 0;
}

/* ---------------------------------------------------------------------------
 * Checks and the result.
 */

/* Invariants 1 and 2 for every span; the error quotes the span. */
static int check_spans(due_parser *P)
{
    for (size_t k = 0; k < P->spec->n; k++) {
        const due_item *it = &P->spec->items[k];
        if (it->type != ITEM_SPAN) {
            continue;
        }
        const due_point *pts[2] = {&it->a, &it->b};
        for (int j = 0; j < 2; j++) {
            const due_point *p = pts[j];
            if (p->d && !duep_day_ok(p->y, p->m, p->d)) {
                return duep_fail_at(P, it->off, it->off + it->len,
                                    "is not a calendar day");
            }
        }
        if (it->a.y) {
            due_point a = it->a, b = it->b;
            int am = a.m ? a.m : 1, bm = b.m ? b.m : 12;
            shnor_date s = date_from_ymd(a.y, am, a.d ? a.d : 1);
            shnor_date e =
                date_from_ymd(b.y, bm, b.d ? b.d : date_days_in_month(b.y, bm));
            if (e < s) {
                return duep_fail_at(P, it->off, it->off + it->len,
                                    "ends before it starts");
            }
        }
    }
    return 0;
}

/* Items that date the same: written twice ("май, январь, май"). */
static int same_item(const due_item *x, const due_item *y)
{
    if (x->type != y->type || x->bound || y->bound || x->nbound || y->nbound) {
        return 0;
    }
    return x->a.y == y->a.y && x->a.m == y->a.m && x->a.d == y->a.d && x->b.y == y->b.y &&
           x->b.m == y->b.m && x->b.d == y->b.d && x->label == y->label &&
           x->index == y->index && x->unit == y->unit && x->mask == y->mask &&
           x->nmin == y->nmin && x->nmax == y->nmax;
}

static void drop(due_spec *s, size_t k)
{
    memmove(&s->items[k], &s->items[k + 1], (s->n - k - 1) * sizeof s->items[0]);
    s->n--;
}

/*
 * Invariant 4 and the kind: open items go when a cycle is there; an item
 * written twice is kept once; nothing dated at all is one open item.
 */
static int settle(due_parser *P)
{
    due_spec *s = P->spec;
    int cycles = 0, counted = 0, spans = 0, opens = 0, plain = 0;
    for (size_t k = 0; k < s->n; k++) {
        cycles += s->items[k].type == ITEM_CYCLE;
        counted += s->items[k].type == ITEM_OPEN && s->items[k].nmax > 0;
    }
    for (size_t k = 0; k < s->n;) {
        const due_item *it = &s->items[k];
        int is_plain = it->type == ITEM_OPEN && it->nmax == 0;
        int twice = 0;
        for (size_t j = 0; j < k && !twice; j++) {
            twice = same_item(&s->items[j], it);
        }
        if (twice ||
            (it->type == ITEM_OPEN && (cycles || (is_plain && (plain || counted))))) {
            drop(s, k);
            continue;
        }
        plain += is_plain;
        k++;
    }
    if (s->n == 0) {
        due_item it;
        memset(&it, 0, sizeof it);
        it.type = ITEM_OPEN;
        if (!duep_push(P, &it)) {
            return -1;
        }
    }
    for (size_t k = 0; k < s->n; k++) {
        const due_item *it = &s->items[k];
        spans += it->type == ITEM_SPAN && !it->bound;
        opens += it->type == ITEM_OPEN;
    }
    int classes = (spans > 0) + (cycles > 0) + (opens > 0);
    s->kind = classes > 1  ? DUE_MIXED
              : spans > 0  ? DUE_ONCE
              : cycles > 0 ? DUE_RECURRING
                           : DUE_OPEN;
    return 0;
}

#ifndef NDEBUG
/* The invariants of dueInt.h, for assert. */
static int spec_ok(const due_spec *s)
{
    int cycles = 0, opens = 0;
    for (size_t k = 0; k < s->n; k++) {
        const due_item *it = &s->items[k];
        cycles += it->type == ITEM_CYCLE;
        opens += it->type == ITEM_OPEN;
        if (it->type == ITEM_SPAN && (!it->a.y != !it->b.y || (it->bound && it->a.y))) {
            return 0;
        }
        for (size_t j = 0; it->type == ITEM_CYCLE && j < it->nbound; j++) {
            if (k + 1 + j >= s->n || !s->items[k + 1 + j].bound) {
                return 0;
            }
        }
    }
    return s->n > 0 && !(cycles && opens);
}
#endif

int due_parse(const char *text, due_spec **out, char *err, size_t errlen)
{
    due_parser P;
    due_tokens toks = {NULL, 0, NULL};
    size_t bad = 0;
    int rc, bad_utf8 = 0;

    if (!out) {
        return SHNOR_MISUSE;
    }
    *out = NULL;
    if (err && errlen) {
        err[0] = '\0';
    }
    memset(&P, 0, sizeof P);
    P.text = text ? text : "";
    P.err = err;
    P.errlen = errlen;
    P.rc = SHNOR_OK;
    P.spec = calloc(1, sizeof *P.spec);
    if (!P.spec) {
        return SHNOR_NOMEM;
    }
    if (strlen(P.text) > TEXT_MAX) {
        duep_fail_at(&P, 0, 0, "is longer than %d bytes: not a deadline", TEXT_MAX);
        rc = P.rc;
        goto done;
    }
    rc = duelex_tokenize(P.text, &toks, &bad, &bad_utf8);
    if (rc == SHNOR_INPUT && bad_utf8) {
        duep_fail_at(&P, bad, bad + 1, "is not UTF-8 (byte %zu)", bad + 1);
        rc = P.rc;
        goto done;
    }
    if (rc == SHNOR_INPUT) {
        size_t end = bad + 1;
        while (P.text[end] && ((unsigned char)P.text[end] & 0xC0) == 0x80) {
            end++;
        }
        duep_fail_at(&P, bad, end, "is not a character a deadline uses");
        rc = P.rc;
        goto done;
    }
    if (rc != SHNOR_OK) {
        goto done;
    }
    P.t = toks.t;
    P.nt = toks.n;
    /* «до 15 мая 2023», «не позднее 1 марта», «в срок до 20.05.2023»: the
       date that follows is the deadline itself. Only a day: «до апреля»
       (before April? by its end?) stays an error rather than a guess. */
    size_t by = duep_is(&P, 0, "в") && duep_is(&P, 1, "срок") && duep_is(&P, 2, "до") ? 3
                : duep_is(&P, 0, "не") && duep_is(&P, 1, "позднее")                   ? 2
                : duep_is(&P, 0, "до")                                                 ? 1
                                                                                       : 0;
    if (by && duep_tt(&P, by) == DT_NUM) {
        P.i = by;
    }
    if (duep_seq(&P, 0) < 0 || check_spans(&P) < 0 || settle(&P) < 0) {
        rc = P.rc;
        goto done;
    }
    assert(spec_ok(P.spec));
    rc = duedesc_build(P.spec);
done:
    duelex_free(&toks);
    if (rc == SHNOR_OK) {
        *out = P.spec;
    } else {
        due_free(P.spec);
    }
    return rc;
}

void due_free(due_spec *d)
{
    if (d) {
        free(d->items);
        free(d->desc);
        free(d);
    }
}

due_kind due_get_kind(const due_spec *d)
{
    return d ? d->kind : (due_kind)0;
}

const char *due_describe(const due_spec *d)
{
    return d && d->desc ? d->desc : "";
}
