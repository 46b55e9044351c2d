/*
 * textwidth.h — the display width of UTF-8 text, and text made fit for an
 * aligned layout (textwidth.c).
 */
#ifndef SHNOR_TEXTWIDTH_H
#define SHNOR_TEXTWIDTH_H

#include <stddef.h>

#include "strbuf.h"

/*
 * Decodes one UTF-8 character at s[0..n), n >= 1, and returns its length.
 * *cp is the code point, or -1 for a byte that does not start a valid
 * sequence (overlong, surrogate, above U+10FFFF, truncated, stray
 * continuation); such a byte is a character of its own.
 */
size_t utf8_decode(const unsigned char *s, size_t n, long *cp);

/* 1 for a character a terminal may obey rather than show: C0 controls but
   tab and line feed, DEL, C1 controls (U+009B is a CSI as ESC [ is), and the
   bidirectional overrides and isolates that reorder the text around them. */
int utf8_is_obeyed(long cp);

/* Columns code point cp takes: 0, 1 or 2 (-1, an invalid byte: 1). */
size_t utf8_cp_width(long cp);

/*
 * The length of the longest prefix of s[0..len) of at most max bytes that
 * does not end inside a UTF-8 sequence: len when len <= max. For quoting a
 * cut value in a message or a cell.
 */
size_t utf8_cut(const char *s, size_t len, size_t max);

/*
 * Appends s[0..len) to sb; a text longer than max bytes keeps its first
 * quarter and last half of max, with how much was left out between: an
 * error(string.rep("x", 1e7)) says what it is at its start and where at its
 * end (the traceback). Cuts fall between UTF-8 sequences.
 */
void text_append_cut(strbuf *sb, const char *s, size_t len, size_t max);

/* Display columns of UTF-8 text s[0..len) (invalid bytes count as one). */
size_t utf8_display_width(const char *s, size_t len);

/*
 * A malloc'ed copy of s (NULL: "") fit for layout: CR LF and lone CR become
 * '\n', tab a space, other control characters and invalid bytes U+FFFD (one
 * per byte, so the width is kept for invalid bytes). NULL when memory ran
 * out.
 */
char *text_clean(const char *s);

#endif
