/*
 * json.c — a small streaming JSON writer into a strbuf (see json.h).
 *
 * The writer does not build a tree: each call appends to the strbuf at once,
 * with the comma, newline and indentation that must come before it. Memory
 * errors are the strbuf's (sb_failed() once at the end).
 *
 * Invariants:
 *  1. depth is the number of containers open (>= 0); count[slot(d)] is
 *     nonzero exactly when the container open at depth d (0: the top level)
 *     already holds a value. Only zero / nonzero is ever read.
 *  2. Nesting deeper than JSON_MAX_DEPTH - 1 shares the last slot. Because a
 *     closed container is a value of the one around it, closing one sets the
 *     enclosing slot nonzero, so commas and indentation stay right at any
 *     depth; only the per-level counts lose their meaning there.
 *  3. after_key is set between jw_key() and the value that follows; that
 *     value writes no separator of its own.
 *
 * Misuse keeps the output well formed where it can: a key without a value
 * gets null (before the next key or the closing brace); a closing call at
 * depth 0 writes nothing. The writer does not remember which kind of
 * container is open, so jw_arr_end() on an object writes ']' all the same.
 * Several values at the top level are separated by newlines (JSON lines).
 */
#include "json.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "numfmt.h"

static int slot(int depth)
{
    return depth < JSON_MAX_DEPTH ? depth : JSON_MAX_DEPTH - 1;
}

void jw_init(json_writer *w, strbuf *out, int pretty)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->pretty = pretty != 0;
}

static void newline_indent(json_writer *w, int depth)
{
    sb_putc(w->out, '\n');
    for (int i = 0; i < depth; i++) {
        sb_append(w->out, "  ", 2);
    }
}

/*
 * Writes what precedes a value at the current depth and counts it: nothing
 * right after a key; otherwise a comma when the container already holds a
 * value and, in pretty mode, a newline and indentation.
 */
static void before_value(json_writer *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    unsigned char *c = &w->count[slot(w->depth)];
    if (w->depth == 0) {
        if (*c) {
            sb_putc(w->out, '\n');
        }
    } else {
        if (*c) {
            sb_putc(w->out, ',');
        }
        if (w->pretty) {
            newline_indent(w, w->depth);
        }
    }
    if (*c < UCHAR_MAX) {
        (*c)++;
    }
}

static void begin(json_writer *w, char open)
{
    before_value(w);
    sb_putc(w->out, open);
    if (w->depth < INT_MAX) {
        w->depth++;
    }
    w->count[slot(w->depth)] = 0;
}

static void end(json_writer *w, char close)
{
    if (w->depth == 0) {
        return;
    }
    if (w->after_key) {
        jw_null(w);
    }
    int had_values = w->count[slot(w->depth)] != 0;
    w->depth--;
    if (w->pretty && had_values) {
        newline_indent(w, w->depth);
    }
    sb_putc(w->out, close);
    unsigned char *c = &w->count[slot(w->depth)];
    if (*c == 0) {
        *c = 1; /* invariant 2 */
    }
}

void jw_obj_begin(json_writer *w)
{
    begin(w, '{');
}

void jw_obj_end(json_writer *w)
{
    end(w, '}');
}

void jw_arr_begin(json_writer *w)
{
    begin(w, '[');
}

void jw_arr_end(json_writer *w)
{
    end(w, ']');
}

void jw_key(json_writer *w, const char *key)
{
    if (w->after_key) {
        jw_null(w); /* the previous key never got its value */
    }
    before_value(w);
    if (!key) {
        key = "";
    }
    json_quote(w->out, key, strlen(key));
    if (w->pretty) {
        sb_append(w->out, ": ", 2);
    } else {
        sb_putc(w->out, ':');
    }
    w->after_key = 1;
}

void jw_str(json_writer *w, const char *s)
{
    if (!s) {
        jw_null(w);
        return;
    }
    jw_strn(w, s, strlen(s));
}

void jw_strn(json_writer *w, const char *s, size_t n)
{
    if (!s) {
        jw_null(w);
        return;
    }
    before_value(w);
    json_quote(w->out, s, n);
}

