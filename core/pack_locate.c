/*
 * pack_locate.c — where things are written in a pack's text, for messages
 * with file:line: a line index made once, and the searches for `key = "value"`,
 * `key =` and the pack's own `return`. Text search only; Lua is not asked.
 */
#include "pack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where each line starts, once: locating every entry of a big pack by
   counting lines from the top each time was quadratic. */
int pack_index_lines(pack *p)
{
    size_t n = 1;
    for (size_t i = 0; i < p->len; i++) {
        n += p->text[i] == '\n';
    }
    if (!(p->line_start = malloc(n * sizeof *p->line_start))) {
        return -1;
    }
    p->nlines = 0;
    p->line_start[p->nlines++] = 0;
    for (size_t i = 0; i < p->len; i++) {
        if (p->text[i] == '\n') {
            p->line_start[p->nlines++] = i + 1;
        }
    }
    return 0;
}

/* The line number (from 1) of byte offset off in the source. */
static int line_of(const pack *p, size_t off)
{
    size_t lo = 0, hi = p->nlines; /* the last line starting at or before off */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (p->line_start[mid] <= off) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return (int)lo + 1;
}

/* The byte offset where line `line` starts. */
static size_t offset_of_line(const pack *p, int line)
{
    if (line <= 1 || !p->nlines) {
        return 0;
    }
    return (size_t)line <= p->nlines ? p->line_start[line - 1] : p->len;
}

/* Finds a quoted `value` (with ", ' or [[ ]]) starting at or after from. */
static const char *find_quoted(const pack *p, size_t from, const char *value, size_t *at)
{
    size_t vl = strlen(value);
    if (!vl) {
        for (size_t i = from; i + 2 <= p->len; i++) {
            char q = p->text[i];
            if ((q == '"' || q == '\'') && p->text[i + 1] == q) {
                *at = i;
                return p->text + i;
            }
        }
        return NULL;
    }
    /* memchr for the value's first byte, then the rest and its quotes: a
       byte-by-byte scan with a memcmp per quote was most of checking a big
       pack */
    for (size_t i = from + 1; i + vl < p->len;) {
        const char *hit = memchr(p->text + i, value[0], p->len - vl - i);
        if (!hit) {
            return NULL;
        }
        size_t h = (size_t)(hit - p->text);
        char q = p->text[h - 1];
        if ((q == '"' || q == '\'') && p->text[h + vl] == q &&
            memcmp(p->text + h, value, vl) == 0) {
            *at = h - 1;
            return p->text + h - 1;
        }
        i = h + 1;
    }
    return NULL;
}

int pack_locate(const pack *p, const char *key, const char *value, int after, int fallback)
{
    if (!p->text || !value) {
        return fallback;
    }
    size_t from = offset_of_line(p, after > 0 ? after : 1), at;
    size_t kl = key ? strlen(key) : 0;
    /* key = "value": walk back from each quoted occurrence over '=' and spaces. */
    for (size_t start = from; find_quoted(p, start, value, &at); start = at + 1) {
        if (!key) {
            return line_of(p, at);
        }
        size_t j = at;
        while (j > 0 && (p->text[j - 1] == ' ' || p->text[j - 1] == '\t')) {
            j--;
        }
        if (j > 0 && p->text[j - 1] == '=') {
            j--;
            while (j > 0 && (p->text[j - 1] == ' ' || p->text[j - 1] == '\t')) {
                j--;
            }
            if (j >= kl && memcmp(p->text + j - kl, key, kl) == 0) {
                return line_of(p, at);
            }
        }
    }
    if (key && find_quoted(p, from, value, &at)) {
        return line_of(p, at);
    }
    return fallback;
}

static int ident_char(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The last line that starts with the word `return` (the pack's own return,
   in a well-formed pack), or 0. */
int pack_last_return_line(const pack *p)
{
    int found = 0, line = 1;
    for (size_t i = 0; i < p->len; line++) {
        while (i < p->len && (p->text[i] == ' ' || p->text[i] == '\t')) {
            i++;
        }
        if (p->len - i >= 6 && memcmp(p->text + i, "return", 6) == 0 &&
            (p->len - i == 6 || !ident_char(p->text[i + 6]))) {
            found = line;
        }
        while (i < p->len && p->text[i] != '\n') {
            i++;
        }
        i++;
    }
    return found;
}

/* The line of the first `[index] =` (index a number key, as written) on or
   after line after, else fallback. */
int pack_locate_index(const pack *p, const char *index, int after, int fallback)
{
    if (!p->text || !p->nlines) {
        return fallback;
    }
    char want[64];
    snprintf(want, sizeof want, "[%s]", index);
    size_t wl = strlen(want);
    for (size_t i = offset_of_line(p, after > 0 ? after : 1); i + wl <= p->len; i++) {
        if (memcmp(p->text + i, want, wl) == 0) {
            size_t j = i + wl;
            while (j < p->len && (p->text[j] == ' ' || p->text[j] == '\t')) {
                j++;
            }
            if (j < p->len && p->text[j] == '=') {
                return line_of(p, i);
            }
        }
    }
    return fallback;
}

/* The line of the first `key =` (key as a whole word) on or after line after. */
int pack_locate_key(const pack *p, const char *key, int after, int fallback)
{
    size_t kl = strlen(key);
    for (size_t i = offset_of_line(p, after > 0 ? after : 1); i + kl < p->len; i++) {
        if (memcmp(p->text + i, key, kl) != 0) {
            continue;
        }
        char before = i ? p->text[i - 1] : ' ';
        if ((before >= 'a' && before <= 'z') || (before >= 'A' && before <= 'Z') ||
            (before >= '0' && before <= '9') || before == '_') {
            continue;
        }
        size_t j = i + kl;
        while (j < p->len && (p->text[j] == ' ' || p->text[j] == '\t')) {
            j++;
        }
        if (j < p->len && p->text[j] == '=' && (j + 1 >= p->len || p->text[j + 1] != '=')) {
            return line_of(p, i);
        }
    }
    return fallback;
}
