/*
 * encoding.c — bytes of a saved spreadsheet to UTF-8 text (see encoding.h).
 *
 * Three ways in: UTF-8 is checked by utf8_valid() and copied; everything else
 * goes through iconv from glibc. Whatever the way, the result is then checked
 * for U+0000, which no spreadsheet writes into text and which the CSV reader
 * and SQLite would cut strings at.
 *
 * Decisions the header leaves open:
 *   - Windows-1251 leaves byte 0x98 undefined and iconv rejects it. We reject
 *     it too rather than map it to U+0098 or U+FFFD: no Windows keyboard can
 *     type it, so a 0x98 means the file is not Windows-1251 at all (0x98 is a
 *     common UTF-8 continuation byte: "И" is D0 98). Under "auto" the message
 *     says where the text also stopped being UTF-8, so a file mixing the two
 *     encodings can be found and fixed.
 *   - An empty enc ("") means "auto"; iconv would take it as the locale's.
 *   - A byte-order mark at the start of the result is dropped whatever the
 *     encoding (a forced "UTF-16LE" on a file with FF FE yields U+FEFF first).
 *   - The offset of an invalid UTF-8 sequence is the offset of its first byte,
 *     so "truncated" sequences are reported at their lead byte.
 *   - Line ends for the position in messages are LF, CRLF and a lone CR, as
 *     in the CSV reader; the position is in the text as decoded so far.
 *   - The first problem in the text is the one reported: a NUL before an
 *     invalid byte gives the NUL message. In UTF-16 the bad 16-bit unit is
 *     named (a lone surrogate, usually) rather than a byte.
 *   - For a forced encoding *used is enc itself, borrowed from the caller.
 */
#include "encoding.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HIGH_BITS 0x8080808080808080ULL

/*
 * Validates UTF-8 following the Unicode standard's table of well-formed byte
 * sequences (Table 3-7). Runs of ASCII are skipped eight bytes at a time.
 */
int utf8_valid(const char *s, size_t len, size_t *bad)
{
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *end = p + len;

    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) {
            p++;
            while (end - p >= 8) {
                uint64_t w;
                memcpy(&w, p, sizeof w);
                if (w & HIGH_BITS) {
                    break;
                }
                p += 8;
            }
            continue;
        }
        if (c < 0xC2) {
            goto fail; /* continuation byte, or overlong C0/C1 lead */
        }
        if (c < 0xE0) {
            if (end - p < 2 || (p[1] & 0xC0) != 0x80) {
                goto fail;
            }
            p += 2;
        } else if (c < 0xF0) {
            if (end - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) {
                goto fail;
            }
            if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F)) {
                goto fail; /* overlong, or a surrogate D800-DFFF */
            }
            p += 3;
        } else if (c < 0xF5) {
            if (end - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
                (p[3] & 0xC0) != 0x80) {
                goto fail;
            }
            if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F)) {
                goto fail; /* overlong, or past U+10FFFF */
            }
            p += 4;
        } else {
            goto fail;
        }
    }
    return 1;

fail:
    if (bad) {
        *bad = (size_t)(p - (const unsigned char *)s);
    }
    return 0;
}

/*
 * Line and column (from 1) of the character following s[0..off), which is
 * valid UTF-8. Columns count characters; LF, CRLF and lone CR end lines.
 */
static void text_pos(const char *s, size_t off, long *line, long *col)
{
    long ln = 1, cl = 1;
    for (size_t i = 0; i < off; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b == '\n') {
            ln++;
            cl = 1;
        } else if (b == '\r') {
            if (!(i + 1 < off && s[i + 1] == '\n')) {
                ln++;
                cl = 1;
            }
        } else if ((b & 0xC0) != 0x80) {
            cl++;
        }
    }
    *line = ln;
    *col = cl;
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* -1 with the message when the decoded text s[0..n) holds a U+0000. */
static int check_nul(const char *s, size_t n, char *err, size_t errlen)
{
    const char *z = memchr(s, 0, n);
    if (!z) {
        return 0;
    }
    long line, col;
    text_pos(s, (size_t)(z - s), &line, &col);
    /* UTF-16 without its byte-order mark: a NUL in every other byte, on the
       odd side (little-endian, ASCII and 0x00) or the even one — or, for
       Russian text, the high byte of Cyrillic (0x04) where ASCII has 0x00. */
    size_t look = n < 256 ? n & ~(size_t)1 : 256, odd = 0, even = 0, odd_hi = 0, even_hi = 0;
    for (size_t i = 0; i < look; i++) {
        int hi = s[i] == 0 || s[i] == 0x04;
        if (i & 1) {
            odd += s[i] == 0;
            odd_hi += hi;
        } else {
            even += s[i] == 0;
            even_hi += hi;
        }
    }
    int utf16 = (odd * 3 >= look || even * 3 >= look) ||
                (odd && odd_hi * 10 >= look / 2 * 9) || (even && even_hi * 10 >= look / 2 * 9);
    if (look >= 8 && utf16 && (odd == 0 || even == 0)) {
        set_err(err, errlen,
                "line %ld, column %ld: NUL byte: the file looks like UTF-16%s without its "
                "byte-order mark; save it as UTF-8, or give --encoding %s",
                line, col, odd ? "LE" : "BE", odd ? "utf-16le" : "utf-16be");
        return -1;
    }
    set_err(err, errlen, "line %ld, column %ld: NUL byte; is this a binary file?", line,
            col);
    return -1;
}

