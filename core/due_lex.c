/*
 * due_lex.c — splits a deadline text ("Февраль- Апрель 2023, 2024 г.г.") into
 * tokens for the parser in due.c.
 *
 * Words are lower-cased (Russian and Latin letters; ё is read as е) so the
 * grammar compares plain strings; every token keeps its byte offset in the
 * original text so that messages can quote what was written. Whitespace of
 * any kind (line breaks inside table cells, no-break spaces) only separates
 * tokens and is remembered as "space before". The dashes people type or PDF
 * conversion leaves (- ‐ ‑ ‒ – — −) are one token kind.
 *
 * The helpers at the end read tokens for the parser (past the end every
 * token reads as DT_END) and know the vocabulary of dates: month names in
 * three cases, ordinal weeks, school holidays.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dueInt.h"

/*
 * Decodes one UTF-8 character at s[*i] (n bytes in all) into *cp and
 * advances *i. Returns 0, or -1 for an invalid or overlong sequence.
 */
static int utf8_next(const unsigned char *s, size_t n, size_t *i, uint32_t *cp)
{
    unsigned char c = s[*i];
    size_t len;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        *i += 1;
        return 0;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2;
        v = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        v = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        v = c & 0x07;
    } else {
        return -1;
    }
    if (*i + len > n) {
        return -1;
    }
    for (size_t k = 1; k < len; k++) {
        if ((s[*i + k] & 0xC0) != 0x80) {
            return -1;
        }
        v = (v << 6) | (s[*i + k] & 0x3F);
    }
    static const uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < least[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        return -1;
    }
    *cp = v;
    *i += len;
    return 0;
}

size_t duelex_utf8_len(const char *s, size_t n)
{
    size_t i = 0;
    uint32_t c;
    return utf8_next((const unsigned char *)s, n, &i, &c) == 0 ? i : 0;
}

static int is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
           c == 0xA0 || c == 0x2007 || c == 0x2009 || c == 0x202F || c == 0xFEFF;
}

static int is_dash(uint32_t c)
{
    return c == '-' || (c >= 0x2010 && c <= 0x2014) || c == 0x2212;
}

static int is_letter(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0x400 && c <= 0x4FF);
}

/* Lower case for the letters is_letter accepts; ё and Ё become е. */
static uint32_t fold(uint32_t c)
{
    if (c >= 'A' && c <= 'Z') {
        return c + 32;
    }
    if (c >= 0x410 && c <= 0x42F) {
        return c + 32;
    }
    if (c == 0x401 || c == 0x451) {
        return 0x435;
    }
    if (c >= 0x400 && c <= 0x40F) {
        return c + 80;
    }
    return c;
}

static size_t put_utf8(char *out, uint32_t c)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    /* Only letters reach here, all below U+0800. */
    out[0] = (char)(0xC0 | (c >> 6));
    out[1] = (char)(0x80 | (c & 0x3F));
    return 2;
}

void duelex_free(due_tokens *toks)
{
    if (toks) {
        free(toks->t);
        free(toks->words);
        toks->t = NULL;
        toks->words = NULL;
        toks->n = 0;
    }
}

/*
 * Tokenises text. Words are written, folded and NUL-terminated, into one
 * buffer allocated up front at twice the text's length (folding never
 * lengthens a letter, and each word adds one NUL), so it never moves and
 * token word pointers into it stay valid.
 */
