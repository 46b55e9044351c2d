/*
 * fixture_case.c — reads one test case of a pack's `tests` (its name,
 * period, indicators, schools with their values and earlier listings) into
 * a dataset that evaluates like one from a database. A case's tables are the
 * pack's: every read is a protected call, and a misspelt key is an error,
 * never ignored. fixture.c runs the cases and compares what they expect.
 */
#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fixtureInt.h"
#include "numfmt.h"
#include "period.h"

typedef struct {
    int *school;
    double *value;
    size_t n, cap;
} fixture_col;

typedef struct {
    strmap *keys; /* "indicator\tperiod" -> index into cols */
    fixture_col *cols;
    size_t ncols;
} fixture_store;

static void store_free(void *arg)
{
    fixture_store *fs = arg;
    if (!fs) {
        return;
    }
    for (size_t i = 0; i < fs->ncols; i++) {
        free(fs->cols[i].school);
        free(fs->cols[i].value);
    }
    free(fs->cols);
    strmap_free(fs->keys);
    free(fs);
}

/* The column of indicator ind, period: its index in fs->cols, by the key
   "ind\tperiod" kept whole, however long the code a case names (a cut key
   overread its buffer, and two long codes shared one column). Added when
   add (*added then says whether it was new); NULL when absent or out of
   memory. */
static int64_t *column_slot(fixture_store *fs, const char *ind, const char *period, int add,
                            int *added)
{
    strbuf key = STRBUF_INIT;
    sb_printf(&key, "%s\t%s", ind, period);
    int64_t *slot = sb_failed(&key) ? NULL
                    : add           ? strmap_put(fs->keys, key.data, key.len, added)
                                    : strmap_get(fs->keys, key.data, key.len);
    sb_free(&key);
    return slot;
}

static int store_load(void *arg, const ds_column *col, const indicator *ind, double *v,
                      char *err, size_t errlen)
{
    fixture_store *fs = arg;
    int64_t *slot = column_slot(fs, ind->code, col->period_text, 0, NULL);
    (void)err;
    (void)errlen;
    if (slot) {
        for (size_t i = 0; i < fs->cols[*slot].n; i++) {
            v[fs->cols[*slot].school[i]] = fs->cols[*slot].value[i];
        }
    }
    return SHNOR_OK;
}

static int store_put(fixture_store *fs, const char *ind, const char *period, int school,
                     double value)
{
    int added;
    int64_t *slot = column_slot(fs, ind, period, 1, &added);
    if (!slot) {
        return -1;
    }
    if (added) {
        fixture_col *nc = realloc(fs->cols, (fs->ncols + 1) * sizeof *nc);
        if (!nc) {
            return -1;
        }
        fs->cols = nc;
        memset(&fs->cols[fs->ncols], 0, sizeof fs->cols[0]);
        *slot = (int64_t)fs->ncols++;
    }
    fixture_col *c = &fs->cols[*slot];
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 8;
        int *ns = realloc(c->school, ncap * sizeof *ns);
        double *nv = ns ? realloc(c->value, ncap * sizeof *nv) : NULL;
        if (ns) {
            c->school = ns;
        }
        if (!nv) {
            return -1;
        }
        c->value = nv;
        c->cap = ncap;
    }
    c->school[c->n] = school;
    c->value[c->n] = value;
    c->n++;
    return 0;
}

/* Stack index, in read_case's frame, of the table that keeps the strings
   str_field returned alive until the case has been read. */
#define KEEP 3

/* Field `name` of the table at idx as a string, or NULL [-0, +0, e]. The
   string is kept in the KEEP table: a number converted to a string, or a
   string an __index metamethod made, is held by nothing else. */
static const char *str_field(lua_State *L, int idx, const char *name)
{
    idx = lua_absindex(L, idx);
    lua_getfield(L, idx, name);
    const char *s = lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER
                        ? lua_tostring(L, -1)
                        : NULL;
    if (s) {
        lua_rawseti(L, KEEP, (lua_Integer)lua_rawlen(L, KEEP) + 1);
    } else {
        lua_pop(L, 1);
    }
    return s;
}

/* A period key of a fixture: "2023" or 2023. Canonical text into buf, or 0.
   The value at idx is left as it was (lua_tolstring would turn a number key
   into a string in place). */