/* 0 when in[0..n) is valid UTF-8 without NUL; else -1 with the message
   (name is what it calls the encoding). */
static int check_utf8(const char *in, size_t n, const char *name, char *err, size_t errlen)
{
    size_t bad = n;
    utf8_valid(in, n, &bad);
    if (check_nul(in, bad, err, errlen) < 0) {
        return -1;
    }
    if (bad < n) {
        long line, col;
        text_pos(in, bad, &line, &col);
        set_err(err, errlen, "line %ld, column %ld: byte 0x%02X is not valid %s", line,
                col, (unsigned char)in[bad], name);
        return -1;
    }
    return 0;
}

/* Copies UTF-8 text after checking it. On success *out is malloc'ed (caller frees). */
static int from_utf8(const char *in, size_t n, const char *name, char **out,
                     size_t *outlen, char *err, size_t errlen)
{
    if (check_utf8(in, n, name, err, errlen) < 0) {
        return -1;
    }
    char *buf = malloc(n + 1);
    if (!buf) {
        set_err(err, errlen, "out of memory");
        return -1;
    }
    memcpy(buf, in, n);
    buf[n] = '\0';
    *out = buf;
    *outlen = n;
    return 0;
}

/*
 * Converts with iconv from the encoding iconv calls from; name is what
 * messages call it. On success *out is malloc'ed (caller frees). On failure
 * the message names the line and column of the offending byte in the text
 * decoded so far. The output buffer starts at a guess and grows whenever
 * iconv runs out of room.
 */
static int from_iconv(const char *in, size_t n, const char *from, const char *name,
                      char **out, size_t *outlen, char *err, size_t errlen)
{
    int rc = -1;
    char *buf = NULL;
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) {
        set_err(err, errlen, "unknown encoding '%s'", name);
        return -1;
    }

    /* Cyrillic in Windows-1251 or UTF-16 takes two bytes in UTF-8. */
    size_t cap = n < SIZE_MAX / 2 - 64 ? 2 * n + 64 : n;
    buf = malloc(cap);
    if (!buf) {
        set_err(err, errlen, "out of memory");
        goto done;
    }
    char *ip = (char *)in;
    size_t ileft = n;
    char *op = buf;
    size_t oleft = cap - 1; /* room for the NUL */
    for (;;) {
        /* iconv succeeds only once the whole input is converted. */
        if (iconv(cd, &ip, &ileft, &op, &oleft) != (size_t)-1) {
            break;
        }
        int e = errno;
        size_t used = (size_t)(op - buf);
        if (e == E2BIG) {
            size_t more = cap / 2 + 4 * ileft / 3 + 64;
            if (more > SIZE_MAX - cap) {
                set_err(err, errlen, "out of memory");
                goto done;
            }
            char *nb = realloc(buf, cap + more);
            if (!nb) {
                set_err(err, errlen, "out of memory");
                goto done;
            }
            buf = nb;
            cap += more;
            op = buf + used;
            oleft = cap - 1 - used;
            continue;
        }
        if (check_nul(buf, used, err, errlen) < 0) {
            goto done;
        }
        long line, col;
        text_pos(buf, used, &line, &col);
        unsigned char b = (unsigned char)*ip;
        int le = strcasecmp(from, "UTF-16LE") == 0;
        if (e == EINVAL) {
            set_err(err, errlen,
                    "line %ld, column %ld: the text ends inside a %s character "
                    "(byte 0x%02X)",
                    line, col, name, b);
        } else if (e == EILSEQ && ileft >= 2 &&
                   (le || strcasecmp(from, "UTF-16BE") == 0)) {
            /* Name the 16-bit unit, typically a lone surrogate. */
            unsigned b2 = (unsigned char)ip[1];
            unsigned unit = le ? b2 << 8 | b : b << 8 | b2;
            set_err(err, errlen, "line %ld, column %ld: unit 0x%04X is not valid %s",
                    line, col, unit, name);
        } else if (e == EILSEQ) {
            set_err(err, errlen, "line %ld, column %ld: byte 0x%02X is not valid %s",
                    line, col, b, name);
        } else {
            set_err(err, errlen, "line %ld, column %ld: cannot convert from %s: %s", line,
                    col, name, strerror(e));
        }
        goto done;
    }
    /* Reset a stateful decoder; nothing is written for UTF-8 output. */
    iconv(cd, NULL, NULL, &op, &oleft);

    size_t len = (size_t)(op - buf);
    if (check_nul(buf, len, err, errlen) < 0) {
        goto done;
    }
    *op = '\0';
    if (cap - len > cap / 8 + 4096) {
        char *nb = realloc(buf, len + 1);
        if (nb) {
            buf = nb;
        }
    }
    *out = buf;
    *outlen = len;
    buf = NULL;
    rc = 0;

