-- rules/malokarachaevsky.lua — Малокарачаевский муниципальный район
-- (Карачаево-Черкесская Республика).
--
-- Encodes the order of the district education office №28 of 09.02.2021
-- «О муниципальной программе помощи школам, демонстрирующим низкие
-- образовательные результаты на 2021-2024гг.» (seed 004): the identification
-- method, the programme's indicators and its expected result «не менее 85 %»,
-- the three stages and the whole plan of implementation.
--
-- Identification. The document describes a method, not a list: «основным
-- критерием становится критерий устойчиво низких результатов обучения
-- обучающихся на всех ступенях образования … Показателями для расчета являются
-- результаты ЕГЭ, ОГЭ и ВПР за последние три года», read together with the
-- social context («учёт социального контекста при оценке образовательных
-- достижений школ»): the social well-being index (ИСБ) and the social passport
-- (deviant behaviour, no learning motivation, weak Russian, remoteness). The
-- group is the schools «имеющие наиболее сложный контингент обучающихся и
-- показывающие наиболее низкие результаты». So a school is listed when
--   * at every level it teaches (ВПР — grades 4-8, ОГЭ — grade 9, ЕГЭ —
--     grade 11; an ООШ has no grade 11), its results were low in each of the
--     last three years (a year the procedure was not held — ОГЭ 2020 — is left
--     out; a year merely missing from the data is insufficient data), and
--   * its social context is adverse: ИСБ below the district mean, or at least
--     two of the four social-passport factors worse than the district mean.
-- "Low in a year" is a population figure of the district: among the worst
-- quarter of its schools (shnor.bottom) and worse than the district mean. The
-- document gives no numbers for any of this; the constants below are ours and
-- are the first thing a methodologist would tune.
--
-- The document's facts this reproduces on the demo data
-- (scripts/demo/malokarachaevsky): 15 schools, of which 3 listed in 2019 —
-- МКОУ «СОШ №4 с.Кызыл-Покун», МКОУ «СОШ №8 с.Римгорское», МКОУ «ООШ №13
-- с.Элькуш» (the three schools of its table of ЕГЭ/ОГЭ indicators, whose
-- figures are imported as the 2019 values). The last three years of the 2019
-- listing are 2017, 2018 and 2019.

local P = require("persistence")

-- The method's constants (not in the document: see above).
local YEARS = 3         -- «за последние три года»
local MIN_HELD = 2      -- a level needs results of at least 2 of those years
local BOTTOM = 0.25     -- "low": among the worst quarter of the district's schools …
local MIN_SCHOOLS = 5   -- … counted over at least 5 schools with a value
local PASSPORT_K = 2    -- adverse social passport: at least 2 of its 4 factors

-- Years a procedure was not held at all: in 2020 the ОГЭ was cancelled (the
-- 9th grade was certified by annual marks). ВПР 2020 were written in the
-- autumn and the ЕГЭ 2020 was held (for university applicants): both count.
local NOT_HELD = {
  ["ОГЭ"] = { ["2020"] = true },
}

-- The social-passport factors the document names, each compared with the district mean.
local PASSPORT = { "deviant_share", "no_motivation_share", "weak_russian_share", "remoteness_km" }

