-- rules/lib/persistence.lua — "устойчиво низкие результаты за последние N лет":
-- the last N periods (less those a procedure was not held in), k of n over
-- periods, and three-valued and/or, for packs loaded with require("persistence").
--
-- Three values throughout: true, false, and nil for "not known" (a missing
-- value). Unknowns only decide when they could change the answer, so a school
-- low in three years out of three with a fourth year missing is still "3 of 3";
-- when they do decide, the caller ends the criterion with shnor.insufficient
-- (`decide` below) — never with "not listed".

local M = {}

-- The last n periods ending with p, oldest first: last("2019", 3) is
-- { "2017", "2018", "2019" }; last("2020/21", 2) is { "2019/20", "2020/21" }.
function M.last(p, n)
  assert(math.type(n) == "integer" and n >= 1, "persistence.last: n must be a whole number >= 1")
  return shnor.period.range(shnor.period.shift(p, -(n - 1)), p)
end

-- The periods of the list without those in `skip` (a set: { ["2020"] = true }),
-- e.g. the years a procedure was not held (ОГЭ 2020): no evidence either way.
function M.without(periods, skip)
  local out = {}
  for _, q in ipairs(periods) do
    if not (skip and skip[q]) then
      out[#out + 1] = q
    end
  end
  return out
end

-- k of n over periods: pred(q) gives true, false or nil (not known) for each.
-- Returns the verdict (true when at least k are true, false when even with every
-- unknown true there would be fewer than k, nil when the unknowns decide), the
-- number of true periods and the list of unknown periods.
function M.k_of_n(periods, k, pred)
  local hits, unknown = 0, {}
  for _, q in ipairs(periods) do
    local r = pred(q)
    if r == nil then
      unknown[#unknown + 1] = q
    elseif r then
      hits = hits + 1
    end
  end
  local verdict = nil
  if hits >= k then
    verdict = true
  elseif hits + #unknown < k then
    verdict = false
  end
  return verdict, hits, unknown
end

-- Every period of the list (n of n); an empty list is not "every": false.
function M.every(periods, pred)
  if #periods == 0 then
    return false, 0, {}
  end
  return M.k_of_n(periods, #periods, pred)
end

-- Three-valued logic, the engine's own (shnor.all, shnor.any, shnor.at_least):
--   all(...)          false if any is false, else nil if any is unknown, else true
--                     (Lua's `nil and false` is nil, where the answer is false);
--   any(...)          true if any is true, else nil if any is unknown, else false
--                     (Lua's `nil or false` is false, where the answer is unknown);
--   at_least(k, ...)  true when k are true, false when even the unknown ones
--                     could not make k, else nil: at_least(2, a, b, c, d).
-- Written in Lua, each call walked its arguments with select, and a national
-- listing makes millions of them.
M.at_least = shnor.at_least
M.all = shnor.all
M.any = shnor.any

-- A criterion's answer: v itself, or "insufficient data" with the reason when v is nil.
function M.decide(v, reason)
  if v == nil then
    shnor.insufficient(reason)
  end
  return v
end

return M