done:
    free(buf);
    iconv_close(cd);
    return rc;
}

/* Drops a leading U+FEFF from a decoded buffer. */
static void strip_bom(char *s, size_t *len)
{
    if (*len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        memmove(s, s + 3, *len - 3 + 1);
        *len -= 3;
    }
}

/*
 * Of text that is not valid UTF-8: the multi-byte characters that are valid,
 * the bytes that are not, and the words of three or more Cyrillic letters
 * in UTF-8. Windows-1251 Cyrillic is almost never valid UTF-8 (a lowercase
 * letter, E0-FF, is a lead byte that wants continuation bytes 80-BF after
 * it, which are not letters), so such a text has few of the first and many
 * of the second; a UTF-8 text with a stray byte or a pasted Windows-1251
 * line has the opposite. A pasted line may be longer than the UTF-8 around
 * it, though; then the words decide: in Windows-1251 a UTF-8 Cyrillic
 * letter is Р or С followed by a sign (Р» is D0 BB, л), and three of those
 * in a row do not occur in text.
 */
typedef struct {
    size_t chars, bad_bytes, cyrillic_words;
    size_t first_word; /* the offset of the first such word */
} utf8_census;

static int utf8_cyrillic_letter(const unsigned char *u, size_t left)
{
    return left >= 2 && ((u[0] == 0xD0 && u[1] >= 0x81 && u[1] <= 0xBF) ||
                         (u[0] == 0xD1 && u[1] >= 0x80 && u[1] <= 0x91));
}

static void utf8_count(const char *s, size_t len, utf8_census *c)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t off = 0;
    *c = (utf8_census){0, 0, 0, 0};
    while (off < len) {
        size_t bad = len - off;
        int ok = utf8_valid(s + off, len - off, &bad);
        size_t run = 0;
        for (size_t i = off; i < off + bad; i++) {
            c->chars += u[i] >= 0xC2 && u[i] <= 0xF4; /* lead bytes of valid text */
            if (utf8_cyrillic_letter(u + i, off + bad - i)) {
                if (++run == 3 && c->cyrillic_words++ == 0) {
                    c->first_word = i - 4;
                }
                i++;
            } else {
                run = 0;
            }
        }
        if (ok) {
            break;
        }
        c->bad_bytes++;
        off += bad + 1;
    }
}

/* Multi-byte UTF-8 characters that make a text UTF-8 despite a bad byte. */
#define UTF8_EVIDENCE 3

/* The detection of "auto": BOMs, then UTF-8, then Windows-1251. */
const char *enc_utf16_bom(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
        return "UTF-16LE";
    }
    return len >= 2 && u[0] == 0xFE && u[1] == 0xFF ? "UTF-16BE" : NULL;
}

