-- scripts/bench/national.lua — a national pack for `make bench`: every school
-- of the country (the synthetic data of scripts/bench/gen.c), criteria of the
-- kind a federal methodology states, and targets.
--
-- Not a real order: the benchmark needs the shape of one. It reads ten
-- indicators over the last three years (ВПР in grades 5 and 8, ОГЭ, ЕГЭ, the
-- social well-being index and the share of low-income families), compares each
-- school with the schools of its region (percentiles, the worst tenth) and of
-- its municipality (means), asks for persistence (each of the last three
-- years), and gates the listing on the social context.
-- Load it with `--lib rules/lib` (for rules/lib/persistence.lua).

local P = require("persistence")

local YEARS = 3          -- "the last three years"
local HIGH = 0.90        -- a share of failures above the region's 90th percentile is high
local LOW = 0.10         -- a score below the region's 10th percentile is low
local WORST = 0.10       -- ОГЭ: among the worst tenth of the region's schools …
local MIN_SCHOOLS = 30   -- … of at least 30 schools with a value
local POOR = 0.50        -- low-income families above the region's median
local QUALITY = 0.15     -- knowledge quality below the region's 15th percentile

local VPR = { "vpr_rus5_fail_share", "vpr_math5_fail_share",
              "vpr_rus8_fail_share", "vpr_math8_fail_share" }
local OGE = { "oge_rus_fail_share", "oge_math_fail_share" }
local EGE = { "ege_rus_mean", "ege_math_mean" }

-- Three values throughout (rules/lib/persistence.lua): true, false, nil when
-- not known.

-- The school's share of failures in year q is above the region's percentile.
local function high(s, indicator, q)
  local v = s:value(indicator, q)
  if v == nil then
    return nil
  end
  return v > shnor.percentile(indicator, q, HIGH, s.region)
end

-- The school's score in year q is below the region's percentile.
local function low(s, indicator, q)
  local v = s:value(indicator, q)
  if v == nil then
    return nil
  end
  return v < shnor.percentile(indicator, q, LOW, s.region)
end

-- ВПР in year q: at least three of the four shares of «2» are high.
local function vpr_low(s, q)
  return P.at_least(3, high(s, VPR[1], q), high(s, VPR[2], q), high(s, VPR[3], q),
                    high(s, VPR[4], q))
end

-- ОГЭ in year q: Russian or mathematics among the region's worst tenth.
local function oge_low(s, q)
  local r = {}
  for i, indicator in ipairs(OGE) do
    if s:value(indicator, q) ~= nil then
      r[i] = shnor.bottom(s, indicator, q, WORST, s.region, MIN_SCHOOLS)
    end
  end
  return P.any(r[1], r[2])
end

-- ЕГЭ in year q: Russian or mathematics low.
local function ege_low(s, q)
  return P.any(low(s, EGE[1], q), low(s, EGE[2], q))
end

-- The social context of year p is adverse: the well-being index below the
-- municipality's mean and more low-income families than in half the region's
-- schools.
local function adverse(s, p)
  local isb, poor = s:value("isb", p), s:value("low_income_share", p)
  local a, b = nil, nil
  if isb ~= nil then
    a = isb < shnor.mean("isb", p, s.territory)
  end
  if poor ~= nil then
    b = poor > shnor.percentile("low_income_share", p, POOR, s.region)
  end
  local verdict = P.all(a, b)
  if verdict == nil then
    shnor.insufficient("нет данных о социальном контексте за " .. p)
  end
  return verdict
end

-- The last YEARS periods ending with p, made once per period.
local last_years = {}
local function years_to(p)
  local years = last_years[p]
  if not years then
    years = P.last(p, YEARS)
    last_years[p] = years
  end
  return years
end

-- Low in k of the last YEARS years (the pack asks for all of them).
local function persistent(s, p, k, level, low_in)
  local years = years_to(p)
  local verdict, _, unknown = P.k_of_n(years, k, function(q) return low_in(s, q) end)
  if verdict == nil then
    shnor.insufficient(string.format("%s: нет результатов за %s", level,
                                     table.concat(unknown, ", ")))
  end
  return verdict
end

