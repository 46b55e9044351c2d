-- rules/lib/cohorts.lua — deciding a listed school's cohort from its earlier
-- listings (ШНОР-1: already in the programme; ШНОР-2: listed for the first
-- time). Pure Lua over the pack contract: s:listed reads the runs kept in the
-- database and the listings imported as data (`shnor import listings`), so the
-- cohort is decidable on a fresh database once the earlier lists are imported.
--
--   local cohorts = require("cohorts")
--   cohorts = cohorts.split("low", 2,
--     { id = "shnor1", title = "ШНОР-1: …" },
--     { id = "shnor2", title = "ШНОР-2: …" }),

local M = {}

-- The n periods before p, nearest first: before("2023/24", 2) is
-- { "2022/23", "2021/22" }.
function M.before(p, n)
  local out = {}
  local q = p
  for i = 1, n do
    q = shnor.period.prev(q)
    out[i] = q
  end
  return out
end

-- The nearest of the n periods before p in which s was listed in `category`
-- (nil: any category) by `pack` (nil: the pack being evaluated), or nil when it
-- was listed in none of them. It stops at the first listing found, so the
-- explanation shows only the listings it looked at.
function M.listed_before(s, p, category, n, pack)
  for _, q in ipairs(M.before(p, n or 1)) do
    if s:listed(q, category, pack) then
      return q
    end
  end
  return nil
end

-- How many periods in a row, ending with the one before p, s was listed in
-- `category`, looking back at most n periods (0 when it was not listed in the
-- period before p).
function M.run_length(s, p, category, n, pack)
  local k = 0
  for _, q in ipairs(M.before(p, n or 1)) do
    if not s:listed(q, category, pack) then
      break
    end
    k = k + 1
  end
  return k
end

-- Two cohorts of one category, as the pack field `cohorts` wants them:
-- `continuing` for a school listed in one of the n periods before (it is
-- already in the programme), then `new` for every other listed school.
-- continuing and new are { id = "…", title = "…" }.
function M.split(category, n, continuing, new)
  return {
    { id = continuing.id, category = category, title = continuing.title,
      test = function(s, p)
        return M.listed_before(s, p, category, n) ~= nil
      end },
    { id = new.id, category = category, title = new.title,
      test = function(s, p)
        return true
      end },
  }
end

return M
