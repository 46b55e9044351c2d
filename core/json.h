/*
 * json.h — a small streaming JSON writer into a strbuf.
 *
 * The writer tracks nesting and commas; output is deterministic: keys appear in
 * the order written, numbers in their shortest round-trip form (numfmt.h),
 * strings escaped per RFC 8259 with non-ASCII UTF-8 kept as is.
 */
#ifndef SHNOR_JSON_H
#define SHNOR_JSON_H

#include <stddef.h>

#include "strbuf.h"

#define JSON_MAX_DEPTH 64

typedef struct {
    strbuf *out;
    int pretty;                        /* newline and two-space indent per level */
    int depth;
    unsigned char count[JSON_MAX_DEPTH]; /* values written at each depth (saturating) */
    int after_key;                     /* a key was written, its value is next */
} json_writer;

void jw_init(json_writer *w, strbuf *out, int pretty);
void jw_obj_begin(json_writer *w);
void jw_obj_end(json_writer *w);
void jw_arr_begin(json_writer *w);
void jw_arr_end(json_writer *w);
/* The key of the next value in the current object. */
void jw_key(json_writer *w, const char *key);
void jw_str(json_writer *w, const char *s); /* NULL writes null */
void jw_strn(json_writer *w, const char *s, size_t n);
void jw_num(json_writer *w, double v); /* non-finite writes null */
void jw_int(json_writer *w, long long v);
void jw_bool(json_writer *w, int b);
void jw_null(json_writer *w);
/* A value already serialized as JSON (stored rows), written as is. */
void jw_raw(json_writer *w, const char *json);
/* Convenience: key then value. */
void jw_kstr(json_writer *w, const char *key, const char *s);
void jw_knum(json_writer *w, const char *key, double v);
void jw_kint(json_writer *w, const char *key, long long v);
/* Key then a list of the ';'-separated ids in s ("a;b" -> ["a", "b"], "" or
   NULL -> []), as the listing's JSON gives criteria. */
void jw_kids(json_writer *w, const char *key, const char *s);
/* Appends s[0..n) to sb as a quoted JSON string. */
void json_quote(strbuf *sb, const char *s, size_t n);

#endif
