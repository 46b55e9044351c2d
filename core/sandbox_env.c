/*
 * sandbox_env.c — the environment pack code runs in, built from an
 * allow-list: the base functions a pack may use, with print (into a capped
 * log), setmetatable (no __gc), collectgarbage (refused, with why), load (text
 * only, the pack environment by default) and pairs (sorted keys) replaced;
 * table, utf8, coroutine, math (deterministic seeds) and the os subset
 * time, date, clock and difftime; the bounded string library; strict
 * globals; and `require`, which loads modules of the rules library only and
 * records what it loaded for the run record, with the list of every module
 * it could load (sandbox_lib_each), which a run keeps too.
 *
 * Stack effects follow the Lua manual's [-o, +p, x] notation.
 */
#include "sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sha2.h>

#include "encoding.h"
#include "sandboxInt.h"

#define LOG_CAP (64 * 1024)

/* Registry keys (addresses are unique). */
static const char key_env = 'e';
static const char key_loaded = 'l';
static const char key_load = 'L';
static const char key_randomseed = 'r';
static const char key_loading_guard = 'g';

/* ------------------------------------------------------------ the library */

/*
 * print(...) [-n, +0, e]: into the capped log, never to stdout. Every
 * argument is converted first (its __tostring is pack code, and may raise),
 * then the line is appended only if it fits, so no C memory is held across a
 * Lua call and an argument list of any size costs no memory outside the cap.
 * The work is charged: one step per argument and per BYTES_PER_STEP bytes.
 */
static int sbx_print(lua_State *L)
{
    sandbox *sb = sandbox_of(L);
    int n = lua_gettop(L);
    size_t total = n > 0 ? (size_t)n - 1 : 0; /* the tabs */
    for (int i = 1; i <= n; i++) {
        size_t len;
        /* as tostring gives it: "table", never an address that differs
           from run to run */
        if (sandbox_push_addressless(L, i)) {
            lua_replace(L, i);
        }
        luaL_tolstring(L, i, &len);
        lua_replace(L, i);
        total += len;
    }
    if (sb) {
        if (sb->log.len + total + 1 <= LOG_CAP) {
            for (int i = 1; i <= n; i++) {
                size_t len;
                const char *s = lua_tolstring(L, i, &len);
                if (i > 1) {
                    sb_putc(&sb->log, '\t');
                }
                sb_append(&sb->log, s, len);
            }
            sb_putc(&sb->log, '\n');
        } else {
            sb->log_dropped++;
        }
    }
    sandbox_charge(L, (uint64_t)n + total / BYTES_PER_STEP);
    return 0;
}

/* setmetatable(t, mt) [-2, +1, e]: refuses __gc, which would run with hooks off. */
static int sbx_setmetatable(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_getfield(L, 2, "__gc");
        int has_gc = !lua_isnil(L, -1);
        lua_pop(L, 1);
        if (has_gc) {
            return luaL_error(L, "__gc metamethods are not allowed in rule packs");
        }
    } else {
        luaL_argexpected(L, lua_isnil(L, 2), 2, "nil or table");
    }
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL) {
        return luaL_error(L, "cannot change a protected metatable");
    }
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

/*
 * xpcall's message handler, guarded. Lua calls the handler where the error
 * was raised; for a limit that is the count hook, which runs with hooks off,
 * so a handler that loops (`xpcall(f, function() while true do end end)`)
 * would run unmetered and forever. Once a limit has tripped the error goes
 * back as it is and the pack's handler is not called; before, it is called
 * as Lua would (metered like any code).
 */
static int guarded_handler(lua_State *L)
{
    sandbox *sb = sandbox_of(L);
    if (sb && sb->tripped != SBX_OK) {
        lua_settop(L, 1);
        return 1;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int xpcall_done(lua_State *L, int status, lua_KContext ctx)
{
    (void)status;
    (void)ctx;
    return lua_gettop(L);
}

/* xpcall(f, handler, ...) with the handler guarded (above); yields through
   it as through Lua's own. */
static int sbx_xpcall(lua_State *L)
{
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, guarded_handler, 1);
    lua_replace(L, 2);
    lua_pushvalue(L, lua_upvalueindex(1)); /* Lua's xpcall */
    lua_insert(L, 1);
    lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 0, xpcall_done);
    return xpcall_done(L, LUA_OK, 0);
}

/* collectgarbage(...) [-1, +0, e]: refused, "count" too — the memory in use
   differs between one Lua state and two halves of the schools, and from run
   to run, so a pack reading it would list differently (the memory limit is
   what bounds a pack). Kept as a function to say so. */