int duelex_tokenize(const char *text, due_tokens *toks, size_t *bad, int *bad_utf8)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = strlen(text), i = 0, cap = 0, wlen = 0;
    int space = 1, rc = SHNOR_OK;

    *bad_utf8 = 0;
    toks->t = NULL;
    toks->n = 0;
    toks->words = malloc(2 * n + 1);
    if (!toks->words) {
        return SHNOR_NOMEM;
    }
    while (i < n) {
        size_t start = i;
        uint32_t c;
        if (utf8_next(s, n, &i, &c) < 0) {
            *bad = start;
            *bad_utf8 = 1;
            rc = SHNOR_INPUT;
            goto done;
        }
        if (is_space(c)) {
            space = 1;
            continue;
        }
        if (toks->n == cap) {
            size_t ncap = cap ? 2 * cap : 16;
            due_token *nt = realloc(toks->t, ncap * sizeof *nt);
            if (!nt) {
                rc = SHNOR_NOMEM;
                goto done;
            }
            toks->t = nt;
            cap = ncap;
        }
        due_token *tk = &toks->t[toks->n];
        memset(tk, 0, sizeof *tk);
        tk->off = start;
        tk->space = space;
        space = 0;
        if (c >= '0' && c <= '9') {
            tk->type = DT_NUM;
            i = start;
            while (i < n && s[i] >= '0' && s[i] <= '9') {
                if (tk->num < 99999999) {
                    tk->num = tk->num * 10 + (s[i] - '0');
                }
                tk->ndigits++;
                i++;
            }
        } else if (is_letter(c)) {
            tk->type = DT_WORD;
            tk->word = toks->words + wlen;
            wlen += put_utf8(toks->words + wlen, fold(c));
            size_t j = i;
            uint32_t d;
            while (j < n && utf8_next(s, n, &j, &d) == 0 && is_letter(d)) {
                wlen += put_utf8(toks->words + wlen, fold(d));
                i = j;
            }
            toks->words[wlen++] = '\0';
        } else if (is_dash(c)) {
            tk->type = DT_DASH;
        } else if (c == ',') {
            tk->type = DT_COMMA;
        } else if (c == '.') {
            tk->type = DT_DOT;
        } else if (c == ';') {
            tk->type = DT_SEMI;
        } else if (c == ':') {
            tk->type = DT_COLON;
        } else if (c == '(') {
            tk->type = DT_LPAREN;
        } else if (c == ')') {
            tk->type = DT_RPAREN;
        } else {
            *bad = start;
            rc = SHNOR_INPUT;
            goto done;
        }
        tk->len = i - start;
        toks->n++;
    }
done:
    return rc;
}

static const char *const MONTHS[3][13] = {
    {"", "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
     "сентябрь", "октябрь", "ноябрь", "декабрь"},
    {"", "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
     "сентября", "октября", "ноября", "декабря"},
    {"", "январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе",
     "сентябре", "октябре", "ноябре", "декабре"}};
static const char *const ORDINALS[2][5] = {
    {"", "первая", "вторая", "третья", "четвертая"},
    {"", "первую", "вторую", "третью", "четвертую"}};

static const char *const HOLIDAYS[2][5] = {
    {"", "осенние", "зимние", "весенние", "летние"},
    {"", "осенних", "зимних", "весенних", "летних"}};

/* ---------------------------------------------------------------------------
 * Reading tokens and words.
 */
int duep_tt(const due_parser *P, size_t k)
{
    return k < P->nt ? P->t[k].type : DT_END;
}

const char *duep_word(const due_parser *P, size_t k)
{
    return duep_tt(P, k) == DT_WORD ? P->t[k].word : NULL;
}

int duep_is(const due_parser *P, size_t k, const char *w)
{
    const char *x = duep_word(P, k);
    return x && strcmp(x, w) == 0;
}

/* Token k touches the one before it (no whitespace between). */
int duep_tight(const due_parser *P, size_t k)
{
    return k < P->nt && !P->t[k].space;
}

int duep_is_year(const due_parser *P, size_t k)
{
    return duep_tt(P, k) == DT_NUM && P->t[k].ndigits == 4 && P->t[k].num >= 1900 &&
           P->t[k].num <= 2999;
}

int duep_lookup(const char *w, const char *const *list, int n)
{
    for (int k = 1; w && k < n; k++) {
        if (strcmp(w, list[k]) == 0) {
            return k;
        }
    }
    return 0;
}

/* The month a word names in any case, 1..12, or 0; *gcase gets 0, 1 or 2. */
int duep_month(const char *w, int *gcase)
{
    for (int c = 0; c < 3; c++) {
        int m = duep_lookup(w, MONTHS[c], 13);
        if (m) {
            if (gcase) {
                *gcase = c;
            }
            return m;
        }
    }
    return 0;
}

int duep_ordinal(const char *w)
{
    int k = duep_lookup(w, ORDINALS[0], 5);
    return k ? k : duep_lookup(w, ORDINALS[1], 5);
}

int duep_holiday(const char *w)
{
    int k = duep_lookup(w, HOLIDAYS[0], 5);
    return k ? k : duep_lookup(w, HOLIDAYS[1], 5);
}
