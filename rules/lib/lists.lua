-- rules/lib/lists.lua — helpers for lists that come to a region as data: a
-- federal list (the Rosobrnadzor list of low-results schools, the «500+»
-- project) imported as a flag indicator (unit `flag`, 1 or 0 per school and
-- period), whether a school was on such a list in an earlier period, and the
-- cohorts built on that ("persistently listed" / "newly listed").
--
--   local lists = require("lists")
--   criteria = {
--     lists.flag_criterion{ id = "fed", category = "low", indicator = "fed_low_list",
--                           title = "В федеральном списке ШНОР" },
--   },
--   cohorts = lists.persistence_cohorts{ category = "low", flag = "fed_low_list" },
--
-- The past is read from the data itself — the flag of the earlier period — and
-- from the school's listings (kept runs, or listings imported with `shnor
-- import listings`). So persistence needs no earlier run of the pack.

local M = {}

local function period_text(p)
  return shnor.period.parse(tostring(p))
end

-- The flag of the school for period p: true (1) or false (0). Without a value
-- the criterion ends with "insufficient data": a list nobody imported is not
-- a "no".
function M.flag(s, indicator, p)
  local v = s:value(indicator, p)
  if v == nil then
    return shnor.insufficient(string.format("нет значения признака «%s» за %s",
                                            shnor.indicator(indicator).title,
                                            period_text(p)))
  end
  return v == 1
end

-- A criterion listing a school when its flag is 1 in the evaluated period:
-- spec = { id, category, indicator, title [, explain] }.
function M.flag_criterion(spec)
  assert(type(spec) == "table" and spec.id and spec.category and spec.indicator,
         "lists.flag_criterion needs { id, category, indicator, title }")
  local indicator = spec.indicator
  return {
    id = spec.id,
    category = spec.category,
    title = spec.title or ("Признак «" .. indicator .. "» = 1"),
    explain = spec.explain,
    test = function(s, p) return M.flag(s, indicator, p) end,
  }
end

-- Whether the school was on the list in period p. opts:
--   flag     — the flag indicator that carries the list as data;
--   category — the category of the school's listings (kept runs or imported
--              listings) to look at as well;
--   pack     — the pack id of those listings (default: the evaluated pack;
--              listings imported without a pack count for every pack).
-- Listed when the flag is 1 for p, or when a listing of p says so (a kept
-- run, a listing imported as data, a school included by hand). A missing
-- flag value is no evidence either way: without flag and listing, the school
-- was not listed then.
function M.was_listed(s, p, opts)
  opts = opts or {}
  if opts.flag and s:value(opts.flag, p) == 1 then
    return true
  end
  if opts.flag and opts.category == nil then
    return false
  end
  return s:listed(p, opts.category, opts.pack)
end

-- How many periods in a row, ending with the one before p, the school was
-- listed (see was_listed), looking back at most `max` periods (default 10).
function M.streak_before(s, p, opts, max)
  local n = 0
  for k = 1, max or 10 do
    if not M.was_listed(s, shnor.period.shift(p, -k), opts) then
      break
    end
    n = n + 1
  end
  return n
end

-- Two cohorts of a category: "persistently listed" (listed in the evaluated
-- period and in the `years` - 1 periods before it; years defaults to 2) and
-- "newly listed" (all the others). spec = { category, flag [, years]
-- [, listed_category] [, persistent = { id, title }] [, new = { id, title }] }.
-- listed_category is the category of earlier listings to read when a flag
-- value is missing (default: the cohort's category).
function M.persistence_cohorts(spec)
  assert(type(spec) == "table" and spec.category,
         "lists.persistence_cohorts needs { category, flag }")
  local years = spec.years or 2
  local opts = { flag = spec.flag, category = spec.listed_category or spec.category,
                 pack = spec.pack }
  local persistent = spec.persistent or {}
  local new = spec.new or {}
  return {
    { id = persistent.id or "persistent", category = spec.category,
      title = persistent.title or "устойчиво низкие результаты (в списке и в предыдущем периоде)",
      test = function(s, p) return M.streak_before(s, p, opts, years - 1) >= years - 1 end },
    { id = new.id or "new", category = spec.category,
      title = new.title or "впервые в списке (не было в списке предыдущего периода)",
      test = function(s, p) return true end },
  }
end

return M