static int sbx_collectgarbage(lua_State *L)
{
    const char *opt = luaL_optstring(L, 1, "collect");
    return luaL_error(L,
                      "collectgarbage('%s') is not allowed in rule packs: what it does and "
                      "reports depends on the run, not on the data",
                      opt);
}

/* The reader function given to load, charged for each piece it returns:
   the parser works through them in C, where no hook counts [-0, +1, e]. */
static int charged_reader(lua_State *L)
{
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_call(L, 0, 1);
    if (lua_type(L, -1) == LUA_TSTRING) {
        sandbox_charge(L, 1 + lua_rawlen(L, -1)); /* parsing: a step per byte */
    }
    return 1;
}

/* load(chunk [, name [, mode [, env]]]) [-?, +2, e]: text only, pack env by default. */
static int sbx_load(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TSTRING) {
        sandbox_charge(L, 1 + lua_rawlen(L, 1)); /* parsing: a step per byte */
    } else if (lua_type(L, 1) == LUA_TFUNCTION) {
        lua_pushvalue(L, 1);
        lua_pushcclosure(L, charged_reader, 1);
        lua_replace(L, 1);
    }
    const char *mode = luaL_optstring(L, 3, "t");
    if (strchr(mode, 'b')) {
        return luaL_error(L, "binary chunks are not allowed in rule packs");
    }
    int has_env = !lua_isnone(L, 4);
    lua_settop(L, 4);
    lua_pushliteral(L, "t");
    lua_replace(L, 3);
    if (!has_env) {
        lua_rawgetp(L, LUA_REGISTRYINDEX, &key_env);
        lua_replace(L, 4);
    }
    lua_rawgetp(L, LUA_REGISTRYINDEX, &key_load);
    lua_insert(L, 1);
    lua_call(L, 4, LUA_MULTRET);
    return lua_gettop(L);
}

/* math.randomseed(n) [-1, +0, e]: deterministic seeds only. */
static int sbx_randomseed(lua_State *L)
{
    luaL_checkinteger(L, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &key_randomseed);
    lua_pushvalue(L, 1);
    lua_call(L, 1, 0);
    return 0;
}

/* The undefined-global trap [-2, +0, e]. */
static int strict_index(lua_State *L)
{
    const char *name = lua_tostring(L, 2);
    return luaL_error(L, "undefined global '%s' (a misspelt name?)", name ? name : "?");
}

void sandbox_set_readonly_global(sandbox *sb, const char *name)
{
    lua_State *L = sb->L;
    sandbox_make_readonly(L, name);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &key_env);
    lua_insert(L, -2);
    lua_setfield(L, -2, name);
    lua_pop(L, 1);
}

void sandbox_push_env(sandbox *sb)
{
    lua_rawgetp(sb->L, LUA_REGISTRYINDEX, &key_env);
}

int sandbox_load(sandbox *sb, const char *text, size_t len, const char *chunkname)
{
    lua_State *L = sb->L;
    /* A file (a pack, a module: "@path"), not a string given to load():
       Notepad's byte-order mark and a "#!" first line, which lua itself
       passes over in a file, are passed over, the line numbers staying
       those of the file. */
    int file = chunkname[0] == '@';
    const char *name = file ? chunkname + 1 : chunkname;
    if (file && len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3, len -= 3;
    }
    if (file && len && text[0] == '#') {
        const char *nl = memchr(text, '\n', len);
        len -= nl ? (size_t)(nl - text) : len;
        text = nl ? nl : text;
    }
    /* A file saved as Windows-1251 would print its titles as U+FFFD in
       every output: said once, where it starts. (A binary chunk is left to
       Lua, which refuses it as such.) */
    size_t bad = len;
    /* Not for the sources a run kept (stored_modules): those were run, and a
       closed year replays as it was. */
    if (file && !sb->stored_modules && !(len && text[0] == LUA_SIGNATURE[0]) &&
        !utf8_valid(text, len, &bad)) {
        long line = 1, col = 1;
        for (size_t i = 0; i < bad; i++) {
            if (text[i] == '\n') {
                line++, col = 1;
            } else {
                col += ((unsigned char)text[i] & 0xC0) != 0x80;
            }
        }
        char msg[512];
        if (enc_utf16_bom(text, len)) {
            /* Notepad's "Unicode" */
            snprintf(msg, sizeof msg,
                     "%s:1: the text is UTF-16 (it starts with its byte-order mark), not "
                     "UTF-8; save the file as UTF-8",
                     name);
        } else {
            snprintf(msg, sizeof msg,
                     "%s:%ld: the text is not UTF-8 (column %ld: byte 0x%02X); saved as "
                     "Windows-1251? Save the file as UTF-8",
                     name, line, col, (unsigned char)text[bad]);
        }
        lua_pushstring(L, msg);
        return LUA_ERRSYNTAX;
    }
    int rc = luaL_loadbufferx(L, text, len, chunkname, "t");
    if (rc != LUA_OK) {
        return rc;
    }
    sandbox_push_env(sb);
    lua_setupvalue(L, -2, 1);
    return LUA_OK;
}