-- Control points: the programme runs from 15.01.2021 to 31.05.2024; results are
-- rated twice a year (1.6: январь, июнь) and the plans corrected by the results
-- of monitoring twice a year (1.7: декабрь, май). Those reviews are roadmap
-- rows with their own deadlines. A checkpoint names the period whose values
-- are checked, and the five indicators are yearly (the district reports them
-- once a year; the ГИА of a year ends in June), so each year of the programme
-- is a checkpoint. The last, 2024, is the programme's final year: it ends on
-- 31.12.2024 as a period, after the programme's term, so `targets --due-by
-- 2024-05-31` checks 2021-2023 and 2024 is checked once its values are in.
local CHECKPOINTS = { "2021", "2022", "2023", "2024" }

-- Whether `a` is worse than `b` by the indicator's direction. A difference
-- within rounding (a mean of equal shares is not exactly the share) is no
-- difference.
local function worse(indicator, a, b)
  local eps = 1e-9 * math.max(1, math.abs(b))
  if shnor.indicator(indicator).better == "lower" then
    return a > b + eps
  end
  return a < b - eps
end

-- Whether the school's result was low in year q: among the district's worst
-- quarter and worse than the district mean. nil when not known (no value, or
-- too few schools with one). The mean keeps schools tied at the best value
-- (0 % below 30 points, say) out of "the worst quarter".
local function low_in(s, indicator, q)
  local v = s:value(indicator, q)
  if v == nil or shnor.count(indicator, q, s.territory) < MIN_SCHOOLS then
    return nil
  end
  return shnor.bottom(s, indicator, q, BOTTOM, s.territory, MIN_SCHOOLS)
     and worse(indicator, v, shnor.mean(indicator, q, s.territory))
end

-- Persistently low at one level: low in every one of the last YEARS years in
-- which the level's procedure was held.
local function persistent(s, p, level, low)
  local years = P.without(P.last(p, YEARS), NOT_HELD[level])
  if #years < MIN_HELD then
    shnor.insufficient(string.format("%s: за последние %d года (по %s) проводился %d раз(а), нужно не менее %d",
      level, YEARS, p, #years, MIN_HELD))
  end
  local verdict, _, unknown = P.every(years, function(q) return low(s, q) end)
  return P.decide(verdict, string.format("%s: нет результатов за %s", level, table.concat(unknown, ", ")))
end

-- ЕГЭ applies to schools with an 11th grade; an ООШ (basic school) has none.
local function has_grade11(s)
  return s.kind ~= "ООШ"
end

-- Who carries out a row of the plan: the document's «Ответственные». Rows whose
-- responsible include «Участники Программы» (the main executors of the
-- programme are the ШНОР, says its passport) are carried out by each listed
-- school; the others by the education office (no `applies`).
local SCHOOLS = { "low" }

local S1 = "1. Организационно-управленческие мероприятия"
-- The document's heading reads «Мероприятия по развитию кадрового потенциала
-- педагогических работников школы руководящих и» (the words «руководящих и»
-- displaced by the scan); restored in the order of row 2.1.
local S2 = "2. Мероприятия по развитию кадрового потенциала руководящих и педагогических работников школы"
local S3 = "3. Мероприятия по выравниванию возможностей доступа обучающихся к современным условиям обучения и образовательным ресурсам в соответствии с ФГОС ОО"
local S4 = "4. Мероприятия по развитию сетевого взаимодействия и партнерства"
local SS = "Срок реализации программы"

-- ---------------------------------------------------------------- tests
-- Fixtures: a district of ten schools over 2017-2019 (or 2019-2021). Normal
-- schools N1-N6 have good results and a good context; A, B, C, D are low.

local TERR = "Район"

local function series(v, years)
  if type(v) == "table" then
    return v
  end
  local t = {}
  for _, y in ipairs(years) do
    t[y] = v
  end
  return t
end

-- A fixture school: r gives each indicator as a number (every year) or a table by year.
local function fx(code, kind, r, years)
  local values = {}
  local map = {
    vpr = "vpr_fail_share", oge = "oge_fail_share", rus = "ege_rus_mean", b30 = "ege_below30_share",
    isb = "isb", dev = "deviant_share", mot = "no_motivation_share", weak = "weak_russian_share",
    km = "remoteness_km",
  }
  for k, ind in pairs(map) do
    if r[k] ~= nil then
      values[ind] = series(r[k], years)
    end
  end
  return { code = code, kind = kind, territory = TERR, values = values }
end

local function district(years, over)
  over = over or {}
  local rows = {
    { "N1", "СОШ", { vpr = 0.05, oge = 0.02, rus = 64, b30 = 0.00, isb = 0.62, dev = 0.02, mot = 0.05, weak = 0.03, km = 6 } },
    { "N2", "СОШ", { vpr = 0.06, oge = 0.03, rus = 65, b30 = 0.02, isb = 0.64, dev = 0.02, mot = 0.05, weak = 0.03, km = 7 } },
    { "N3", "СОШ", { vpr = 0.07, oge = 0.03, rus = 66, b30 = 0.01, isb = 0.66, dev = 0.02, mot = 0.05, weak = 0.03, km = 8 } },
    { "N4", "СОШ", { vpr = 0.08, oge = 0.04, rus = 67, b30 = 0.00, isb = 0.68, dev = 0.02, mot = 0.05, weak = 0.03, km = 9 } },
    { "N5", "СОШ", { vpr = 0.09, oge = 0.05, rus = 68, b30 = 0.02, isb = 0.70, dev = 0.02, mot = 0.05, weak = 0.03, km = 10 } },
    { "N6", "СОШ", { vpr = 0.10, oge = 0.06, rus = 69, b30 = 0.01, isb = 0.72, dev = 0.02, mot = 0.05, weak = 0.03, km = 11 } },
    -- low at every level, ИСБ low: listed
    { "A", "СОШ", { vpr = 0.20, oge = 0.15, rus = 45, b30 = 0.00, isb = 0.30, dev = 0.02, mot = 0.05, weak = 0.03, km = 6 } },
    -- basic school, low in ВПР and ОГЭ, ИСБ fine but deviant behaviour and weak Russian: listed
    { "B", "ООШ", { vpr = 0.22, oge = 0.18, isb = 0.70, dev = 0.08, mot = 0.05, weak = 0.15, km = 3 } },
    -- low at every level (ЕГЭ by the share below 30 points) in a good context: not listed
    { "C", "СОШ", { vpr = 0.21, oge = 0.16, rus = 66, b30 = 0.12, isb = 0.70, dev = 0.02, mot = 0.05, weak = 0.03, km = 6 } },
    -- low in the last two years only, ИСБ low: not listed
    { "D", "СОШ", { vpr = { [years[1]] = 0.06, [years[2]] = 0.20, [years[3]] = 0.20 }, oge = 0.15,
                    rus = 45, b30 = 0.00, isb = 0.30, dev = 0.02, mot = 0.05, weak = 0.03, km = 6 } },
  }
  local out = {}
  for _, row in ipairs(rows) do
    local r = {}
    for k, v in pairs(row[3]) do
      r[k] = v
    end
    for k, v in pairs(over[row[1]] or {}) do
      if v == false then
        r[k] = nil -- false removes the indicator from the school
      else
        r[k] = v
      end
    end
    out[#out + 1] = fx(row[1], row[2], r, years)
  end
  return out
end

local FX_INDICATORS = {
  vpr_fail_share = { unit = "share", better = "lower" },
  oge_fail_share = { unit = "share", better = "lower" },
  ege_rus_mean = { unit = "score", better = "higher" },
  ege_below30_share = { unit = "share", better = "lower" },
  isb = { unit = "index", better = "higher" },
  deviant_share = { unit = "share", better = "lower" },
  no_motivation_share = { unit = "share", better = "lower" },
  weak_russian_share = { unit = "share", better = "lower" },
  remoteness_km = { unit = "count", better = "lower" },
}

local Y19 = { 2017, 2018, 2019 }
local Y21 = { 2019, 2020, 2021 }

return {
  id = "malokarachaevsky",
  title = "Муниципальная программа помощи школам, демонстрирующим низкие образовательные результаты на 2021-2024гг.",
  version = "2021.1",
  source = "Приказ отдела образования администрации Малокарачаевского муниципального района №28 от 09.02.2021",
  territory = "Малокарачаевский муниципальный район",
  -- The programme runs 15.01.2021-31.05.2024; its roadmap is evaluated by
  -- calendar year, 2021 first. Its schools are those listed in 2019 (2020 had
  -- no ОГЭ and a ЕГЭ only for university applicants, so the last listing before
  -- the programme is 2019): the roadmap of a year serves the listing of two
  -- years before.
  period = "2021",
  roadmap_listing = -2,
  -- «Срок реализации программы: 15.01.2021 г- 31.05.2024 г.»: nothing of the
  -- roadmap is owed after the programme (its yearly rows are due by then in
  -- 2024, its September and autumn rows are not owed in 2024).
  roadmap_ends = "31.05.2024",

  categories = {
    { id = "low", title = "школы с низкими результатами обучения (ШНОР)" },
  },

  criteria = {
    { id = "vpr_persistent", category = "low",
      title = "ВПР: доля отметок «2» в худшей четверти района и выше средней по району в каждый из последних трёх лет",
      test = function(s, p)
        return persistent(s, p, "ВПР", function(sc, q)
          return low_in(sc, "vpr_fail_share", q)
        end)
      end },

    { id = "oge_persistent", category = "low",
      title = "ОГЭ: доля не сдавших ОГЭ в худшей четверти района и выше средней по району в каждый из последних трёх лет, когда ОГЭ проводился",
      test = function(s, p)
        return persistent(s, p, "ОГЭ", function(sc, q)
          return low_in(sc, "oge_fail_share", q)
        end)
      end },

    { id = "ege_persistent", category = "low",
      title = "ЕГЭ: средний балл по русскому языку или доля сдавших менее чем на 30 баллов в худшей четверти района и хуже среднего в каждый из последних трёх лет (школы с 11 классом)",
      test = function(s, p)
        if not has_grade11(s) then
          return false -- no 11th grade: the level does not apply (see `list`)
        end
        return persistent(s, p, "ЕГЭ", function(sc, q)
          return P.any(low_in(sc, "ege_rus_mean", q), low_in(sc, "ege_below30_share", q))
        end)
      end },

    { id = "isb_low", category = "low",
      title = "Индекс социального благополучия ниже среднего по району",
      test = function(s, p)
        local v = s:value("isb", p)
        if v == nil then
          shnor.insufficient("нет индекса социального благополучия за " .. p)
        end
        return worse("isb", v, shnor.mean("isb", p, s.territory))
      end },

    { id = "passport_adverse", category = "low",
      title = "Социальный паспорт: не менее двух из четырёх показателей (девиантное поведение, отсутствие учебной мотивации, слабое знание русского языка, удалённость) хуже среднего по району",
      test = function(s, p)
        local r = {}
        for i, ind in ipairs(PASSPORT) do
          local v = s:value(ind, p)
          if v ~= nil then
            r[i] = worse(ind, v, shnor.mean(ind, p, s.territory))
          end
        end
        return P.decide(P.at_least(PASSPORT_K, r[1], r[2], r[3], r[4]),
          "социальный паспорт за " .. p .. " неполон")
      end },
  },

  -- Low at every level the school teaches AND an adverse social context.
  list = {
    low = function(s, p, fired)
      local ege = fired.ege_persistent
      if not has_grade11(s) then
        ege = true
      end
      return P.all(fired.vpr_persistent, fired.oge_persistent, ege,
                   P.any(fired.isb_low, fired.passport_adverse))
    end,
  },

  -- ------------------------------------------------------------ targets
  -- «Эффективность Программы оценивается по следующим показателям» — five
  -- indicators without target values. Each is encoded as "no lower than in
  -- 2019, the year of the listing" (increase_relative with value 0), over the
  -- schools listed in 2019 pooled; the only number the document gives is the
  -- expected result «не менее 85 %».
  targets = {
    { id = "equal_access",
      title = "Доля школ с низкими результатами обучения и школ, функционирующих в неблагоприятных социальных условиях, в которых обеспечены условия равного доступа к получению качественного общего образования каждого ребенка независимо от места жительства, социального статуса и материального положения семей, в том числе с использованием дистанционных образовательных технологий, в общем количестве таких организаций",
      -- Per school a flag (1 — conditions provided); the plain mean over the
      -- listed schools is the share of such schools.
      indicator = "equal_access", kind = "increase_relative", value = 0,
      scope = { category = "low" }, baseline = "2019", checkpoints = CHECKPOINTS,
      note = "целевое значение в документе не задано: показатель не ниже уровня 2019 года" },

    { id = "teachers_trained",
      title = "Доля педагогических работников образовательных организаций, прошедших переподготовку или повышение квалификации по актуальным вопросам повышения качества образования обучающихся в соответствии с ФГОС ОО, в общей численности педагогических работников, работающих в данных образовательных организациях",
      indicator = "teachers_trained_share", kind = "increase_relative", value = 0,
      scope = { category = "low" }, weight_by = "teachers", baseline = "2019",
      checkpoints = CHECKPOINTS,
      note = "целевое значение в документе не задано: показатель не ниже уровня 2019 года" },

    { id = "gia_success",
      title = "Доля обучающихся школ, функционирующих в неблагоприятных социальных условиях, успешно прошедших государственную итоговую аттестацию, в общей численности обучающихся из данных школ, прошедших государственную итоговую аттестацию",
      -- The listed schools are in adverse social conditions by the criteria
      -- (context gating), so "these schools" are the listed ones; weighted by
      -- the number of students who sat the ГИА.
      indicator = "gia_success_share", kind = "increase_relative", value = 0,
      scope = { category = "low" }, weight_by = "gia_participants", baseline = "2019",
      checkpoints = CHECKPOINTS,
      note = "целевое значение в документе не задано: показатель не ниже уровня 2019 года" },

    { id = "results_improved",
      title = "Доля школ, обучающиеся которых продемонстрировали более высокие результаты обучения по итогам учебного года, среди школ с низкими результатами обучения и школ, функционирующих в неблагоприятных социальных условиях",
      indicator = "results_improved", kind = "increase_relative", value = 0,
      scope = { category = "low" }, baseline = "2019", checkpoints = CHECKPOINTS,
      note = "целевое значение в документе не задано: показатель не ниже уровня 2019 года" },

    { id = "staffing",
      title = "Процент укомплектованности образовательных учреждений квалифицированными педагогическими кадрами",
      -- «образовательных учреждений» is read as the programme's schools (the
      -- other four indicators are all about them); a plain mean of the schools'
      -- staffing.
      indicator = "staffing_share", kind = "increase_relative", value = 0,
      scope = { category = "low" }, baseline = "2019", checkpoints = CHECKPOINTS,
      note = "целевое значение в документе не задано: показатель не ниже уровня 2019 года" },

    { id = "involvement_85",
      title = "Вовлечение в реализацию мероприятий по повышению качества образования в общеобразовательных организациях не менее 85 % муниципальных систем общего образования района",
      -- «не менее 85 %» is at_least 0.85 over every school of the district
      -- (a plain mean of the schools' involvement shares).
      indicator = "programme_involvement_share", kind = "at_least", value = 0.85,
      scope = "all", checkpoints = CHECKPOINTS },
  },

  -- ----------------------------------------------------------- roadmap
  activities = {
    { id = "1 этап", section = SS,
      title = "1 этап. Подготовительный - проблемный анализ обеспечения качества образования в школе, разработка Программы",
      due = "15.01.-31.05. 2021",
      responsible = "Отдел образования Администрации Малокарачаевского муниципального района" },
    { id = "2 этап", section = SS, applies = SCHOOLS,
      title = "2 этап. Основной - работа школ по реализации направлений программы. Проведение мониторинга реализации Программы",
      due = "01.09.2021 - 31.12.2023",
      responsible = "Общеобразовательные школы с низкими образовательными результатами (далее - ШНОР)" },
    { id = "3 этап", section = SS,
      title = "3 этап. Обобщающий - анализ результатов реализации Программы, определение перспектив дальнейшего развития школ",
      due = "01.01.2024- 31.05.2024",
      responsible = "Отдел образования Администрации Малокарачаевского муниципального района" },

    { id = "1.1", section = S1,
      title = "Разработка муниципальных нормативно-правовых документов, регламентирующих реализацию мероприятий программы",
      due = "январь - май 2021",
      responsible = "Методическая служба отдела образования",
      result = "Приказ «Об утверждении муниципальной программы помощи школам, демонстрирующим низкие образовательные результаты», разработка Программы" },
    { id = "1.2", section = S1, applies = SCHOOLS,
      title = "Организация участия в вебинарах, курсах повышения квалификации",
      due = "Ежегодно",
      responsible = "участники Программы",
      result = "Информационно-методическая помощь ШНОР" },
    { id = "1.3", section = S1,
      title = "Организация консультационного сопровождения деятельности школ по вопросам реализации программы перехода школ в эффективный режим функционирования",
      due = "Постоянно",
      responsible = "Методическая служба отдела образования",
      result = "Сформирована эффективная консультационная служба, обеспечивающая поддержку руководителей и педагогов ШНОР" },
    { id = "1.4", section = S1,
      title = "Проведение ежегодных мониторинговых обследований на муниципальном и школьном уровнях, направленных на: - выявление школ, показывающих низкие образовательные результаты; анализ динамики показателей качества образования в данных группах школ; - комплексную оценку условий деятельности управленческого и педагогического потенциала",
      due = "Ежегодно (по плану мониторинговых исследований)",
      responsible = "Методическая служба отдела образования",
      result = "Достижение положительной динамики качества образования школ" },
    { id = "1.5", section = S1, applies = SCHOOLS,
      title = "Круглые столы «Организация работы в общеобразовательном учреждении с обучающимися, имеющими низкие результаты обучения», «Об использовании результатов мониторинговых исследований для повышения качества образования. Отчет школ, показавших низкие результаты»",
      due = "По плану работы отдела образования, 2- 3 раза в год",
      responsible = "отдел образования, Участники Программы",
      result = "Получение объективной информации о динамике успеваемости" },
    { id = "1.6", section = S1, applies = SCHOOLS,
      title = "Проведение рейтинговой оценки деятельности образовательных учреждений (промежуточных и итоговых результатов)",
      due = "2 раза в год (январь, июнь)",
      responsible = "отдел образования, Участники Программы",
      result = "Повышение результативности и успешности ОО" },
    { id = "1.7", section = S1, applies = SCHOOLS,
      title = "Корректировка планов реализации Программы по итогам мониторинговых исследований качества образования",
      due = "2 раза в год (декабрь, май)",
      responsible = "Методическая служба отдела образования, Участники Программы",
      result = "План реализации Программы" },
    { id = "1.8", section = S1, applies = SCHOOLS,
      note = "в документе строка без номера, после 1.7",
      title = "Информационное сопровождение реализации Программы",
      due = "постоянно",
      responsible = "отдел образования, Участники Программы",
      result = "Получение информации о реализации Программы" },

    { id = "2.1", section = S2,
      title = "Организация участия в повышении квалификации руководителей и педагогических работников школы (курсы, семинары, вебинары)",
      due = "Ежегодно",
      responsible = "отдел образования",
      result = "Повышение методических и предметных компетенций" },
    { id = "2.2", section = S2,
      title = "Проведение муниципальных семинаров, мастер-классов на базе школ по вопросам качества образования (итоговая аттестация, использование современных технологий обучения, проектирование современного урока и т.п.)",
      due = "В течение года",
      responsible = "отдел образования",
      result = "Повышение качества преподавания и качества обучения за счёт использования современных методов и технологий обучения" },
    { id = "2.3", section = S2, applies = SCHOOLS,
      title = "Практикумы, мастер-классы по выполнению заданий повышенной трудности КИМов ЕГЭ по математике, физике, информатике для педагогов и учащихся района",
      due = "Ежегодно, март-апрель",
      responsible = "отдел образования, Участники Программы",
      result = "Повышение предметных компетенций педагогов" },
    { id = "2.4", section = S2, applies = SCHOOLS,
      title = "Повышение профессиональной компетентности педагогов через участие в профессиональных конкурсах (в очной, дистанционной форме)",
      due = "В течение года",
      responsible = "Методическая служба отдела образования, Участники Программы",
      result = "Участие в конкурсах, проектах" },
    { id = "2.5", section = S2,
      title = "Вовлечение молодых учителей в деятельность районной Школы молодого педагога",
      due = "По плану работы",
      responsible = "Методическая служба отдела образования",
      result = "Совершенствование методической работы молодого учителя, повышение профессионального уровня" },
    { id = "2.6", section = S2,
      title = "Методический десант в ШНОР Подготовка и проведение на базе школ адресных и персонифицированных мероприятий для педагогических коллективов, отдельных педагогов, категорий обучающихся",
      due = "По плану работы",
      responsible = "отдел образования",
      result = "Повышение уровня профессиональных компетенций педагогов" },
    { id = "2.7", section = S2, applies = SCHOOLS,
      title = "Участие в программе \"Управление мотивацией педагогического коллектива в условиях ФГОС\"",
      due = "По плану работы",
      responsible = "ВШЭ, Отдел образования, Участники Программы",
      result = "Совершенствование методических компетенций педагогов" },
    { id = "2.8", section = S2, applies = SCHOOLS,
      title = "Участие педагогов в региональном тестировании, предметных олимпиадах",
      due = "Ежегодно, по плану",
      responsible = "Методическая служба отдела образования, Участники Программы",
      result = "Повышение уровня предметных, педагогических и метапредметных компетенций педагогов" },
    { id = "2.9", section = S2, applies = SCHOOLS,
      title = "Стажировки молодых учителей и педагогов, испытывающих методические затруднения. Персонифицированный подход",
      due = "В течение года по заявке руководителей школ",
      responsible = "Участники Программы",
      result = "Повышение уровня профессиональных компетенций педагогов" },
    { id = "2.10", section = S2, applies = SCHOOLS,
      title = "Организация внутришкольного повышения профессиональной компетентности педагогов через проведение семинаров, мастер-классов, тренингов",
      due = "Постоянно",
      responsible = "Участники Программы",
      result = "Повышение уровня предметных, педагогических и метапредметных компетенций педагогов" },
    { id = "2.11", section = S2,
      title = "Районный смотр-конкурс уроков «Современные образовательные технологии современный урок» по модели смешанного обучения",
      due = "ноябрь 2021 года",
      responsible = "Отдел образования",
      result = "Представление лучших практик использования современных методов и технологий обучения" },

    { id = "3.1", section = S3, applies = SCHOOLS,
      title = "Создание банка данных учащихся, испытывающих затруднения в обучении",
      due = "Ежегодно, сентябрь",
      responsible = "Участники Программы",
      result = "Уменьшение количества учащихся, испытывающих трудности в обучении" },
    { id = "3.2", section = S3, applies = SCHOOLS,
      title = "Разработка и реализация индивидуальных образовательных маршрутов обучающихся",
      due = "В течение года",
      responsible = "Участники Программы",
      result = "Планы работы с одарёнными и слабоуспевающими детьми, с детьми с ОВЗ" },
    { id = "3.3", section = S3,
      title = "Организация работы онлайн-школы «Умные каникулы» для одаренных детей и детей с низкими образовательными результатами",
      due = "Осенние, весенние каникулы",
      responsible = "Методическая служба отдела образования, Педагоги-наставники",
      result = "Повышение качества образовательных результатов обучающихся Повышение предметных компетенций педагогов" },

    { id = "4.1", section = S4, applies = SCHOOLS,
      title = "Реализация программ сетевого взаимодействия на межшкольном, муниципальном уровнях",
      due = "Ежегодно",
      responsible = "отдел образования, Участники Программы",
      result = "Внедрены образовательные программы для реализации ИУП в сетевой форме" },
    { id = "4.2", section = S4,
      title = "Сопровождение школ с низкими результатами обучения муниципальными координаторами",
      due = "Постоянно",
      responsible = "Муниципальные координаторы",
      result = "Организовано информационно методическое сотрудничество" },
    { id = "4.3", section = S4,
      title = "Проведение сетевых межшкольных мероприятий по обмену опытом между школами",
      due = "Ежегодно",
      responsible = "Муниципальные координаторы",
      result = "Организовано профессиональное взаимодействие по обмену опытом и распространению эффективных практик школ" },
    { id = "4.4", section = S4,
      note = "текст документа обрывается на этой строке",
      title = "Организация дистанционных семинаров, вебинаров в рамках деятельности сетевых сообществ,",
      due = "Ежегодно",
      responsible = "Методическая служба отдела образования, Муниципальные координаторы",
      result = "Созданы условия для профессионального общения педагогов Повышение информационно-коммуникационной культуры" },
  },

  -- ------------------------------------------------------------- tests
  tests = {
    { name = "2019: низкие результаты на всех ступенях три года подряд при неблагоприятном контексте",
      period = "2019", indicators = FX_INDICATORS,
      schools = district(Y19),
      -- A: ИСБ; B (ООШ, без ЕГЭ): социальный паспорт; C: контекст благополучный;
      -- D: низкие результаты только два последних года.
      expect = { low = { "A", "B" } } },

    { name = "2019: та же школа C при низком ИСБ — в перечне (ЕГЭ по доле сдавших менее чем на 30 баллов)",
      period = "2019", indicators = FX_INDICATORS,
      schools = district(Y19, { C = { isb = 0.30 } }),
      expect = { low = { "A", "B", "C" } } },

    { name = "2019: одна ступень (ОГЭ) без низких результатов — школа не в перечне",
      period = "2019", indicators = FX_INDICATORS,
      schools = district(Y19, { B = { oge = 0.04 } }),
      expect = { low = { "A" } } },

    { name = "2019: нет результатов ВПР за 2018 год — недостаточно данных, не «не в перечне»",
      period = "2019", indicators = FX_INDICATORS,
      schools = district(Y19, { A = { vpr = { [2017] = 0.20, [2019] = 0.20 } } }),
      expect = { low = { "B" } },
      insufficient = { low = { "A" } } },

    { name = "2021: ОГЭ 2020 года не проводился — ОГЭ оценивается по 2019 и 2021 годам",
      period = "2021", indicators = FX_INDICATORS,
      schools = district(Y21, {
        A = { oge = { [2019] = 0.15, [2021] = 0.15 } }, B = { oge = { [2019] = 0.18, [2021] = 0.18 } },
        C = { oge = { [2019] = 0.16, [2021] = 0.16 } }, D = { oge = { [2019] = 0.15, [2021] = 0.15 } },
        N1 = { oge = { [2019] = 0.02, [2021] = 0.02 } }, N2 = { oge = { [2019] = 0.03, [2021] = 0.03 } },
        N3 = { oge = { [2019] = 0.03, [2021] = 0.03 } }, N4 = { oge = { [2019] = 0.04, [2021] = 0.04 } },
        N5 = { oge = { [2019] = 0.05, [2021] = 0.05 } }, N6 = { oge = { [2019] = 0.06, [2021] = 0.06 } },
      }),
      expect = { low = { "A", "B" } } },

    { name = "2019: ВПР и ОГЭ низкие, контекст неблагоприятный, но ЕГЭ не низкий — школа не в перечне",
      period = "2019", indicators = FX_INDICATORS,
      schools = district(Y19, { A = { rus = 66, b30 = 0.00 } }),
      expect = { low = { "B" } } },

    { name = "2019: ВПР в худшей четверти района (наравне с другими), но не хуже среднего — не низкий",
      period = "2019", indicators = FX_INDICATORS,
      -- six schools at 0.20 like A: A is among the worst quarter (ties are in)
      -- but not above the district mean (0.203)
      schools = district(Y19, { N1 = { vpr = 0.20 }, N2 = { vpr = 0.20 }, N3 = { vpr = 0.20 },
                                N4 = { vpr = 0.20 }, N5 = { vpr = 0.20 }, N6 = { vpr = 0.20 } }),
      expect = { low = { "B" } } },

    { name = "2019: ВПР хуже среднего по району, но вне худшей четверти — не низкий",
      period = "2019", indicators = FX_INDICATORS,
      -- N1 at 0.25, B and C above A's 0.20: three of ten are worse than A
      schools = district(Y19, { N1 = { vpr = 0.25 } }),
      expect = { low = { "B" } } },

    { name = "2019: ИСБ 0,55 ниже среднего по району (0,627) — контекст неблагоприятный",
      period = "2019", indicators = FX_INDICATORS,
      schools = district(Y19, { A = { isb = 0.55 } }),
      expect = { low = { "A", "B" } } },

    { name = "2019: неполный социальный паспорт, ИСБ выше среднего — недостаточно данных",
      period = "2019", indicators = FX_INDICATORS,
      schools = district(Y19, { B = { weak = false } }),
      expect = { low = { "A" } },
      insufficient = { low = { "B" } } },
  },
}
