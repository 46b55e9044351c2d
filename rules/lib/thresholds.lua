-- rules/lib/thresholds.lua — reading values and list flags, failing closed.
--
-- Helpers shared by rule packs: each reads one value through the school view
-- and ends the criterion with "insufficient data" (shnor.insufficient) when
-- the value is missing, naming the indicator and the period, instead of
-- letting `nil > x` fail with a bare Lua error or `nil == 1` quietly mean
-- "not listed".
--
--   local th = require("thresholds")
--   th.value(s, "fail_share", p)          -- the number, or insufficient data
--   th.flag(s, "flag_500plus", p)         -- true / false for a 1 / 0 flag

local M = {}

-- The period as text for messages: a year number or a period string.
local function period_text(p)
  return p == nil and "(оцениваемый период)" or tostring(p)
end

-- The value of `code` for school `s` in period `p` (nil: the evaluated one).
-- Missing: insufficient data, with the reason naming indicator and period.
function M.value(s, code, p)
  local v = s:value(code, p)
  if v == nil then
    return shnor.insufficient("нет значения показателя '" .. code .. "' за "
                              .. period_text(p) .. " (школа " .. s.code .. ")")
  end
  return v
end

-- A flag indicator (unit `flag`: 1 — the school is on the list, 0 — it is
-- not). Missing: insufficient data. Any other number is an error of the data,
-- raised with the school, indicator and period, never read as "not listed".
function M.flag(s, code, p)
  local v = M.value(s, code, p)
  if v == 1 then return true end
  if v == 0 then return false end
  error(string.format("indicator '%s' of school %s for %s is %s; a flag is 1 or 0",
                      code, s.code, period_text(p), tostring(v)), 2)
end

return M