/* A module name maps to lib_dir/name.lua: letters, digits and '_' only. */
static int module_name_ok(const char *s)
{
    if (!*s || strlen(s) > 64) {
        return 0;
    }
    for (; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '_')) {
            return 0;
        }
    }
    return 1;
}

/* A copy of the stored module `name` (caller frees), NULL when absent. */
static char *stored_module(const sandbox *sb, const char *name, size_t *len)
{
    const char *p = sb->stored_modules, *end = p + sb->stored_len;
    while (p < end) {
        const char *text = p + strlen(p) + 1;
        if (text >= end) {
            break;
        }
        size_t n = strlen(text);
        if (strcmp(p, name) == 0) {
            char *copy = malloc(n + 1);
            if (copy) {
                memcpy(copy, text, n + 1);
                *len = n;
            }
            return copy;
        }
        p = text + n + 1;
    }
    return NULL;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The module names of lib_dir's NAME.lua files, sorted (caller frees each
   and the array); -1 when memory ran out, 0 with none for a missing dir. */
static int lib_names(const char *dir, char ***out, size_t *n)
{
    char **v = NULL;
    size_t cap = 0;
    int rc = 0;
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) {
        return 0; /* no library: require could read nothing */
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len <= 4 || strcmp(e->d_name + len - 4, ".lua") != 0) {
            continue;
        }
        char name[80];
        if (len - 4 >= sizeof name) {
            continue; /* longer than a module name may be */
        }
        memcpy(name, e->d_name, len - 4);
        name[len - 4] = '\0';
        if (!module_name_ok(name)) {
            continue;
        }
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            char **nv = realloc(v, ncap * sizeof *nv);
            if (!nv) {
                rc = -1;
                break;
            }
            v = nv;
            cap = ncap;
        }
        if (!(v[*n] = strdup(name))) {
            rc = -1;
            break;
        }
        (*n)++;
    }
    closedir(d);
    if (*n) {
        qsort(v, *n, sizeof *v, cmp_name);
    }
    *out = v;
    return rc;
}

int sandbox_lib_each(const sandbox *sb, size_t max_len,
                     int (*fn)(void *arg, const char *name, const char *text, size_t len),
                     void *arg)
{
    if (sb->stored_modules) {
        /* A pack loaded from a kept run requires from what the run kept. */
        const char *p = sb->stored_modules, *end = p + sb->stored_len;
        while (p < end) {
            const char *text = p + strlen(p) + 1;
            if (text >= end) {
                break;
            }
            size_t n = strlen(text);
            int rc = n <= max_len ? fn(arg, p, text, n) : 0;
            if (rc) {
                return rc;
            }
            p = text + n + 1;
        }
        return 0;
    }
    if (!sb->lib_dir) {
        return 0; /* require is refused */
    }
    char **names = NULL;
    size_t nnames = 0;
    int rc = lib_names(sb->lib_dir, &names, &nnames);
    strbuf path = STRBUF_INIT;
    for (size_t i = 0; i < nnames && rc == 0; i++) {
        sb_reset(&path);
        sb_printf(&path, "%s/%s.lua", sb->lib_dir, names[i]);
        struct stat st;
        if (sb_failed(&path)) {
            rc = -1;
            break;
        }
        if (stat(path.data, &st) != 0 || !S_ISREG(st.st_mode) ||
            (uintmax_t)st.st_size > (uintmax_t)max_len) {
            continue;
        }
        size_t len = 0;
        char *text = sb_read_file(path.data, &len);
        /* Text as require loads it: not a binary chunk, and without a NUL
           byte (a kept text ends at its first NUL). Changed since the stat
           to over the cap: passed over too. */
        if (text && len <= max_len && (len == 0 || text[0] != LUA_SIGNATURE[0]) &&
            memchr(text, '\0', len) == NULL) {
            rc = fn(arg, names[i], text, len);
        }
        free(text);
    }
    sb_free(&path);
    for (size_t i = 0; i < nnames; i++) {
        free(names[i]);
    }
    free(names);
    return rc;
}