static int period_key(lua_State *L, int idx, char *buf, size_t len, strbuf *err)
{
    shnor_period p;
    char msg[300];
    size_t n = 0;
    int ok = lua_type(L, idx) == LUA_TNUMBER || lua_type(L, idx) == LUA_TSTRING;
    lua_pushvalue(L, idx);
    const char *s = ok ? lua_tolstring(L, -1, &n) : NULL;
    int parsed = s && period_parse_n(s, n, &p, msg, sizeof msg) == SHNOR_OK;
    lua_pop(L, 1);
    if (!parsed) {
        sb_printf(err, "%s", s ? msg : "a period key must be a string like \"2023\"");
        return 0;
    }
    return shnor_period_format(p, buf, len) > 0;
}

/*
 * 1 when every key of the table at idx is one of known (NULL-terminated);
 * else says in err which is not, with what is known, and returns 0 [-0, +0,
 * m]. A misspelt key of a test case would be ignored: `exepct` checks
 * nothing and passes, `vaules` gives a school no values.
 */
static int keys_known(lua_State *L, int idx, const char *const *known, const char *what,
                      strbuf *err)
{
    idx = lua_absindex(L, idx);
    sandbox_sorted_keys(L, idx);
    int ok = 1;
    for (lua_Integer k = 1, n = (lua_Integer)lua_rawlen(L, -1); ok && k <= n; k++) {
        lua_rawgeti(L, -1, k);
        const char *key = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        const char *const *w = known;
        while (key && *w && strcmp(*w, key) != 0) {
            w++;
        }
        if (!key || !*w) {
            ok = 0;
            if (key) {
                sb_printf(err, "%s has an unknown key '%s' (known: ", what, key);
            } else if (lua_type(L, -1) == LUA_TNUMBER) {
                /* a list item where only named keys belong: { 'A', values = … } */
                sb_printf(err, "%s has an item [%.14g] without a name (known keys: ", what,
                          lua_tonumber(L, -1));
            } else {
                sb_printf(err, "%s has a %s key where a name belongs (known: ", what,
                          luaL_typename(L, -1));
            }
            for (w = known; *w; w++) {
                sb_printf(err, "%s%s", w == known ? "" : ", ", *w);
            }
            sb_puts(err, ")");
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return ok;
}

/* Is x a value of ind, as the importer would take it? Else says why in err:
   a case with a share of 20 or 0/0 tests data no database can hold. */
static int value_fits(const indicator *ind, double x, strbuf *err)
{
    char v[NUM_BUFSZ], range[RANGE_BUFSZ];
    double lo, hi;
    indicator_range(ind, &lo, &hi);
    /* as Lua is written, and NaN alike on every machine (printf says -nan) */
    snprintf(v, sizeof v, "%.14g", isnan(x) ? 0 : x);
    if (!isfinite(x)) {
        sb_printf(err, "%s is not a number a value can be",
                  isnan(x) ? "nan (0/0)" : x > 0 ? "inf" : "-inf");
    } else if ((!isnan(lo) && x < lo) || (!isnan(hi) && x > hi)) {
        range_text(lo, hi, range);
        sb_printf(err, "%s is outside the range of %s %s (%s)%s", v, unit_article(ind->unit),
                  unit_name(ind->unit), range,
                  ind->unit == UNIT_SHARE && x > 1 && x <= 100
                      ? "; a share is a fraction of 1: 20 % is 0.2"
                      : "");
    } else if (ind->unit == UNIT_FLAG && x != 0 && x != 1) {
        sb_printf(err, "%s is not a flag value (1 or 0)", v);
    } else if (ind->unit == UNIT_COUNT && x != floor(x)) {
        sb_printf(err, "%s is not a whole number, and the indicator is a count", v);
    } else {
        return 1;
    }
    return 0;
}

/* Reads one indicator declaration (table at idx) into ind; 0 when it is not
   right (err says why). */
static int read_indicator(lua_State *L, int idx, const char *code, indicator *ind, strbuf *err)
{
    memset(ind, 0, sizeof *ind);
    ind->code = (char *)code;
    ind->title = (char *)code;
    ind->unit = UNIT_INDEX;
    ind->better = BETTER_HIGHER;
    ind->min = NAN;
    ind->max = NAN;
    if (idx <= 0 || lua_type(L, idx) != LUA_TTABLE) {
        return 1; /* undeclared: an index where higher is better */
    }
    static const char *const keys[] = {"title", "unit", "better", NULL};
    char what[96];
    snprintf(what, sizeof what, "indicators.%.60s", code);
    if (!keys_known(L, idx, keys, what, err)) {
        return 0;
    }
    const char *title = str_field(L, idx, "title");
    const char *unit = str_field(L, idx, "unit");
    const char *better = str_field(L, idx, "better");
    if (title) {
        ind->title = (char *)title;
    }
    if (unit && !(ind->unit = unit_parse(unit, strlen(unit)))) {
        sb_printf(err, "%s: unit '%s' is not one of share, percent, score, count, index, flag",
                  what, unit);
        return 0;
    }
    if (better && !(ind->better = better_parse(better, strlen(better)))) {
        sb_printf(err, "%s: better '%s' is not higher or lower", what, better);
        return 0;
    }
    return 1;
}

/* Adds, without values, the indicator at the top of the stack (a code) when
   ds lacks it: as declared at index decl, if that is a valid declaration,
   else as an undeclared one. */
static void add_known(lua_State *L, dataset *ds, int decl)
{
    const char *code = lua_tostring(L, -1);
    if (ds_indicator_index(ds, code) >= 0) {
        return;
    }
    if (decl > 0 && lua_getmetatable(L, decl)) {
        lua_pop(L, 1);
        decl = 0; /* reading it would run its metamethods: undeclared */
    }
    indicator d;
    strbuf ignored = STRBUF_INIT; /* a bad declaration is its own case's error */
    if (!read_indicator(L, decl, code, &d, &ignored)) {
        read_indicator(L, 0, code, &d, &ignored);
    }
    sb_free(&ignored);
    ds_add_indicator(ds, &d);
}

/* Pushes the sorted string keys of the table at idx (a list) [-0, +1, e]. */
static void string_keys(lua_State *L, int idx)
{
    sandbox_sorted_keys(L, idx);
    int keys = lua_gettop(L);
    lua_newtable(L);
    for (lua_Integer k = 1, n = (lua_Integer)lua_rawlen(L, keys), m = 0; k <= n; k++) {
        if (lua_rawgeti(L, keys, k) == LUA_TSTRING) {
            lua_rawseti(L, -2, ++m);
        } else {
            lua_pop(L, 1);
        }
    }
    lua_remove(L, keys);
}

/* Pushes t[name] of the table at idx without its metamethods [-0, +1, -]. */
static int raw_field(lua_State *L, int idx, const char *name)
{
    idx = lua_absindex(L, idx);
    lua_pushstring(L, name);
    return lua_rawget(L, idx);
}

/*
 * The indicators the pack's other cases name — declared, or given values —
 * are known in this case too, without values: a case that shows "no value:
 * insufficient data" leaves them out, and a pack reading one is not reading
 * a misspelt name (regression: "unknown indicator", exit 4). A name no case
 * gives stays unknown, so s:value("fail_shre") is still caught. Read raw:
 * another case's metamethods are its own to run, when it is read.
 */
static void add_case_indicators(lua_State *L, pack *p, dataset *ds)
{
    int top = lua_gettop(L);
    pack_push_field(p, "tests");
    int tt = lua_gettop(L);
    for (lua_Integer i = 1, n = lua_istable(L, tt) ? (lua_Integer)lua_rawlen(L, tt) : 0; i <= n;
         i++) {
        if (lua_rawgeti(L, tt, i) != LUA_TTABLE) {
            lua_settop(L, tt);
            continue;
        }
        int c = lua_gettop(L);
        if (raw_field(L, c, "indicators") == LUA_TTABLE) {
            int it = lua_gettop(L);
            string_keys(L, it);
            for (lua_Integer k = 1, m = (lua_Integer)lua_rawlen(L, -1); k <= m; k++) {
                lua_rawgeti(L, it + 1, k);
                lua_pushvalue(L, -1);
                lua_rawget(L, it);
                lua_insert(L, -2); /* declaration, code */
                add_known(L, ds, lua_gettop(L) - 1);
                lua_pop(L, 2);
            }
        }
        lua_settop(L, c);
        if (raw_field(L, c, "schools") == LUA_TTABLE) {
            int st = lua_gettop(L);
            for (lua_Integer j = 1, ns = (lua_Integer)lua_rawlen(L, st); j <= ns; j++) {
                if (lua_rawgeti(L, st, j) == LUA_TTABLE &&
                    raw_field(L, -1, "values") == LUA_TTABLE) {
                    string_keys(L, lua_gettop(L));
                    for (lua_Integer k = 1, m = (lua_Integer)lua_rawlen(L, -1); k <= m; k++) {
                        lua_rawgeti(L, -1, k);
                        add_known(L, ds, 0);
                        lua_pop(L, 1);
                    }
                }
                lua_settop(L, st);
            }
        }
        lua_settop(L, tt);
    }
    lua_settop(L, top);
}

/*
 * Builds the dataset of the test case at stack index tc into *out, set as
 * soon as it exists: the caller frees it, also after an error raised while
 * reading. Problems with the case itself go to err. Returns the dataset, or
 * NULL when the case is not right.
 */
static dataset *build(lua_State *L, int tc, const pack *p, strbuf *err, dataset **out)
{
    fixture_store *fs = calloc(1, sizeof *fs);
    if (!fs || !(fs->keys = strmap_new())) {
        store_free(fs);
        sb_puts(err, "out of memory");
        return NULL;
    }
    ds_source src = {store_load, fs, store_free};
    dataset *ds = ds_new(src);
    if (!ds) {
        store_free(fs);
        sb_puts(err, "out of memory");
        return NULL;
    }
    *out = ds;
    /* indicators declared by the case */
    int declared = 0;
    if (lua_getfield(L, tc, "indicators") == LUA_TTABLE) {
        declared = 1;
        int it = lua_gettop(L);
        sandbox_sorted_keys(L, it);
        for (lua_Integer k = 1, n = (lua_Integer)lua_rawlen(L, -1); k <= n; k++) {
            lua_rawgeti(L, -1, k);
            const char *code = lua_tostring(L, -1);
            lua_pushvalue(L, -1);
            lua_gettable(L, it);
            indicator ind;
            if (!code || !read_indicator(L, lua_gettop(L), code, &ind, err)) {
                if (!code) {
                    sb_puts(err, "indicators: a key must be an indicator code");
                }
                lua_settop(L, tc);
                return NULL;
            }
            ds_add_indicator(ds, &ind);
            lua_pop(L, 2);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if (lua_getfield(L, tc, "schools") != LUA_TTABLE) {
        sb_puts(err, "the case has no 'schools' list");
        lua_pop(L, 1);
        return NULL;
    }
    int st = lua_gettop(L);
    lua_Integer ns = (lua_Integer)lua_rawlen(L, st);
    /* First the schools, so that indexes are final (ds_finish sorts by code). */
    for (lua_Integer i = 1; i <= ns; i++) {
        lua_rawgeti(L, st, i);
        int s = lua_gettop(L);
        const char *code = lua_type(L, s) == LUA_TTABLE ? str_field(L, s, "code") : NULL;
        if (!code) {
            sb_printf(err, "schools[%lld] needs a code", (long long)i);
            lua_pop(L, 2);
            return NULL;
        }
        size_t code_len = 0;
        lua_getfield(L, s, "code");
        lua_tolstring(L, -1, &code_len);
        lua_pop(L, 1);
        int bad = code_len == 0 || strlen(code) != code_len;
        for (const unsigned char *c = (const unsigned char *)code; *c && !bad; c++) {
            bad = *c < ' ' || *c == 0x7F;
        }
        if (bad) {
            /* a message would name the school as "" or cut at the NUL */
            sb_printf(err, "schools[%lld]: the code must be a text without control "
                           "characters, not empty",
                      (long long)i);
            lua_pop(L, 2);
            return NULL;
        }
        static const char *const school_keys[] = {"code",     "name",       "territory",
                                                  "region",   "kind",       "settlement",
                                                  "attrs",    "values",     NULL};
        char what[96];
        snprintf(what, sizeof what, "school %.60s", code);
        if (!keys_known(L, s, school_keys, what, err)) {
            lua_pop(L, 2);
            return NULL;
        }
        const char *name = str_field(L, s, "name");
        int idx = ds_add_school(ds, code, name ? name : code, str_field(L, s, "territory"),
                                str_field(L, s, "region"), str_field(L, s, "kind"),
                                str_field(L, s, "settlement"));
        if (lua_getfield(L, s, "attrs") == LUA_TTABLE) {
            int at = lua_gettop(L);
            sandbox_sorted_keys(L, at);
            for (lua_Integer k = 1, n = (lua_Integer)lua_rawlen(L, -1); k <= n; k++) {
                lua_rawgeti(L, -1, k);
                lua_pushvalue(L, -1);
                lua_gettable(L, at);
                const char *an = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
                const char *av = lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER
                                     ? lua_tostring(L, -1)
                                     : NULL;
                if (!an || !av) {
                    /* skipped, the case would test a school without it */
                    sb_printf(err, "school %.60s: attrs: %s", code,
                              !an ? "a key must be an attribute name (a string)"
                                  : "a value must be a text or a number");
                    lua_settop(L, st - 1);
                    return NULL;
                }
                ds_add_attr(ds, idx, an, av);
                lua_pop(L, 2);
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 2);
    }
    if (ds_finish(ds) != 0) {
        sb_printf(err, "%s", ds->err[0] ? ds->err : "out of memory");
        lua_pop(L, 1);
        return NULL;
    }
    /* Then the values, by final index. */
    for (lua_Integer i = 1; i <= ns; i++) {
        lua_rawgeti(L, st, i);
        int s = lua_gettop(L);
        int idx = ds_school_index(ds, str_field(L, s, "code"));
        if (lua_getfield(L, s, "values") == LUA_TTABLE) {
            int vt = lua_gettop(L);
            sandbox_sorted_keys(L, vt);
            for (lua_Integer k = 1, n = (lua_Integer)lua_rawlen(L, -1); k <= n; k++) {
                lua_rawgeti(L, -1, k);
                const char *ind = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
                if (!ind) {
                    /* values = { [true] = … }: no code (and strlen(NULL) before) */
                    sb_printf(err, "school %s: values: a key must be an indicator code, not a %s",
                              ds->schools[idx].code, luaL_typename(L, -1));
                    lua_settop(L, st - 1);
                    return NULL;
                }
                if (ds_indicator_index(ds, ind) < 0 && declared) {
                    /* the case names its indicators: another name is a slip
                       (fail_shre), which would leave the school without data */
                    sb_printf(err, "school %s: values.%s: not an indicator of the case's "
                                   "'indicators' (", ds->schools[idx].code, ind);
                    for (size_t j = 0; j < ds->ninds; j++) {
                        sb_printf(err, "%s%s", j ? ", " : "", ds->inds[j].code);
                    }
                    sb_puts(err, "); misspelt, or add it there");
                    lua_settop(L, st - 1);
                    return NULL;
                }
                if (ds_indicator_index(ds, ind) < 0) {
                    indicator d;
                    read_indicator(L, 0, ind, &d, err);
                    ds_add_indicator(ds, &d);
                }
                lua_pushvalue(L, -1);
                lua_gettable(L, vt);
                if (lua_type(L, -1) != LUA_TTABLE) {
                    sb_printf(err, "school %s: values.%s must map periods to numbers",
                              ds->schools[idx].code, ind);
                    lua_settop(L, st - 1);
                    return NULL;
                }
                int pt = lua_gettop(L);
                sandbox_sorted_keys(L, pt);
                for (lua_Integer j = 1, m = (lua_Integer)lua_rawlen(L, -1); j <= m; j++) {
                    lua_rawgeti(L, -1, j);
                    char per[SHNOR_PERIOD_MAX];
                    strbuf bad = STRBUF_INIT;
                    if (!period_key(L, lua_gettop(L), per, sizeof per, &bad)) {
                        sb_printf(err, "school %s: values.%s: %s", ds->schools[idx].code, ind,
                                  bad.data ? bad.data : "");
                        sb_free(&bad);
                        lua_settop(L, st - 1);
                        return NULL;
                    }
                    sb_free(&bad);
                    lua_gettable(L, pt);
                    if (lua_type(L, -1) == LUA_TNUMBER) {
                        double x = lua_tonumber(L, -1);
                        if (!value_fits(&ds->inds[ds_indicator_index(ds, ind)], x, err)) {
                            sb_printf(err, " (school %s, %s %s)", ds->schools[idx].code, ind,
                                      per);
                            lua_settop(L, st - 1);
                            return NULL;
                        }
                        store_put(fs, ind, per, idx, x);
                    } else if (lua_type(L, -1) == LUA_TBOOLEAN) {
                        store_put(fs, ind, per, idx, lua_toboolean(L, -1));
                    } else if (!lua_isnil(L, -1)) {
                        sb_printf(err, "school %s: %s %s is a %s, not a number",
                                  ds->schools[idx].code, ind, per, luaL_typename(L, -1));
                        lua_settop(L, st - 1);
                        return NULL;
                    }
                    lua_pop(L, 1);
                }
                lua_pop(L, 3);
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 2);
    }
    lua_pop(L, 1);
    add_case_indicators(L, (pack *)p, ds);
    /* Earlier listings: { {school=, period=, category=[, pack=]} , ... } */
    if (lua_getfield(L, tc, "listings") == LUA_TTABLE) {
        int lt = lua_gettop(L);
        for (lua_Integer i = 1, n = (lua_Integer)lua_rawlen(L, lt); i <= n; i++) {
            lua_rawgeti(L, lt, i);
            int e = lua_gettop(L);
            static const char *const listing_keys[] = {"school", "period", "category", "pack",
                                                       "cohort", NULL};
            char what[48];
            snprintf(what, sizeof what, "listings[%lld]", (long long)i);
            if (lua_type(L, e) == LUA_TTABLE && !keys_known(L, e, listing_keys, what, err)) {
                lua_settop(L, lt - 1);
                return NULL;
            }
            const char *school = lua_type(L, e) == LUA_TTABLE ? str_field(L, e, "school") : NULL;
            int idx = school ? ds_school_index(ds, school) : -1;
            char per[SHNOR_PERIOD_MAX] = "";
            if (idx >= 0) {
                lua_getfield(L, e, "period");
                int ok = period_key(L, lua_gettop(L), per, sizeof per, err);
                lua_pop(L, 1);
                if (!ok) {
                    lua_settop(L, lt - 1);
                    return NULL;
                }
            }
            const char *cat = idx >= 0 ? str_field(L, e, "category") : NULL;
            if (idx < 0 || !cat) {
                sb_printf(err, "listings[%lld] needs a known school, a period and a category",
                          (long long)i);
                lua_settop(L, lt - 1);
                return NULL;
            }
            const char *of = str_field(L, e, "pack");
            if ((!of || strcmp(of, p->id) == 0) && pack_category_index(p, cat) < 0) {
                sb_printf(err, "listings[%lld]: category '%s' is not one of the pack's; give "
                               "pack = \"…\" for another pack's listing",
                          (long long)i, cat);
                lua_settop(L, lt - 1);
                return NULL;
            }
            ds_add_listing(ds, idx, per, of, cat, str_field(L, e, "cohort"));
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    return ds;
}

/*
 * Reads the name, period and dataset of the case [-2, +0, e]: the case_read
 * (light userdata), then the case. A protected call: the case's tables are
 * the pack's, and reading them can run its metamethods. The KEEP table is
 * pushed at index 3.
 */
int fixture_read_case(lua_State *L)
{
    case_read *cr = lua_touserdata(L, 1);
    lua_settop(L, 2);
    lua_newtable(L); /* KEEP */
    const char *name = lua_type(L, 2) == LUA_TTABLE ? str_field(L, 2, "name") : NULL;
    snprintf(cr->label, sizeof cr->label, "%s", name ? name : "");
    if (lua_type(L, 2) != LUA_TTABLE) {
        sb_puts(cr->why, "a test case must be a table");
        return 0;
    }
    static const char *const case_keys[] = {"name",   "period",       "indicators",
                                            "schools", "listings",    "expect",
                                            "insufficient", "cohorts", "mentors", NULL};
    if (!keys_known(L, 2, case_keys, "the case", cr->why)) {
        return 0;
    }
    if (!name || !*name) {
        /* nameless cases cannot be told apart in the output or by the
           duplicate check */
        sb_puts(cr->why, "the case needs a 'name' (a text saying what it shows)");
        return 0;
    }
    if (lua_getfield(L, 2, "expect") == LUA_TNIL && lua_getfield(L, 2, "insufficient") == LUA_TNIL &&
        lua_getfield(L, 2, "cohorts") == LUA_TNIL && lua_getfield(L, 2, "mentors") == LUA_TNIL) {
        sb_puts(cr->why, "the case checks nothing: give expect, insufficient, cohorts or mentors");
        return 0;
    }
    lua_settop(L, 3);
    if (lua_getfield(L, 2, "period") == LUA_TNIL) {
        sb_puts(cr->why, "the case has no 'period' (the period it is evaluated for, as "
                         "\"2023\")");
        return 0;
    }
    int ok = period_key(L, lua_gettop(L), cr->per, sizeof cr->per, cr->why);
    lua_pop(L, 1);
    cr->built = ok && build(L, 2, cr->p, cr->why, &cr->ds) != NULL;
    return 0;
}