static int detect(const char *data, size_t len, char **out, size_t *outlen,
                  const char **used, char *err, size_t errlen)
{
    const unsigned char *u = (const unsigned char *)data;
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        *used = "UTF-8 with BOM";
        return from_utf8(data + 3, len - 3, "UTF-8", out, outlen, err, errlen);
    }
    const char *utf16 = enc_utf16_bom(data, len);
    if (utf16) {
        *used = utf16;
        return from_iconv(data + 2, len - 2, utf16, *used, out, outlen, err, errlen);
    }
    size_t bad = len;
    if (utf8_valid(data, len, &bad)) {
        *used = "UTF-8";
        return from_utf8(data, len, "UTF-8", out, outlen, err, errlen);
    }
    /* Mostly UTF-8: a broken place, not a Windows-1251 file; reading it as
       one would garble every name in it without a word. */
    utf8_census c;
    utf8_count(data, len, &c);
    if (c.cyrillic_words > 0 && c.bad_bytes >= UTF8_EVIDENCE) {
        /* Words in UTF-8 and bytes that are not: two encodings in one file,
           a line pasted from a file of the other. Which part is the pasted
           one the counts cannot tell; reading it as either would garble the
           other, so both places are named. */
        *used = "UTF-8";
        if (check_nul(data, bad, err, errlen) < 0) {
            return -1;
        }
        long line, col, wline, wcol;
        text_pos(data, bad, &line, &col);
        text_pos(data, c.first_word, &wline, &wcol);
        set_err(err, errlen,
                "line %ld, column %ld: byte 0x%02X is not UTF-8 (Windows-1251?), yet line "
                "%ld, column %ld is UTF-8 text: the file mixes two encodings, a line pasted "
                "from a file of the other (%zu non-ASCII character%s valid UTF-8, %zu byte%s "
                "not); save it in one encoding (in Excel: «CSV UTF-8»)",
                line, col, u[bad], wline, wcol, c.chars, c.chars == 1 ? "" : "s",
                c.bad_bytes, c.bad_bytes == 1 ? "" : "s");
        return -1;
    }
    if ((c.chars >= UTF8_EVIDENCE && c.chars > c.bad_bytes) || c.cyrillic_words > 0) {
        *used = "UTF-8";
        if (check_nul(data, bad, err, errlen) < 0) {
            return -1;
        }
        long line, col;
        text_pos(data, bad, &line, &col);
        set_err(err, errlen,
                "line %ld, column %ld: byte 0x%02X is not valid UTF-8, yet the file "
                "holds UTF-8 text (%zu non-ASCII character%s valid, %zu byte%s not): a "
                "line pasted from a Windows-1251 file? Fix it there, or name the encoding",
                line, col, u[bad], c.chars, c.chars == 1 ? "" : "s", c.bad_bytes,
                c.bad_bytes == 1 ? "" : "s");
        return -1;
    }
    *used = "WINDOWS-1251";
    char msg[200];
    if (from_iconv(data, len, "WINDOWS-1251", *used, out, outlen, msg, sizeof msg) == 0) {
        return 0;
    }
    if (strstr(msg, "NUL byte")) {
        set_err(err, errlen, "%s", msg);
    } else {
        /* Neither encoding fits: say where each one stopped. */
        long line, col;
        text_pos(data, bad, &line, &col);
        set_err(err, errlen,
                "%s; nor is it UTF-8 (line %ld, column %ld: byte 0x%02X); "
                "name the file's encoding",
                msg, line, col, u[bad]);
    }
    return -1;
}

/* -1 with the message when data is a spreadsheet file rather than text: an
   XLSX (or ODS) is a ZIP archive, an XLS an OLE compound file. Saved with
   the wrong extension, or renamed, it would else be "a NUL byte at column 6". */
static int check_workbook(const char *data, size_t len, char *err, size_t errlen)
{
    static const char save[] = "; save the sheet as CSV (in Excel: «Файл» → «Сохранить как» "
                               "→ «CSV UTF-8 (разделитель — запятая)») and import that file";
    if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0) {
        set_err(err, errlen, "this is a workbook (XLSX or ODS, a ZIP archive), not CSV text%s",
                save);
        return -1;
    }
    if (len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
        set_err(err, errlen, "this is an Excel 97-2003 workbook (XLS), not CSV text%s", save);
        return -1;
    }
    /* Markup no CSV header starts with: the "XML Spreadsheet 2003" Excel
       writes, and the HTML table web sites hand out as report.xls. */
    size_t at = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (at < len && (data[at] == ' ' || data[at] == '\t' || data[at] == '\r' ||
                        data[at] == '\n')) {
        at++;
    }
    static const char *const html[] = {"<html", "<!doctype html", "<table", "<head", "<body"};
    for (size_t i = 0; i < sizeof html / sizeof html[0]; i++) {
        size_t n = strlen(html[i]);
        if (len - at >= n && strncasecmp(data + at, html[i], n) == 0) {
            set_err(err, errlen,
                    "this is a web page (HTML, as web sites save tables as .xls), not CSV "
                    "text; open it in Excel or LibreOffice and save the sheet as CSV");
            return -1;
        }
    }
    if (len - at >= 5 && strncasecmp(data + at, "<?xml", 5) == 0) {
        set_err(err, errlen, "this is an XML file (such as Excel's \"XML Spreadsheet 2003\"), "
                             "not CSV text%s",
                save);
        return -1;
    }
    return 0;
}

