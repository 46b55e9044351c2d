/*
 * encoding.h — turn the bytes of a file saved by Excel or LibreOffice into
 * UTF-8 text, with iconv from glibc.
 */
#ifndef SHNOR_ENCODING_H
#define SHNOR_ENCODING_H

#include <stddef.h>

/* 1 when enc is a name enc_to_utf8 takes (NULL, "auto", the names above or
   one iconv knows), else 0: for a command line to refuse a misspelt name. */
int enc_name_known(const char *enc);

/*
 * Converts len bytes of data to UTF-8 without a byte-order mark.
 *
 * enc NULL or "auto": detect. A UTF-8 BOM means UTF-8; a UTF-16 BOM (FF FE or
 * FE FF) means UTF-16 ("Unicode text" from Excel); otherwise valid UTF-8 is
 * UTF-8 and anything else is Windows-1251. Otherwise enc is an encoding name:
 * "utf-8", "utf8", "cp1251", "windows-1251", "1251" (case-insensitive) or any
 * other name iconv knows.
 *
 * On success returns 0; *out is a malloc'ed, NUL-terminated buffer the caller
 * frees, *outlen its length without the NUL, and *used (if not NULL) a static
 * name for what was read: "UTF-8", "UTF-8 with BOM", "UTF-16LE", "UTF-16BE",
 * "WINDOWS-1251", or the forced name as given.
 *
 * On failure returns -1 and writes a message to err: an unknown encoding
 * name, or bytes invalid in the forced encoding — "line 3, column 7: byte
 * 0xFF is not valid UTF-8" (line and column count from 1, column in
 * characters of the valid text before it). A NUL byte in the text is an error
 * too ("line 2, column 1: NUL byte; is this a binary file?").
 */
int enc_to_utf8(const char *data, size_t len, const char *enc, char **out, size_t *outlen,
                const char **used, char *err, size_t errlen);

/*
 * As enc_to_utf8, but takes ownership of data: malloc'ed, len bytes with room
 * for a NUL at data[len]. Text that is UTF-8 already is checked once and
 * becomes *out itself (a BOM removed), without a copy; other encodings are
 * converted into a new buffer and data is freed. data is freed on failure.
 */
int enc_to_utf8_owned(char *data, size_t len, const char *enc, char **out, size_t *outlen,
                      const char **used, char *err, size_t errlen);

/*
 * 1 when s[0..len) is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
 * When it is not, and bad is not NULL, *bad is the offset of the first bad byte.
 */
int utf8_valid(const char *s, size_t len, size_t *bad);

/* "UTF-16LE" or "UTF-16BE" when s[0..len) starts with that byte-order
   mark, else NULL. */
const char *enc_utf16_bom(const char *s, size_t len);

#endif