local function has_grade11(s)
  return s.kind ~= "ООШ"
end

return {
  id = "national",
  title = "Школы с низкими образовательными результатами: национальный срез (бенчмарк)",
  version = "bench.1",
  source = "Синтетический набор scripts/bench/gen.c; не нормативный документ",
  period = "2023",

  categories = {
    { id = "low", title = "школы с устойчиво низкими образовательными результатами" },
    { id = "risk", title = "школы в зоне риска снижения образовательных результатов" },
  },

  criteria = {
    { id = "vpr_persistent", category = "low",
      title = "ВПР: доля «2» выше 90-го процентиля региона по трём из четырёх работ в каждый из трёх последних лет",
      test = function(s, p) return persistent(s, p, YEARS, "ВПР", vpr_low) end },

    { id = "oge_persistent", category = "low",
      title = "ОГЭ: доля не сдавших в худших 10% школ региона в каждый из трёх последних лет",
      test = function(s, p) return persistent(s, p, YEARS, "ОГЭ", oge_low) end },

    { id = "ege_persistent", category = "low",
      title = "ЕГЭ: средний балл по русскому языку или математике ниже 10-го процентиля региона в каждый из трёх последних лет (школы с 11 классом)",
      test = function(s, p)
        if not has_grade11(s) then
          return false
        end
        return persistent(s, p, YEARS, "ЕГЭ", ege_low)
      end },

    { id = "context", category = "low",
      title = "Неблагоприятный социальный контекст: ИСБ ниже среднего по муниципалитету и доля малообеспеченных семей выше медианы региона",
      test = adverse },

    { id = "vpr_now", category = "risk",
      title = "ВПР: доля «2» выше 90-го процентиля региона по трём из четырёх работ в этом году",
      test = function(s, p)
        local verdict = vpr_low(s, p)
        if verdict == nil then
          shnor.insufficient("нет результатов ВПР за " .. p)
        end
        return verdict
      end },

    { id = "quality_below", category = "risk",
      title = "Качество знаний ниже среднего по муниципалитету и ниже 15-го процентиля региона",
      test = function(s, p)
        local v = s:value("knowledge_quality_share", p)
        return v < shnor.mean("knowledge_quality_share", p, s.territory)
           and v < shnor.percentile("knowledge_quality_share", p, QUALITY, s.region)
      end },

    { id = "risk_context", category = "risk",
      title = "Неблагоприятный социальный контекст (как для ШНОР)",
      test = adverse },
  },

  -- ШНОР: low at two of the three levels (an ООШ: at both of its two), in an
  -- adverse context. Risk: ВПР low this year and quality below the
  -- municipality, in an adverse context.
  list = {
    low = function(s, p, fired)
      local levels = has_grade11(s)
          and P.at_least(2, fired.vpr_persistent, fired.oge_persistent, fired.ege_persistent)
          or P.all(fired.vpr_persistent, fired.oge_persistent)
      return P.all(levels, fired.context)
    end,
    risk = function(s, p, fired)
      return P.all(fired.vpr_now, fired.quality_below, fired.risk_context)
    end,
  },

  targets = {
    { id = "vpr_down",
      title = "Снижение доли «2» по ВПР (русский язык, 5 класс) не менее чем на 10% за год",
      indicator = "vpr_rus5_fail_share", kind = "reduce_relative", value = 0.10,
      scope = { each = "low" }, baseline = -1 },
    { id = "oge_math_down",
      title = "Снижение доли не сдавших ОГЭ по математике на 2 п.п. в среднем по ШНОР (взвешенно по числу обучающихся)",
      indicator = "oge_math_fail_share", kind = "reduce_points", value = 0.02,
      scope = { category = "low" }, weight_by = "students", baseline = -1 },
    { id = "ege_rus_mean",
      title = "Средний балл ЕГЭ по русскому языку не ниже среднего по муниципалитету",
      indicator = "ege_rus_mean", kind = "not_below_mean", value = 0,
      scope = { each = "risk" } },
    { id = "involvement",
      title = "Вовлечённость школ в программы повышения качества образования не менее 80%",
      indicator = "programme_involvement_share", kind = "at_least", value = 0.80,
      scope = "all" },
  },
}