int enc_to_utf8(const char *data, size_t len, const char *enc, char **out, size_t *outlen,
                const char **used, char *err, size_t errlen)
{
    const char *dummy;
    if (!used) {
        used = &dummy;
    }
    *out = NULL;
    *outlen = 0;
    if (!data && len > 0) {
        set_err(err, errlen, "no data");
        return -1;
    }
    if (!data) {
        data = "";
    }
    if (check_workbook(data, len, err, errlen) < 0) {
        return -1;
    }

    if (!enc || !*enc || strcasecmp(enc, "auto") == 0) {
        return detect(data, len, out, outlen, used, err, errlen);
    }
    *used = enc;
    const char *utf16 = enc_utf16_bom(data, len);
    if (utf16 && strncasecmp(enc, "utf-16", 6) != 0 && strncasecmp(enc, "utf16", 5) != 0) {
        /* decoded as enc, its NULs would be blamed on a missing mark */
        set_err(err, errlen,
                "the file starts with a %s byte-order mark, but --encoding %s was given; "
                "leave --encoding out (the mark is read) or give --encoding utf-16",
                utf16, enc);
        return -1;
    }
    if (strcasecmp(enc, "utf-8") == 0 || strcasecmp(enc, "utf8") == 0) {
        if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
            data += 3;
            len -= 3;
        }
        return from_utf8(data, len, enc, out, outlen, err, errlen);
    }
    const char *from = enc;
    if (strcasecmp(enc, "cp1251") == 0 || strcasecmp(enc, "windows-1251") == 0 ||
        strcmp(enc, "1251") == 0) {
        from = "WINDOWS-1251";
    }
    if (from_iconv(data, len, from, enc, out, outlen, err, errlen) < 0) {
        return -1;
    }
    strip_bom(*out, outlen);
    return 0;
}

int enc_name_known(const char *enc)
{
    if (!enc || !*enc || strcasecmp(enc, "auto") == 0 || strcasecmp(enc, "utf-8") == 0 ||
        strcasecmp(enc, "utf8") == 0 || strcasecmp(enc, "cp1251") == 0 ||
        strcasecmp(enc, "windows-1251") == 0 || strcmp(enc, "1251") == 0) {
        return 1;
    }
    iconv_t cd = iconv_open("UTF-8", enc);
    if (cd == (iconv_t)-1) {
        return 0;
    }
    iconv_close(cd);
    return 1;
}

int enc_to_utf8_owned(char *data, size_t len, const char *enc, char **out, size_t *outlen,
                      const char **used, char *err, size_t errlen)
{
    const char *dummy;
    if (!used) {
        used = &dummy;
    }
    *out = NULL;
    *outlen = 0;
    if (data && check_workbook(data, len, err, errlen) < 0) {
        free(data);
        return -1;
    }
    const unsigned char *u = (const unsigned char *)data;
    int is_auto = !enc || !*enc || strcasecmp(enc, "auto") == 0;
    int forced = !is_auto && (strcasecmp(enc, "utf-8") == 0 || strcasecmp(enc, "utf8") == 0);
    int bom = len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF;
    int utf16 = enc_utf16_bom(data, len) != NULL;
    int keep = 0; /* the bytes are the text */
    if (forced || (is_auto && bom)) {
        /* UTF-8 for sure: invalid bytes are an error, as in enc_to_utf8. */
        *used = forced ? enc : "UTF-8 with BOM";
        if (check_utf8(data + 3 * bom, len - 3 * bom, forced ? enc : "UTF-8", err, errlen) <
            0) {
            free(data);
            return -1;
        }
        keep = 1;
    } else if (is_auto && !utf16 && utf8_valid(data, len, NULL)) {
        *used = "UTF-8";
        if (check_nul(data, len, err, errlen) < 0) {
            free(data);
            return -1;
        }
        keep = 1;
    }
    if (!keep) {
        int rc = enc_to_utf8(data, len, enc, out, outlen, used, err, errlen);
        free(data);
        return rc;
    }
    if (bom) {
        memmove(data, data + 3, len - 3);
        len -= 3;
    }
    data[len] = '\0';
    *out = data;
    *outlen = len;
    return 0;
}
