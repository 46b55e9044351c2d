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
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "fixtureInt.h"
#include "strmap.h"

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
                sb_printf(why, "%s %s: expected {%s}, got {%s}",
                          status == ROW_LISTED ? "listed in" : "insufficient data in", cat,
                          want.data, got.data);
                /* a code the case has no school of can never be got: say so */
                int it = lua_gettop(L), said = 0;
                for (lua_Integer j = 1, m = (lua_Integer)lua_rawlen(L, it); j <= m; j++) {
                    lua_rawgeti(L, it, j);
                    const char *code = lua_tostring(L, -1);
                    if (code && ds_school_index(ev->ds, code) < 0) {
                        sb_printf(why, "%s'%s'", said++ ? ", " : " (the case has no school ",
                                  code);
                    }
                    lua_pop(L, 1);
                }
                sb_puts(why, said ? ")" : "");
                sb_puts(why, "; ");
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
    /* case names: name -> the case it first named (1-based) */
    strmap *names = strmap_new();
    if (!names) {
        free(seen);
        lua_settop(L, tt - 1);
        return SHNOR_NOMEM;
    }
    for (lua_Integer i = 1; i <= ncases; i++) {
        lua_rawgeti(L, tt, i);
        int tc = lua_gettop(L);
        strbuf why = STRBUF_INIT;
        case_read cr = {.p = p, .why = &why};
        evaluation *ev = NULL;
        if (run_protected(p, fixture_read_case, &cr, tc, "reading the case", &why, &status) == 0 &&
            cr.built) {
            shnor_period period;
            period_parse_n(cr.per, strlen(cr.per), &period, NULL, 0);
            int rc = eval_listing(p, cr.ds, period, &ev);
            if (rc != SHNOR_OK) {
                sb_printf(&why, "%s", ev ? ev->err.data : "out of memory");
                if (rc == SHNOR_LIMIT) {
                    status = SHNOR_LIMIT;
                } else if (rc == SHNOR_PACK && status == SHNOR_OK) {
                    /* the pack failed to evaluate (exit 4), not the case's
                       expectation (6): what is to fix is the pack */
                    status = SHNOR_PACK;
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
        /* Two cases of one name: a failure would be said to be where the
           first is written. */
        int added = 0, earlier = 0;
        int64_t *first = *cr.label ? strmap_put(names, cr.label, strlen(cr.label), &added)
                                   : NULL;
        if (first && added) {
            *first = i;
        } else if (first) {
            earlier = (int)*first;
            sb_printf(&why, "case %d has this name too; give each case a name of its own; ",
                      earlier);
        }
        if (why.len) {
            sb_truncate(&why, why.len >= 2 && why.data[why.len - 2] == ';' ? why.len - 2
                                                                            : why.len);
            fprintf(out, "FAIL %lld - %s: %s\n", (long long)i, cr.label, why.data);
            /* where the case is written, as the text says `name = "…"` (not
               said for a second case of the name: it would be the first's) */
            int line = *cr.label && !earlier
                           ? pack_locate(p, "name", cr.label,
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
    strmap_free(names);
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