/*
 * require(name) [-1, +1, e]: loads rules/lib/name.lua (text only) into this
 * sandbox once, records its SHA-256 and text for the run record, and returns
 * what the module returned (true when nothing).
 */
/* __close of require's guard [-2, +0, -]: {loaded, name} */
static int unmark_loading(lua_State *L)
{
    lua_rawgeti(L, 1, 1);
    lua_rawgeti(L, 1, 2);
    lua_pushvalue(L, -1);
    lua_rawget(L, -3);
    if (lua_touserdata(L, -1) == (void *)&key_loaded) {
        lua_pop(L, 1);
        lua_pushnil(L);
        lua_rawset(L, -3);
    }
    return 0;
}

static int sbx_require(lua_State *L)
{
    sandbox *sb = sandbox_of(L);
    const char *name = luaL_checkstring(L, 1);
    if (!sb || (!sb->lib_dir && !sb->stored_modules)) {
        return luaL_error(L, "require('%s'): no rules library directory", name);
    }
    if (!module_name_ok(name)) {
        return luaL_error(L,
                          "require('%s'): a module name is letters, digits and '_' "
                          "(the file rules/lib/NAME.lua)",
                          name);
    }
    lua_rawgetp(L, LUA_REGISTRYINDEX, &key_loaded);
    int loaded = lua_gettop(L);
    if (lua_getfield(L, loaded, name) != LUA_TNIL) {
        if (lua_type(L, -1) == LUA_TLIGHTUSERDATA) {
            return luaL_error(L, "require('%s'): circular require", name);
        }
        return 1;
    }
    lua_pop(L, 1);
    strbuf path = STRBUF_INIT;
    sb_printf(&path, "%s/%s.lua", sb->lib_dir ? sb->lib_dir : "lib", name);
    size_t len = 0;
    char *text = sb->stored_modules ? stored_module(sb, name, &len)
                                    : sb_read_file(path.data, &len);
    if (!text && sb->stored_modules) {
        sb_free(&path);
        return luaL_error(L, "require('%s'): the run kept no module of that name", name);
    }
    if (!text) {
        lua_pushfstring(L, "require('%s'): cannot read %s: %s", name, path.data,
                        strerror(errno));
        sb_free(&path);
        return lua_error(L);
    }
    char digest[SHA256_DIGEST_STRING_LENGTH];
    SHA256Data((const uint8_t *)text, len, digest);
    sb_printf(&sb->modules, "%s\t%s\n", name, digest);
    sb_puts(&sb->module_texts, name);
    sb_putc(&sb->module_texts, '\0');
    sb_append(&sb->module_texts, text, len);
    sb_putc(&sb->module_texts, '\0');
    strbuf chunk = STRBUF_INIT;
    sb_printf(&chunk, "@%s", path.data);
    sb_free(&path);
    int rc = sandbox_load(sb, text, len, chunk.data);
    free(text);
    sb_free(&chunk);
    if (rc != LUA_OK) {
        return lua_error(L);
    }
    lua_pushlightuserdata(L, (void *)&key_loaded); /* "loading" mark */
    lua_setfield(L, loaded, name);
    /* A module that fails is not loading any more: requiring it again gives
       its own error again, not "circular require". A to-be-closed guard
       takes the mark off when the call raises, the error (its traceback, a
       memory error) going on untouched. */
    lua_createtable(L, 2, 0);
    lua_pushvalue(L, loaded);
    lua_rawseti(L, -2, 1);
    lua_pushstring(L, name);
    lua_rawseti(L, -2, 2);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &key_loading_guard);
    lua_setmetatable(L, -2);
    lua_toclose(L, -1);
    lua_pushvalue(L, -2); /* the chunk */
    lua_pushstring(L, name);
    lua_call(L, 1, 1);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, loaded, name);
    return 1;
}

/* Copies the named fields of the table at src into the table at dst. */
static void copy_fields(lua_State *L, int src, int dst, const char *const *names)
{
    for (; *names; names++) {
        lua_getfield(L, src, *names);
        lua_setfield(L, dst, *names);
    }
}

/* Opens a standard library and leaves its table on the stack [-0, +1, e]. */
static void open_lib(lua_State *L, const char *name, lua_CFunction f)
{
    luaL_requiref(L, name, f, 0);
}

