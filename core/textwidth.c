/*
 * textwidth.c — UTF-8 as a terminal shows it: decoding one character, how
 * many columns it takes (fixed tables of zero-width and double-width
 * ranges, so the layout does not depend on the locale), and a copy of a
 * text fit for layout. The tables (table.c) and the XLSX column widths
 * (report_xlsx.c) measure with these.
 */
#include "textwidth.h"

#include <string.h>

#include "strbuf.h"

size_t utf8_decode(const unsigned char *s, size_t n, long *cp)
{
    unsigned c = s[0];
    size_t need;
    unsigned long v;
    unsigned lo = 0x80, hi = 0xBF;

    if (c < 0x80) {
        *cp = (long)c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
        *cp = -1;
        return 1;
    }
    if (need >= n) {
        *cp = -1;
        return 1;
    }
    for (size_t i = 1; i <= need; i++) {
        if (s[i] < lo || s[i] > hi) {
            *cp = -1;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3Fu);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = (long)v;
    return need + 1;
}

typedef struct {
    long lo, hi;
} range;

static const range zero_width[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x1AB0, 0x1AFF},
    {0x1DC0, 0x1DFF}, {0x200B, 0x200F}, {0x20D0, 0x20FF},
    {0x2060, 0x2060}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF},
};

static const range double_width[] = {
    {0x1100, 0x115F},   {0x2E80, 0xA4CF},   {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
    {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6}, {0x1F300, 0x1F64F},
    {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD},
};

static int in_ranges(long cp, const range *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (cp >= r[i].lo && cp <= r[i].hi) {
            return 1;
        }
    }
    return 0;
}

static int is_control(long cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0);
}

/* Display columns of one decoded character (cp -1: an invalid byte). */
int utf8_is_obeyed(long cp)
{
    return (cp >= 0 && cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7F && cp <= 0x9F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

size_t utf8_cp_width(long cp)
{
    if (cp < 0) {
        return 1;
    }
    if (is_control(cp)) {
        return 0;
    }
    if (cp < 0x0300) {
        return 1;
    }
    if (in_ranges(cp, zero_width, sizeof zero_width / sizeof zero_width[0])) {
        return 0;
    }
    if (in_ranges(cp, double_width, sizeof double_width / sizeof double_width[0])) {
        return 2;
    }
    return 1;
}

size_t utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max) {
        return len;
    }
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
        n--;
    }
    return n;
}

size_t utf8_display_width(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;
    for (size_t i = 0; i < len;) {
        long cp;
        i += utf8_decode(p + i, len - i, &cp);
        w += utf8_cp_width(cp);
    }
    return w;
}

char *text_clean(const char *s)
{
    strbuf sb = STRBUF_INIT;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p);
    size_t i = 0;

    while (i < n) {
        long cp;
        size_t k = utf8_decode(p + i, n - i, &cp);
        if (cp == '\r') {
            if (i + 1 < n && p[i + 1] == '\n') {
                i++;
                continue;
            }
            sb_putc(&sb, '\n');
        } else if (cp == '\t') {
            sb_putc(&sb, ' ');
        } else if (cp == '\n') {
            sb_putc(&sb, '\n');
        } else if (cp < 0 || is_control(cp)) {
            sb_append(&sb, "\xEF\xBF\xBD", 3);
        } else {
            sb_append(&sb, (const char *)p + i, k);
        }
        i += k;
    }
    return sb_detach(&sb);
}

void text_append_cut(strbuf *sb, const char *s, size_t len, size_t max)
{
    if (len <= max) {
        sb_append(sb, s, len);
        return;
    }
    size_t head = utf8_cut(s, len, max / 4);
    size_t tail = len - max / 2;
    while (tail < len && ((unsigned char)s[tail] & 0xC0) == 0x80) {
        tail++;
    }
    sb_append(sb, s, head);
    sb_printf(sb, "\n… (%zu bytes left out) …\n", tail - head);
    sb_append(sb, s + tail, len - tail);
}
