/*
 * fixture.c — a pack's own tests: each case in `tests` describes schools,
 * their values and earlier listings for one period, and the listing expected;
 * the case runs through the same evaluation as real data, without a database.
 *
 *   tests = {
 *     { name = "доля двоек выше порога", period = "2023",
 *       indicators = { fail_share = { unit = "share", better = "lower" } },
 *       schools = {
 *         { code = "A", territory = "Т", values = { fail_share = { ["2023"] = 0.3 } } },
 *         { code = "B", territory = "Т", values = { fail_share = { ["2023"] = 0.1 } } },
 *       },
 *       listings = { { school = "A", period = "2022", category = "low" } },
 *       expect = { low = { "A" } },
 *       insufficient = { low = {} },
 *       cohorts = { persistent = { "A" } },   -- optional: listed schools per cohort
 *       mentors = { A = "M" },                -- optional: "" for "no mentor"
 *     },
 *   }
 */
#include "fixture.h"

#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
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

static int store_load(void *arg, const ds_column *col, const indicator *ind, double *v,
                      char *err, size_t errlen)
{
    fixture_store *fs = arg;
    char key[256];
    int n = snprintf(key, sizeof key, "%s\t%s", ind->code, col->period_text);
    int64_t *slot = strmap_get(fs->keys, key, (size_t)n);
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
    char key[256];
    int n = snprintf(key, sizeof key, "%s\t%s", ind, period);
    int added;
    int64_t *slot = strmap_put(fs->keys, key, (size_t)n, &added);
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
    if (lua_getfield(L, tc, "indicators") == LUA_TTABLE) {
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
                const char *an = lua_tostring(L, -2), *av = lua_tostring(L, -1);
                if (an && av) {
                    ds_add_attr(ds, idx, an, av);
                }
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
                const char *ind = lua_tostring(L, -1);
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
                        store_put(fs, ind, per, idx, lua_tonumber(L, -1));
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

/* Sorted, comma-joined codes of the table (list of codes) at idx. */
static void codes_of(lua_State *L, int idx, strbuf *out)
{
    lua_newtable(L);
    for (lua_Integer i = 1, n = (lua_Integer)lua_rawlen(L, idx); i <= n; i++) {
        lua_rawgeti(L, idx, i);
        lua_pushboolean(L, 1);
        lua_rawset(L, -3);
    }
    sandbox_sorted_keys(L, -1);
    for (lua_Integer i = 1, n = (lua_Integer)lua_rawlen(L, -1); i <= n; i++) {
        lua_rawgeti(L, -1, i);
        sb_printf(out, "%s%s", i > 1 ? ", " : "", lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 2);
}

/* Comma-joined codes (in code order) of rows of category k with status. */
static void got_codes(const evaluation *ev, int k, int status, strbuf *out)
{
    int first = 1;
    for (size_t i = 0; i < ev->nrows; i++) {
        if (ev->rows[i].category == k && ev->rows[i].status == status) {
            sb_printf(out, "%s%s", first ? "" : ", ", ev->ds->schools[ev->rows[i].school].code);
            first = 0;
        }
    }
}

/* Compares `expect` or `insufficient` of the case (at tc) for one status. */
static void compare(pack *p, const evaluation *ev, int tc, const char *field, int status,
                    strbuf *why)
{
    lua_State *L = p->sb->L;
    if (lua_getfield(L, tc, field) != LUA_TTABLE) {
        lua_pop(L, 1);
        return;
    }
    int et = lua_gettop(L);
    sandbox_sorted_keys(L, et);
    for (lua_Integer i = 1, n = (lua_Integer)lua_rawlen(L, -1); i <= n; i++) {
        lua_rawgeti(L, -1, i);
        const char *cat = lua_tostring(L, -1);
        int k = cat ? pack_category_index(p, cat) : -1;
        lua_pushvalue(L, -1);
        lua_gettable(L, et);
        if (k < 0) {
            sb_printf(why, "%s names category '%s', which the pack does not have; ", field,
                      cat ? cat : "?");
        } else if (lua_type(L, -1) != LUA_TTABLE) {
            sb_printf(why, "%s.%s must be a list of school codes; ", field, cat);
        } else {
            strbuf want = STRBUF_INIT, got = STRBUF_INIT;
            codes_of(L, lua_gettop(L), &want);
            got_codes(ev, k, status, &got);
            if (strcmp(want.data, got.data) != 0) {
                sb_printf(why, "%s %s: expected {%s}, got {%s}; ",
                          status == ROW_LISTED ? "listed in" : "insufficient data in", cat,
                          want.data, got.data);
            }
            sb_free(&want);
            sb_free(&got);
        }
        lua_pop(L, 2);
    }
    lua_pop(L, 2);
}

/* Compares `cohorts = { cohort_id = { codes… } }`: exactly these listed
   schools got that cohort. */
static void compare_cohorts(pack *p, const evaluation *ev, int tc, strbuf *why)
{
    lua_State *L = p->sb->L;
    if (lua_getfield(L, tc, "cohorts") != LUA_TTABLE) {
        lua_pop(L, 1);
        return;
    }
    int et = lua_gettop(L);
    sandbox_sorted_keys(L, et);
    for (lua_Integer i = 1, n = (lua_Integer)lua_rawlen(L, -1); i <= n; i++) {
        lua_rawgeti(L, -1, i);
        const char *id = lua_tostring(L, -1);
        int c = id ? pack_cohort_index(p, id) : -1;
        lua_pushvalue(L, -1);
        lua_gettable(L, et);
        if (c < 0) {
            sb_printf(why, "cohorts names cohort '%s', which the pack does not have; ",
                      id ? id : "?");
        } else if (lua_type(L, -1) != LUA_TTABLE) {
            sb_printf(why, "cohorts.%s must be a list of school codes; ", id);
        } else {
            strbuf want = STRBUF_INIT, got = STRBUF_INIT;
            codes_of(L, lua_gettop(L), &want);
            int last = -1;
            for (size_t r = 0; r < ev->nrows; r++) {
                const ev_row *row = &ev->rows[r];
                if (row->status == ROW_LISTED && row->cohort == c && row->school != last) {
                    sb_printf(&got, "%s%s", got.len ? ", " : "",
                              ev->ds->schools[row->school].code);
                    last = row->school;
                }
            }
            if (strcmp(want.data, got.data) != 0) {
                sb_printf(why, "cohort %s: expected {%s}, got {%s}; ", id, want.data, got.data);
            }
            sb_free(&want);
            sb_free(&got);
        }
        lua_pop(L, 2);
    }
    lua_pop(L, 2);
}

/* Compares `mentors = { school = "mentor" }` ("" for none) with the mentor
   of each named school's listed rows. */
static void compare_mentors(pack *p, const evaluation *ev, int tc, strbuf *why)
{
    lua_State *L = p->sb->L;
    if (lua_getfield(L, tc, "mentors") != LUA_TTABLE) {
        lua_pop(L, 1);
        return;
    }
    int et = lua_gettop(L);
    sandbox_sorted_keys(L, et);
    for (lua_Integer i = 1, n = (lua_Integer)lua_rawlen(L, -1); i <= n; i++) {
        lua_rawgeti(L, -1, i);
        const char *code = lua_tostring(L, -1);
        lua_pushvalue(L, -1);
        lua_gettable(L, et);
        const char *want = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        int school = code ? ds_school_index(ev->ds, code) : -1;
        const ev_row *found = NULL;
        for (size_t r = 0; school >= 0 && r < ev->nrows && !found; r++) {
            if (ev->rows[r].school == school && ev->rows[r].status == ROW_LISTED) {
                found = &ev->rows[r];
            }
        }
        if (!want) {
            sb_printf(why, "mentors.%s must be a school code or \"\"; ", code ? code : "?");
        } else if (!found) {
            sb_printf(why, "mentor of %s: expected '%s', but the school is not listed; ",
                      code ? code : "?", want);
        } else if (strcmp(found->mentor ? found->mentor : "", want) != 0) {
            sb_printf(why, "mentor of %s: expected '%s', got '%s'; ", code, want,
                      found->mentor ? found->mentor : "");
        }
        lua_pop(L, 2);
    }
    lua_pop(L, 2);
}

/* What reading one case gives; the caller frees ds, set or not. */
typedef struct {
    const pack *p;
    strbuf *why;
    char label[160];
    char per[SHNOR_PERIOD_MAX];
    dataset *ds;
    int built; /* ds is the case's dataset, ready to evaluate */
} case_read;

/*
 * Reads the name, period and dataset of the case [-2, +0, e]: the case_read
 * (light userdata), then the case. A protected call: the case's tables are
 * the pack's, and reading them can run its metamethods. The KEEP table is
 * pushed at index 3.
 */
static int read_case(lua_State *L)
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
    if (lua_getfield(L, 2, "expect") == LUA_TNIL && lua_getfield(L, 2, "insufficient") == LUA_TNIL &&
        lua_getfield(L, 2, "cohorts") == LUA_TNIL && lua_getfield(L, 2, "mentors") == LUA_TNIL) {
        sb_puts(cr->why, "the case checks nothing: give expect, insufficient, cohorts or mentors");
        return 0;
    }
    lua_settop(L, 3);
    lua_getfield(L, 2, "period");
    int ok = period_key(L, lua_gettop(L), cr->per, sizeof cr->per, cr->why);
    lua_pop(L, 1);
    cr->built = ok && build(L, 2, cr->p, cr->why, &cr->ds) != NULL;
    return 0;
}

/* The evaluation of a case and where mismatches go. */
typedef struct {
    pack *p;
    const evaluation *ev;
    strbuf *why;
} case_compare;

/* compare() of expect and insufficient, as a protected call [-2, +0, e]: the
   case_compare (light userdata), then the case. */
static int compare_case(lua_State *L)
{
    case_compare *cc = lua_touserdata(L, 1);
    compare(cc->p, cc->ev, 2, "expect", ROW_LISTED, cc->why);
    compare(cc->p, cc->ev, 2, "insufficient", ROW_INSUFFICIENT, cc->why);
    compare_cohorts(cc->p, cc->ev, 2, cc->why);
    compare_mentors(cc->p, cc->ev, 2, cc->why);
    return 0;
}

/* Runs f(ud, case at tc) through sandbox_pcall; a failure is added to why.
   Returns 0, or -1 after an error (*status = SHNOR_LIMIT after a limit). */
static int run_protected(pack *p, lua_CFunction f, void *ud, int tc, const char *what,
                         strbuf *why, int *status)
{
    lua_State *L = p->sb->L;
    lua_pushcfunction(L, f);
    lua_pushlightuserdata(L, ud);
    lua_pushvalue(L, tc);
    if (sandbox_pcall(p->sb, 2, 0) == LUA_OK) {
        return 0;
    }
    sb_printf(why, "%s failed: %s", what, lua_isstring(L, -1) ? lua_tostring(L, -1) : "?");
    lua_pop(L, 1);
    if (p->sb->tripped) {
        *status = SHNOR_LIMIT;
    }
    return -1;
}

/* What row r of ev says, for a message: "B low listed". */
static void describe_row(const evaluation *ev, const ev_row *r, strbuf *sb)
{
    static const char *const status[] = {"", "listed", "insufficient_data", "excluded"};
    sb_printf(sb, "%s %s %s", ev->ds->schools[r->school].code, ev->p->cats[r->category].id,
              r->status >= 1 && r->status <= 3 ? status[r->status] : "?");
    if (r->cohort >= 0) {
        sb_printf(sb, " cohort %s", ev->p->cohorts[r->cohort].id);
    }
    if (r->mentor) {
        sb_printf(sb, " mentor %s", r->mentor);
    }
}

/*
 * From 2,048 schools shnor evaluates two halves at once, each in a state of
 * its own (eval_halves.c): a criterion that depends on what earlier schools left in
 * the pack's variables gives another listing then. The case is evaluated
 * again in halves, and any difference from ev fails it, naming the first.
 */
static void same_in_halves(pack *p, dataset *ds, shnor_period period, const evaluation *ev,
                           strbuf *why, int *status)
{
    if (ds->nschools < 2) {
        return;
    }
    evaluation *halves = NULL;
    int rc = eval_listing_from(p, ds, period, 2, &halves);
    const ev_row *a = NULL, *b = NULL;
    if (rc == SHNOR_OK) {
        size_t n = ev->nrows < halves->nrows ? ev->nrows : halves->nrows;
        for (size_t k = 0; k < n && !a; k++) {
            const ev_row *x = &ev->rows[k], *y = &halves->rows[k];
            int same_mentor = (!x->mentor && !y->mentor) ||
                              (x->mentor && y->mentor && strcmp(x->mentor, y->mentor) == 0);
            if (x->school != y->school || x->category != y->category ||
                x->status != y->status || x->cohort != y->cohort || x->held != y->held ||
                !same_mentor) {
                a = x;
                b = y;
            }
        }
        if (!a && ev->nrows != halves->nrows) {
            /* one has a row more: the other is silent about that school */
            a = ev->nrows > n ? &ev->rows[n] : NULL;
            b = halves->nrows > n ? &halves->rows[n] : NULL;
        }
    }
    if (rc != SHNOR_OK || a || b) {
        sb_puts(why, "evaluated in two halves, each in a state of its own (as shnor does from "
                     "2,048 schools), the pack gives ");
        if (rc != SHNOR_OK) {
            sb_printf(why, "an error: %s", halves ? halves->err.data : "out of memory");
            if (rc == SHNOR_LIMIT) {
                *status = SHNOR_LIMIT;
            }
        } else {
            sb_puts(why, "another listing: ");
            if (a) {
                describe_row(ev, a, why);
                sb_puts(why, " alone");
            }
            if (a && b) {
                sb_puts(why, ", ");
            }
            if (b) {
                describe_row(halves, b, why);
                sb_puts(why, " in halves");
            }
        }
        sb_puts(why, "; a criterion, cohort or mentor depends on what earlier schools left in the pack's "
                     "variables");
    }
    eval_free(halves);
}

int fixture_run(pack *p, FILE *out, fixture_totals *tot)
{
    lua_State *L = p->sb->L;
    uint8_t *seen = calloc(p->ncrits ? p->ncrits : 1, 1); /* bit 1 fired, bit 2 not fired */
    if (!seen) {
        return SHNOR_NOMEM;
    }
    int status = SHNOR_OK;
    pack_push_field(p, "tests");
    int tt = lua_gettop(L);
    lua_Integer ncases = lua_type(L, tt) == LUA_TTABLE ? (lua_Integer)lua_rawlen(L, tt) : 0;
    if (ncases == 0) {
        fprintf(out, "%s: no tests\n", p->path);
    }
    for (lua_Integer i = 1; i <= ncases; i++) {
        lua_rawgeti(L, tt, i);
        int tc = lua_gettop(L);
        strbuf why = STRBUF_INIT;
        case_read cr = {.p = p, .why = &why};
        evaluation *ev = NULL;
        if (run_protected(p, read_case, &cr, tc, "reading the case", &why, &status) == 0 &&
            cr.built) {
            shnor_period period;
            period_parse_n(cr.per, strlen(cr.per), &period, NULL, 0);
            int rc = eval_listing(p, cr.ds, period, &ev);
            if (rc != SHNOR_OK) {
                sb_printf(&why, "%s", ev ? ev->err.data : "out of memory");
                if (rc == SHNOR_LIMIT) {
                    status = SHNOR_LIMIT;
                }
            } else {
                case_compare cc = {p, ev, &why};
                run_protected(p, compare_case, &cc, tc, "comparing the listing", &why, &status);
                if (!why.len) {
                    same_in_halves(p, cr.ds, period, ev, &why, &status);
                }
                for (size_t s = 0; s < cr.ds->nschools; s++) {
                    for (size_t c = 0; c < p->ncrits; c++) {
                        int8_t r = ev->results[s * p->ncrits + c];
                        seen[c] |= r == CRIT_FIRED ? 1 : r == CRIT_NOT ? 2 : 0;
                    }
                }
            }
        }
        if (why.len) {
            sb_truncate(&why, why.len >= 2 && why.data[why.len - 2] == ';' ? why.len - 2
                                                                            : why.len);
            fprintf(out, "FAIL %lld - %s: %s\n", (long long)i, cr.label, why.data);
            /* where the case is written, as the text says `name = "…"` */
            int line = *cr.label ? pack_locate(p, "name", cr.label,
                                               pack_locate_key(p, "tests", 1, 1), 0)
                                 : 0;
            if (line > 0) {
                fprintf(out, "  the case is at %s:%d\n", p->path, line);
            }
            tot->failed++;
        } else {
            fprintf(out, "ok %lld - %s\n", (long long)i, cr.label);
            tot->passed++;
        }
        sb_free(&why);
        eval_free(ev);
        ds_free(cr.ds);
        lua_settop(L, tt);
        if (status == SHNOR_LIMIT) {
            break;
        }
    }
    lua_settop(L, tt - 1);
    /* Coverage: a criterion no case made fire, or none made not fire. */
    strbuf never_fired = STRBUF_INIT, never_not = STRBUF_INIT;
    for (size_t c = 0; c < p->ncrits; c++) {
        if (!(seen[c] & 1)) {
            sb_printf(&never_fired, "%s%s", never_fired.len ? ", " : "", p->crits[c].id);
            tot->uncovered++;
        }
        if (!(seen[c] & 2)) {
            sb_printf(&never_not, "%s%s", never_not.len ? ", " : "", p->crits[c].id);
            tot->uncovered++;
        }
    }
    if (!never_fired.len && !never_not.len) {
        fprintf(out, "coverage: every criterion of %s fired and did not fire in some case\n",
                p->id ? p->id : p->path);
    } else {
        fprintf(out, "coverage of %s:", p->id ? p->id : p->path);
        if (never_fired.len) {
            fprintf(out, " never fired: %s;", never_fired.data);
        }
        if (never_not.len) {
            fprintf(out, " never did not fire: %s;", never_not.data);
        }
        fputc('\n', out);
    }
    sb_free(&never_fired);
    sb_free(&never_not);
    free(seen);
    return status;
}
