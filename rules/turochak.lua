-- rules/turochak.lua — МО «Турочакский район» (Республика Алтай): «Дорожная
-- карта исполнения мероприятий реализации Муниципальной программы работы со
-- школами с низкими образовательными результатами обучающихся на территории
-- МО «Турочакский район» в 2023 - 2024 учебном году» (Приложение 1 к
-- Муниципальной программе повышения качества образования в школах с низкими
-- образовательными результатами, а также в школах, функционирующих в
-- неблагоприятных условиях, на 2023-2024 уч. год; «Утверждено Приказом
-- Управления» — the copy gives neither the order's number nor its date).
--
-- Identification: the roadmap starts from the «Информационно-аналитическая
-- справка по итогам регионального мониторинга по выявлению школ с низкими
-- образовательными результатами» (письмо МОН РА от 20.02.2023
-- № 01-09/1150/1). The document names the outcome, not the method, so the pack
-- reads the regional list as imported data (flag `reg_low_list`, 1/0, keyed by
-- the programme year the list is for). Schools already in the programme
-- (ШНОР-1: they report on their mid-term development programmes in June 2023
-- and correct them for 2023-2024) stay on it: a school listed in the period
-- before is listed again. The document states no exit rule; a school leaves by
-- the office's decision (`shnor override … --exclude`).
--
-- Cohorts: ШНОР-1 — listed in one of the two periods before (by a kept run or a
-- listing imported with `shnor import listings`), ШНОР-2 — every other listed
-- school (new: analysis of ВПР 2021-2022, concept documents). Rows the document
-- gives to one cohort apply to it only.
--
-- The document has one section; its rows 29 and 30 are unnumbered (between 28
-- and 31) and get those numbers; row 35 is empty and is left out; rows 1-2 and
-- the table head are printed twice (a page break) and are kept once. The
-- column «Показатели реализации» goes to `indicator`; the document has no
-- columns for co-executors, expected result or report document.

local lib = require("cohorts")

local SECTION = "Мероприятия, направленные на идентификацию ШНОР, организацию работы и "
  .. "мониторинг эффективности поддержки ШНОР"

local LISTED = { "low" }       -- every listed school (both cohorts)
local SHNOR1 = { "shnor1" }
local SHNOR2 = { "shnor2" }

local HEAD_COORD = "Руководитель ОО муниципальный координатор"
local TEACHERS_SHARE = "Доля педагогов, принявших участие"
local DURING = "В течение срока реализации Проекта"
local DURING_PROGRAMME = "В течение срока реализации программы"

return {
  id = "turochak",
  title = "Дорожная карта исполнения мероприятий реализации Муниципальной программы работы "
    .. "со школами с низкими образовательными результатами обучающихся на территории "
    .. "МО «Турочакский район» в 2023 - 2024 учебном году",
  version = "2023.1",
  source = "Приложение 1 к Муниципальной программе повышения качества образования в школах "
    .. "с низкими образовательными результатами, а также в школах, функционирующих в "
    .. "неблагоприятных условиях на 2023-2024 уч. год. Утверждено Приказом Управления "
    .. "(номер и дата в документе не указаны)",
  territory = "МО «Турочакский район»",
  period = "2023/24",
  -- the roadmap is «в 2023 - 2024 учебном году»
  roadmap_periods = { "2023/24" },

  categories = {
    { id = "low", title = "школы с низкими образовательными результатами (ШНОР)" },
  },

  criteria = {
    { id = "regional_monitoring", category = "low",
      title = "Выявлена региональным мониторингом по выявлению школ с низкими "
        .. "образовательными результатами (на 2023/24 — Информационно-аналитическая справка, "
        .. "письмо МОН РА от 20.02.2023 № 01-09/1150/1)",
      test = function(s, p)
        local v = s:value("reg_low_list", p)
        if v == nil then
          return shnor.insufficient("нет сведений регионального мониторинга за " .. p)
        end
        return v == 1
      end },

    -- ШНОР-1 continue in the programme: their mid-term programmes are corrected
    -- for 2023-2024 (row 13) whether or not the new monitoring lists them again.
    -- For the year after the monitoring last identified them: a school that
    -- stayed on only by continuing is not continued again, or no school would
    -- ever leave (the document names no exit). A listing of the period before
    -- without that period's monitoring (imported as data) is taken as it is.
    { id = "in_programme", category = "low",
      title = "Уже участвует в программе: включена в список ШНОР в предыдущем периоде "
        .. "по итогам регионального мониторинга",
      test = function(s, p)
        local q = shnor.period.prev(p)
        if not s:listed(q, "low") then
          return false
        end
        local v = s:value("reg_low_list", q)
        return v == nil or v == 1
      end },
  },

  -- Two periods back: the programme ran before 2023/24 (row 14 speaks of the
  -- roadmap «на 2022 год»), and a school listed in 2021/22 or 2022/23 is one
  -- that already has a mid-term programme to report on.
  cohorts = lib.split("low", 2,
    { id = "shnor1", title = "ШНОР-1: уже участвуют в программе (среднесрочные программы развития)" },
    { id = "shnor2", title = "ШНОР-2: впервые включены в список (концептуальные документы)" }),

  activities = {
    { id = "1", section = SECTION,
      title = "Ознакомление ОО с Информационно-аналитической справкой по итогам регионального "
        .. "мониторинга по выявлению школ с низкими образовательными результатами (Письмо МОН "
        .. "РА от 20.02.2023 № 01-09/1150/1)",
      due = "Март 2023", responsible = "Специалисты РМК", indicator = "Составлен Приказ УО" },
    { id = "2", section = SECTION, applies = SHNOR2,
      title = "Изучение нормативного и методического сопровождения Проекта",
      due = "Март-апрель 2023", responsible = "Специалисты РМК Руководители ШНОР-2" },
    { id = "3", section = SECTION,
      title = "Назначение муниципального куратора, утверждение рабочей группы по поддержке "
        .. "школ с низкими образовательными результатами",
      due = "Февраль 2023", responsible = "Специалисты РМК", indicator = "Составлен Приказ УО" },
    { id = "4", section = SECTION,
      title = "Заседание рабочей группы",
      due = "Еженедельно (либо по согласованию) до конца реализации Программы",
      responsible = "Специалисты РМК Специалисты ОО", indicator = "Протокол заседания" },
    { id = "5", section = SECTION, applies = SHNOR2,
      title = "Установочный семинар с представителями ШНОР",
      due = "март 2023",
      responsible = "Руководитель или заместитель руководителя ШНОР-2 Муниципальный координатор",
      indicator = "Протокол заседания" },
    { id = "6", section = SECTION, applies = SHNOR2,
      title = "Анализ ШНОР-2 результатов ВПР 2021-2022",
      due = "Апрель 2023", responsible = "Муниципальный координатор, специалисты ОО",
      indicator = "Аналитическая справка: проанализированы результаты, сделаны выводы, "
        .. "составлены рекомендации" },
    { id = "7", section = SECTION, applies = SHNOR2,
      title = "Анализ ШНОР-2 причин неудовлетворительных результатов ВПР 2021-2022",
      due = "Апрель 2023", responsible = "Руководитель или заместитель руководителя ОО",
      indicator = "Аналитическая справка: проанализированы результаты, сделаны выводы, "
        .. "составлены рекомендации, план работы ОО с неуспевающими обучающимися" },
    { id = "8", section = SECTION, applies = LISTED,
      title = "Проведение ВПР-2023",
      due = "Март – май 2023", responsible = "Руководитель или заместитель руководителя ОО",
      indicator = "Своевременно проведены ВПР, заполнены формы на сайте ФИОКО" },
    { id = "9", section = SECTION, applies = SHNOR2,
      title = "Анализ ШНОР – 2 результатов ВПР-2023",
      due = "Июнь-август 2023", responsible = "Руководитель или заместитель руководителя ОО",
      indicator = "Аналитическая справка: проанализированы результаты, сделаны выводы, "
        .. "составлены рекомендации, план работы ОО с неуспевающими обучающимися" },
    { id = "10", section = SECTION, applies = SHNOR1,
      title = "Анализ ШНОР-1 результатов реализации школьных среднесрочных программ развития",
      due = "Июнь 2023", responsible = "Руководитель или заместитель руководителя ОО",
      indicator = "Составлен аналитический отчет, направлен в УО" },
    { id = "11", section = SECTION, applies = SHNOR1,
      title = "Отчет о реализации среднесрочных программ развития ШНОР – 1 с предоставлением "
        .. "подтверждающих документов",
      due = "Июнь 2023", responsible = "Руководитель или заместитель руководителя ОО",
      indicator = "Составлен аналитический отчет, направлен в УО" },
    -- The coordinator examines the ШНОР-1 documents: the office's own row.
    { id = "12", section = SECTION,
      title = "Экспертиза подтверждающих документов",
      due = "Июнь 2023", responsible = "Муниципальный координатор",
      indicator = "Аналитическая справка, адресные рекомендации" },
    { id = "13", section = SECTION, applies = SHNOR1,
      title = "Корректировка, составление среднесрочных программ развития на 2023-2024 уч. год "
        .. "ШНОР - 1",
      due = "Июль –август 2023", responsible = "Руководитель или заместитель руководителя ОО",
      indicator = "Наличие корректных концептуальных документов" },
    -- A municipal meeting (совещание руководителей ОО с начальником
    -- Управления): the office's row, the school heads take part in it.
    { id = "14", section = SECTION,
      title = "Обсуждение результатов реализации Дорожной карты по повышению качества "
        .. "образования и поддержки ШНОР на 2022 год на совещании руководителей ОО с "
        .. "начальником Управления образования, заседаниях РМО и др.",
      due = "Ежемесячно в течение срока реализации Проекта",
      responsible = "Руководитель ОО Муниципальный координатор специалисты Управления образования",
      indicator = "Протокол совещания, составлены адресные рекомендации" },
    { id = "15", section = SECTION, applies = SHNOR2,
      title = "Разработка ШНОР-2 концептуальных документов на 2023-2024 уч. год",
      due = "Июнь 2023", responsible = "Руководитель или заместитель руководителя ОО",
      indicator = "Наличие концептуальных документов" },
    { id = "16", section = SECTION, applies = LISTED,
      title = "Изучение материалов консультационных вебинаров под руководством муниципального "
        .. "координатора",
      due = DURING, responsible = "Руководитель ОО Муниципальный координатор",
      indicator = "Отражение материалов вебинаров в документах, сопровождающих реализацию "
        .. "программы" },
    { id = "17", section = SECTION, applies = LISTED,
      title = "Посещение школы специалистами Управления образования для консультаций по "
        .. "вопросам организации образовательного и воспитательного процесса",
      due = DURING, responsible = "Руководитель ОО Муниципальный координатор",
      indicator = "Аналитическая справка, при необходимости – коррекция Дорожной карты ОО" },
    { id = "18", section = SECTION,
      title = "Организация взаимодействия управленческих и профессионально-общественных "
        .. "структур по вопросам повышения качества образования.",
      due = DURING, responsible = "Муниципальный координатор",
      indicator = "Приказы Управления Образования Администрации МО «Турочакский район»" },
    { id = "19", section = SECTION,
      title = "Выявление и транслирование лучшего опыта работы педагогов школ района на "
        .. "сайтах школ",
      due = DURING, responsible = "Специалисты РМК", indicator = "Размещение материалов на сайтах ОО" },
    { id = "20", section = SECTION, applies = LISTED,
      title = "Индивидуальная и групповая работа с обучающимися, показавшими "
        .. "неудовлетворительный результат по итогах ВПР – 2022-2023 в соответствии с планами ОО.",
      due = "Сентябрь 2023 – март 2024", responsible = "Педагоги ОО, руководитель, завуч ОО",
      indicator = "Отчет об исполнении плана ОО" },
    -- Municipal contests: organised by the office, the school heads bring
    -- their teachers in.
    { id = "21", section = SECTION,
      title = "Организация и проведение профессиональных муниципальных конкурсов для "
        .. "педагогов, привлечение к участию педагогов ШНОР",
      due = "Сентябрь-ноябрь 2023",
      responsible = "Муниципальный координатор, специалисты РМК, Руководитель ОО",
      indicator = "Аналитическая справка" },
    { id = "22", section = SECTION,
      title = "Поддержка ШНОР в разработке и реализации программ привлечения родителей в "
        .. "образование детей, демонстрирующих низкие образовательные результаты",
      due = DURING, responsible = "Специалисты УО", indicator = "Аналитическая справка" },
    { id = "23", section = SECTION,
      title = "Мониторинг рабочих программ по предметам и рекомендации по корректировке",
      due = "Август 2022, 2023", responsible = "Специалисты Управления образования",
      indicator = "Аналитическая справка" },
    { id = "24", section = SECTION, applies = LISTED,
      title = "Организация участия родительской общественности в работе по повышению качества "
        .. "образования",
      due = DURING, responsible = "Руководитель ОО",
      indicator = "Увеличение доли родителей принимающих участие в образовательном процессе" },
    { id = "25", section = SECTION, applies = LISTED,
      title = "Организация и контроль наполнения вкладки «Трансляция лучшего педагогического опыта»",
      due = DURING, responsible = "Руководитель ОО", indicator = "Наполнение вкладки" },
    { id = "26", section = SECTION, applies = LISTED,
      title = "Мониторинг состояния кадрового ресурса школы",
      due = DURING, responsible = HEAD_COORD, indicator = "Аналитическая справка" },
    { id = "27", section = SECTION, applies = LISTED,
      title = "Посещение мастер-классов и открытых уроков эффективных педагогов в других ОУ",
      due = DURING, responsible = HEAD_COORD, indicator = TEACHERS_SHARE },
    { id = "28", section = SECTION, applies = LISTED,
      title = "Внедрение планов профессионального развития педагога",
      due = DURING, responsible = HEAD_COORD, indicator = TEACHERS_SHARE },
    -- 29 and 30: unnumbered in the document.
    { id = "29", section = SECTION, applies = LISTED,
      title = "Проведение регулярного группового анализа и обсуждения педагогами результатов, "
        .. "достижений и проблем преподавания",
      due = "В течение срока реализации Проекта, раз в четверть",
      responsible = HEAD_COORD, indicator = TEACHERS_SHARE },
    { id = "30", section = SECTION, applies = LISTED,
      title = "Взаимопосещение уроков",
      due = DURING, responsible = HEAD_COORD, indicator = TEACHERS_SHARE },
    { id = "31", section = SECTION, applies = LISTED,
      title = "Проведение семинаров-практикумов, мастер-классов по повышению качества "
        .. "преподавания, в том числе в ШНОР.",
      due = DURING_PROGRAMME, responsible = HEAD_COORD, indicator = TEACHERS_SHARE },
    { id = "32", section = SECTION, applies = LISTED,
      title = "Участие в реализации региональных мероприятий поддержки ШНОР",
      due = DURING_PROGRAMME, responsible = HEAD_COORD, indicator = TEACHERS_SHARE },
    { id = "33", section = SECTION, applies = LISTED,
      title = "Организация обучения педагогов ШНОР в рамках регионального плана методического "
        .. "сопровождения школ - центров образования «Точка роста».",
      due = DURING_PROGRAMME, responsible = HEAD_COORD, indicator = TEACHERS_SHARE },
    { id = "34", section = SECTION, applies = LISTED,
      title = "Организация обучения педагогов ШНОР в рамках обучения по дополнительным "
        .. "профессиональным программам",
      due = DURING_PROGRAMME, responsible = HEAD_COORD, indicator = TEACHERS_SHARE },
  },

  targets = {
    -- Row 24: «Увеличение доли родителей принимающих участие в образовательном
    -- процессе». The document states a direction and no magnitude: any
    -- increase, strictly above the baseline (an unchanged share is not met).
    -- Each listed school against its own share the year before. The scope is
    -- this year's list (listed_in = 0: ШНОР-1 and ШНОР-2), not the baseline
    -- year's, which would hold only the ШНОР-1.
    { id = "parents_up",
      title = "Увеличение доли родителей, принимающих участие в образовательном процессе",
      indicator = "parent_participation_share", kind = "increase_relative", value = 0,
      strict = true, scope = { each = "low" }, baseline = -1, listed_in = 0 },
    -- «Доля педагогов, принявших участие» (rows 27-34) has no target value in
    -- the document: it is reported as the rows' implementation indicator and
    -- is not a target here.
  },

  tests = {
    { name = "ШНОР-2: впервые выявлена региональным мониторингом",
      period = "2023/24",
      schools = {
        { code = "A", territory = "МО «Турочакский район»", values = { reg_low_list = { ["2023/24"] = 1 } } },
        { code = "B", territory = "МО «Турочакский район»", values = { reg_low_list = { ["2023/24"] = 0 } } },
      },
      expect = { low = { "A" } } },

    { name = "ШНОР-1 остается в программе без нового включения; без списка и истории — нет",
      period = "2023/24",
      schools = {
        { code = "C", territory = "МО «Турочакский район»", values = { reg_low_list = { ["2023/24"] = 0 } } },
        { code = "D", territory = "МО «Турочакский район»", values = { reg_low_list = { ["2023/24"] = 0 } } },
        { code = "E", territory = "МО «Турочакский район»", values = { reg_low_list = { ["2023/24"] = 1 } } },
      },
      listings = {
        { school = "C", period = "2022/23", category = "low" },
        { school = "E", period = "2022/23", category = "low" },
      },
      expect = { low = { "C", "E" } } },

    { name = "нет сведений мониторинга: недостаточно данных, но участник программы в списке",
      period = "2023/24",
      indicators = { reg_low_list = { unit = "flag", better = "lower" } },
      schools = {
        { code = "F", territory = "МО «Турочакский район»" },
        { code = "G", territory = "МО «Турочакский район»" },
      },
      listings = { { school = "G", period = "2022/23", category = "low" } },
      expect = { low = { "G" } },
      insufficient = { low = { "F" } } },

    { name = "включение двухлетней давности или по другому пакету не продлевает участие",
      period = "2023/24",
      schools = {
        { code = "H", territory = "МО «Турочакский район»", values = { reg_low_list = { ["2023/24"] = 0 } } },
        { code = "I", territory = "МО «Турочакский район»", values = { reg_low_list = { ["2023/24"] = 0 } } },
      },
      listings = {
        { school = "H", period = "2021/22", category = "low" },
        { school = "I", period = "2022/23", category = "low", pack = "kedrovy" },
      },
      expect = { low = {} } },

    { name = "участие продлевается на год после выявления мониторингом, не дольше",
      period = "2024/25",
      schools = {
        { code = "J", territory = "МО «Турочакский район»",
          values = { reg_low_list = { ["2023/24"] = 1, ["2024/25"] = 0 } } },
        { code = "K", territory = "МО «Турочакский район»",
          values = { reg_low_list = { ["2023/24"] = 0, ["2024/25"] = 0 } } },
      },
      listings = {
        { school = "J", period = "2023/24", category = "low" },
        { school = "K", period = "2023/24", category = "low" },
      },
      expect = { low = { "J" } } },
  },
}