void jw_num(json_writer *w, double v)
{
    if (!isfinite(v)) {
        jw_null(w);
        return;
    }
    char buf[NUM_BUFSZ];
    size_t n = num_format(v, buf);
    before_value(w);
    sb_append(w->out, buf, n);
}

void jw_int(json_writer *w, long long v)
{
    before_value(w);
    sb_printf(w->out, "%lld", v);
}

void jw_bool(json_writer *w, int b)
{
    before_value(w);
    sb_puts(w->out, b ? "true" : "false");
}

void jw_null(json_writer *w)
{
    before_value(w);
    sb_append(w->out, "null", 4);
}

void jw_kstr(json_writer *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_str(w, s);
}

void jw_kids(json_writer *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_arr_begin(w);
    for (const char *p = s ? s : ""; *p;) {
        size_t n = strcspn(p, ";");
        if (n) {
            jw_strn(w, p, n);
        }
        p += n + (p[n] == ';');
    }
    jw_arr_end(w);
}

void jw_knum(json_writer *w, const char *key, double v)
{
    jw_key(w, key);
    jw_num(w, v);
}

void jw_kint(json_writer *w, const char *key, long long v)
{
    jw_key(w, key);
    jw_int(w, v);
}

/*
 * Length of the valid UTF-8 character at s[0..n) (n >= 1, s[0] >= 0x80), or 0
 * when s[0] does not start one (overlong, surrogate, above U+10FFFF,
 * truncated, stray continuation byte). *cp is its code point.
 */
static size_t utf8_char(const unsigned char *s, size_t n, unsigned long *cp)
{
    unsigned c = s[0];
    size_t need;
    unsigned lo = 0x80, hi = 0xBF;

    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        *cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        *cp = c & 0x0F;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        *cp = c & 0x07;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (need >= n) {
        return 0;
    }
    for (size_t i = 1; i <= need; i++) {
        if (s[i] < lo || s[i] > hi) {
            return 0;
        }
        *cp = (*cp << 6) | (s[i] & 0x3Fu);
        lo = 0x80;
        hi = 0xBF;
    }
    return need + 1;
}

/*
 * Copies runs of bytes that need no escaping in one append; stops at '"',
 * '\\', control characters, U+2028, U+2029 and each byte of invalid UTF-8,
 * which becomes U+FFFD.
 */
void json_quote(strbuf *sb, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i = 0, run = 0;

    if (!s) {
        s = "";
        n = 0;
    }
    const unsigned char *p = (const unsigned char *)s;
    sb_putc(sb, '"');
    while (i < n) {
        unsigned c = p[i];
        const char *esc = NULL;
        size_t skip = 1;
        char u[7];

        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        if (c >= 0x80) {
            unsigned long cp = 0;
            size_t k = utf8_char(p + i, n - i, &cp);
            if (k > 0 && cp != 0x2028 && cp != 0x2029) {
                i += k;
                continue;
            }
            if (k == 0) {
                esc = "\xEF\xBF\xBD";
            } else {
                esc = cp == 0x2028 ? "\\u2028" : "\\u2029";
                skip = k;
            }
        } else {
            switch (c) {
            case '"':
                esc = "\\\"";
                break;
            case '\\':
                esc = "\\\\";
                break;
            case '\b':
                esc = "\\b";
                break;
            case '\f':
                esc = "\\f";
                break;
            case '\n':
                esc = "\\n";
                break;
            case '\r':
                esc = "\\r";
                break;
            case '\t':
                esc = "\\t";
                break;
            default:
                u[0] = '\\';
                u[1] = 'u';
                u[2] = '0';
                u[3] = '0';
                u[4] = hex[c >> 4];
                u[5] = hex[c & 0xF];
                u[6] = '\0';
                esc = u;
                break;
            }
        }
        sb_append(sb, s + run, i - run);
        sb_puts(sb, esc);
        i += skip;
        run = i;
    }
    sb_append(sb, s + run, i - run);
    sb_putc(sb, '"');
}

void jw_raw(json_writer *w, const char *json)
{
    before_value(w);
    sb_puts(w->out, json && *json ? json : "null");
}