/* Builds the environment of pack code from an allow-list [-0, +0, e]. */
static int build_env(lua_State *L)
{
    static const char *const base_names[] = {
        "assert", "error",  "ipairs",       "pcall",    "rawequal",
        "rawget", "rawlen", "rawset",       "select",   "tonumber", "tostring",
        "type",   "getmetatable", "_VERSION", NULL};
    static const char *const math_names[] = {
        "abs",  "ceil", "cos",    "deg",        "exp",  "floor",      "fmod",
        "huge", "log",  "max",    "maxinteger", "min",  "mininteger", "modf",
        "pi",   "rad",  "random", "sin",        "sqrt", "tan",        "tointeger",
        "type", "ult",  "atan",   "asin",       "acos", NULL};
    static const char *const os_names[] = {"time", "date", "clock", "difftime", NULL};
    static const char *const str_names[] = {
        "byte",  "char",  "find",     "format", "gmatch",  "gsub",
        "len",   "lower", "match",    "rep",    "reverse", "sub",
        "upper", "pack",  "packsize", "unpack", NULL};

    lua_newtable(L); /* env */
    int env = lua_gettop(L);

    open_lib(L, "_G", luaopen_base);
    int base = lua_gettop(L);
    copy_fields(L, base, env, base_names);
    lua_getfield(L, base, "load");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &key_load);
    lua_getfield(L, base, "xpcall");
    lua_pushcclosure(L, sbx_xpcall, 1);
    lua_setfield(L, env, "xpcall");
    lua_pushcfunction(L, sbx_print);
    lua_setfield(L, env, "print");
    lua_pushcfunction(L, sbx_setmetatable);
    lua_setfield(L, env, "setmetatable");
    lua_pushcfunction(L, sbx_collectgarbage);
    lua_setfield(L, env, "collectgarbage");
    lua_pushcfunction(L, sbx_load);
    lua_setfield(L, env, "load");
    lua_pushcfunction(L, sbx_require);
    lua_setfield(L, env, "require");
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, unmark_loading);
    lua_setfield(L, -2, "__close");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &key_loading_guard);
    lua_pushcfunction(L, sbx_pairs);
    lua_setfield(L, env, "pairs");
    lua_pushcfunction(L, sbx_next);
    lua_setfield(L, env, "next");

    open_lib(L, LUA_TABLIBNAME, luaopen_table);
    lua_setfield(L, env, "table");
    open_lib(L, LUA_UTF8LIBNAME, luaopen_utf8);
    lua_setfield(L, env, "utf8");
    open_lib(L, LUA_COLIBNAME, luaopen_coroutine);
    lua_setfield(L, env, "coroutine");

    open_lib(L, LUA_MATHLIBNAME, luaopen_math);
    int m = lua_gettop(L);
    lua_getfield(L, m, "randomseed");
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &key_randomseed);
    lua_pushinteger(L, 0); /* the same sequence on every evaluation */
    lua_call(L, 1, 0);
    lua_newtable(L);
    copy_fields(L, m, lua_gettop(L), math_names);
    lua_pushcfunction(L, sbx_randomseed);
    lua_setfield(L, -2, "randomseed");
    lua_setfield(L, env, "math");
    lua_pop(L, 1);

    open_lib(L, LUA_OSLIBNAME, luaopen_os);
    lua_newtable(L);
    copy_fields(L, lua_gettop(L) - 1, lua_gettop(L), os_names);
    lua_setfield(L, env, "os");
    lua_pop(L, 1);

    /* string: a fresh table without dump, with bounded matching, behind the
       string metatable (so ("x"):upper() works) and read-only in the env. */
    open_lib(L, LUA_STRLIBNAME, luaopen_string);
    lua_newtable(L);
    int str = lua_gettop(L);
    copy_fields(L, str - 1, str, str_names);
    sandbox_open_str(L, str);
    lua_getfield(L, env, LUA_TABLIBNAME);
    lua_getfield(L, env, LUA_UTF8LIBNAME);
    sandbox_open_tab(L, -2, str, -1, env);
    lua_pop(L, 2);
    lua_getfield(L, env, "os");
    sandbox_open_fixed(L, env, str, -1);
    lua_pop(L, 1);
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushvalue(L, str);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    sandbox_open_str_arith(L, lua_gettop(L));
    lua_pop(L, 2);

    lua_pushvalue(L, env);
    lua_setfield(L, env, "_G");
    /* Strict globals: reading an undefined name is an error. */
    lua_createtable(L, 0, 2);
    lua_pushcfunction(L, strict_index);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, env);

    lua_pushvalue(L, env);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &key_env);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &key_loaded);
    return 0;
}

/* Called in protected mode by sandbox_new; the string table is at the top. */
int sandbox_finish_env(lua_State *L)
{
    sandbox *sb = sandbox_of(L);
    build_env(L);
    /* The string table is the __index of the string metatable. */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_getfield(L, -1, "__index");
    sandbox_set_readonly_global(sb, "string");
    lua_settop(L, 0);
    return 0;
}
